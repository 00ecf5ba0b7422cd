import { z } from 'zod';

export const Role = z.enum(['reader', 'writer', 'lead']);
export type Role = z.infer<typeof Role>;

export const PublicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type PublicUser = z.infer<typeof PublicUser>;

export const LoginRequest = z.object({
  username: z.string().trim().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({ user: PublicUser });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** Name of the httpOnly session cookie, shared by REST, /collab and Socket.IO. */
export const SESSION_COOKIE = 'copydesk_session';

/**
 * A new username: 3–32 letters, digits, `.`, `_` or `-`, starting with a letter or digit (it appears in
 * mentions and URLs). Passwords are checked by the server's policy (length, common passwords).
 */
export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/, 'username must be 3–32 letters, digits, ".", "_" or "-", starting with a letter or digit');
export const DisplayName = z.string().trim().min(1, 'displayName is required').max(80);
export const NewPassword = z.string().max(256);

/** `POST /api/auth/signup`: a reader account (for comments), signed in at once. */
export const SignupRequest = z.object({ username: Username, displayName: DisplayName, password: NewPassword });
export type SignupRequest = z.infer<typeof SignupRequest>;

/** A user as leads see them on the people page (`GET/POST /api/users`, `PATCH /api/users/:id`). */
export const StaffUser = PublicUser.extend({ active: z.boolean(), createdAt: z.string() });
export type StaffUser = z.infer<typeof StaffUser>;

/** `POST /api/users` (leads): any role, with a first password the person changes later. */
export const CreateUserRequest = z.object({ username: Username, displayName: DisplayName, role: Role, password: NewPassword });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** `PATCH /api/users/:id` (leads). `active: false` deactivates: no sign-in, sessions end. */
export const UpdateUserRequest = z
  .object({ displayName: DisplayName.optional(), role: Role.optional(), active: z.boolean().optional() })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change: send displayName, role or active');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

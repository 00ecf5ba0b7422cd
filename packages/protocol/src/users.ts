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

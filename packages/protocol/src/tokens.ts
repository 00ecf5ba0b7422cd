import { z } from 'zod';
import { Role } from './users.ts';

/** `POST /api/tokens`: a token for a bot or script, scoped to a role no higher than its owner's. */
export const CreateTokenRequest = z.object({ name: z.string().trim().min(1, 'name is required').max(80, 'name is at most 80 characters'), role: Role }).strict();
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The secret is shown once, in the 201 answer; only its hash is stored. */
export const CreateTokenResponse = ApiToken.extend({ token: z.string() });
export type CreateTokenResponse = z.infer<typeof CreateTokenResponse>;

export const ChangePasswordRequest = z
  .object({
    currentPassword: z.string().min(1, 'currentPassword is required').max(256),
    newPassword: z.string().min(10, 'newPassword must be at least 10 characters').max(256, 'newPassword is at most 256 characters'),
  })
  .strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** Prefix of every API token, so leaked ones are easy to recognise and scan for. */
export const TOKEN_PREFIX = 'cdk_';

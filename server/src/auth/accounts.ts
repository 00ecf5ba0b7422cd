import { randomUUID } from 'node:crypto';
import { ErrorCode, type Role } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import type { Store, UserPatch, UserRecord } from '../storage/store.ts';
import { hashPassword } from './passwords.ts';
import { passwordProblem } from './password-policy.ts';

/**
 * Account changes shared by reader sign-up, the leads' people page and the operator command
 * (`npm run user`), so all three apply the same password policy and the same errors.
 */

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export async function createAccount(store: Store, account: NewAccount): Promise<UserRecord> {
  const problem = passwordProblem(account.password, account.username);
  if (problem) throw new HttpError(ErrorCode.invalidRequest, problem);
  if (await store.users.findByUsername(account.username)) throw usernameTaken(account.username);
  const user: UserRecord = {
    id: randomUUID(),
    username: account.username,
    displayName: account.displayName,
    role: account.role,
    passwordHash: await hashPassword(account.password),
    createdAt: new Date().toISOString(),
  };
  try {
    await store.users.create(user);
  } catch (error) {
    // Two sign-ups with one name at once: the store's unique index (SQLite) or SET NX (Redis) decides.
    if (await store.users.findByUsername(account.username)) throw usernameTaken(account.username);
    throw error;
  }
  return user;
}

export async function updateAccount(store: Store, id: string, patch: { displayName?: string; role?: Role; active?: boolean }): Promise<UserRecord> {
  const change: UserPatch = { displayName: patch.displayName, role: patch.role };
  if (patch.active !== undefined) change.deactivatedAt = patch.active ? null : new Date().toISOString();
  const user = await store.users.update(id, change);
  if (!user) throw new HttpError(ErrorCode.notFound, 'No such user');
  // Sessions are refused from now on (SessionService.resolve); dropping them also frees the store.
  if (patch.active === false) await store.sessions.deleteForUser(id);
  return user;
}

export async function resetPassword(store: Store, id: string, password: string): Promise<void> {
  const user = await store.users.findById(id);
  if (!user) throw new HttpError(ErrorCode.notFound, 'No such user');
  const problem = passwordProblem(password, user.username);
  if (problem) throw new HttpError(ErrorCode.invalidRequest, problem);
  await store.users.setPasswordHash(id, await hashPassword(password));
  await store.sessions.deleteForUser(id);
}

function usernameTaken(username: string): HttpError {
  return new HttpError(ErrorCode.conflict, `The username "${username}" is taken`);
}

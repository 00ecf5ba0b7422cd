import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode, TOKEN_PREFIX, type ApiToken, type CreateTokenResponse, type Role } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import type { Store, TokenRecord, UserRecord } from '../storage/store.ts';

const RANK: Record<Role, number> = { reader: 0, writer: 1, lead: 2 };
const lower = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
/** Touch lastUsedAt at most this often. */
const TOUCH_EVERY_MS = 60_000;

export function toApiToken(record: TokenRecord): ApiToken {
  return { id: record.id, name: record.name, role: record.role, createdAt: record.createdAt, lastUsedAt: record.lastUsedAt, revokedAt: record.revokedAt };
}

/** API tokens for bots and scripts: `Authorization: Bearer` on REST, `?token=` on /collab. */
export class TokenService {
  constructor(private readonly store: Store) {}

  async create(owner: UserRecord, name: string, role: Role): Promise<CreateTokenResponse> {
    if (RANK[role] > RANK[owner.role]) throw new HttpError(ErrorCode.forbidden, `A ${owner.role} cannot create a ${role} token`);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = { id: randomUUID(), ownerId: owner.id, name, role, tokenHash: hash(token), createdAt: new Date().toISOString(), lastUsedAt: null, revokedAt: null };
    await this.store.tokens.create(record);
    return { ...toApiToken(record), token };
  }

  async list(owner: UserRecord): Promise<ApiToken[]> {
    return (await this.store.tokens.listForUser(owner.id)).map(toApiToken);
  }

  async revoke(owner: UserRecord, id: string): Promise<void> {
    if (!(await this.store.tokens.revoke(id, owner.id, new Date().toISOString()))) throw new HttpError(ErrorCode.notFound, 'No such token');
  }

  /** The token's owner acting with the token's role (never above the owner's current role), or null. */
  async resolve(token: string | undefined): Promise<UserRecord | null> {
    if (!token || !token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const record = await this.store.tokens.findByHash(hash(token));
    if (!record || record.revokedAt) return null;
    const owner = await this.store.users.findById(record.ownerId);
    // A deactivated person's tokens stop working with them.
    if (!owner || owner.deactivatedAt) return null;
    if (!record.lastUsedAt || Date.now() - Date.parse(record.lastUsedAt) > TOUCH_EVERY_MS) await this.store.tokens.touch(record.id, new Date().toISOString());
    return { ...owner, role: lower(record.role, owner.role) };
  }
}

/** The bearer token of an Authorization header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

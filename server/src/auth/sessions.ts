import { createHash, randomBytes } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE, type PublicUser } from '@copydesk/protocol';
import type { Store, UserRecord } from '../storage/store.ts';

/** Touch a session at most this often, so reads do not turn into writes on every request. */
const TOUCH_EVERY_MS = 60_000;

export function toPublicUser(user: UserRecord): PublicUser {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sessions are opaque random tokens in an httpOnly cookie; the store keeps only their hash. */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly idleMs: number,
  ) {}

  /** Creates a new session (a fresh id at every login) and returns the cookie token. */
  async create(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date().toISOString();
    await this.store.sessions.create({ id: hashToken(token), userId, createdAt: now, lastSeenAt: now });
    return token;
  }

  async destroy(token: string): Promise<void> {
    await this.store.sessions.delete(hashToken(token));
  }

  /** The user behind a cookie token, or null when missing, unknown or idle too long. */
  async resolve(token: string | undefined): Promise<UserRecord | null> {
    if (!token || token.length > 200) return null;
    const id = hashToken(token);
    const session = await this.store.sessions.find(id);
    if (!session) return null;
    const idleFor = Date.now() - Date.parse(session.lastSeenAt);
    if (idleFor > this.idleMs) {
      await this.store.sessions.delete(id);
      return null;
    }
    if (idleFor > TOUCH_EVERY_MS) await this.store.sessions.touch(id, new Date().toISOString());
    const user = await this.store.users.findById(session.userId);
    // Deactivation ends every session at its next request, even one that was never logged out.
    return user && !user.deactivatedAt ? user : null;
  }

  /** Resolves the session cookie of a raw request (WebSocket upgrade, Socket.IO handshake). */
  resolveHeaders(headers: IncomingHttpHeaders): Promise<UserRecord | null> {
    return this.resolve(sessionTokenFrom(headers.cookie));
  }
}

export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  try {
    return parseCookie(cookieHeader)[SESSION_COOKIE];
  } catch {
    return undefined;
  }
}

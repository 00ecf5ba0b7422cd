import type { IncomingMessage } from 'node:http';
import { CloseCode } from '@copydesk/protocol';
import type { SessionService } from '../auth/sessions.ts';
import { bearerToken, type TokenService } from '../auth/tokens.ts';
import { can, readOnlyReason } from '../auth/permissions.ts';
import type { Store } from '../storage/store.ts';
import { CollabRejection, type AuthResult } from './types.ts';

/** The /collab authenticate hook: API token or session cookie → user → article → permission. */
export function collabAuthenticator(sessions: SessionService, tokens: TokenService, store: Store) {
  return async (request: IncomingMessage, articleId: string): Promise<AuthResult> => {
    // Bots and scripts: `?token=` (browsers cannot set headers on WebSockets) or a bearer header.
    const apiToken = URL.parse(request.url ?? '/', 'http://localhost')?.searchParams.get('token') ?? bearerToken(request.headers.authorization);
    const user = apiToken ? await tokens.resolve(apiToken) : await sessions.resolveHeaders(request.headers);
    if (!user) throw new CollabRejection(CloseCode.unauthenticated, 'sign in first');
    const article = await store.articles.get(articleId);
    if (!article) throw new CollabRejection(CloseCode.unknownArticle, 'unknown article');
    if (!can(user.role, 'open', article.status)) throw new CollabRejection(CloseCode.forbidden, 'you cannot edit this article');
    const reason = readOnlyReason(user.role, article.status);
    return { user, readOnly: reason !== null, readOnlyReason: reason };
  };
}

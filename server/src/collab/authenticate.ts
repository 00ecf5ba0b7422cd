import type { IncomingMessage } from 'node:http';
import { CloseCode } from '@copydesk/protocol';
import type { SessionService } from '../auth/sessions.ts';
import { can, readOnlyReason } from '../auth/permissions.ts';
import type { Store } from '../storage/store.ts';
import { CollabRejection, type AuthResult } from './types.ts';

/** The /collab authenticate hook: session cookie → user → article → permission. */
export function collabAuthenticator(sessions: SessionService, store: Store) {
  return async (request: IncomingMessage, articleId: string): Promise<AuthResult> => {
    const user = await sessions.resolveHeaders(request.headers);
    if (!user) throw new CollabRejection(CloseCode.unauthenticated, 'sign in first');
    const article = await store.articles.get(articleId);
    if (!article) throw new CollabRejection(CloseCode.unknownArticle, 'unknown article');
    if (!can(user.role, 'open', article.status)) throw new CollabRejection(CloseCode.forbidden, 'you cannot edit this article');
    const reason = readOnlyReason(user.role, article.status);
    return { user, readOnly: reason !== null, readOnlyReason: reason };
  };
}

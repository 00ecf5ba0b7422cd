import { ArticleId, ErrorCode, Rooms } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import { can } from '../auth/permissions.ts';
import type { AppContext } from '../context.ts';
import type { PresenceCountExtension } from '../collab/extensions/presence-count.ts';
import { logUnexpected, withAck, type RealtimeModule, type RealtimeServer, type RealtimeSocket } from './socket-server.ts';

/** Desk feed and per-article editorial feed over Socket.IO. */
export function deskRealtime(io: RealtimeServer, ctx: AppContext, presence: PresenceCountExtension): RealtimeModule {
  ctx.events.on('article:created', (article) => io.to(Rooms.desk).emit('article:created', article));
  ctx.events.on('article:updated', (article) => io.to([Rooms.desk, Rooms.article(article.id)]).emit('article:updated', article));
  ctx.events.on('article:transition', (transition) => io.to(Rooms.article(transition.articleId)).emit('article:transition', transition));
  ctx.events.on('article:presence', (count) => io.to(Rooms.desk).emit('article:presence', count));

  const requireStaff = (socket: RealtimeSocket) => {
    const user = socket.data.user;
    if (!user) throw new HttpError(ErrorCode.unauthenticated, 'Sign in first');
    if (user.role === 'reader') throw new HttpError(ErrorCode.forbidden, 'The desk is for writers and leads');
    return user;
  };

  return {
    onConnection(socket) {
      socket.on(
        'desk:subscribe',
        withAck(async () => {
          const user = requireStaff(socket);
          await socket.join(Rooms.desk);
          return { articles: await ctx.articles.listReadable(user), presence: presence.counts() };
        }, logUnexpected(ctx.log, 'desk:subscribe')),
      );
      socket.on('desk:unsubscribe', () => void socket.leave(Rooms.desk));
      socket.on(
        'article:subscribe',
        withAck(async (input: unknown) => {
          const user = requireStaff(socket);
          const id = ArticleId.safeParse((input as { articleId?: unknown } | null)?.articleId);
          if (!id.success) throw new HttpError(ErrorCode.invalidRequest, 'articleId: not a valid article id');
          const article = await ctx.articles.getReadable(id.data, user);
          if (!can(user.role, 'open', article.status)) throw new HttpError(ErrorCode.forbidden, 'You may not follow this article');
          await socket.join(Rooms.article(id.data));
          return { article };
        }, logUnexpected(ctx.log, 'article:subscribe')),
      );
      socket.on('article:unsubscribe', (input) => {
        const id = ArticleId.safeParse(input?.articleId);
        if (id.success) void socket.leave(Rooms.article(id.data));
      });
    },
  };
}

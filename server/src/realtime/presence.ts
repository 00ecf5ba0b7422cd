import { ArticleId, ErrorCode, Rooms } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import { can } from '../auth/permissions.ts';
import type { AppContext } from '../context.ts';
import type { PresenceBoard } from '../presence/board.ts';
import { logUnexpected, withAck, type RealtimeModule, type RealtimeServer, type RealtimeSocket } from './socket-server.ts';

/**
 * The presence board (leads) and one article's people list (its editors) over Socket.IO.
 * Every instance's board merges the PresenceStore (all instances), so batches go to this
 * instance's own sockets only (`io.local`): with a cluster adapter, each instance serves its own.
 */
export function presenceRealtime(io: RealtimeServer, ctx: AppContext, board: PresenceBoard): RealtimeModule {
  board.onChange((event) => {
    io.local.to(Rooms.presenceBoard).emit('presence:changed', event);
    for (const change of event.changes) io.local.to(Rooms.presence(change.articleId)).emit('presence:changed', { changes: [change], at: event.at });
  });

  const signedIn = (socket: RealtimeSocket) => {
    const user = socket.data.user;
    if (!user) throw new HttpError(ErrorCode.unauthenticated, 'Sign in first');
    return user;
  };

  return {
    onConnection(socket) {
      socket.on(
        'presence:subscribe',
        withAck(async () => {
          const user = signedIn(socket);
          if (user.role !== 'lead') throw new HttpError(ErrorCode.forbidden, 'The presence board is for desk leads');
          await board.ready;
          // Snapshot first, then join: the next batch follows on from exactly this snapshot.
          const snapshot = board.snapshot();
          await socket.join(Rooms.presenceBoard);
          return { snapshot };
        }, logUnexpected(ctx.log, 'presence:subscribe')),
      );
      socket.on('presence:unsubscribe', () => void socket.leave(Rooms.presenceBoard));

      socket.on(
        'presence:watch',
        withAck(async (input: unknown) => {
          const user = signedIn(socket);
          const id = ArticleId.safeParse((input as { articleId?: unknown } | null)?.articleId);
          if (!id.success) throw new HttpError(ErrorCode.invalidRequest, 'articleId: not a valid article id');
          const article = await ctx.articles.getReadable(id.data, user);
          if (!can(user.role, 'open', article.status)) throw new HttpError(ErrorCode.forbidden, 'You may not open this article');
          await board.ready;
          const presence = board.article(id.data);
          await socket.join(Rooms.presence(id.data));
          return { article: presence };
        }, logUnexpected(ctx.log, 'presence:watch')),
      );
      socket.on('presence:unwatch', (input) => {
        const id = ArticleId.safeParse(input?.articleId);
        if (id.success) void socket.leave(Rooms.presence(id.data));
      });
    },
  };
}

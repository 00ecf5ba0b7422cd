import { ArticleId, Rooms } from '@copydesk/protocol';
import type { AppContext } from '../context.ts';
import { clientAddress } from '../http/origin.ts';
import { logUnexpected, withAck, type RealtimeModule, type RealtimeServer, type RealtimeSocket } from './socket-server.ts';

/** The address a socket connected from, behind the trusted proxy hops (see clientAddress). */
function addressOf(socket: RealtimeSocket, trustProxyHops: number): string {
  return clientAddress(socket.request, trustProxyHops);
}

/**
 * Comments over Socket.IO: reader comments per article room, the moderation queue room, editorial
 * comments in the (staff-only) editorial room of each article, and mentions in each person's own room. Every
 * service event becomes one emit to one or two rooms: no per-reader work when a comment fans out.
 */
export function commentsRealtime(io: RealtimeServer, ctx: AppContext): RealtimeModule {
  const { comments, editorial, log } = ctx;
  const events = comments.events;

  events.on('reader:created', (comment) => io.to(Rooms.comments(comment.articleId)).emit('comment:created', comment));
  events.on('reader:updated', (comment) => io.to(Rooms.comments(comment.articleId)).emit('comment:updated', comment));
  events.on('reader:own', ({ authorId, comment, kind }) => io.to(Rooms.user(authorId)).emit(kind === 'created' ? 'comment:created' : 'comment:updated', comment));
  events.on('reader:removed', ({ authorId, audience, ...removed }) => {
    if (audience === 'author') {
      io.to(Rooms.user(authorId)).emit('comment:removed', removed);
    } else if (removed.reason === 'held') {
      // Its author keeps seeing it, as "awaiting review" (sent separately).
      io.to(Rooms.comments(removed.articleId)).except(Rooms.user(authorId)).emit('comment:removed', removed);
    } else {
      io.to([Rooms.comments(removed.articleId), Rooms.user(authorId)]).emit('comment:removed', removed);
    }
  });
  events.on('reader:count', (count) => io.to(Rooms.comments(count.articleId)).emit('comments:count', count));
  events.on('reader:mode', (settings) => io.to(Rooms.comments(settings.articleId)).emit('comments:mode', settings));
  events.on('moderation:queued', (item) => io.to(Rooms.moderation).emit('moderation:queued', item));
  events.on('moderation:resolved', (resolved) => io.to(Rooms.moderation).emit('moderation:resolved', resolved));
  events.on('editorial:created', (comment) => io.to(Rooms.editorial(comment.articleId)).emit('editorial:created', comment));
  events.on('editorial:updated', (comment) => io.to(Rooms.editorial(comment.articleId)).emit('editorial:updated', comment));
  events.on('editorial:deleted', (deleted) => io.to(Rooms.editorial(deleted.articleId)).emit('editorial:deleted', deleted));
  events.on('notification:created', ({ userId, notification, unread }) => {
    io.to(Rooms.user(userId)).emit('notification:created', notification);
    io.to(Rooms.user(userId)).emit('notifications:unread', { unread });
  });
  events.on('notifications:unread', ({ userId, unread }) => io.to(Rooms.user(userId)).emit('notifications:unread', { unread }));

  /** withAck, plus a log line for errors that were not thrown on purpose. */
  const handle = <A extends unknown[], R extends object>(event: string, handler: (...args: A) => Promise<R>) =>
    withAck(handler, logUnexpected(log, event));

  return {
    onConnection(socket) {
      const user = () => socket.data.user;
      const caller = () => ({ user: socket.data.user, ip: addressOf(socket, ctx.env.TRUST_PROXY) });
      // Each signed-in person's sockets share a room: their own pending comments, mentions, unread counts.
      if (socket.data.user) void socket.join(Rooms.user(socket.data.user.id));

      socket.on(
        'comments:subscribe',
        handle('comments:subscribe', async (input: unknown) => {
          const snapshot = await comments.snapshot((input as { articleId?: unknown } | null)?.articleId, user());
          await socket.join(Rooms.comments(snapshot.articleId));
          return { comments: snapshot.comments, count: snapshot.count, nextCursor: snapshot.nextCursor, mode: snapshot.mode };
        }),
      );
      socket.on('comments:unsubscribe', (input) => {
        const id = ArticleId.safeParse(input?.articleId);
        if (id.success) void socket.leave(Rooms.comments(id.data));
      });
      socket.on(
        'comment:post',
        handle('comment:post', async (input: unknown) => {
          const { articleId, ...rest } = (input ?? {}) as { articleId?: unknown };
          return { comment: await comments.post(caller(), articleId, rest) };
        }),
      );
      socket.on(
        'comment:edit',
        handle('comment:edit', async (input: unknown) => {
          const { id, ...rest } = (input ?? {}) as { id?: unknown };
          return { comment: await comments.edit(caller(), id, rest) };
        }),
      );
      socket.on(
        'comment:delete',
        handle('comment:delete', async (input: unknown) => {
          await comments.delete(caller(), (input as { id?: unknown } | null)?.id);
          return {};
        }),
      );
      socket.on(
        'comment:report',
        handle('comment:report', async (input: unknown) => {
          const { id, ...rest } = (input ?? {}) as { id?: unknown };
          await comments.report(caller(), id, rest);
          return {};
        }),
      );

      socket.on(
        'moderation:subscribe',
        handle('moderation:subscribe', async () => {
          const items = await comments.queue(user());
          await socket.join(Rooms.moderation);
          return { items };
        }),
      );
      socket.on('moderation:unsubscribe', () => void socket.leave(Rooms.moderation));

      socket.on(
        'editorial:subscribe',
        handle('editorial:subscribe', async (input: unknown) => {
          const articleId = await editorial.authorize(user(), (input as { articleId?: unknown } | null)?.articleId);
          const list = await editorial.list(user(), articleId);
          await socket.join(Rooms.editorial(articleId));
          return { comments: list };
        }),
      );
      socket.on('editorial:unsubscribe', (input) => {
        const id = ArticleId.safeParse(input?.articleId);
        if (id.success) void socket.leave(Rooms.editorial(id.data));
      });
      socket.on(
        'editorial:post',
        handle('editorial:post', async (input: unknown) => ({ comment: await editorial.post(user(), input) })),
      );
      socket.on(
        'editorial:resolve',
        handle('editorial:resolve', async (input: unknown) => ({ comment: await editorial.resolve(user(), input) })),
      );
      socket.on(
        'editorial:delete',
        handle('editorial:delete', async (input: unknown) => {
          await editorial.delete(user(), input);
          return {};
        }),
      );
    },
  };
}


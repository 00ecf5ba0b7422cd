import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ErrorCode, Rooms, type ClientToServerEvents, type ServerToClientEvents } from '@copydesk/protocol';
import type { AppContext } from '../context.ts';
import type { UserRecord } from '../storage/store.ts';
import type { PresenceCountExtension } from '../collab/extensions/presence-count.ts';

export interface SocketData {
  user: UserRecord | null;
}
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO on the default path: the same session cookie as REST; anonymous sockets may only read public feeds. */
export function createRealtimeServer(httpServer: HttpServer, ctx: AppContext, presence: PresenceCountExtension): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // /collab upgrades are handled by the collab server; do not let engine.io destroy them.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
  });

  io.use(async (socket, next) => {
    try {
      socket.data.user = await ctx.sessions.resolveHeaders(socket.handshake.headers);
      next();
    } catch (error) {
      next(error as Error);
    }
  });

  io.on('connection', (socket: RealtimeSocket) => {
    socket.on('desk:subscribe', async (ack) => {
      if (typeof ack !== 'function') return;
      const user = socket.data.user;
      if (!user || user.role === 'reader') {
        ack({ ok: false, error: { code: user ? ErrorCode.forbidden : ErrorCode.unauthenticated, message: 'The desk is for writers and leads' } });
        return;
      }
      await socket.join(Rooms.desk);
      ack({ ok: true, articles: await ctx.articles.listReadable(user), presence: presence.counts() });
    });
    socket.on('desk:unsubscribe', () => void socket.leave(Rooms.desk));
  });

  ctx.events.on('article:created', (article) => io.to(Rooms.desk).emit('article:created', article));
  ctx.events.on('article:updated', (article) => io.to(Rooms.desk).emit('article:updated', article));
  ctx.events.on('article:presence', (count) => io.to(Rooms.desk).emit('article:presence', count));
  return io;
}

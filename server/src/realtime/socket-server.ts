import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@copydesk/protocol';
import type { AppContext } from '../context.ts';
import type { UserRecord } from '../storage/store.ts';

export interface SocketData {
  user: UserRecord | null;
}
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** A feature's Socket.IO handlers (desk, comments, presence board), registered once per server. */
export interface RealtimeModule {
  /** Called for every new socket: attach this feature's event handlers. */
  onConnection(socket: RealtimeSocket): void;
}

/**
 * Socket.IO on the default path, authenticated by the same session cookie as REST
 * (anonymous sockets may only read public feeds). Features plug in as RealtimeModules.
 */
export function createRealtimeServer(httpServer: HttpServer, ctx: AppContext): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // /collab upgrades are handled by the collab server; do not let engine.io destroy them.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    // Cross-site WebSocket hijacking: a foreign Origin never gets a handshake.
    allowRequest: (request, callback) => callback(null, ctx.origins.allowsRequest(request)),
  });
  io.use(async (socket, next) => {
    try {
      const apiToken = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      socket.data.user = typeof apiToken === 'string' ? await ctx.tokens.resolve(apiToken) : await ctx.sessions.resolveHeaders(socket.handshake.headers);
      next();
    } catch (error) {
      next(error as Error);
    }
  });
  return io;
}

export function registerRealtimeModules(io: RealtimeServer, modules: RealtimeModule[]): void {
  io.on('connection', (socket) => {
    for (const module of modules) module.onConnection(socket);
  });
}

/** Wraps an ack-style handler: validates that `ack` is a function and turns thrown errors into ack errors. */
export function withAck<A extends unknown[], R extends object>(
  handler: (...args: A) => Promise<R>,
): (...args: [...A, unknown]) => void {
  return (...args) => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    handler(...(args.slice(0, -1) as A)).then(
      (result) => ack({ ok: true, ...result }),
      (error: unknown) => {
        const e = error as { code?: string; message?: string };
        ack({ ok: false, error: { code: e.code ?? 'internal_error', message: e.code ? (e.message ?? 'Error') : 'Something went wrong on our side' } });
      },
    );
  };
}

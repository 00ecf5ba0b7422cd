import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ErrorCode, type ClientToServerEvents, type ServerToClientEvents } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import type { Logger } from 'pino';
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
  io.on('connection', (socket) => countForMetrics(socket, ctx));
  io.use(async (socket, next) => {
    try {
      socket.data.user = await resolveHandshake(ctx, socket.handshake);
      next();
    } catch (error) {
      next(error as Error);
    }
  });
  return io;
}

/** Comment events this instance delivers to its own sockets (whichever instance emitted them). */
const COMMENT_EVENTS: ReadonlySet<string> = new Set(['comment:created', 'comment:updated', 'comment:removed', 'editorial:created', 'editorial:updated', 'editorial:deleted']);

/**
 * /metrics for one socket: every comment event delivered to it (room broadcasts included, also
 * those relayed from another instance) and every ack that answers an error, by code. Installed
 * before any feature's handlers, so each handler's ack is wrapped.
 */
function countForMetrics(socket: RealtimeSocket, ctx: AppContext): void {
  socket.onAnyOutgoing((event: string) => {
    if (COMMENT_EVENTS.has(event)) ctx.metrics.commentDeliveries.inc();
  });
  socket.use((packet, next) => {
    const ack = packet.at(-1);
    if (typeof ack === 'function') {
      packet[packet.length - 1] = (result: unknown) => {
        const error = (result as { ok?: unknown; error?: { code?: unknown } } | null)?.ok === false ? (result as { error?: { code?: unknown } }).error : undefined;
        if (error) ctx.metrics.errors.inc({ channel: 'socketio', code: String(error.code ?? 'unknown') });
        (ack as (result: unknown) => void)(result);
      };
    }
    next();
  });
}

function resolveHandshake(ctx: AppContext, handshake: RealtimeSocket['handshake']): Promise<UserRecord | null> {
  const apiToken = (handshake.auth as { token?: unknown } | undefined)?.token;
  return typeof apiToken === 'string' ? ctx.tokens.resolve(apiToken) : ctx.sessions.resolveHeaders(handshake.headers);
}

/**
 * Re-resolves the handshake credentials of this instance's sockets of `userId` (see LiveRights):
 * a socket whose session or token no longer resolves, or whose role changed, is disconnected (its
 * rooms were joined with the old rights); the client signs in again or reconnects with the new ones.
 */
export async function recheckSocketsOf(io: RealtimeServer, ctx: AppContext, userId: string): Promise<void> {
  const sockets = [...io.of('/').sockets.values()].filter((socket) => socket.data.user?.id === userId);
  await Promise.all(
    sockets.map(async (socket) => {
      const user = await resolveHandshake(ctx, socket.handshake).catch(() => null);
      if (!user || user.role !== socket.data.user?.role) socket.disconnect(true);
      else socket.data.user = user;
    }),
  );
}

export function registerRealtimeModules(io: RealtimeServer, modules: RealtimeModule[]): void {
  io.on('connection', (socket) => {
    for (const module of modules) module.onConnection(socket);
  });
}

/** The `onUnexpected` of withAck that logs the error with the event it came from. */
export function logUnexpected(log: Logger, event: string): (error: unknown) => void {
  return (error) => log.error({ err: error, event }, 'socket handler failed');
}

/**
 * Wraps an ack-style handler: validates that `ack` is a function and turns thrown errors into ack
 * errors. Only errors thrown on purpose (HttpError) reach the client with their code and message;
 * anything else (a database constraint, a bug) is `internal_error`, and goes to `onUnexpected`.
 */
export function withAck<A extends unknown[], R extends object>(
  handler: (...args: A) => Promise<R>,
  onUnexpected?: (error: unknown) => void,
): (...args: [...A, unknown]) => void {
  return (...args) => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    handler(...(args.slice(0, -1) as A)).then(
      (result) => ack({ ok: true, ...result }),
      (error: unknown) => {
        if (error instanceof HttpError) return ack({ ok: false, error: { code: error.code, message: error.message } });
        onUnexpected?.(error);
        ack({ ok: false, error: { code: ErrorCode.internal, message: 'Something went wrong on our side' } });
      },
    );
  };
}

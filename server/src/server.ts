import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env } from './env.ts';
import { ErrorCode } from '@copydesk/protocol';
import { errorBody } from './http/errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { createApp } from './app.ts';
import type { AppContext } from './context.ts';
import type { Store } from './storage/store.ts';
import { openSqliteStore } from './storage/sqlite/sqlite-store.ts';
import { SessionService } from './auth/sessions.ts';
import { TokenService } from './auth/tokens.ts';
import { OriginPolicy, clientAddress } from './http/origin.ts';
import { Metrics } from './metrics/metrics.ts';
import { MetricsExtension } from './collab/extensions/metrics.ts';
import { ArticleService } from './newsroom/articles.ts';
import { NewsroomEvents } from './newsroom/events.ts';
import { seedDemoNewsroom } from './newsroom/seed.ts';
import { CollabServer } from './collab/collab-server.ts';
import { collabAuthenticator } from './collab/authenticate.ts';
import { PersistenceExtension } from './collab/extensions/persistence.ts';
import { ArticleActivityExtension } from './collab/extensions/article-activity.ts';
import { PresenceCountExtension } from './collab/extensions/presence-count.ts';
import { VersionAutosaveExtension } from './collab/extensions/version-autosave.ts';
import { VersionService } from './newsroom/versions.ts';
import { People } from './newsroom/people.ts';
import { createRealtimeServer, registerRealtimeModules, type RealtimeServer } from './realtime/socket-server.ts';
import { deskRealtime } from './realtime/desk.ts';

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  http: HttpServer;
  collab: CollabServer;
  io: RealtimeServer;
  persistence: PersistenceExtension;
  /** Graceful stop: no new connections, flush every doc, close sockets with 1001, close the store. */
  close(): Promise<void>;
}

/** Requests Node rejects before Express sees them (oversized headers, broken HTTP) still get a JSON error. */
function answerClientErrorsWithJson(http: HttpServer): void {
  http.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify(
      errorBody(tooLarge ? ErrorCode.payloadTooLarge : ErrorCode.invalidRequest, tooLarge ? 'Request headers are too large' : 'Malformed HTTP request'),
    );
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** Wires store, services, HTTP, /collab and Socket.IO together and starts listening. */
export async function startServer(env: Env, options: { store?: Store; log?: Logger } = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(env.LOG_LEVEL);
  const store = options.store ?? openSqliteStore(env.DATA_DIR);
  const events = new NewsroomEvents();
  const sessions = new SessionService(store, env.SESSION_IDLE_MS);
  const tokens = new TokenService(store);
  const origins = new OriginPolicy(env.ALLOWED_ORIGINS, env.TRUST_PROXY);
  const metrics = new Metrics();
  const people = new People(store);
  const articles = new ArticleService(store, events, people);

  const persistence = new PersistenceExtension(store, log, {
    persistIntervalMs: env.PERSIST_INTERVAL_MS,
    compactAfterUpdates: env.COMPACT_AFTER_UPDATES,
    observeWriteSeconds: (seconds) => metrics.storeWriteSeconds.observe(seconds),
  });
  const presence = new PresenceCountExtension(events);
  let versions: VersionService | null = null;
  const collab = new CollabServer({
    log,
    authenticate: collabAuthenticator(sessions, tokens, store),
    isAllowedOrigin: origins.allowsRequest,
    clientAddress: (request) => clientAddress(request, env.TRUST_PROXY),
    extensions: [
      persistence,
      new ArticleActivityExtension(articles, log),
      new VersionAutosaveExtension(() => versions!, log, env.VERSION_INTERVAL_MS),
      presence,
      new MetricsExtension(metrics),
    ],
    maxMessageBytes: env.MAX_MESSAGE_BYTES,
    maxUpdateBytes: env.MAX_UPDATE_BYTES,
    maxDocBytes: env.MAX_DOC_BYTES,
    maxAwarenessBytes: env.MAX_AWARENESS_BYTES,
    maxConnectionsPerUser: env.MAX_CONNECTIONS_PER_USER,
    maxConnectionsPerAddress: env.MAX_CONNECTIONS_PER_IP,
    docIdleUnloadMs: env.DOC_IDLE_UNLOAD_MS,
    heartbeatMs: env.WS_HEARTBEAT_MS,
  });
  versions = new VersionService(store, collab, people);
  articles.attach(collab, versions);
  const ctx: AppContext = { env, log, store, sessions, tokens, origins, metrics, articles, events, versions, people };

  if (env.SEED_DEMO) await seedDemoNewsroom(store, articles, log);

  const http = createServer(createApp(ctx));
  answerClientErrorsWithJson(http);
  collab.attach(http);
  const io = createRealtimeServer(http, ctx);
  metrics.socketCount = () => io.engine.clientsCount;
  registerRealtimeModules(io, [deskRealtime(io, ctx, presence)]);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  log.info({ port, store: store.kind, dataDir: env.DATA_DIR }, 'copydesk listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      http.close();
      await collab.close();
      io.disconnectSockets(true);
      await io.close().catch(() => undefined);
      http.closeAllConnections();
      await store.close();
    })());

  return { url: `http://127.0.0.1:${port}`, port, ctx, http, collab, io, persistence, close };
}

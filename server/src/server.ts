import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Env } from './env.ts';
import { ErrorCode } from '@copydesk/protocol';
import { errorBody } from './http/errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { createApp } from './app.ts';
import type { AppContext } from './context.ts';
import type { Store } from './storage/store.ts';
import { openConfiguredStore } from './storage/open-store.ts';
import { SessionService } from './auth/sessions.ts';
import { TokenService } from './auth/tokens.ts';
import { LiveRights, LocalRightsChannel, RedisRightsChannel } from './auth/live-rights.ts';
import { OriginPolicy, clientAddress } from './http/origin.ts';
import { limiterFactory, sharedConnections } from './http/limiters.ts';
import { Metrics } from './metrics/metrics.ts';
import { MetricsExtension } from './collab/extensions/metrics.ts';
import { ArticleService } from './newsroom/articles.ts';
import { NewsroomEvents } from './newsroom/events.ts';
import { seedDemoNewsroom } from './newsroom/seed.ts';
import { CollabServer, collabTarget, refuseUpgrade } from './collab/collab-server.ts';
import { collabAuthenticator } from './collab/authenticate.ts';
import { PersistenceExtension } from './collab/extensions/persistence.ts';
import { ArticleActivityExtension } from './collab/extensions/article-activity.ts';
import { PresenceCountExtension } from './collab/extensions/presence-count.ts';
import { VersionAutosaveExtension } from './collab/extensions/version-autosave.ts';
import { SaveStatusExtension } from './collab/extensions/save-status.ts';
import { RedisRelayExtension } from './collab/extensions/redis-relay.ts';
import { RedisAwarenessRelay } from './collab/extensions/redis-relay-awareness.ts';
import type { RedisStore } from './storage/redis/redis-store.ts';
import { useRedisAdapter } from './realtime/redis-adapter.ts';
import { RedisPresenceStore } from './storage/redis/presence-store.ts';
import { VersionService } from './newsroom/versions.ts';
import { PublishScheduler } from './newsroom/publish-scheduler.ts';
import { People } from './newsroom/people.ts';
import { CommentService } from './newsroom/comments.ts';
import { EditorialService } from './newsroom/comments-editorial.ts';
import { commentsRealtime } from './realtime/comments.ts';
import { createRealtimeServer, recheckSocketsOf, registerRealtimeModules, type RealtimeServer } from './realtime/socket-server.ts';
import { deskRealtime } from './realtime/desk.ts';
import { presenceRealtime } from './realtime/presence.ts';
import { createPresence } from './presence/index.ts';

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  http: HttpServer;
  collab: CollabServer;
  io: RealtimeServer;
  persistence: PersistenceExtension;
  /**
   * Stop: no new connections, flush every doc, close /collab sockets with `closeCode` (1001 by
   * default; 1011 after a fault) and Socket.IO sockets, close the store.
   */
  close(closeCode?: number): Promise<void>;
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
  // REDIS_URL: the Redis driver and the cross-instance relays; otherwise the embedded SQLite store.
  const store = options.store ?? (await openConfiguredStore(env, log));
  const redis = store.kind === 'redis' ? (store as RedisStore) : null;
  const metrics = new Metrics();
  const relay = redis
    ? new RedisRelayExtension(redis, log, { compactAfterUpdates: env.COMPACT_AFTER_UPDATES, observeLagSeconds: (seconds) => metrics.observeRedisLag(seconds) })
    : null;
  const awarenessRelay = redis ? new RedisAwarenessRelay(redis, log) : null;
  await awarenessRelay?.start();
  const events = new NewsroomEvents();
  const sessions = new SessionService(store, env.SESSION_IDLE_MS);
  const tokens = new TokenService(store);
  const origins = new OriginPolicy(env.ALLOWED_ORIGINS, env.TRUST_PROXY);
  const people = new People(store);
  const articles = new ArticleService(store, events, people);

  const saveStatus = new SaveStatusExtension((articleId) => persistence.saveState(articleId));
  const persistence: PersistenceExtension = new PersistenceExtension(store, log, {
    persistIntervalMs: env.PERSIST_INTERVAL_MS,
    // With Redis the relay compacts when a doc's stream (all instances' updates) grows past the threshold.
    compactAfterUpdates: relay ? Number.MAX_SAFE_INTEGER : env.COMPACT_AFTER_UPDATES,
    onSaveState: saveStatus.onSaveState,
    captureSaveMark: saveStatus.captureSaveMark,
    observeWriteSeconds: (seconds) => metrics.storeWriteSeconds.observe(seconds),
  });
  const presence = new PresenceCountExtension(events);
  // Redis mode: presence entries of every instance in Redis (heartbeat with expiry), so every board sees every editor.
  const redisPresence = redis
    ? new RedisPresenceStore(redis, log, { instanceId: env.INSTANCE_ID, heartbeatMs: env.INSTANCE_HEARTBEAT_MS, ttlMs: env.INSTANCE_TTL_MS })
    : null;
  await redisPresence?.start();
  const livePresence = createPresence({ env, log, store, events, ...(redisPresence ? { presenceStore: redisPresence } : {}) });
  redisPresence?.onRepublish(() => livePresence.tracker.republish());
  let versions: VersionService | null = null;
  const sharedConnectionLimits = sharedConnections(store, log, { ttlMs: env.INSTANCE_TTL_MS });
  const collab = new CollabServer({
    log,
    authenticate: collabAuthenticator(sessions, tokens, store),
    isAllowedOrigin: origins.allowsRequest,
    clientAddress: (request) => clientAddress(request, env.TRUST_PROXY),
    countError: (code) => metrics.errors.inc({ channel: 'collab', code: String(code) }),
    // Redis mode: the connection limits count every instance's connections.
    ...(sharedConnectionLimits ? { sharedConnections: sharedConnectionLimits } : {}),
    extensions: [
      // The relay notes the stream position before persistence loads the doc.
      ...(relay ? [relay] : []),
      persistence,
      saveStatus,
      new ArticleActivityExtension(articles, log),
      new VersionAutosaveExtension(() => versions!, log, env.VERSION_INTERVAL_MS),
      presence,
      ...livePresence.extensions,
      // After the extensions that correct awareness states: carets go to other instances as corrected.
      ...(awarenessRelay ? [awarenessRelay] : []),
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
  const limiters = limiterFactory(store);
  const comments = new CommentService(store, people, {
    limiters,
    perUser: env.COMMENT_RATE_PER_USER,
    perIp: env.COMMENT_RATE_PER_IP,
    windowSeconds: env.COMMENT_RATE_WINDOW_S,
  }, (err, articleId) => log.warn({ err, articleId }, 'counting visible comments failed; the next change announces the count again'));
  const editorial = new EditorialService(store, people, comments.events);
  const rights = new LiveRights(redis ? new RedisRightsChannel(redis, log) : new LocalRightsChannel(), log);
  const scheduler = new PublishScheduler(store.schedules, articles, log, { owner: env.INSTANCE_ID, pollMs: env.SCHEDULE_POLL_MS });
  const ctx: AppContext = { env, log, store, sessions, tokens, origins, metrics, articles, events, versions, people, presenceBoard: livePresence.board, comments, editorial, rights, limiters };

  if (env.SEED_DEMO) {
    // Several instances may start at once on an empty Redis: one seeds, the others wait and find users.
    if (redis) await redis.withLock('seed', { ttlMs: 60_000, waitMs: 60_000 }, () => seedDemoNewsroom(store, articles, log));
    else await seedDemoNewsroom(store, articles, log);
  }
  await relay?.start();
  // Live read-only switches: ArticleService switches this instance's editors when an article's
  // status changes; the rights stream carries it to the other instances (read from the last id each
  // saw, so a reader that reconnects misses nothing).
  events.on('article:transition', (transition) => void rights.articleChanged(transition.articleId));
  rights.hold(() => collab);
  await rights.start();

  const http = createServer(createApp(ctx));
  answerClientErrorsWithJson(http);
  collab.attach(http);
  const io = createRealtimeServer(http, ctx);
  rights.hold(() => ({ recheckUser: (userId) => recheckSocketsOf(io, ctx, userId) }));
  // Last 'upgrade' listener: a WebSocket upgrade on any other path gets an answer instead of an
  // open socket nobody owns (engine.io is told not to destroy them, for the sake of /collab).
  http.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    if (collabTarget(request.url) !== null || request.url?.startsWith(`${io.path()}/`)) return;
    refuseUpgrade(socket, 404, 'no WebSocket endpoint at this path');
  });
  if (redis) await useRedisAdapter(io, redis);
  metrics.socketCount = () => io.engine.clientsCount;
  registerRealtimeModules(io, [deskRealtime(io, ctx, presence), commentsRealtime(io, ctx), presenceRealtime(io, ctx, livePresence.board)]);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  scheduler.start();
  log.info({ port, store: store.kind, ...(redis ? { instance: env.INSTANCE_ID, redisPrefix: env.REDIS_PREFIX } : { dataDir: env.DATA_DIR }) }, 'copydesk listening');

  let closing: Promise<void> | null = null;
  const close = (closeCode?: number) =>
    (closing ??= (async () => {
      http.close();
      await scheduler.stop();
      await collab.close(closeCode);
      await livePresence.close();
      io.disconnectSockets(true);
      await io.close().catch(() => undefined);
      http.closeAllConnections();
      await rights.stop();
      sharedConnectionLimits?.stop();
      await store.close();
    })());

  return { url: `http://127.0.0.1:${port}`, port, ctx, http, collab, io, persistence, close };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from 'pino';
import { ArticleId, CloseCode, COLLAB_CUSTOM_MESSAGES_PARAM, COLLAB_PATH, CollabMessageType, ErrorCode } from '@copydesk/protocol';
import { CollabRejection, type AuthResult, type CollabConnection, type CollabExtension, type DecodedUpdate, type DocContext, type UpdateOrigin } from './types.ts';
import { encodeAwareness, encodeStatus, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './messages.ts';

export interface CollabServerOptions {
  log: Logger;
  /** Decides who may connect and whether the connection is read-only; throws CollabRejection. */
  authenticate(request: IncomingMessage, articleId: string): Promise<AuthResult>;
  extensions: CollabExtension[];
  /** Cross-site WebSocket hijacking guard: false refuses the handshake with 4403. */
  isAllowedOrigin?(request: IncomingMessage): boolean;
  /** The client's address for per-address limits (honours a trusted proxy). */
  clientAddress?(request: IncomingMessage): string;
  /** A handshake refused or a connection closed by us with an error close code (4xxx, 1009, 1011), for /metrics. */
  countError?(code: number): void;
  /**
   * The per-user and per-address connection limits counted over every instance (Redis mode), on
   * top of this instance's own count: resolves with a release function, or null when a limit is reached.
   */
  sharedConnections?: {
    acquire(userId: string, address: string, limits: { perUser: number; perAddress: number }): Promise<(() => void) | null>;
  };
  maxMessageBytes: number;
  maxUpdateBytes: number;
  maxDocBytes: number;
  maxAwarenessBytes: number;
  maxConnectionsPerUser: number;
  maxConnectionsPerAddress: number;
  docIdleUnloadMs: number;
  heartbeatMs: number;
}

/** A frame that breaks the protocol or a limit: closes that one connection with `code`. */
class MalformedMessage extends Error {
  constructor(
    message: string,
    readonly code: number = CloseCode.malformed,
  ) {
    super(message);
  }
}

/** At most this many frames wait in a corked socket before it is flushed (see Connection.send). */
const MAX_CORKED_FRAMES = 64;

class Connection implements CollabConnection {
  readonly id = randomUUID();
  readonly awarenessIds = new Set<number>();
  alive = true;
  lastPongAt = 0;
  /** Has this socket sent an awareness update yet (its first one is its own state)? */
  awarenessSeen = false;
  updatesReceived = 0;
  updatesApplied = 0;
  updatesRefused = 0;
  refusedReason: string | null = null;
  /** Frees this connection's place in the limits shared by every instance (see sharedConnections). */
  releaseShared: (() => void) | null = null;
  /** Frames written since the raw socket was corked; 0 when it is not corked by us. */
  private corkedFrames = 0;
  constructor(
    readonly socket: WebSocket,
    /** The upgraded TCP (or TLS) socket under `socket`: corked while a burst of frames is written. */
    private readonly raw: Duplex,
    readonly articleId: string,
    /** Replaced when the person's rights are re-checked (a role change). */
    public user: AuthResult['user'],
    readonly address: string,
    public readOnly: boolean,
    public readOnlyReason: string | null,
    readonly customMessages: boolean,
    /** The upgrade request: its credentials are re-checked when the person's rights change. */
    readonly request: IncomingMessage,
  ) {}

  /**
   * Frames sent during one turn of the event loop (e.g. a burst of updates read from one TCP chunk
   * and relayed to every editor) leave in one write syscall instead of one each: the raw socket is
   * corked at the first frame and uncorked when the turn's synchronous work is done (nextTick), or
   * after MAX_CORKED_FRAMES frames. Same frames, same order; a single update is not delayed.
   */
  send(message: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.corkedFrames === 0) {
      this.raw.cork();
      process.nextTick(this.uncork);
    }
    this.socket.send(message, this.onSent);
    if (++this.corkedFrames >= MAX_CORKED_FRAMES) this.uncork();
  }

  private readonly uncork = (): void => {
    if (this.corkedFrames === 0) return;
    this.corkedFrames = 0;
    this.raw.uncork();
  };

  private readonly onSent = (error?: Error): void => {
    if (error) this.socket.terminate();
  };
}

/** The longest wait between two attempts to write a doc that should unload while the store fails. */
const MAX_UNLOAD_RETRY_MS = 10_000;

/**
 * At most this many updates are merged into one broadcast frame (Y.mergeUpdates costs more per
 * update as the batch grows: about 3 µs at 100, 9 µs at 1,000, 39 µs at 5,000 on the CI machine;
 * 16 to 256 measured alike in the trace replay, 64 is the middle).
 */
const MAX_MERGED_UPDATES = 64;

/** How long the whole-doc sync reply stays cached after it was encoded (unless the doc changes first). */
const FULL_SYNC_CACHE_MS = 2_000;
/** The state vector of an empty replica (a client joining without a local copy). */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** A doc in memory with the sockets editing it. */
class LiveDoc implements DocContext {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Upgrades in progress that will attach here; the doc must not unload under them. */
  pendingJoins = 0;
  /** Size estimate for MAX_DOC_BYTES: measured at load, grown by every applied update, re-measured near the limit. */
  approxBytes = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  /** Updates applied this turn, not yet sent to the editors (see CollabServer.queueBroadcast). */
  outgoing: Array<{ update: Uint8Array; origin: Connection | null }> = [];
  /** Back-off between attempts to write the doc when it should unload but the store fails. */
  unloadRetryMs = 0;
  private fullSync: Uint8Array | null = null;
  private fullSyncTimer: NodeJS.Timeout | null = null;

  constructor(readonly articleId: string) {
    this.doc = new Y.Doc({ gc: true });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no awareness state of its own.
    this.awareness.setLocalState(null);
  }

  /**
   * The reply to a sync step 1 from an empty replica (the whole doc), encoded once and shared while
   * the doc does not change: a crowd opening a long story costs one encoding, not one each. Dropped
   * after a moment, so an idle doc does not keep a second copy of itself.
   */
  fullSyncStep2(): Uint8Array {
    if (!this.fullSync) {
      this.fullSync = encodeSyncStep2(this.doc, EMPTY_STATE_VECTOR);
      this.fullSyncTimer = setTimeout(() => this.dropFullSync(), FULL_SYNC_CACHE_MS);
      this.fullSyncTimer.unref();
    }
    return this.fullSync;
  }

  /** Releases the doc, its awareness (and its timer) and the cached encoding. */
  destroy(): void {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.unloadTimer = null;
    this.dropFullSync();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Called on every change (cheap when nothing is cached). */
  dropFullSync(): void {
    if (!this.fullSync) return;
    this.fullSync = null;
    clearTimeout(this.fullSyncTimer!);
    this.fullSyncTimer = null;
  }
}

function mergeUpdates(updates: Uint8Array[]): Uint8Array {
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}

/**
 * The y-websocket server core: protocol, connection bookkeeping, limits and the doc lifecycle.
 * Everything else (storage, presence, relays, metrics) plugs in as a CollabExtension.
 */
export class CollabServer {
  private readonly wss: WebSocketServer;
  private readonly docs = new Map<string, LiveDoc>();
  private readonly loading = new Map<string, Promise<LiveDoc>>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly heartbeat: NodeJS.Timeout;
  private closing = false;
  private readonly perUser = new Map<string, number>();
  /** Docs with updates waiting for the end of this turn (see queueBroadcast). */
  private readonly docsToBroadcast = new Set<LiveDoc>();
  private broadcastScheduled = false;
  private readonly perAddress = new Map<string, number>();
  /** Extensions with the per-update hooks, looked up once (these run on every keystroke). */
  private readonly hot: { onClientUpdate: CollabExtension[]; onUpdateMessage: CollabExtension[]; onChange: CollabExtension[] };

  constructor(private readonly options: CollabServerOptions) {
    this.hot = {
      onClientUpdate: options.extensions.filter((ext) => ext.onClientUpdate),
      onUpdateMessage: options.extensions.filter((ext) => ext.onUpdateMessage),
      onChange: options.extensions.filter((ext) => ext.onChange),
    };
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
    this.heartbeat = setInterval(() => this.checkHeartbeats(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Handles upgrades under /collab/ on `server`; leaves other paths to other listeners. */
  attach(server: HttpServer): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Anything a client can put in a request line must end in an answer, never in a throw: an
      // exception in an 'upgrade' listener takes the whole process down.
      const target = collabTarget(request.url);
      if (target === null) return; // another listener's path (Socket.IO) or answered by the catch-all
      if (target.kind === 'bad') return refuseUpgrade(socket, 400, target.reason);
      this.handleUpgrade(request, socket, head, target.articleId).catch((error: unknown) => {
        this.options.log.error({ err: error, url: request.url?.slice(0, 200) }, 'collab upgrade failed');
        refuseUpgrade(socket, 500, 'internal error');
      });
    });
  }

  get openDocCount(): number {
    return this.docs.size;
  }

  get connectionCount(): number {
    let n = 0;
    for (const live of this.docs.values()) n += live.connections.size;
    return n;
  }

  /** The doc if it is loaded now (for extensions and services that act on live docs). */
  liveDoc(articleId: string): DocContext | null {
    return this.docs.get(articleId) ?? null;
  }

  /**
   * Server-side access to an article's doc: loads it like a joining client would, so updates made
   * by `fn` reach every open editor and the store through the normal hooks.
   */
  async withDoc<T>(articleId: string, fn: (ctx: DocContext) => T | Promise<T>): Promise<T> {
    const live = await this.acquire(articleId);
    try {
      return await fn(contextOf(live));
    } finally {
      live.pendingJoins--;
      this.scheduleUnload(live);
    }
  }

  connections(articleId: string): CollabConnection[] {
    return [...(this.docs.get(articleId)?.connections ?? [])];
  }

  /** Switches one open connection to read-only or back, without reconnecting. */
  setReadOnly(connection: CollabConnection, readOnly: boolean, reason: string | null): void {
    const conn = connection as Connection;
    if (conn.readOnly === readOnly && conn.readOnlyReason === reason) return;
    conn.readOnly = readOnly;
    conn.readOnlyReason = reason;
    if (conn.customMessages) conn.send(encodeStatus({ readOnly, reason }));
  }

  /**
   * Re-runs `authenticate` for every open connection of `userId` with the credentials it opened
   * with (after a logout, a password or role change, a revoked token): a refusal closes it with
   * its code (4401, 4403), otherwise it turns read-only or back with a status message.
   */
  async recheckUser(userId: string): Promise<void> {
    const conns: Connection[] = [];
    for (const live of this.docs.values()) for (const conn of live.connections) if (conn.user.id === userId) conns.push(conn);
    await this.recheck(conns);
  }

  /** recheckUser for every open connection to one article (its status changed on another instance). */
  async recheckArticle(articleId: string): Promise<void> {
    await this.recheck([...(this.docs.get(articleId)?.connections ?? [])]);
  }

  private async recheck(conns: Connection[]): Promise<void> {
    await Promise.all(
      conns.map(async (conn) => {
        let auth: AuthResult;
        try {
          auth = await this.options.authenticate(conn.request, conn.articleId);
        } catch (error) {
          const code = error instanceof CollabRejection ? error.code : CloseCode.internalError;
          if (!(error instanceof CollabRejection)) this.options.log.error({ err: error, articleId: conn.articleId }, 're-checking a collab connection failed; closing it');
          this.options.countError?.(code);
          return conn.socket.close(code, error instanceof CollabRejection ? error.message : 'internal error');
        }
        conn.user = auth.user;
        this.setReadOnly(conn, auth.readOnly, auth.readOnlyReason);
      }),
    );
  }

  private async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, rawId: string): Promise<void> {
    socket.on('error', () => socket.destroy());
    const reject = (code: number, reason: string) => {
      if (code !== CloseCode.goingAway) this.options.countError?.(code);
      this.wss.handleUpgrade(request, socket, head, (ws) => ws.close(code, reason));
    };
    if (this.closing) return reject(CloseCode.goingAway, 'server shutting down');
    if (this.options.isAllowedOrigin && !this.options.isAllowedOrigin(request)) return reject(CloseCode.forbidden, 'origin not allowed');
    const parsedId = ArticleId.safeParse(rawId);
    if (!parsedId.success) return reject(CloseCode.unknownArticle, 'unknown article');
    const articleId = parsedId.data;

    let auth: AuthResult;
    try {
      auth = await this.options.authenticate(request, articleId);
    } catch (error) {
      if (error instanceof CollabRejection) return reject(error.code, error.message);
      this.options.log.error({ err: error, articleId }, 'collab authenticate failed');
      return reject(CloseCode.internalError, 'internal error');
    }

    const address = this.options.clientAddress?.(request) ?? request.socket.remoteAddress ?? 'unknown';
    if ((this.perUser.get(auth.user.id) ?? 0) >= this.options.maxConnectionsPerUser) return reject(CloseCode.tooManyConnections, 'too many connections for this user');
    if ((this.perAddress.get(address) ?? 0) >= this.options.maxConnectionsPerAddress) return reject(CloseCode.tooManyConnections, 'too many connections from this address');
    // Counted from here, so concurrent handshakes cannot overshoot the limits; released by detach()
    // once accepted, or here if the handshake never completes.
    increment(this.perUser, auth.user.id, 1);
    increment(this.perAddress, address, 1);
    let accepted = false;
    let shared: (() => void) | null = null;
    const release = () => {
      if (accepted) return;
      accepted = true;
      increment(this.perUser, auth.user.id, -1);
      increment(this.perAddress, address, -1);
      shared?.();
    };
    socket.once('close', release);
    if (this.options.sharedConnections) {
      const limits = { perUser: this.options.maxConnectionsPerUser, perAddress: this.options.maxConnectionsPerAddress };
      const slot = await this.options.sharedConnections.acquire(auth.user.id, address, limits);
      if (accepted) return slot?.(); // the client went away meanwhile
      if (!slot) {
        release();
        return reject(CloseCode.tooManyConnections, 'too many connections for this user or address');
      }
      shared = slot;
    }

    let live: LiveDoc;
    try {
      live = await this.acquire(articleId);
    } catch (error) {
      release();
      this.options.log.error({ err: error, articleId }, 'collab doc load failed');
      return reject(CloseCode.internalError, 'could not load document');
    }
    if (socket.destroyed) {
      // The client gave up while we were loading.
      release();
      live.pendingJoins--;
      this.scheduleUnload(live);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      accepted = true;
      live.pendingJoins--;
      try {
        this.accept(live, ws, socket, request, auth, address).releaseShared = shared;
      } catch (error) {
        shared?.();
        this.options.log.error({ err: error, articleId }, 'accepting a collab connection failed');
        this.options.countError?.(CloseCode.internalError);
        ws.close(CloseCode.internalError, 'internal error');
      }
    });
  }

  /** Loads (or reuses) a doc and reserves it for one joining connection. */
  private async acquire(articleId: string): Promise<LiveDoc> {
    const pendingUnload = this.unloading.get(articleId);
    if (pendingUnload) await pendingUnload;
    let live = this.docs.get(articleId);
    if (!live) {
      let loading = this.loading.get(articleId);
      if (!loading) {
        loading = this.load(articleId).finally(() => this.loading.delete(articleId));
        this.loading.set(articleId, loading);
      }
      live = await loading;
    }
    live.pendingJoins++;
    if (live.unloadTimer) {
      clearTimeout(live.unloadTimer);
      live.unloadTimer = null;
    }
    return live;
  }

  private async load(articleId: string): Promise<LiveDoc> {
    const live = new LiveDoc(articleId);
    const extensions = this.options.extensions;
    for (let i = 0; i < extensions.length; i++) {
      try {
        await extensions[i]!.onLoad?.(live);
      } catch (error) {
        // Nothing of a failed load may stay behind: release what the extensions that ran (the
        // failing one included) set up, then the doc with its awareness timer. The next joiner
        // starts a fresh load.
        for (const ext of extensions.slice(0, i + 1)) {
          try {
            ext.onUnload?.({ articleId });
          } catch (cleanupError) {
            this.options.log.error({ err: cleanupError, articleId, extension: ext.name }, 'releasing a failed load failed');
          }
        }
        live.destroy();
        throw error;
      }
    }
    // The whole-doc encoding measures the doc and is the first joiner's sync reply.
    live.approxBytes = live.fullSyncStep2().byteLength;
    live.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(live, update, origin as UpdateOrigin));
    live.awareness.on('update', (changes: AwarenessChanges, origin: unknown) => this.onAwarenessUpdate(live, changes, origin));
    this.docs.set(articleId, live);
    return live;
  }

  private accept(live: LiveDoc, socket: WebSocket, raw: Duplex, request: IncomingMessage, auth: AuthResult, address: string): Connection {
    const customMessages = URL.parse(request.url ?? '/', 'http://localhost')?.searchParams.get(COLLAB_CUSTOM_MESSAGES_PARAM) === '1';
    const conn = new Connection(socket, raw, live.articleId, auth.user, address, auth.readOnly, auth.readOnlyReason, customMessages, request);
    live.connections.add(conn);
    const log = this.options.log.child({ articleId: live.articleId, connection: conn.id, userId: auth.user.id });
    log.debug('collab connection opened');

    socket.binaryType = 'nodebuffer';
    socket.on('pong', () => {
      conn.alive = true;
      conn.lastPongAt = Date.now();
    });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (this.closing) return; // not accepted: the client keeps it and resyncs with the next server
      try {
        if (!isBinary) throw new MalformedMessage('text frame');
        this.handleMessage(live, conn, toUint8Array(data));
      } catch (error) {
        const known = error instanceof MalformedMessage || error instanceof CollabRejection;
        const code = known ? error.code : CloseCode.malformed;
        log.warn({ err: known ? error.message : error, code }, 'refused collab message; closing connection');
        this.options.countError?.(code);
        socket.close(code, known ? error.message.slice(0, 120) : 'malformed message');
      }
    });
    socket.on('close', () => this.detach(live, conn));
    socket.on('error', (error) => {
      log.debug({ err: error }, 'collab socket error');
      // ws closes a socket that broke the WebSocket framing itself: 1009 past MAX_MESSAGE_BYTES, 1002 otherwise.
      const code = (error as NodeJS.ErrnoException).code;
      if (code?.startsWith('WS_ERR_')) this.options.countError?.(code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? CloseCode.tooLarge : 1002);
    });

    // Only to clients that asked (stock providers log unknown message types), and only when it says something.
    if (conn.readOnly && conn.customMessages) conn.send(encodeStatus({ readOnly: true, reason: conn.readOnlyReason }));
    conn.send(encodeSyncStep1(live.doc));
    const states = [...live.awareness.getStates().keys()];
    if (states.length > 0) conn.send(encodeAwareness(live.awareness, states));
    for (const ext of this.options.extensions) ext.onConnect?.({ ...contextOf(live), connection: conn });
    return conn;
  }

  private handleMessage(live: LiveDoc, conn: Connection, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = readVarUint(decoder);
    switch (type) {
      case CollabMessageType.sync: {
        const syncType = readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const stateVector = readBytes(decoder);
          let reply: Uint8Array;
          try {
            reply = isEmptyStateVector(stateVector) ? live.fullSyncStep2() : encodeSyncStep2(live.doc, stateVector);
          } catch {
            throw new MalformedMessage('bad state vector');
          }
          conn.send(reply);
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          const update = readBytes(decoder);
          conn.updatesReceived++;
          if (update.byteLength > this.options.maxUpdateBytes) throw new MalformedMessage('update too large', CloseCode.tooLarge);
          const decoded = decodeValidUpdate(update);
          if (conn.readOnly) {
            // Never applied. One that would change the doc is refused and never acknowledged as
            // saved: the client keeps it and says why. One that changes nothing (the sync step 2
            // of a client with nothing new) is simply nothing to refuse.
            if (changesDoc(live.doc, decoded)) {
              conn.updatesRefused++;
              conn.refusedReason = conn.readOnlyReason ?? 'This article is read-only for you right now.';
            } else conn.updatesApplied++;
            return this.afterUpdateMessage(live, conn);
          }
          this.assertDocRoom(live, update.byteLength);
          let toApply = update;
          const dropped: number[] = [];
          if (this.hot.onClientUpdate.length > 0) {
            const ctx = { articleId: live.articleId, doc: live.doc, awareness: live.awareness, connection: conn, update, decoded };
            for (const ext of this.hot.onClientUpdate) {
              const verdict = ext.onClientUpdate!(ctx);
              if (verdict) dropped.push(...verdict.dropClients);
            }
            if (dropped.length > 0) toApply = withoutClients(update, dropped);
          }
          Y.applyUpdate(live.doc, toApply, conn);
          if (refusesOwnContent(conn, dropped)) {
            conn.updatesRefused++;
            conn.refusedReason = 'Part of this change was written under another person\'s identity and was not applied.';
          } else {
            // Everything of this writer's own is in; what was left out is a colleague's, who holds it.
            conn.updatesApplied++;
          }
          this.afterUpdateMessage(live, conn);
        } else {
          throw new MalformedMessage(`unknown sync message ${syncType}`);
        }
        return;
      }
      case CollabMessageType.awareness: {
        const update = readBytes(decoder);
        if (update.byteLength > this.options.maxAwarenessBytes) throw new MalformedMessage('awareness state too large', CloseCode.tooLarge);
        const stale = this.claimAwarenessIds(live, conn, update);
        conn.awarenessSeen = true;
        if (stale === null) return; // would change another user's awareness state: ignored
        try {
          awarenessProtocol.applyAwarenessUpdate(live.awareness, update, conn);
        } catch {
          throw new MalformedMessage('bad awareness update');
        }
        // The same person's previous socket whose state this one took over is likely dead (a
        // reconnect before we noticed the drop): probe it now rather than at the next heartbeat.
        for (const old of stale) if (old.awarenessIds.size === 0) this.probe(live, old);
        return;
      }
      case CollabMessageType.queryAwareness: {
        const states = [...live.awareness.getStates().keys()];
        if (states.length > 0) conn.send(encodeAwareness(live.awareness, states));
        return;
      }
      default:
        throw new MalformedMessage(`unknown message type ${type}`);
    }
  }

  /**
   * A client may change only its own awareness states. Stock providers echo every state they
   * receive back to the server (a no-op: same clock), so only entries that would change a state
   * count. One that would change another user's state makes the whole update ignored (null). One
   * for a state of another socket of the same user moves that state to this socket when it is
   * newer, or when it is the first thing this socket announces: a reconnect with the same Y.Doc
   * before the old socket was noticed dead. A first announcement of a state no socket here holds
   * (relayed from the instance the client was on) is claimed too. The sockets that lost states are
   * returned.
   */
  private claimAwarenessIds(live: LiveDoc, conn: Connection, update: Uint8Array): Set<Connection> | null {
    const taken = new Map<number, Connection>();
    const unowned: number[] = [];
    for (const { id, clock, removal } of readAwarenessEntries(update)) {
      if (conn.awarenessIds.has(id)) continue;
      const current = live.awareness.meta.get(id)?.clock ?? 0;
      const changes = clock > current || (clock === current && removal && live.awareness.states.has(id));
      if (!changes && conn.awarenessSeen) continue; // an echo
      let owner: Connection | null = null;
      for (const other of live.connections) if (other !== conn && other.awarenessIds.has(id)) owner = other;
      if (!owner) {
        // Held by no socket here but present: a state relayed from another instance. Only the
        // person it belongs to (stamped with their identity where it was announced) may change or
        // claim it: a client that moved here from that instance.
        const relayed = live.awareness.states.get(id) as { user?: { id?: unknown } } | undefined;
        if (relayed === undefined) continue; // a new state (or one already gone): this socket's own
        if (relayed.user?.id !== conn.user.id) {
          if (changes) return null;
          continue;
        }
        // The first thing a socket announces, unchanged: its own state as another instance relayed
        // it before that instance died and the client moved here. The awareness does not change
        // (same clock), so claim it explicitly.
        if (!changes && !removal) unowned.push(id);
        continue;
      }
      if (owner.user.id !== conn.user.id) {
        if (changes) return null;
        continue;
      }
      if (!removal && (clock > current || !conn.awarenessSeen)) taken.set(id, owner);
    }
    for (const [id, old] of taken) {
      old.awarenessIds.delete(id);
      conn.awarenessIds.add(id);
    }
    for (const id of unowned) conn.awarenessIds.add(id);
    return new Set(taken.values());
  }

  /** Pings one socket and cuts it unless it answers soon (at most two seconds). */
  private probe(live: LiveDoc, conn: Connection): void {
    const sentAt = Date.now();
    conn.socket.ping();
    setTimeout(() => {
      if (conn.lastPongAt < sentAt && live.connections.has(conn)) conn.socket.terminate();
    }, Math.min(this.options.heartbeatMs, 2000)).unref();
  }

  /** Refuses an update that would take the doc past MAX_DOC_BYTES (measured exactly only near the limit). */
  private assertDocRoom(live: LiveDoc, incoming: number): void {
    if (live.approxBytes + incoming <= this.options.maxDocBytes) return;
    // Measured exactly by the whole-doc encoding (a joiner may reuse it until the next change).
    live.approxBytes = live.fullSyncStep2().byteLength;
    if (live.approxBytes + incoming > this.options.maxDocBytes) throw new MalformedMessage('document size limit reached', CloseCode.docTooLarge);
  }

  private afterUpdateMessage(live: LiveDoc, conn: Connection): void {
    if (this.hot.onUpdateMessage.length === 0) return;
    const ctx = { articleId: live.articleId, doc: live.doc, awareness: live.awareness, connection: conn };
    for (const ext of this.hot.onUpdateMessage) ext.onUpdateMessage!(ctx);
  }

  private onDocUpdate(live: LiveDoc, update: Uint8Array, origin: UpdateOrigin): void {
    live.approxBytes += update.byteLength;
    live.dropFullSync();
    this.queueBroadcast(live, update, origin instanceof Connection ? origin : null);
    if (this.hot.onChange.length === 0) return;
    const ctx: DocContext & { update: Uint8Array; origin: UpdateOrigin } = { articleId: live.articleId, doc: live.doc, awareness: live.awareness, update, origin };
    for (const ext of this.hot.onChange) ext.onChange!(ctx);
  }

  /**
   * Every update applied to a doc during one turn of the event loop (a burst of keystrokes read
   * from one TCP chunk, several writers' frames, the server's follow-up writes) goes out as one
   * merged update, encoded once for every editor: observers apply one message instead of dozens.
   * A connection never gets its own updates back; one that sent some of the turn's updates gets
   * the merge of the others'.
   */
  private queueBroadcast(live: LiveDoc, update: Uint8Array, origin: Connection | null): void {
    live.outgoing.push({ update, origin });
    // Merging grows faster than linearly with the batch: a flood goes out in slices.
    if (live.outgoing.length >= MAX_MERGED_UPDATES) return this.broadcast(live);
    if (live.outgoing.length > 1) return;
    this.docsToBroadcast.add(live);
    if (!this.broadcastScheduled) {
      this.broadcastScheduled = true;
      setImmediate(this.flushBroadcasts);
    }
  }

  private readonly flushBroadcasts = (): void => {
    this.broadcastScheduled = false;
    for (const live of this.docsToBroadcast) this.broadcast(live);
    this.docsToBroadcast.clear();
  };

  private broadcast(live: LiveDoc): void {
    const batch = live.outgoing;
    live.outgoing = [];
    if (batch.length === 0 || live.connections.size === 0) return;
    const senders = new Set<Connection>();
    for (const { origin } of batch) if (origin) senders.add(origin);
    const message = encodeUpdate(mergeUpdates(batch.map((entry) => entry.update)));
    for (const conn of live.connections) {
      if (!senders.has(conn)) {
        conn.send(message);
        continue;
      }
      const others = batch.filter((entry) => entry.origin !== conn).map((entry) => entry.update);
      if (others.length > 0) conn.send(encodeUpdate(mergeUpdates(others)));
    }
  }

  private onAwarenessUpdate(live: LiveDoc, { added, updated, removed }: AwarenessChanges, origin: unknown): void {
    const changed = [...added, ...updated, ...removed];
    const connection = origin instanceof Connection ? origin : null;
    if (connection) {
      for (const id of added) connection.awarenessIds.add(id);
      for (const id of updated) connection.awarenessIds.add(id);
      for (const id of removed) connection.awarenessIds.delete(id);
    }
    if (changed.length === 0) return;
    for (const ext of this.options.extensions) ext.onAwareness?.({ ...contextOf(live), connection, added, updated, removed });
    const message = encodeAwareness(live.awareness, changed);
    for (const conn of live.connections) conn.send(message);
  }

  private detach(live: LiveDoc, conn: Connection): void {
    if (!live.connections.delete(conn)) return;
    increment(this.perUser, conn.user.id, -1);
    increment(this.perAddress, conn.address, -1);
    conn.releaseShared?.();
    conn.releaseShared = null;
    if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(live.awareness, [...conn.awarenessIds], null);
    for (const ext of this.options.extensions) ext.onDisconnect?.({ ...contextOf(live), connection: conn });
    this.scheduleUnload(live);
  }

  private scheduleUnload(live: LiveDoc, delayMs = this.options.docIdleUnloadMs): void {
    if (this.closing || live.connections.size > 0 || live.pendingJoins > 0 || live.unloadTimer) return;
    live.unloadTimer = setTimeout(() => {
      live.unloadTimer = null;
      if (live.connections.size > 0 || live.pendingJoins > 0) return;
      const unloading = this.unload(live).finally(() => this.unloading.delete(live.articleId));
      this.unloading.set(live.articleId, unloading);
    }, delayMs);
    live.unloadTimer.unref();
  }

  /**
   * Writes an idle doc and lets it go. A doc whose write fails stays loaded (its pending updates
   * with it) and tries again later with back-off: an accepted edit never leaves memory before it
   * is in the store. Joiners wait for an unload in progress, then find the doc still here or load
   * the stored one.
   */
  private async unload(live: LiveDoc): Promise<void> {
    try {
      for (const ext of this.options.extensions) await ext.onStore?.({ ...contextOf(live), reason: 'unload' });
    } catch (error) {
      live.unloadRetryMs = Math.min(Math.max(live.unloadRetryMs * 2, 500), MAX_UNLOAD_RETRY_MS);
      this.options.log.error({ err: error, articleId: live.articleId, retryInMs: live.unloadRetryMs }, 'storing doc at unload failed; keeping it loaded and trying again');
      this.scheduleUnload(live, live.unloadRetryMs);
      return;
    }
    // Someone joined (or the server began closing) while it was being written: it stays.
    if (live.connections.size > 0 || live.pendingJoins > 0 || this.closing) return;
    this.docs.delete(live.articleId);
    for (const ext of this.options.extensions) ext.onUnload?.({ articleId: live.articleId });
    live.destroy();
  }

  private checkHeartbeats(): void {
    for (const live of this.docs.values()) {
      for (const conn of live.connections) {
        if (!conn.alive) {
          conn.socket.terminate();
          continue;
        }
        conn.alive = false;
        conn.socket.ping();
      }
    }
  }

  /**
   * Stop: refuse new sockets, store every doc, then close sockets with `closeCode` (1001 for a
   * graceful stop, 1011 after an unexpected fault); clients reconnect and resync elsewhere.
   */
  async close(closeCode: number = CloseCode.goingAway): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    await Promise.allSettled([...this.loading.values(), ...this.unloading.values()]);
    for (const live of this.docs.values()) {
      if (live.unloadTimer) clearTimeout(live.unloadTimer);
      for (const ext of this.options.extensions) {
        try {
          await ext.onStore?.({ ...contextOf(live), reason: 'shutdown' });
        } catch (error) {
          this.options.log.error({ err: error, articleId: live.articleId }, 'storing doc at shutdown failed');
        }
      }
    }
    const reason = closeCode === CloseCode.goingAway ? 'server shutting down' : 'server restarting after an internal error';
    for (const live of this.docs.values()) for (const conn of live.connections) conn.socket.close(closeCode, reason);
    for (const ext of this.options.extensions) await ext.onDestroy?.();
    this.wss.close();
  }
}

/**
 * Which article an upgrade request targets: null for a path that is not under /collab, `bad` for a
 * target no client could mean (undecodable percent-encoding, an unparsable request target).
 */
export function collabTarget(rawUrl: string | undefined): { kind: 'article'; articleId: string } | { kind: 'bad'; reason: string } | null {
  // The raw request target, not a normalised URL: engine.io matches its path the same way, so no
  // request is ever claimed by both (`/socket.io/../collab` stays Socket.IO's, `/collab/../x` is ours).
  const target = rawUrl ?? '/';
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  if (path !== COLLAB_PATH && !path.startsWith(`${COLLAB_PATH}/`)) return null;
  try {
    return { kind: 'article', articleId: decodeURIComponent(path.slice(COLLAB_PATH.length + 1)) };
  } catch {
    return { kind: 'bad', reason: 'malformed percent-encoding' };
  }
}

/** Answers an upgrade request with a plain HTTP error (before any WebSocket exists) and closes it. */
export function refuseUpgrade(socket: Duplex, status: 400 | 404 | 500, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const code = status === 500 ? ErrorCode.internal : status === 404 ? ErrorCode.notFound : ErrorCode.invalidRequest;
  const body = JSON.stringify({ error: { code, message } });
  const reason = status === 500 ? 'Internal Server Error' : status === 404 ? 'Not Found' : 'Bad Request';
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };

const contextOf = (live: LiveDoc): DocContext => ({ articleId: live.articleId, doc: live.doc, awareness: live.awareness });

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function readVarUint(decoder: decoding.Decoder): number {
  try {
    return decoding.readVarUint(decoder);
  } catch {
    throw new MalformedMessage('truncated varint');
  }
}

function readBytes(decoder: decoding.Decoder): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = decoding.readVarUint8Array(decoder);
  } catch {
    throw new MalformedMessage('truncated payload');
  }
  // lib0 returns a shorter view when the length prefix overshoots the frame
  if (decoder.pos > decoder.arr.length) throw new MalformedMessage('length prefix beyond frame');
  return bytes;
}

/**
 * Was content of the sender's own left out? Its own ids are the ones it announces in awareness (a
 * socket that announced none cannot show any id is its own). Content handed back under a
 * colleague's id that the colleague holds live is theirs to resync, not this writer's loss.
 */
function refusesOwnContent(conn: Connection, dropped: number[]): boolean {
  if (dropped.length === 0) return false;
  return conn.awarenessIds.size === 0 || dropped.some((client) => conn.awarenessIds.has(client));
}

/** The update minus every struct written under `clients` (their deletions of others' items stay). */
function withoutClients(update: Uint8Array, clients: number[]): Uint8Array {
  // A state vector claiming all of their clocks makes diffUpdate leave their structs out.
  return Y.diffUpdate(update, Y.encodeStateVector(new Map(clients.map((client) => [client, 0x7fffffff]))));
}

/** Would applying this (decoded) update change the doc: new structs, or deletions of items not yet deleted? */
function changesDoc(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (!structs || Y.getState(doc.store, client) < clock + len) return true;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
        if (!structs[i]!.deleted) return true;
      }
    }
  }
  return false;
}

/** Decodes an update fully before it may touch a live doc: garbage must not half-apply. */
function decodeValidUpdate(update: Uint8Array): DecodedUpdate {
  try {
    return Y.decodeUpdate(update);
  } catch {
    throw new MalformedMessage('invalid Yjs update');
  }
}

/** The entries of an awareness update (id, clock, whether it removes the state); the states are not parsed. */
function readAwarenessEntries(update: Uint8Array): Array<{ id: number; clock: number; removal: boolean }> {
  try {
    const decoder = decoding.createDecoder(update);
    const entries: Array<{ id: number; clock: number; removal: boolean }> = [];
    for (let n = decoding.readVarUint(decoder); n > 0; n--) {
      const id = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarUint8Array(decoder); // JSON, "null" for a removal
      entries.push({ id, clock, removal: state.length === 4 && state[0] === 0x6e && state[1] === 0x75 && state[2] === 0x6c && state[3] === 0x6c });
    }
    return entries;
  } catch {
    throw new MalformedMessage('bad awareness update');
  }
}

import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { Logger } from 'pino';
import type {
  ArticleRecord,
  PublishedRecord,
  SessionRecord,
  Store,
  TokenRecord,
  StoredDoc,
  TransitionRecord,
  UserRecord,
  VersionRecord,
  VersionSummaryRecord,
} from '../store.ts';
import { binary, connectOrThrow, createRedisConnection, type RedisConnection } from './connection.ts';
import { RedisKeys } from './keys.ts';
import * as scripts from './scripts.ts';
import { redisCommentStores } from './comments.ts';
import { redisScheduleStore } from './schedules.ts';

export interface RedisStoreOptions {
  url: string;
  /** Every key starts with this (several newsrooms or test runs can share one Redis). */
  prefix: string;
  /** Tags every doc update this instance appends, so relays skip their own updates. */
  instanceId: string;
  log: Logger;
  /** Sessions expire in Redis this long after their last touch (0: never); the service checks idleness itself. */
  sessionTtlMs?: number;
}

/** One entry of a doc's update stream: an update, or a compaction marker (empty update, `compactedThrough` set). */
export interface DocStreamEntry {
  seq: number;
  origin: string;
  update: Uint8Array;
  compactedThrough: number | null;
  /** When it was appended, in ms by Redis's clock (null for entries written before this field existed). */
  appendedAt: number | null;
}

/** The Redis driver plus what the relays and start-up need beyond the Store contract. */
export interface RedisStore extends Store {
  readonly kind: 'redis';
  readonly keys: RedisKeys;
  readonly instanceId: string;
  /** Origin field of the updates this process appends: the instance id plus a per-process suffix, so a restarted or duplicated instance never mistakes another's updates for its own. */
  readonly originTag: string;
  /** The store's connection (fails fast while Redis is down). */
  readonly client: RedisConnection;
  /** A new connection to the same Redis (for blocking reads and the Socket.IO adapter). */
  duplicate(name: string, options?: { failFast?: boolean }): Promise<RedisConnection>;
  /**
   * Runs `fn` while holding a Redis lock with expiry (SET NX PX); waits up to `waitMs` for it.
   * Returns null without running `fn` when the lock stayed taken.
   */
  withLock<T>(name: string, options: { ttlMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T | null>;
  /** Compacts like `docs.compact`, but gives up at once (false) when another instance holds the doc's compaction lock. */
  tryCompact(articleId: string, snapshot: Uint8Array, throughSeq: number): Promise<boolean>;
  /** Decodes XRANGE/XREAD entries of a doc stream. */
  decodeEntries(messages: Array<{ id: Buffer | string; message: Record<string, Buffer | string> }>): DocStreamEntry[];
  /** The compacted snapshot and the seq it covers (for relays that fell behind a trim). */
  snapshot(articleId: string): Promise<{ data: Uint8Array | null; through: number }>;
  /** The seq of the last update appended to a doc (0 when none). */
  lastSeq(articleId: string): Promise<number>;
}

const COMPACT_LOCK_TTL_MS = 30_000;

/** Opens the Redis driver; throws when Redis cannot be reached within a few seconds. */
/**
 * The layout of the keys under a prefix. A layout change bumps it and migrates at start-up; a store
 * stamped by a newer Copydesk is refused, since this one would misread or damage its keys.
 */
export const REDIS_SCHEMA_VERSION = 1;

async function checkSchemaVersion(client: RedisConnection, key: string, url: string): Promise<void> {
  // Stores from before versioning have the version-1 layout: stamping them is the whole migration.
  await client.set(key, String(REDIS_SCHEMA_VERSION), { NX: true });
  const stored = Number(await client.get(key));
  if (stored > REDIS_SCHEMA_VERSION) {
    await client.quit().catch(() => {});
    throw new Error(`Redis store ${key} at ${new URL(url).host} has schema version ${stored}, newer than this Copydesk understands (${REDIS_SCHEMA_VERSION}): run the newer Copydesk`);
  }
}

export async function openRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const { url, log, instanceId } = options;
  const keys = new RedisKeys(options.prefix);
  const originTag = `${instanceId}/${randomUUID().slice(0, 8)}`;
  const sessionTtlMs = options.sessionTtlMs ?? 0;
  const client = createRedisConnection({ url, log, name: 'store', failFast: true });
  await connectOrThrow(client);
  await checkSchemaVersion(client, keys.schemaVersion(), url);
  const bin = binary(client);
  const extra: RedisConnection[] = [];
  let closed = false;

  const toJson = (value: unknown) => JSON.stringify(value);
  /** Hashes whose field values are JSON (articles, tokens): partial updates are a plain HSET. */
  const hashToRecord = <T,>(hash: Record<string, string>): T | null => {
    if (!hash || !hash.id) return null;
    return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, JSON.parse(v) as unknown])) as T;
  };
  const hashToArticle = (hash: Record<string, string>) => hashToRecord<ArticleRecord>(hash);
  const articleFields = (patch: Partial<ArticleRecord>): string[] =>
    Object.entries(patch).flatMap(([k, v]) => (v === undefined ? [] : [k, toJson(v)]));
  const flatToHash = (flat: string[]): Record<string, string> => {
    const hash: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
    return hash;
  };

  const decodeEntries: RedisStore['decodeEntries'] = (messages) =>
    messages.map(({ id, message }) => ({
      seq: Number(String(id).split('-')[0]),
      origin: String(message.o ?? ''),
      update: toBytes(message.u),
      compactedThrough: message.c === undefined ? null : Number(String(message.c)),
      appendedAt: message.t === undefined ? null : Number(String(message.t)),
    }));

  /** Snapshot, compaction generation and stream entries up to `maxId`, read atomically by one script. */
  async function readDoc(articleId: string, maxId: string): Promise<{ snapshot: Uint8Array | null; gen: string; entries: DocStreamEntry[] }> {
    const [data, gen, raw] = (await scripts.READ_DOC.run(bin, [keys.docSnapshot(articleId), keys.docLog(articleId)], [maxId])) as [
      Buffer | null,
      Buffer | null,
      Array<[Buffer, Buffer[]]>,
    ];
    const messages = raw.map(([id, fields]) => {
      const message: Record<string, Buffer> = {};
      for (let i = 0; i < fields.length; i += 2) message[fields[i]!.toString()] = fields[i + 1]!;
      return { id, message };
    });
    return { snapshot: data ? toBytes(data) : null, gen: gen ? gen.toString() : '0', entries: decodeEntries(messages) };
  }

  async function withLock<T>(name: string, { ttlMs, waitMs }: { ttlMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T | null> {
    const key = keys.lock(name);
    const token = `${instanceId}:${randomUUID()}`;
    const deadline = Date.now() + waitMs;
    for (;;) {
      if ((await client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK') break;
      if (Date.now() >= deadline) return null;
      await sleep(25);
    }
    try {
      return await fn();
    } finally {
      await scripts.RELEASE_LOCK.run(client, [key], [token]).catch(() => undefined);
    }
  }

  /**
   * Compare-and-set compaction. The stored snapshot, every update through `throughSeq` and the
   * caller's snapshot are merged, so a caller whose doc has not yet seen another instance's update
   * below `throughSeq` cannot drop it; updates after `throughSeq` stay in the stream.
   */
  async function compactNow(articleId: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const stored = await readDoc(articleId, `${throughSeq}-0`);
      const merged = new Y.Doc({ gc: true });
      if (stored.snapshot) Y.applyUpdateV2(merged, stored.snapshot);
      merged.transact(() => {
        for (const entry of stored.entries) if (entry.compactedThrough === null) Y.applyUpdate(merged, entry.update);
        Y.applyUpdateV2(merged, snapshot);
      });
      const data = Buffer.from(Y.encodeStateAsUpdateV2(merged));
      merged.destroy();
      const gen = stored.gen;
      const written = await scripts.COMPACT.run(
        client,
        [keys.docSnapshot(articleId), keys.docLog(articleId), keys.docSeq(articleId)],
        [gen, data, String(throughSeq), originTag],
      );
      if (written === 1) return;
    }
    throw new Error(`compaction of ${articleId} kept conflicting`);
  }

  const store: RedisStore = {
    kind: 'redis',
    ...redisCommentStores(client, options.prefix),
    schedules: redisScheduleStore(client, options.prefix),
    keys,
    instanceId,
    originTag,
    client,
    users: {
      async create(user) {
        await scripts.CREATE_USER.run(client, [keys.username(user.username), keys.user(user.id), keys.users()], [user.id, toJson(user)]);
      },
      async findById(id) {
        const json = await client.get(keys.user(id));
        return json ? (JSON.parse(json) as UserRecord) : null;
      },
      async findByUsername(username) {
        const id = await client.get(keys.username(username));
        return id ? store.users.findById(id) : null;
      },
      async list() {
        const ids = await client.sMembers(keys.users());
        if (ids.length === 0) return [];
        const rows = await client.mGet(ids.map((id) => keys.user(id)));
        return rows
          .filter((r): r is string => r !== null)
          .map((r) => JSON.parse(r) as UserRecord)
          .sort((a, b) => compare(a.username, b.username));
      },
      async count() {
        return client.sCard(keys.users());
      },
      async setPasswordHash(id, passwordHash) {
        await scripts.SET_PASSWORD_HASH.run(client, [keys.user(id)], [passwordHash]);
      },
      async update(id, patch) {
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const json = (await scripts.UPDATE_USER.run(client, [keys.user(id)], [toJson(defined)])) as string | null;
        return json ? (JSON.parse(json) as UserRecord) : null;
      },
    },
    tokens: {
      async create(token) {
        const fields = Object.entries(token).flatMap(([k, v]) => [k, toJson(v ?? null)]);
        await scripts.CREATE_TOKEN.run(client, [keys.token(token.id), keys.tokenHash(token.tokenHash), keys.userTokens(token.ownerId)], [token.id, ...fields]);
      },
      async findByHash(tokenHash) {
        const id = await client.get(keys.tokenHash(tokenHash));
        return id ? hashToRecord<TokenRecord>(await client.hGetAll(keys.token(id))) : null;
      },
      async listForUser(ownerId) {
        const ids = await client.sMembers(keys.userTokens(ownerId));
        if (ids.length === 0) return [];
        const multi = client.multi();
        for (const id of ids) multi.hGetAll(keys.token(id));
        const rows = (await multi.exec()) as unknown as Array<Record<string, string>>;
        return rows
          .map((row) => hashToRecord<TokenRecord>(row))
          .filter((t): t is TokenRecord => t !== null)
          .sort((a, b) => compare(b.createdAt, a.createdAt));
      },
      async revoke(id, ownerId, at) {
        return (await scripts.REVOKE_TOKEN.run(client, [keys.token(id)], [toJson(ownerId), toJson(at)])) === 1;
      },
      async touch(id, at) {
        await scripts.TOUCH_TOKEN.run(client, [keys.token(id)], [toJson(at)]);
      },
    },
    sessions: {
      async create(session) {
        await scripts.CREATE_SESSION.run(
          client,
          [keys.session(session.id), keys.userSessions(session.userId)],
          [session.id, session.userId, session.createdAt, session.lastSeenAt, String(sessionTtlMs)],
        );
      },
      async find(id) {
        const hash = await client.hGetAll(keys.session(id));
        if (!hash.id) return null;
        return { id: hash.id, userId: hash.userId!, createdAt: hash.createdAt!, lastSeenAt: hash.lastSeenAt! } satisfies SessionRecord;
      },
      async touch(id, lastSeenAt) {
        await scripts.TOUCH_SESSION.run(client, [keys.session(id)], [lastSeenAt, String(sessionTtlMs)]);
      },
      async delete(id) {
        await scripts.DELETE_SESSION.run(client, [keys.session(id)], [keys.userSessions(''), id]);
      },
      async deleteForUser(userId) {
        await scripts.DELETE_USER_SESSIONS.run(client, [keys.userSessions(userId)], [keys.session('')]);
      },
    },
    articles: {
      async create(article) {
        await scripts.CREATE_ARTICLE.run(
          client,
          [keys.article(article.id), keys.articleSlug(article.slug), keys.articles()],
          [article.id, article.slug, ...articleFields(article)],
        );
      },
      async get(id) {
        return hashToArticle(await client.hGetAll(keys.article(id)));
      },
      async findBySlug(slug) {
        const id = await client.get(keys.articleSlug(slug));
        return id ? store.articles.get(id) : null;
      },
      async list() {
        const ids = await client.sMembers(keys.articles());
        if (ids.length === 0) return [];
        const multi = client.multi();
        for (const id of ids) multi.hGetAll(keys.article(id));
        const rows = (await multi.exec()) as unknown as Array<Record<string, string>>;
        return rows
          .map(hashToArticle)
          .filter((a): a is ArticleRecord => a !== null)
          .sort((a, b) => compare(b.updatedAt, a.updatedAt) || compare(a.id, b.id));
      },
      async update(id, patch) {
        const { id: _id, createdAt: _c, createdBy: _b, ...allowed } = patch as Partial<ArticleRecord>;
        for (let attempt = 0; attempt < 10; attempt++) {
          const currentSlugJson = await client.hGet(keys.article(id), 'slug');
          if (currentSlugJson === null || currentSlugJson === undefined) return null;
          const currentSlug = JSON.parse(currentSlugJson) as string;
          const moves = allowed.slug !== undefined && allowed.slug !== currentSlug;
          const result = await scripts.UPDATE_ARTICLE.run(
            client,
            [keys.article(id), keys.articleSlug(moves ? allowed.slug! : currentSlug), keys.articleSlug(currentSlug)],
            [id, currentSlugJson, moves ? '1' : '0', ...articleFields(allowed)],
          );
          if (result === null) return null;
          if (result === 'retry') continue;
          return hashToArticle(flatToHash(result as string[]));
        }
        throw new Error(`article ${id} kept changing its slug during an update`);
      },
    },
    transitions: {
      async append(transition) {
        await client.rPush(keys.transitions(transition.articleId), toJson(transition));
      },
      async list(articleId) {
        const rows = (await client.lRange(keys.transitions(articleId), 0, -1)).map((r) => JSON.parse(r) as TransitionRecord);
        // Stable: equal timestamps keep their append order.
        return rows.sort((a, b) => compare(a.at, b.at));
      },
    },
    versions: {
      async create(version) {
        const { state, ...meta } = version;
        const summary: VersionSummaryRecord = {
          id: version.id,
          articleId: version.articleId,
          label: version.label,
          cause: version.cause,
          authorId: version.authorId,
          createdAt: version.createdAt,
          wordCount: version.wordCount,
        };
        await scripts.CREATE_VERSION.run(
          client,
          [keys.version(version.articleId, version.id), keys.versions(version.articleId)],
          [version.id, toJson(meta), Buffer.from(state), toJson(summary)],
        );
      },
      async list(articleId) {
        const rows = (await client.lRange(keys.versions(articleId), 0, -1)).map((r) => JSON.parse(r) as VersionSummaryRecord);
        return rows.reverse().sort((a, b) => compare(b.createdAt, a.createdAt));
      },
      async get(articleId, id) {
        const hash = (await bin.hGetAll(keys.version(articleId, id))) as unknown as Record<string, Buffer>;
        if (!hash.meta) return null;
        return { ...(JSON.parse(hash.meta.toString()) as Omit<VersionRecord, 'state'>), state: toBytes(hash.state!) };
      },
    },
    published: {
      async put(page) {
        for (let attempt = 0; attempt < 10; attempt++) {
          const current = await client.get(keys.published(page.articleId));
          const oldSlug = current ? (JSON.parse(current) as PublishedRecord).slug : '';
          const result = await scripts.PUT_PUBLISHED.run(
            client,
            [keys.published(page.articleId), keys.publishedSlug(page.slug), keys.publishedSlug(oldSlug || page.slug), keys.publishedSet()],
            [page.articleId, toJson(page), oldSlug],
          );
          if (result === 'ok') return;
        }
        throw new Error(`published page ${page.articleId} kept changing during a put`);
      },
      async get(articleId) {
        const json = await client.get(keys.published(articleId));
        return json ? (JSON.parse(json) as PublishedRecord) : null;
      },
      async getBySlug(slug) {
        const id = await client.get(keys.publishedSlug(slug));
        return id ? store.published.get(id) : null;
      },
      async list() {
        const ids = await client.sMembers(keys.publishedSet());
        if (ids.length === 0) return [];
        const rows = await client.mGet(ids.map((id) => keys.published(id)));
        return rows
          .filter((r): r is string => r !== null)
          .map((r) => JSON.parse(r) as PublishedRecord)
          .sort((a, b) => compare(b.firstPublishedAt, a.firstPublishedAt));
      },
    },
    docs: {
      async appendUpdates(articleId, updates) {
        if (updates.length === 0) return store.lastSeq(articleId);
        const result = await scripts.APPEND_UPDATES.run(
          client,
          [keys.docLog(articleId), keys.docSeq(articleId)],
          [originTag, ...updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength))],
        );
        return Number(result);
      },
      async load(articleId): Promise<StoredDoc> {
        // One script: the snapshot and the entries after it are read at the same instant.
        const { snapshot, entries } = await readDoc(articleId, '+');
        return { snapshot, updates: entries.filter((e) => e.compactedThrough === null).map(({ seq, update }) => ({ seq, update })) };
      },
      async compact(articleId, snapshot, throughSeq) {
        // Waits for a concurrent compaction by another instance; the compare-and-set keeps it safe even if the lock expired.
        await withLock(`compact:${articleId}`, { ttlMs: COMPACT_LOCK_TTL_MS, waitMs: 5_000 }, () => compactNow(articleId, snapshot, throughSeq)).then(
          (done) => (done === null ? compactNow(articleId, snapshot, throughSeq) : undefined),
        );
      },
      async size(articleId) {
        const { snapshot, entries } = await readDoc(articleId, '+');
        return (snapshot?.byteLength ?? 0) + entries.reduce((sum, e) => sum + e.update.byteLength, 0);
      },
    },
    async tryCompact(articleId, snapshot, throughSeq) {
      const done = await withLock(`compact:${articleId}`, { ttlMs: COMPACT_LOCK_TTL_MS, waitMs: 0 }, async () => {
        await compactNow(articleId, snapshot, throughSeq);
        return true;
      });
      return done === true;
    },
    decodeEntries,
    async snapshot(articleId) {
      const hash = (await bin.hGetAll(keys.docSnapshot(articleId))) as unknown as Record<string, Buffer>;
      return { data: hash.data ? toBytes(hash.data) : null, through: hash.through ? Number(hash.through.toString()) : 0 };
    },
    async lastSeq(articleId) {
      return Number((await client.get(keys.docSeq(articleId))) ?? 0);
    },
    withLock,
    async duplicate(name, { failFast = false } = {}) {
      const conn = createRedisConnection({ url, log, name, failFast });
      await connectOrThrow(conn);
      extra.push(conn);
      return conn;
    },
    async ping() {
      if (closed || !client.isReady) return false;
      try {
        return (await withTimeout(client.ping(), 1_000)) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const conn of [...extra, client]) {
        if (conn.isOpen) await conn.close().catch(() => conn.destroy());
      }
    },
  };
  return store;
}

function toBytes(value: Buffer | string | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  // A copy: the caller may keep it (live docs, snapshots) long after the reply buffer.
  return new Uint8Array(typeof value === 'string' ? Buffer.from(value, 'binary') : value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]);
}

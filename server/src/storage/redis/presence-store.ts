import type { Logger } from 'pino';
import { presenceKey, type PresenceEntry, type PresenceKey, type PresenceStore, type PresenceStoreChange } from '../../presence/store.ts';
import type { RedisConnection } from './connection.ts';
import type { RedisStore } from './redis-store.ts';
import { Script } from './scripts.ts';

/**
 * Presence in Redis, so every instance's board sees the editors of every instance.
 *
 * - Entries of one instance live in one hash (`presence:entries:<instance>`, field `article \0 user`).
 * - Every change is published on one channel; this instance's own changes reach its listeners
 *   at once (and are skipped when they come back from Redis), so its board works even while Redis
 *   is down.
 * - Liveness: each instance refreshes its score (Redis time + TTL) in a sorted set every
 *   heartbeat; every instance runs a reaper that, in one script, removes the entries of instances
 *   whose score passed and publishes their removal. A dead instance's editors are gone within
 *   TTL + one heartbeat.
 * - After the subscriber reconnects (changes may have been missed), listeners are brought up to
 *   date from `list()`; when Redis lost this instance (restart, or it was reaped during a long
 *   outage) `onRepublish` asks the tracker to publish everything again.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly listeners = new Set<(change: PresenceStoreChange) => void>();
  /** What listeners have been told, to reconcile after a reconnect. */
  private readonly known = new Map<string, PresenceEntry>();
  private subscriber: RedisConnection | null = null;
  private timer: NodeJS.Timeout | null = null;
  private republish: (() => Promise<void>) | null = null;
  private closed = false;
  private subscribedOnce = false;

  constructor(
    private readonly store: RedisStore,
    private readonly log: Logger,
    private readonly options: { instanceId: string; heartbeatMs: number; ttlMs: number },
  ) {}

  private get keys() {
    const k = this.store.keys;
    return {
      instances: k.presence('instances'),
      entries: (instanceId: string) => k.presence(`entries:${instanceId}`),
      entriesPrefix: k.presence('entries:'),
      channel: k.channel('presence'),
    };
  }

  /** Called when Redis no longer has this instance's entries: publish them all again. */
  onRepublish(republish: () => Promise<void>): void {
    this.republish = republish;
  }

  async start(): Promise<void> {
    this.subscriber = await this.store.duplicate('presence', { failFast: false });
    this.subscriber.on('ready', () => {
      // Resubscribed after a reconnect: anything published meanwhile was missed.
      if (this.subscribedOnce) void this.reconcile();
    });
    await this.subscriber.subscribe(this.keys.channel, (raw) => this.receive(raw));
    this.subscribedOnce = true;
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  async upsert(entry: PresenceEntry): Promise<void> {
    this.emit({ type: 'upsert', entry });
    const message = JSON.stringify({ origin: this.store.originTag, change: { type: 'upsert', entry } });
    await UPSERT.run(this.store.client, [this.keys.entries(entry.instanceId), this.keys.channel], [field(entry), JSON.stringify(entry), message]);
  }

  async remove(key: PresenceKey): Promise<void> {
    const plain: PresenceKey = { instanceId: key.instanceId, articleId: key.articleId, userId: key.userId };
    if (this.known.has(presenceKey(plain))) this.emit({ type: 'remove', key: plain });
    const message = JSON.stringify({ origin: this.store.originTag, change: { type: 'remove', key: plain } });
    await REMOVE.run(this.store.client, [this.keys.entries(plain.instanceId), this.keys.channel], [field(plain), message]);
  }

  async removeInstance(instanceId: string): Promise<void> {
    for (const entry of [...this.known.values()]) if (entry.instanceId === instanceId) this.emit({ type: 'remove', key: keyOf(entry) });
    await REMOVE_INSTANCE.run(this.store.client, [this.keys.entries(instanceId), this.keys.instances, this.keys.channel], [instanceId, this.store.originTag]);
  }

  async list(): Promise<PresenceEntry[]> {
    const [seconds] = (await this.store.client.time()) as unknown as [string, string];
    const now = Number(seconds) * 1000;
    const live = await this.store.client.zRangeByScore(this.keys.instances, now, '+inf');
    if (live.length === 0) return [];
    const multi = this.store.client.multi();
    for (const id of live) multi.hVals(this.keys.entries(id));
    const rows = (await multi.exec()) as unknown as string[][];
    return rows.flat().map((json) => JSON.parse(json) as PresenceEntry);
  }

  subscribe(listener: (change: PresenceStoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
    this.subscriber?.destroy();
    this.subscriber = null;
  }

  /** Heartbeat, then reap instances whose heartbeat expired. */
  private async beat(): Promise<void> {
    if (this.closed) return;
    try {
      const added = await HEARTBEAT.run(this.store.client, [this.keys.instances], [this.options.instanceId, String(this.options.ttlMs)]);
      if (added === 1 && this.republish) {
        // Redis did not know this instance (first beat, a restart, or it was reaped during an outage).
        await this.republish();
      }
      await REAP.run(this.store.client, [this.keys.instances, this.keys.channel], [this.keys.entriesPrefix]);
    } catch (error) {
      this.log.debug({ err: (error as Error).message }, 'presence heartbeat failed; will retry');
    }
  }

  private receive(raw: string): void {
    let message: { origin: string; change: PresenceStoreChange };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (message.origin === this.store.originTag) return;
    if (message.change.type === 'remove' && !this.known.has(presenceKey(message.change.key))) return;
    this.emit(message.change);
  }

  private async reconcile(): Promise<void> {
    try {
      const fresh = new Map((await this.list()).map((e) => [presenceKey(e), e]));
      for (const [key, entry] of [...this.known]) if (!fresh.has(key) && entry.instanceId !== this.options.instanceId) this.emit({ type: 'remove', key: keyOf(entry) });
      for (const [key, entry] of fresh) {
        if (entry.instanceId === this.options.instanceId) continue;
        if (JSON.stringify(this.known.get(key)) !== JSON.stringify(entry)) this.emit({ type: 'upsert', entry });
      }
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'presence reconcile after reconnect failed');
    }
  }

  private emit(change: PresenceStoreChange): void {
    if (change.type === 'upsert') this.known.set(presenceKey(change.entry), change.entry);
    else this.known.delete(presenceKey(change.key));
    for (const listener of this.listeners) listener(change);
  }
}

const field = (key: PresenceKey) => `${key.articleId}\u0000${key.userId}`;
const keyOf = (entry: PresenceEntry): PresenceKey => ({ instanceId: entry.instanceId, articleId: entry.articleId, userId: entry.userId });

/** KEYS: entries hash, channel. ARGV: field, entry json, message. */
const UPSERT = new Script(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[3])
return 1
`);

/** KEYS: entries hash, channel. ARGV: field, message. */
const REMOVE = new Script(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then redis.call('PUBLISH', KEYS[2], ARGV[2]) end
return 1
`);

/** KEYS: entries hash, instances zset, channel. ARGV: instance id, origin. */
const REMOVE_INSTANCE = new Script(`
for _, json in ipairs(redis.call('HVALS', KEYS[1])) do
  local e = cjson.decode(json)
  redis.call('PUBLISH', KEYS[3], cjson.encode({ origin = ARGV[2], change = { type = 'remove', key = { instanceId = e.instanceId, articleId = e.articleId, userId = e.userId } } }))
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`);

/** KEYS: instances zset. ARGV: instance id, ttl ms. Returns 1 when the instance was not registered. */
const HEARTBEAT = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[2])), ARGV[1])
`);

/**
 * KEYS: instances zset, channel. ARGV: entries key prefix. Removes every instance whose heartbeat
 * expired, with its entries, publishing each removal (origin "reaper": every listener applies it).
 */
const REAP = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('(%d', now))
for _, id in ipairs(dead) do
  local hash = ARGV[1] .. id
  for _, json in ipairs(redis.call('HVALS', hash)) do
    local e = cjson.decode(json)
    redis.call('PUBLISH', KEYS[2], cjson.encode({ origin = 'reaper', change = { type = 'remove', key = { instanceId = e.instanceId, articleId = e.articleId, userId = e.userId } } }))
  end
  redis.call('DEL', hash)
  redis.call('ZREM', KEYS[1], id)
end
return #dead
`);

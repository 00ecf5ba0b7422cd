import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Store } from '../storage/store.ts';
import type { RedisStore } from '../storage/redis/redis-store.ts';

export interface LimiterOptions {
  /** Points (attempts) per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
}

/** Builds a named rate limiter; every limit in the app comes from one of these. */
export type LimiterFactory = (name: string, options: LimiterOptions) => RateLimiterAbstract;

/**
 * The one seam between rate limits and the deployment: one instance counts in memory; in Redis
 * mode every instance counts in Redis (rate-limiter-flexible's RateLimiterRedis under the store's
 * key prefix), so two instances enforce one limit. While Redis is unreachable each instance falls
 * back to counting in its own memory (the insurance limiter) rather than refusing everyone.
 */
export function limiterFactory(store: Store): LimiterFactory {
  if (store.kind !== 'redis') return (name, options) => new RateLimiterMemory({ keyPrefix: name, ...options });
  const redis = store as RedisStore;
  return (name, options) =>
    new RateLimiterRedis({
      storeClient: redis.client,
      useRedisPackage: true,
      keyPrefix: `${redis.keys.prefix}ratelimit:${name}`,
      ...options,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, ...options }),
    });
}

/** The per-user and per-address /collab connection limits over every instance (CollabServerOptions.sharedConnections). */
export interface SharedConnections {
  acquire(userId: string, address: string, limits: { perUser: number; perAddress: number }): Promise<(() => void) | null>;
  stop(): void;
}

/** Sums the live instances' counts of one hash (fields of instances whose alive key is gone are dropped). */
const LIVE_SUM = `
local function live_sum(key, alive_prefix)
  local sum = 0
  local flat = redis.call('HGETALL', key)
  for i = 1, #flat, 2 do
    if redis.call('EXISTS', alive_prefix .. flat[i]) == 1 then sum = sum + tonumber(flat[i + 1])
    else redis.call('HDEL', key, flat[i]) end
  end
  return sum
end
`;
/** KEYS: user hash, address hash, this instance's alive key. ARGV: field, user limit, address limit, alive prefix, ttl ms. */
const ACQUIRE_CONNECTION = `${LIVE_SUM}
redis.call('SET', KEYS[3], '1', 'PX', ARGV[5])
if live_sum(KEYS[1], ARGV[4]) >= tonumber(ARGV[2]) then return 0 end
if live_sum(KEYS[2], ARGV[4]) >= tonumber(ARGV[3]) then return 0 end
for i = 1, 2 do
  redis.call('HINCRBY', KEYS[i], ARGV[1], 1)
  redis.call('PEXPIRE', KEYS[i], 86400000)
end
return 1`;

/**
 * Redis mode: each instance keeps its own count per user and per address in one hash field
 * (`<key>` → `<instance>` → count) and a short-lived alive key it renews; a new connection is
 * admitted only if the live instances' counts together are under the limit (one script, atomic).
 * An instance that dies stops renewing its alive key and its counts stop counting. Its own fields
 * are rewritten from its exact local counts on every heartbeat, so a release lost while Redis was
 * unreachable does not stick. While Redis is unreachable each instance admits on its own count
 * alone (the collab server's per-instance limits still hold). One instance: no shared counter.
 */
export function sharedConnections(store: Store, log: { warn(obj: object, msg: string): void }, options: { ttlMs?: number } = {}): SharedConnections | undefined {
  if (store.kind !== 'redis') return undefined;
  const redis = store as RedisStore;
  const ttlMs = options.ttlMs ?? 15_000;
  const field = redis.originTag;
  const alivePrefix = `${redis.keys.prefix}conn-alive:`;
  const aliveKey = alivePrefix + field;
  const userKey = (id: string) => `${redis.keys.prefix}conn:user:${id}`;
  const addressKey = (address: string) => `${redis.keys.prefix}conn:addr:${address}`;
  /** This instance's exact counts per hash key (the truth its Redis fields are resynced from). */
  const local = new Map<string, number>();
  const bump = (key: string, by: number) => {
    const next = (local.get(key) ?? 0) + by;
    if (next > 0) local.set(key, next);
    else local.delete(key);
  };
  const touched = new Set<string>();
  const heartbeat = setInterval(() => {
    const multi = redis.client.multi().set(aliveKey, '1', { PX: ttlMs });
    for (const key of touched) {
      const count = local.get(key) ?? 0;
      if (count > 0) multi.hSet(key, field, String(count));
      else {
        multi.hDel(key, field);
        touched.delete(key);
      }
    }
    multi.exec().catch(() => undefined);
  }, Math.max(100, Math.floor(ttlMs / 3)));
  heartbeat.unref();
  return {
    async acquire(userId, address, limits) {
      const keys = [userKey(userId), addressKey(address)];
      let admitted: boolean;
      try {
        admitted = (await redis.client.eval(ACQUIRE_CONNECTION, {
          keys: [...keys, aliveKey],
          arguments: [field, String(limits.perUser), String(limits.perAddress), alivePrefix, String(ttlMs)],
        })) === 1;
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'shared connection limits unavailable; counting this instance alone');
        admitted = true;
      }
      if (!admitted) return null;
      for (const key of keys) {
        bump(key, 1);
        touched.add(key);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const key of keys) bump(key, -1);
        const multi = redis.client.multi();
        for (const key of keys) {
          const count = local.get(key) ?? 0;
          if (count > 0) multi.hSet(key, field, String(count));
          else multi.hDel(key, field);
        }
        multi.exec().catch(() => undefined); // resynced by the heartbeat
      };
    },
    stop() {
      clearInterval(heartbeat);
    },
  };
}

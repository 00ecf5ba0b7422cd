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

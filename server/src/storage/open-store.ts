import type { Logger } from 'pino';
import type { Env } from '../env.ts';
import type { Store } from './store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import { openRedisStore } from './redis/redis-store.ts';

/** The store the configuration asks for: Redis when REDIS_URL is set, else the embedded SQLite store in DATA_DIR. */
export async function openConfiguredStore(env: Env, log: Logger): Promise<Store> {
  if (env.REDIS_URL) {
    return openRedisStore({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX, instanceId: env.INSTANCE_ID, log, sessionTtlMs: env.SESSION_IDLE_MS + 120_000 });
  }
  return openSqliteStore(env.DATA_DIR);
}

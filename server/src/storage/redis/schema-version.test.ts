import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { privateRedis } from '../../test/hooks.ts';
import { createLogger } from '../../logger.ts';
import { REDIS_SCHEMA_VERSION, openRedisStore } from './redis-store.ts';

const redis = privateRedis();
const log = createLogger('silent');

describe('redis schema version', () => {
  it('stamps a new (or pre-versioning) prefix with this version and refuses one written by a newer Copydesk', async () => {
    const prefix = `schema-${randomUUID()}:`;
    const store = await openRedisStore({ url: redis.server.url, prefix, instanceId: 'a', log });
    await store.close();
    const client = createClient({ url: redis.server.url });
    await client.connect();
    expect(await client.get(`${prefix}schema-version`)).toBe(String(REDIS_SCHEMA_VERSION));
    await client.set(`${prefix}schema-version`, String(REDIS_SCHEMA_VERSION + 1));
    await client.quit();
    await expect(openRedisStore({ url: redis.server.url, prefix, instanceId: 'a', log })).rejects.toThrow(
      `schema version ${REDIS_SCHEMA_VERSION + 1}, newer than this Copydesk understands (${REDIS_SCHEMA_VERSION})`,
    );
  });
});

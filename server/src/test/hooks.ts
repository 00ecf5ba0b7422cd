import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from '../cluster/processes.ts';

/**
 * A cleanup list for one test file: push what a test started; after each test the functions run,
 * newest first.
 */
export function cleanupAfterEach(): Array<() => unknown> {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  return cleanup;
}

/** A private redis-server (AOF on, temp dir) for the tests of one file: started before them, destroyed after. */
export function privateRedis(): { readonly server: RedisServer } {
  let server: RedisServer | null = null;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.destroy();
  });
  return {
    get server() {
      if (!server) throw new Error('privateRedis() is available inside tests only');
      return server;
    },
  };
}

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { startRedisServer, type RedisServer } from '../../cluster/processes.ts';
import type { PresenceEntry, PresenceStoreChange } from '../../presence/store.ts';
import { openRedisStore, type RedisStore } from './redis-store.ts';
import { RedisPresenceStore } from './presence-store.ts';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.destroy();
});
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const log = createLogger('silent');

async function instance(prefix: string, instanceId: string, timing = { heartbeatMs: 100, ttlMs: 400 }) {
  const store: RedisStore = await openRedisStore({ url: redis.url, prefix, instanceId, log });
  const presence = new RedisPresenceStore(store, log, { instanceId, ...timing });
  await presence.start();
  const changes: PresenceStoreChange[] = [];
  presence.subscribe((c) => changes.push(c));
  cleanup.push(async () => {
    await presence.close();
    await store.close();
  });
  return { store, presence, changes };
}

const entry = (instanceId: string, userId: string, patch: Partial<PresenceEntry> = {}): PresenceEntry => ({
  instanceId,
  articleId: 'art',
  userId,
  displayName: userId,
  tabs: 1,
  state: 'active',
  section: null,
  since: 't0',
  lastActiveAt: 't0',
  inserted: 0,
  deleted: 0,
  ...patch,
});

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 5_000, interval: 20 });

describe('RedisPresenceStore', () => {
  it('shows every instance the entries of every instance, own changes at once', async () => {
    const prefix = `presence-${randomUUID()}:`;
    const a = await instance(prefix, 'A');
    const b = await instance(prefix, 'B');
    await a.presence.upsert(entry('A', 'alice'));
    expect(a.changes).toEqual([{ type: 'upsert', entry: entry('A', 'alice') }]);
    await b.presence.upsert(entry('B', 'bob'));
    await poll(() => b.changes.length).toBe(2);
    expect(b.changes[1]).toEqual({ type: 'upsert', entry: entry('A', 'alice') });
    await poll(() => a.changes.length).toBe(2);
    expect((await b.presence.list()).map((e) => e.userId).sort()).toEqual(['alice', 'bob']);

    await a.presence.upsert(entry('A', 'alice', { state: 'idle' }));
    await a.presence.remove({ instanceId: 'A', articleId: 'art', userId: 'alice' });
    await poll(() => b.changes.slice(2)).toEqual([
      { type: 'upsert', entry: entry('A', 'alice', { state: 'idle' }) },
      { type: 'remove', key: { instanceId: 'A', articleId: 'art', userId: 'alice' } },
    ]);
    await b.presence.removeInstance('B');
    await poll(() => a.changes.at(-1)).toEqual({ type: 'remove', key: { instanceId: 'B', articleId: 'art', userId: 'bob' } });
    expect(await a.presence.list()).toEqual([]);
  });

  it('drops the entries of an instance that stops beating, and tells every listener', async () => {
    const prefix = `presence-${randomUUID()}:`;
    const a = await instance(prefix, 'A');
    const b = await instance(prefix, 'B');
    await a.presence.upsert(entry('A', 'alice'));
    await poll(() => b.changes.length).toBe(1);
    // "kill -9": no removeInstance, the heartbeat just stops.
    await a.presence.close();
    const started = Date.now();
    await poll(() => b.changes.at(-1)).toEqual({ type: 'remove', key: { instanceId: 'A', articleId: 'art', userId: 'alice' } });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await b.presence.list()).toEqual([]);
  });

  it('asks the tracker to republish when Redis lost this instance, and reconciles listeners after a reconnect', async () => {
    const prefix = `presence-${randomUUID()}:`;
    const a = await instance(prefix, 'A');
    const b = await instance(prefix, 'B');
    const published = [entry('A', 'alice')];
    let republished = 0;
    a.presence.onRepublish(async () => {
      republished++;
      for (const e of published) await a.presence.upsert(e);
    });
    await a.presence.upsert(published[0]!);
    await poll(() => b.changes.length).toBe(1);

    // Redis restarts and, meanwhile, A's entry vanished (as after a restart without persistence).
    await redis.stop();
    await redis.start();
    await poll(async () => {
      try {
        await a.store.client.del([a.store.keys.presence('entries:A'), a.store.keys.presence('instances')]);
        return true;
      } catch {
        return false;
      }
    }).toBe(true);
    await poll(() => republished).toBeGreaterThan(0);
    await poll(async () => (await b.presence.list()).map((e) => e.userId)).toEqual(['alice']);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../../logger.ts';
import { startRedisServer, type RedisServer } from '../../cluster/processes.ts';
import { openRedisStore } from '../../storage/redis/redis-store.ts';
import { ORIGIN_REMOTE } from '../types.ts';
import { RedisRelayExtension } from './redis-relay.ts';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.destroy();
});
const log = createLogger('silent');

describe('RedisRelayExtension', () => {
  it('applies other instances\' updates with ORIGIN_REMOTE and catches up through a snapshot when a compaction trimmed what it had not read', async () => {
    const prefix = `relay-${randomUUID()}:`;
    const here = await openRedisStore({ url: redis.url, prefix, instanceId: 'here', log });
    const there = await openRedisStore({ url: redis.url, prefix, instanceId: 'there', log });
    const relay = new RedisRelayExtension(here, log, { compactAfterUpdates: 1_000 });
    const doc = new Y.Doc();
    const origins = new Set<unknown>();
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.add(origin));
    await relay.onLoad({ articleId: 'd', doc, awareness: null as never });

    // Another instance writes and compacts (trimming the stream) before this relay read anything.
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => updates.push(u));
    writer.getText('t').insert(0, 'written elsewhere, then compacted');
    const through = await there.docs.appendUpdates('d', updates.splice(0));
    await there.docs.compact('d', Y.encodeStateAsUpdateV2(writer), through);
    expect((await there.docs.load('d')).updates).toEqual([]);

    await relay.start();
    await expect.poll(() => doc.getText('t').toString(), { timeout: 5_000 }).toBe('written elsewhere, then compacted');
    // Later updates arrive one by one; this instance's own appends are never applied again.
    writer.getText('t').insert(0, '» ');
    await there.docs.appendUpdates('d', updates.splice(0));
    await expect.poll(() => doc.getText('t').toString(), { timeout: 5_000 }).toBe('» written elsewhere, then compacted');
    const appliedBefore = relay.appliedEntries;
    doc.getText('mine').insert(0, 'local');
    const own: Uint8Array[] = [Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(Y.encodeStateAsUpdate(writer)))];
    await here.docs.appendUpdates('d', own);
    writer.getText('t').insert(0, '!');
    await there.docs.appendUpdates('d', updates.splice(0));
    await expect.poll(() => doc.getText('t').toString().startsWith('!'), { timeout: 5_000 }).toBe(true);
    expect(relay.appliedEntries).toBe(appliedBefore + 1);
    expect([...origins]).toEqual([ORIGIN_REMOTE, null]);

    await relay.onDestroy();
    await here.close();
    await there.close();
  });
});

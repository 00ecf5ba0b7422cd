import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { io as ioClient, type Socket } from 'socket.io-client';
import { CollabMessageType, Rooms, SAVE_FLAG_STORAGE_UNAVAILABLE, type HealthResponse } from '@copydesk/protocol';
import { connectClient, eventually, startTestServer, waitForSync, type TestClient, type TestServer } from '../test/harness.ts';
import { startRedisServer, type RedisServer } from './processes.ts';
import type { RedisStore } from '../storage/redis/redis-store.ts';
import type { RedisRelayExtension } from '../collab/extensions/redis-relay.ts';

/**
 * Redis mode with two in-process instances on a private redis-server: the doc relay, the
 * Socket.IO adapter, live permissions, the "saved" message and compaction. (The process-level
 * cluster behind nginx, with kills and restarts, is in cluster.cluster.test.ts.)
 */
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

async function instances(n: number, overrides: Record<string, string> = {}): Promise<TestServer[]> {
  const prefix = `test-${randomUUID()}:`;
  const servers: TestServer[] = [];
  for (let i = 0; i < n; i++) {
    const server = await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: `inst-${i}`, ...overrides });
    cleanup.push(() => server.stop());
    servers.push(server);
  }
  return servers;
}

function client(server: TestServer, articleId: string, cookie: string): TestClient {
  const c = connectClient(server.wsUrl, articleId, cookie);
  cleanup.push(() => c.destroy());
  return c;
}

async function createArticle(server: TestServer, cookie: string, headline: string): Promise<string> {
  const res = await server.request('/api/articles', { method: 'POST', cookie, json: { headline } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const storeOf = (server: TestServer) => server.ctx.store as RedisStore;

describe('redis mode (two in-process instances)', () => {
  it('reports the Redis store and this instance on /healthz', async () => {
    const [a] = await instances(1);
    const res = await a!.request('/healthz');
    expect(res.status).toBe(200);
    expect((await res.json()) as HealthResponse).toMatchObject({ status: 'ok', store: 'redis', storeReachable: true, instance: 'inst-0' });
  });

  it('seeds the demo newsroom once when two instances start together on an empty Redis', async () => {
    const prefix = `test-${randomUUID()}:`;
    const both = await Promise.all(
      [0, 1].map((i) => startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: `seed-${i}` })),
    );
    for (const s of both) cleanup.push(() => s.stop());
    expect(await both[0]!.ctx.store.users.count()).toBe(4);
    expect((await both[1]!.ctx.store.articles.list()).length).toBe(2);
  });

  it('relays doc updates between instances, never re-applying or re-writing its own', async () => {
    const [a, b] = await instances(2);
    const alice = await a!.login('alice');
    const bob = await b!.login('bob');
    const id = await createArticle(a!, alice, 'Relayed');
    const onA = client(a!, id, alice);
    const onB = client(b!, id, bob);
    await Promise.all([waitForSync(onA), waitForSync(onB)]);

    for (let i = 0; i < 50; i++) {
      onA.doc.getText('t').insert(onA.doc.getText('t').length, 'a');
      onB.doc.getText('t').insert(0, 'b');
    }
    await eventually(() => onA.doc.getText('t').length === 100 && onB.doc.getText('t').length === 100, 10_000, 'both replicas have every update');
    expect(onA.doc.getText('t').toString()).toBe(onB.doc.getText('t').toString());

    // Each instance wrote only its own clients' updates, and applied only the other's.
    const store = storeOf(a!);
    await eventually(async () => (await store.docs.load(id)).updates.length >= 100, 5_000, 'all updates stored');
    const entries = store.decodeEntries((await store.client.xRange(store.keys.docLog(id), '-', '+')) as never);
    const byOrigin = new Map<string, number>();
    for (const e of entries.filter((x) => x.compactedThrough === null)) byOrigin.set(e.origin, (byOrigin.get(e.origin) ?? 0) + 1);
    expect(byOrigin.get(storeOf(a!).originTag)).toBeGreaterThan(0);
    expect(byOrigin.get(storeOf(b!).originTag)).toBeGreaterThan(0);
    expect([...byOrigin.keys()].sort()).toEqual([storeOf(a!).originTag, storeOf(b!).originTag].sort());
    const relayOf = (s: TestServer) => (s.collab as unknown as { options: { extensions: RedisRelayExtension[] } }).options.extensions.find((e) => e.name === 'redis-relay')!;
    expect(relayOf(a!).appliedEntries).toBe(byOrigin.get(storeOf(b!).originTag));
    expect(relayOf(b!).appliedEntries).toBe(byOrigin.get(storeOf(a!).originTag));

    // A fresh client on either instance reads the same document from the store.
    const fresh = client(b!, id, await b!.login('lead'));
    await waitForSync(fresh);
    expect(fresh.doc.getText('t').toString()).toBe(onA.doc.getText('t').toString());
  });

  it('shows carets (awareness) of clients on the other instance, and removes them when they leave', async () => {
    const [a, b] = await instances(2);
    const alice = await a!.login('alice');
    const bob = await b!.login('bob');
    const id = await createArticle(a!, alice, 'Carets across instances');
    const onA = client(a!, id, alice);
    await waitForSync(onA);
    onA.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 4 });
    // Bob opens the doc on B after Alice's state exists: B asks A for the current states.
    const onB = client(b!, id, bob);
    await waitForSync(onB);
    const aliceOnB = () => onB.provider.awareness.getStates().get(onA.doc.clientID) as { cursor?: { head: number }; user?: { name: string } } | undefined;
    await eventually(() => aliceOnB()?.cursor?.head === 4, 5_000, 'B sees Alice\'s caret');
    expect(aliceOnB()?.user?.name).toBe('Alice Moreau');
    onB.provider.awareness.setLocalStateField('cursor', { anchor: 2, head: 2 });
    await eventually(() => (onA.provider.awareness.getStates().get(onB.doc.clientID) as { cursor?: { head: number } } | undefined)?.cursor?.head === 2, 5_000, 'A sees Bob\'s caret');
    onA.provider.awareness.setLocalStateField('cursor', { anchor: 7, head: 7 });
    await eventually(() => aliceOnB()?.cursor?.head === 7, 5_000, 'B follows Alice\'s caret');
    onA.provider.disconnect();
    await eventually(() => aliceOnB() === undefined, 5_000, 'Alice\'s caret gone on B');
  });

  it('compacts a long stream once, under a lock, without losing concurrent updates', async () => {
    const [a, b] = await instances(2, { COMPACT_AFTER_UPDATES: '40' });
    const alice = await a!.login('alice');
    const bob = await b!.login('bob');
    const id = await createArticle(a!, alice, 'Compacted');
    const onA = client(a!, id, alice);
    const onB = client(b!, id, bob);
    await Promise.all([waitForSync(onA), waitForSync(onB)]);
    let expected = 0;
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 15; i++) {
        onA.doc.getText('t').insert(0, 'a');
        onB.doc.getText('t').insert(0, 'b');
        expected += 2;
      }
      await new Promise((r) => setImmediate(r));
    }
    await eventually(() => onA.doc.getText('t').length === expected && onB.doc.getText('t').length === expected, 10_000, 'replicas converge');
    const store = storeOf(a!);
    await eventually(async () => (await store.snapshot(id)).through > 0, 5_000, 'a compaction happened');
    // The stream holds only what came after the last compaction.
    const stored = await store.docs.load(id);
    expect(stored.updates.length).toBeLessThan(expected);
    const copy = new Y.Doc();
    Y.applyUpdateV2(copy, stored.snapshot!);
    for (const { update } of stored.updates) Y.applyUpdate(copy, update);
    expect(copy.getText('t').toString()).toBe(onA.doc.getText('t').toString());
  });

  it('delivers desk events from instance A to a Socket.IO reader on instance B', async () => {
    const [a, b] = await instances(2);
    const lead = await b!.login('lead');
    const socket: Socket = ioClient(b!.url, { extraHeaders: { cookie: lead }, transports: ['websocket'] });
    cleanup.push(() => socket.disconnect());
    const ack = await socket.timeout(5_000).emitWithAck('desk:subscribe' as never);
    expect((ack as { ok: boolean }).ok).toBe(true);
    const created = new Promise<{ headline: string }>((resolve) => socket.on('article:created' as never, resolve as never));
    await createArticle(a!, await a!.login('alice'), 'Made on instance A');
    expect((await created).headline).toBe('Made on instance A');
    // Server-to-server requests (sharded pub/sub) see the sockets of every instance.
    expect((await a!.io.in(Rooms.desk).fetchSockets()).length).toBe(1);
  });

  it('switches a writer on instance B to read-only when a lead approves the article on instance A', async () => {
    const [a, b] = await instances(2);
    const alice = await b!.login('alice');
    const lead = await a!.login('lead');
    const id = await createArticle(b!, alice, 'Locked elsewhere');
    const writer = connectClient(b!.wsUrl, id, alice, { customMessages: true });
    cleanup.push(() => writer.destroy());
    await waitForSync(writer);
    const statuses: Array<{ readOnly: boolean }> = [];
    writer.provider.messageHandlers[CollabMessageType.status] = (_e, decoder) => {
      statuses.push(JSON.parse(decoding.readVarString(decoder)) as { readOnly: boolean });
    };
    for (const [to, who, cookie] of [['filed', b, alice], ['editing', a, lead], ['approved', a, lead]] as const) {
      const res = await who!.request(`/api/articles/${id}/transitions`, { method: 'POST', cookie, json: { to } });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    await eventually(() => statuses.some((s) => s.readOnly), 5_000, 'writer told it is read-only');
  });

  it('tells an editor how many of its update frames are durable (saved message), counting no-op frames too', async () => {
    const [a] = await instances(1);
    const alice = await a!.login('alice');
    const id = await createArticle(a!, alice, 'Saved state');
    const editor = connectClient(a!.wsUrl, id, alice, { customMessages: true });
    cleanup.push(() => editor.destroy());
    const saved: Array<{ durable: number; flags: number }> = [];
    editor.provider.messageHandlers[CollabMessageType.saved] = (_e, decoder) => {
      saved.push({ durable: decoding.readVarUint(decoder), flags: decoding.readVarUint(decoder) });
    };
    await waitForSync(editor);
    // On connect: nothing durable yet; the client's sync step 2 (a no-op here) is acknowledged at once.
    await eventually(() => saved.at(-1)?.durable === 1, 5_000, 'sync step 2 acknowledged');
    expect(saved[0]).toEqual({ durable: 0, flags: 0 });
    for (let i = 0; i < 20; i++) editor.doc.getText('t').insert(i, 'x');
    await eventually(() => saved.at(-1)?.durable === 21, 5_000, 'every update frame acknowledged');
    expect(saved.every((s) => (s.flags & SAVE_FLAG_STORAGE_UNAVAILABLE) === 0)).toBe(true);
    // Acknowledged means stored.
    const stored = await a!.ctx.store.docs.load(id);
    const copy = new Y.Doc();
    if (stored.snapshot) Y.applyUpdateV2(copy, stored.snapshot);
    for (const { update } of stored.updates) Y.applyUpdate(copy, update);
    expect(copy.getText('t').toString()).toBe('x'.repeat(20));
  });

});

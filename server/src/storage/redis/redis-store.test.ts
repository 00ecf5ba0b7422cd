import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { storageContract } from '../contract.test-suite.ts';
import { createLogger } from '../../logger.ts';
import { startRedisServer, type RedisServer } from '../../cluster/processes.ts';
import { openRedisStore, type RedisStore } from './redis-store.ts';

// A throwaway redis-server with AOF: "reopen" restarts it, so the suite also proves the data is durable.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer({ appendonly: true });
});
afterAll(async () => {
  await redis?.destroy();
});

const log = createLogger('silent');
const open = (prefix: string, instanceId = 'test-a') => openRedisStore({ url: redis.url, prefix, instanceId, log });

storageContract('redis', async () => {
  const prefix = `contract-${randomUUID()}:`;
  return {
    store: await open(prefix),
    reopen: async () => {
      await redis.stop();
      await redis.start();
      return open(prefix);
    },
  };
});

describe('redis store specifics', () => {
  const docUpdates = (n: number) => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < n; i++) doc.getText('t').insert(i, 'x');
    return { doc, updates };
  };

  it('tags updates with the instance that appended them and numbers them consecutively', async () => {
    const prefix = `spec-${randomUUID()}:`;
    const a = await open(prefix, 'instance-a');
    const b = await open(prefix, 'instance-b');
    const { updates } = docUpdates(3);
    expect(await a.docs.appendUpdates('d', updates.slice(0, 2))).toBe(2);
    expect(await b.docs.appendUpdates('d', updates.slice(2))).toBe(3);
    const entries = a.decodeEntries((await a.client.withTypeMapping({}).xRange(a.keys.docLog('d'), '-', '+')) as never);
    expect(entries.map((e) => [e.seq, e.origin])).toEqual([
      [1, a.originTag],
      [2, a.originTag],
      [3, b.originTag],
    ]);
    expect(a.originTag).toMatch(/^instance-a\//);
    await a.close();
    await b.close();
  });

  it('compaction merges updates the caller had not seen, so a stale snapshot loses nothing', async () => {
    const prefix = `spec-${randomUUID()}:`;
    const store = await open(prefix);
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => updates.push(u));
    writer.getText('t').insert(0, 'from instance B');
    // Instance A compacts through seq 1 with a snapshot that does not contain B's update.
    const through = await store.docs.appendUpdates('d', updates);
    const stale = new Y.Doc();
    stale.getText('other').insert(0, 'A');
    await store.docs.compact('d', Y.encodeStateAsUpdateV2(stale), through);
    const stored = await store.docs.load('d');
    expect(stored.updates).toEqual([]);
    const copy = new Y.Doc();
    Y.applyUpdateV2(copy, stored.snapshot!);
    expect(copy.getText('t').toString()).toBe('from instance B');
    expect(copy.getText('other').toString()).toBe('A');
    expect((await store.snapshot('d')).through).toBe(through);
    await store.close();
  });

  it('lets one instance at a time compact a doc (a Redis lock with expiry)', async () => {
    const prefix = `spec-${randomUUID()}:`;
    const a = await open(prefix, 'a');
    const b = await open(prefix, 'b');
    const { doc, updates } = docUpdates(10);
    const through = await a.docs.appendUpdates('d', updates);
    let release!: () => void;
    const held = a.withLock('compact:d', { ttlMs: 10_000, waitMs: 0 }, () => new Promise<void>((r) => (release = r)));
    await expect.poll(async () => a.client.exists(a.keys.lock('compact:d'))).toBe(1);
    expect(await b.tryCompact('d', Y.encodeStateAsUpdateV2(doc), through)).toBe(false);
    release();
    await held;
    expect(await b.tryCompact('d', Y.encodeStateAsUpdateV2(doc), through)).toBe(true);
    expect((await a.docs.load('d')).updates).toEqual([]);
    // An expired lock does not block forever.
    await a.client.set(a.keys.lock('compact:d'), 'crashed-holder', { expiration: { type: 'PX', value: 50 } });
    await expect.poll(() => b.tryCompact('d', Y.encodeStateAsUpdateV2(doc), through), { timeout: 2_000 }).toBe(true);
    await a.close();
    await b.close();
  });

  it('answers ping false while Redis is down and true once it is back', async () => {
    const store = await open(`spec-${randomUUID()}:`);
    expect(await store.ping()).toBe(true);
    await redis.stop();
    try {
      expect(await store.ping()).toBe(false);
      await expect(store.docs.appendUpdates('d', [new Uint8Array([0, 0])])).rejects.toThrow();
    } finally {
      await redis.start();
    }
    await expect.poll(() => store.ping(), { timeout: 10_000 }).toBe(true);
    await store.close();
  });

  it('keeps the updated article fields and the slug index consistent', async () => {
    const store: RedisStore = await open(`spec-${randomUUID()}:`);
    const base = {
      id: 'a1', headline: 'H', dek: '', status: 'draft' as const, slug: 'h', section: 'News' as const, tags: [], byline: [], assignees: [],
      deadline: null, wordCount: 0, createdBy: 'u', createdAt: 't0', updatedAt: 't0', publishedAt: null,
    };
    await store.articles.create(base);
    await store.articles.create({ ...base, id: 'a2', slug: 'taken' });
    expect((await store.articles.update('a1', { slug: 'h-2', tags: [] }))?.slug).toBe('h-2');
    expect(await store.articles.findBySlug('h')).toBeNull();
    expect((await store.articles.findBySlug('h-2'))?.id).toBe('a1');
    await expect(store.articles.update('a1', { slug: 'taken' })).rejects.toThrow();
    expect((await store.articles.get('a1'))?.tags).toEqual([]);
    await store.close();
  });

  it('stores API tokens, finds them by hash, revokes only the owner\'s live ones, and updates password hashes', async () => {
    const store = await open(`spec-${randomUUID()}:`);
    const token = { id: 't1', ownerId: 'u1', name: 'bot', role: 'writer' as const, tokenHash: 'h1', createdAt: '2026-01-01', lastUsedAt: null, revokedAt: null };
    await store.tokens.create(token);
    await store.tokens.create({ ...token, id: 't2', tokenHash: 'h2', createdAt: '2026-01-02' });
    await expect(store.tokens.create({ ...token, id: 't3' })).rejects.toThrow();
    expect(await store.tokens.findByHash('h1')).toEqual(token);
    expect((await store.tokens.listForUser('u1')).map((t) => t.id)).toEqual(['t2', 't1']);
    expect(await store.tokens.revoke('t1', 'someone-else', 'now')).toBe(false);
    expect(await store.tokens.revoke('t1', 'u1', 'now')).toBe(true);
    expect(await store.tokens.revoke('t1', 'u1', 'later')).toBe(false);
    await store.tokens.touch('t1', 'then');
    expect(await store.tokens.findByHash('h1')).toEqual({ ...token, revokedAt: 'now', lastUsedAt: 'then' });

    const user = { id: 'u1', username: 'Ann', displayName: 'Ann', role: 'writer' as const, passwordHash: 'old', createdAt: 't' };
    await store.users.create(user);
    await store.users.setPasswordHash('u1', 'scrypt$new/hash+');
    expect(await store.users.findByUsername('ann')).toEqual({ ...user, passwordHash: 'scrypt$new/hash+' });
    await store.close();
  });
});

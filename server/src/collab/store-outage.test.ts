import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '@copydesk/protocol';
import { closeCodeOf, connectClient, eventually, rawSocket, startTestServer, tempDir, waitForSync, type TestServer } from '../test/harness.ts';
import { openSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { DocStore, Store } from '../storage/store.ts';
import { cleanupAfterEach, privateRedis } from '../test/hooks.ts';

/**
 * Documents while the store is down (a private redis-server that the tests stop and start):
 * nothing accepted leaves memory before it is in the store, and nothing a failed load set up
 * stays behind.
 */
const redisServer = privateRedis();
const cleanup = cleanupAfterEach();
afterEach(async () => {
  // Every test leaves Redis running for the next one.
  const redis = redisServer.server;
  if (redis.child.exitCode !== null || redis.child.signalCode !== null) await redisServer.server.start();
});

async function redisInstance(overrides: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ REDIS_URL: redisServer.server.url, REDIS_PREFIX: `test-${randomUUID()}:`, ...overrides });
  cleanup.push(() => server.stop());
  return server;
}

async function createArticle(server: TestServer, cookie: string): Promise<string> {
  const res = await server.request('/api/articles', { method: 'POST', cookie, json: { headline: 'Outage' } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The article's text as the store has it (snapshot plus update log), not as any live doc has it. */
async function storedText(server: TestServer, articleId: string): Promise<string> {
  const stored = await server.ctx.store.docs.load(articleId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdateV2(doc, stored.snapshot);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  const text = doc.getText('outage').toString();
  doc.destroy();
  return text;
}

async function metricValue(server: TestServer, name: string): Promise<number> {
  const text = await (await server.request('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('store outages', () => {
  it('keeps a doc whose last editor left while the store was down, and writes every update once it is back', async () => {
    const unloadMs = 200;
    const server = await redisInstance({ DOC_IDLE_UNLOAD_MS: String(unloadMs) });
    const alice = await server.login('alice');
    const articleId = await createArticle(server, alice);
    const writer = connectClient(server.wsUrl, articleId, alice);
    cleanup.push(() => writer.destroy());
    await waitForSync(writer);
    writer.doc.getText('outage').insert(0, 'before the outage. ');
    await eventually(async () => (await storedText(server, articleId)) === 'before the outage. ', 10_000, 'first text stored');

    await redisServer.server.stop();
    writer.doc.getText('outage').insert(19, 'typed while Redis was down.');
    await eventually(() => server.collab.liveDoc(articleId)?.doc.getText('outage').toString() === 'before the outage. typed while Redis was down.', 5_000, 'applied');
    writer.destroy();
    await eventually(() => server.collab.connectionCount === 0, 5_000, 'writer gone');

    // Several idle periods pass: the unload is attempted, fails, and the doc (with its pending
    // updates) must still be here. A fixed wait is the point: the test is about time passing.
    await new Promise((resolve) => setTimeout(resolve, unloadMs * 6));
    expect(server.collab.liveDoc(articleId)).not.toBeNull();

    await redisServer.server.start();
    await eventually(() => server.collab.liveDoc(articleId) === null, 30_000, 'doc unloaded after Redis came back');
    expect(await storedText(server, articleId)).toBe('before the outage. typed while Redis was down.');
  }, 60_000);

  it('leaves no document, timer or listener behind after a hundred joins fail to load the doc', async () => {
    // The doc store fails while `failing` is set; sessions and articles still answer, so every
    // join gets as far as loading the document. (With Redis down, sign-in fails first: below.)
    const dataDir = tempDir();
    const real = await openSqliteStore(dataDir);
    let failing = false;
    const docs: DocStore = new Proxy(real.docs, {
      get(target, key, receiver) {
        if (key === 'load' && failing) return () => Promise.reject(new Error('injected: doc store unavailable'));
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const store: Store = Object.create(real, { docs: { value: docs } }) as Store;
    const server = await startTestServer({ DATA_DIR: dataDir }, { store });
    cleanup.push(() => server.stop());
    const alice = await server.login('alice');
    const articleId = await createArticle(server, alice);
    const before = { timers: activeTimers(), openDocs: server.collab.openDocCount, listeners: server.http.listenerCount('upgrade') };

    failing = true;
    const codes: number[] = [];
    for (let i = 0; i < 100; i++) codes.push(await closeCodeOf(rawSocket(`${server.wsUrl}/${articleId}`, alice)));
    expect(new Set(codes)).toEqual(new Set([CloseCode.internalError]));
    expect(server.collab.openDocCount).toBe(before.openDocs);
    expect(server.collab.liveDoc(articleId)).toBeNull();
    expect(server.http.listenerCount('upgrade')).toBe(before.listeners);
    // A leaked awareness interval per failed load would add a hundred timers.
    expect(activeTimers()).toBeLessThan(before.timers + 5);
    expect(await metricValue(server, 'copydesk_open_docs')).toBe(before.openDocs);

    failing = false;
    const writer = connectClient(server.wsUrl, articleId, alice);
    cleanup.push(() => writer.destroy());
    await waitForSync(writer);
    expect(server.collab.openDocCount).toBe(before.openDocs + 1);
  });

  it('refuses joins with 1011 while Redis is down and serves them again when it is back', async () => {
    const server = await redisInstance();
    const alice = await server.login('alice');
    const articleId = await createArticle(server, alice);
    const before = { openDocs: server.collab.openDocCount };
    await redisServer.server.stop();
    for (let i = 0; i < 100; i++) expect(await closeCodeOf(rawSocket(`${server.wsUrl}/${articleId}`, alice))).toBe(CloseCode.internalError);
    expect(server.collab.openDocCount).toBe(before.openDocs);
    await redisServer.server.start();
    const writer = connectClient(server.wsUrl, articleId, alice);
    cleanup.push(() => writer.destroy());
    await waitForSync(writer, 20_000);
    expect(server.collab.openDocCount).toBe(before.openDocs + 1);
  }, 60_000);
});

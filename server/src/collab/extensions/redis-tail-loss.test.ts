import { randomUUID } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, eventually, startTestServer, tempDir, waitForSync, type TestClient, type TestServer } from '../../test/harness.ts';
import { cleanupAfterEach, privateRedis } from '../../test/hooks.ts';

/**
 * Redis coming back from an AOF that lacks its last writes: two instances notice, resync their
 * open documents from the store, write back what it lost, and keep relaying to each other.
 */
const redisServer = privateRedis();
const cleanup = cleanupAfterEach();

async function storedText(server: TestServer, articleId: string): Promise<string> {
  const stored = await server.ctx.store.docs.load(articleId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdateV2(doc, stored.snapshot);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  const text = doc.getText('t').toString();
  doc.destroy();
  return text;
}

const text = (c: TestClient) => c.doc.getText('t').toString();

async function healthy(server: TestServer): Promise<boolean> {
  return (await server.request('/healthz')).status === 200;
}

describe('Redis restarted from an older AOF', () => {
  it('resyncs open documents: the store gets back what it lost and the relay keeps going', async () => {
    const redis = redisServer.server;
    const prefix = `test-${randomUUID()}:`;
    const [a, b] = await Promise.all(['a', 'b'].map((id) => startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: `tail-${id}` })));
    cleanup.push(() => a!.stop(), () => b!.stop());
    const alice = await a!.login('alice');
    const res = await a!.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Tail loss' } });
    const articleId = ((await res.json()) as { id: string }).id;
    const onA = connectClient(a!.wsUrl, articleId, alice);
    const onB = connectClient(b!.wsUrl, articleId, await b!.login('bob'));
    cleanup.push(() => onA.destroy(), () => onB.destroy());
    await Promise.all([waitForSync(onA), waitForSync(onB)]);

    onA.doc.getText('t').insert(0, 'one ');
    await eventually(async () => text(onB) === 'one ' && (await storedText(a!, articleId)) === 'one ', 10_000, 'first words stored and relayed');

    // The AOF as it is now: the "older" copy Redis will come back from.
    await redis.stop();
    const olderAof = tempDir('copydesk-aof-');
    cleanup.push(() => rmSync(olderAof, { recursive: true, force: true }));
    cpSync(join(redis.dir, 'appendonlydir'), olderAof, { recursive: true });
    await redis.start();
    await eventually(async () => (await healthy(a!)) && (await healthy(b!)), 20_000, 'instances reconnected');

    // Written and relayed after the copy: this is what the restart loses.
    onA.doc.getText('t').insert(4, 'two ');
    await eventually(async () => text(onB) === 'one two ' && (await storedText(b!, articleId)) === 'one two ', 10_000, 'second words stored');

    await redis.kill();
    rmSync(join(redis.dir, 'appendonlydir'), { recursive: true, force: true });
    cpSync(olderAof, join(redis.dir, 'appendonlydir'), { recursive: true });
    await redis.start();

    // The store gets the lost words back from the instances that still hold them.
    await eventually(async () => (await healthy(a!)) && (await storedText(a!, articleId)) === 'one two ', 20_000, 'lost words written back');

    // And the relay reads on from the right place in both directions.
    onB.doc.getText('t').insert(8, 'three ');
    await eventually(() => text(onA) === 'one two three ', 10_000, 'B to A after the restart');
    onA.doc.getText('t').insert(14, 'four');
    await eventually(() => text(onB) === 'one two three four', 10_000, 'A to B after the restart');
    await eventually(async () => (await storedText(b!, articleId)) === 'one two three four', 10_000, 'store equals what the clients hold');
  }, 90_000);
});

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@copydesk/protocol';
import { closeCodeOf, connectClient, eventually, rawSocket, startTestServer, waitForSync, type TestServer } from '../test/harness.ts';
import { startRedisServer, type RedisServer } from '../cluster/processes.ts';
import { call, connect, ok, publishedArticle } from '../routes/comments/test-helpers.ts';

/** The advertised metrics move under load, on every channel: REST, /collab close codes, Socket.IO acks, the relay. */
const TOKEN = 'metrics-token-for-tests';
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function scrape(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** One sample's value (0 when absent). */
async function value(server: TestServer, sample: string): Promise<number> {
  const text = await scrape(server);
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

describe('metrics on one instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN, COMMENT_RATE_PER_USER: '100', COMMENT_RATE_PER_IP: '100', MAX_MESSAGE_BYTES: '4096' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('counts every comment event delivered to a reader socket', async () => {
    const [writer, lead, rita] = [await server.login('alice'), await server.login('lead'), await server.login('rita')];
    const article = await publishedArticle(server, writer, lead);
    const readers = await Promise.all([connect(server), connect(server), connect(server, rita)]);
    for (const reader of readers) {
      cleanup.push(() => reader.disconnect());
      await ok(reader, 'comments:subscribe', { articleId: article.id });
    }
    const before = await value(server, 'copydesk_comment_deliveries_total');
    const poster = readers[2]!;
    for (let i = 0; i < 10; i++) await ok(poster, 'comment:post', { articleId: article.id, body: `Comment ${i}` });
    // 10 comments × 3 reader sockets (the poster's own socket is in the room too).
    await eventually(async () => (await value(server, 'copydesk_comment_deliveries_total')) - before >= 30, 5_000, 'deliveries counted');
  });

  it('counts Socket.IO ack errors and /collab error closes by code, beside REST', async () => {
    const socketErrors = 'copydesk_errors_total{channel="socketio",code="invalid_request"}';
    const collabErrors = `copydesk_errors_total{channel="collab",code="${CloseCode.unauthenticated}"}`;
    const [socketBefore, collabBefore] = [await value(server, socketErrors), await value(server, collabErrors)];

    const socket = await connect(server, await server.login('rita'));
    cleanup.push(() => socket.disconnect());
    for (let i = 0; i < 3; i++) expect((await call(socket, 'comment:post', { articleId: 'not an id', body: '' })).ok).toBe(false);
    expect(await value(server, socketErrors)).toBe(socketBefore + 3);

    const articles = (await (await server.request('/api/articles', { cookie: await server.login('alice') })).json()) as { articles: Array<{ id: string }> };
    for (let i = 0; i < 2; i++) expect(await closeCodeOf(rawSocket(`${server.wsUrl}/${articles.articles[0]!.id}`))).toBe(CloseCode.unauthenticated);
    expect(await value(server, collabErrors)).toBe(collabBefore + 2);

    // A frame past MAX_MESSAGE_BYTES (closed by ws itself) and a malformed one (closed by us).
    const tooLarge = `copydesk_errors_total{channel="collab",code="${CloseCode.tooLarge}"}`;
    const malformed = `copydesk_errors_total{channel="collab",code="${CloseCode.malformed}"}`;
    const [largeBefore, malformedBefore] = [await value(server, tooLarge), await value(server, malformed)];
    const cookie = await server.login('alice');
    for (const frame of [new Uint8Array(8192), new Uint8Array([0, 2, 200])]) {
      const socket = rawSocket(`${server.wsUrl}/${articles.articles[0]!.id}`, cookie);
      await new Promise((resolve) => socket.once('message', resolve));
      const closed = closeCodeOf(socket);
      socket.send(frame);
      await closed;
    }
    await eventually(async () => (await value(server, tooLarge)) === largeBefore + 1 && (await value(server, malformed)) === malformedBefore + 1, 5_000, 'both closes counted');
  });
});

describe('metrics across instances (Redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('observes the relay lag of updates from the other instance, and counts comment deliveries where they are delivered', async () => {
    const prefix = `metrics-${randomUUID()}:`;
    const servers: TestServer[] = [];
    for (const id of ['a', 'b']) {
      const s = await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: id, METRICS_TOKEN: TOKEN, SEED_DEMO: id === 'a' ? 'true' : 'false' });
      cleanup.push(() => s.stop());
      servers.push(s);
    }
    const [a, b] = servers as [TestServer, TestServer];
    const alice = await a.login('alice');
    const res = await a.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Lagging' } });
    const id = ((await res.json()) as { id: string }).id;
    const onA = connectClient(a.wsUrl, id, alice);
    const onB = connectClient(b.wsUrl, id, await b.login('bob'));
    cleanup.push(() => onA.destroy(), () => onB.destroy());
    await Promise.all([waitForSync(onA), waitForSync(onB)]);
    const lagCount = 'copydesk_redis_relay_delay_seconds_count';
    const before = await value(b, lagCount);
    for (let i = 0; i < 50; i++) onA.doc.getText('t').insert(i, 'x');
    await eventually(() => onB.doc.getText('t').length === 50, 5_000, 'B has every keystroke');
    await eventually(async () => (await value(b, lagCount)) > before, 5_000, 'relay lag observed on B');
    expect(await scrape(b)).toMatch(/^copydesk_redis_relay_lag_seconds \d/m);

    // A comment posted on A reaches a reader socket on B: B counts the delivery.
    const article = await publishedArticle(a, alice, await a.login('lead'));
    const reader = await connect(b);
    cleanup.push(() => reader.disconnect());
    await ok(reader, 'comments:subscribe', { articleId: article.id });
    const deliveredBefore = await value(b, 'copydesk_comment_deliveries_total');
    const poster = await connect(a, await a.login('rita'));
    cleanup.push(() => poster.disconnect());
    await ok(poster, 'comment:post', { articleId: article.id, body: 'From the other instance' });
    await eventually(async () => (await value(b, 'copydesk_comment_deliveries_total')) > deliveredBefore, 5_000, 'delivery counted on B');
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createClient } from 'redis';
import { CloseCode } from '@copydesk/protocol';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { connectClient, cookieWebSocket, eventually, startTestServer, waitForSync, type TestClient, type TestServer } from '../test/harness.ts';
import { startRedisServer, type RedisServer } from '../cluster/processes.ts';
import type { RedisStore } from '../storage/redis/redis-store.ts';

/**
 * Rights follow the person onto open connections: a logout, a password change or a revoked token
 * closes that person's /collab connections (4401) and Socket.IO sockets within 2 s, on every instance.
 */
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function createArticle(server: TestServer, cookie: string): Promise<string> {
  const res = await server.request('/api/articles', { method: 'POST', cookie, json: { headline: `Rights ${randomUUID()}` } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A stock WebsocketProvider, by session cookie or by API token (`?token=`, as bots connect). */
function editor(server: TestServer, articleId: string, credential: { cookie?: string; token?: string }): TestClient {
  let c: TestClient;
  if (credential.token) {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(server.wsUrl, articleId, doc, {
      WebSocketPolyfill: cookieWebSocket(undefined) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 300,
      params: { token: credential.token },
    });
    const closes: number[] = [];
    provider.on('connection-close', (event) => event && closes.push(event.code));
    c = { doc, provider, closes, destroy: () => (provider.destroy(), doc.destroy()) };
  } else c = connectClient(server.wsUrl, articleId, credential.cookie);
  cleanup.push(() => c.destroy());
  return c;
}

function socketOf(server: TestServer, cookie: string): Promise<Socket> {
  const socket = ioClient(server.url, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false });
  cleanup.push(() => socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const within2s = (check: () => boolean, what: string) => eventually(check, 2_000, what);

describe('rights follow the person (one instance, SQLite)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('logout closes that session\'s editors with 4401 and its Socket.IO sockets; another session of the same person stays', async () => {
    const [ended, kept] = [await server.login('alice'), await server.login('alice')];
    const articleId = await createArticle(server, kept);
    const gone = editor(server, articleId, { cookie: ended });
    const stays = editor(server, articleId, { cookie: kept });
    await Promise.all([waitForSync(gone), waitForSync(stays)]);
    const goneSocket = await socketOf(server, ended);
    const keptSocket = await socketOf(server, kept);
    let disconnectReason = '';
    goneSocket.on('disconnect', (reason) => (disconnectReason = reason));

    expect((await server.request('/api/auth/logout', { method: 'POST', cookie: ended })).status).toBe(204);
    await within2s(() => gone.closes.includes(CloseCode.unauthenticated), 'the ended session\'s editor to close with 4401');
    await within2s(() => disconnectReason === 'io server disconnect', 'the ended session\'s socket to be disconnected');
    expect(stays.closes).toEqual([]);
    expect(keptSocket.connected).toBe(true);
  });

  it('a password change closes every editor and socket of that person', async () => {
    const [a, b] = [await server.login('bob'), await server.login('bob')];
    const articleId = await createArticle(server, a);
    const first = editor(server, articleId, { cookie: a });
    const second = editor(server, articleId, { cookie: b });
    await Promise.all([waitForSync(first), waitForSync(second)]);
    const socket = await socketOf(server, b);
    let disconnected = false;
    socket.on('disconnect', () => (disconnected = true));

    const res = await server.request('/api/me/password', { method: 'POST', cookie: a, json: { currentPassword: 'copydesk', newPassword: 'a much newer password' } });
    expect(res.status).toBe(204);
    await within2s(() => first.closes.includes(CloseCode.unauthenticated) && second.closes.includes(CloseCode.unauthenticated), 'both editors to close with 4401');
    await within2s(() => disconnected, 'the socket to be disconnected');
    await server.request('/api/me/password', { method: 'POST', cookie: await server.login('bob', 'a much newer password'), json: { currentPassword: 'a much newer password', newPassword: 'copydesk' } });
  });

  it('revoking an API token closes the /collab connections opened with it', async () => {
    const lead = await server.login('lead');
    const created = await server.request('/api/tokens', { method: 'POST', cookie: lead, json: { name: 'bot', role: 'writer' } });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    const articleId = await createArticle(server, lead);
    const bot = editor(server, articleId, { token });
    const human = editor(server, articleId, { cookie: lead });
    await Promise.all([waitForSync(bot), waitForSync(human)]);

    expect((await server.request(`/api/tokens/${id}`, { method: 'DELETE', cookie: lead })).status).toBe(204);
    await within2s(() => bot.closes.includes(CloseCode.unauthenticated), 'the token\'s editor to close with 4401');
    expect(human.closes).toEqual([]);
  });
});

describe('rights follow the person across instances (Redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('a logout on one instance closes the session\'s editor and socket on the other, also after the other\'s reader lost its Redis connection', async () => {
    const prefix = `rights-${randomUUID()}:`;
    const [a, b] = [
      await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'a' }),
      await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'b' }),
    ];
    cleanup.push(() => a.stop(), () => b.stop());
    const first = await a.login('alice');
    const articleId = await createArticle(a, first);
    const onB = editor(b, articleId, { cookie: first });
    await waitForSync(onB);
    const socketOnB = await socketOf(b, first);
    let disconnected = false;
    socketOnB.on('disconnect', () => (disconnected = true));

    // Every rights reader loses its connection; the change is made while they reconnect.
    const admin = createClient({ url: redis.url });
    await admin.connect();
    cleanup.push(() => admin.quit());
    await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']).catch(() => undefined);
    await eventually(async () => (await a.request('/healthz')).status === 200, 5_000, 'instance a to reach Redis again');
    expect((await a.request('/api/auth/logout', { method: 'POST', cookie: first })).status).toBe(204);
    await eventually(() => onB.closes.includes(CloseCode.unauthenticated), 5_000, 'the editor on instance b to close with 4401');
    await eventually(() => disconnected, 5_000, 'the socket on instance b to be disconnected');

    // And within 2 s once connected.
    const second = await a.login('alice');
    const again = editor(b, articleId, { cookie: second });
    await waitForSync(again);
    expect((await a.request('/api/auth/logout', { method: 'POST', cookie: second })).status).toBe(204);
    await within2s(() => again.closes.includes(CloseCode.unauthenticated), 'the editor on instance b to close with 4401');
  });

  it('an article approved on one instance turns a writer on the other read-only, also after the other\'s reader lost its Redis connection', async () => {
    const prefix = `rights-${randomUUID()}:`;
    const [a, b] = [
      await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'a' }),
      await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'b' }),
    ];
    cleanup.push(() => a.stop(), () => b.stop());
    const alice = await b.login('alice');
    const lead = await a.login('lead');
    const articleId = await createArticle(b, alice);
    const writer = editor(b, articleId, { cookie: alice });
    await waitForSync(writer);
    for (const [to, server, cookie] of [['filed', b, alice], ['editing', a, lead]] as const) {
      expect((await server.request(`/api/articles/${articleId}/transitions`, { method: 'POST', cookie, json: { to } })).status).toBe(200);
    }
    const admin = createClient({ url: redis.url });
    await admin.connect();
    cleanup.push(() => admin.quit());
    await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']).catch(() => undefined);
    await eventually(async () => (await a.request('/healthz')).status === 200, 5_000, 'instance a to reach Redis again');
    // Every subscriber keeps losing its connection while the lead approves (a flapping link): a
    // switch sent by fire-and-forget pub/sub meanwhile is gone for good.
    let flapping = true;
    const flap = (async () => {
      while (flapping) await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']).catch(() => undefined);
    })();
    expect((await a.request(`/api/articles/${articleId}/transitions`, { method: 'POST', cookie: lead, json: { to: 'approved' } })).status).toBe(200);
    await a.request('/healthz'); // one more round trip with the link still flapping
    flapping = false;
    await flap;
    await eventually(() => b.collab.connections(articleId).every((c) => c.readOnly), 5_000, 'the writer on b to turn read-only');
    expect(writer.closes).toEqual([]);
  });

  it('a role change announced on one instance (ctx.rights.userChanged) downgrades or closes that person\'s editors on the other', async () => {
    const prefix = `rights-${randomUUID()}:`;
    const [a, b] = [
      await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'a' }),
      await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'b' }),
    ];
    cleanup.push(() => a.stop(), () => b.stop());
    const lead = await a.login('lead');
    const approved = await createArticle(a, lead);
    for (const to of ['filed', 'editing', 'approved']) {
      expect((await a.request(`/api/articles/${approved}/transitions`, { method: 'POST', cookie: lead, json: { to } })).status).toBe(200);
    }
    const draft = await createArticle(a, lead);
    const onApproved = editor(b, approved, { cookie: lead });
    const onDraft = editor(b, draft, { cookie: lead });
    await Promise.all([waitForSync(onApproved), waitForSync(onDraft)]);
    expect(b.collab.connections(approved).every((c) => !c.readOnly)).toBe(true);

    // The lead becomes a writer (written straight into the store, as PATCH /api/users/:id will): read-only on the approved story.
    const store = a.ctx.store as RedisStore;
    const user = (await store.users.findByUsername('lead'))!;
    await store.client.set(store.keys.user(user.id), JSON.stringify({ ...user, role: 'writer' }));
    await a.ctx.rights.userChanged(user.id);
    await within2s(() => b.collab.connections(approved).length === 1 && b.collab.connections(approved)[0]!.readOnly, 'read-only on the approved story');
    expect(b.collab.connections(draft)[0]?.readOnly).toBe(false);

    // Then a reader: readers may not open working copies at all.
    await store.client.set(store.keys.user(user.id), JSON.stringify({ ...user, role: 'reader' }));
    await a.ctx.rights.userChanged(user.id);
    await within2s(() => onApproved.closes.includes(CloseCode.forbidden) && onDraft.closes.includes(CloseCode.forbidden), 'both editors closed with 4403');
  });
});

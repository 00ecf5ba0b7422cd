import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { io as connectSocket } from 'socket.io-client';
import { CloseCode } from '@copydesk/protocol';
import { closeCodeOf, connectClient, rawSocket, startTestServer, waitForSync, type TestServer } from '../test/harness.ts';

let server: TestServer;
let alice: string;
let lead: string;
beforeAll(async () => {
  server = await startTestServer({ ALLOWED_ORIGINS: 'https://desk.example.com', LOGIN_RATE_PER_USERNAME: '1000', LOGIN_RATE_PER_IP: '1000' });
  alice = await server.login('alice');
  lead = await server.login('lead');
});
afterAll(() => server.stop());

const create = (headers: Record<string, string>, cookie = alice) =>
  server.request('/api/articles', { method: 'POST', cookie, headers, json: { headline: 'Cross-site test' } });

describe('cross-site protection', () => {
  it('refuses state-changing cookie requests from a foreign Origin or a cross-site fetch', async () => {
    const attempts: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of attempts) {
      const res = await create(headers);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'forbidden', message: 'Cross-site request refused' } });
    }
    expect((await server.request('/api/articles', { cookie: alice })).status).toBe(200);
  });

  it('accepts its own origin, configured origins, and non-browser clients', async () => {
    const self = new URL(server.url).host;
    expect((await create({ origin: `http://${self}` })).status).toBe(201);
    expect((await create({ origin: 'https://desk.example.com' })).status).toBe(201);
    expect((await create({ 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await create({})).status).toBe(201);
  });

  it('refuses /collab and Socket.IO handshakes from a foreign Origin', async () => {
    const id = (await (await create({})).json()).id;
    const ws = new (await import('ws')).default(`${server.wsUrl}/${id}`, { headers: { cookie: alice, origin: 'https://evil.example' } });
    expect(await closeCodeOf(ws)).toBe(CloseCode.forbidden);
    const ok = new (await import('ws')).default(`${server.wsUrl}/${id}`, { headers: { cookie: alice, origin: server.url } });
    await new Promise((resolve, reject) => {
      ok.once('open', resolve);
      ok.once('close', reject);
    });
    ok.close();

    const socket = connectSocket(server.url, { transports: ['websocket'], extraHeaders: { cookie: alice, origin: 'https://evil.example' }, reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error).toBeInstanceOf(Error);
    socket.disconnect();
  });
});

describe('sessions', () => {
  it('changing the password logs the user out everywhere and keeps this browser signed in', async () => {
    const elsewhere = await server.login('bob');
    const here = await server.login('bob');
    const res = await server.request('/api/me/password', { method: 'POST', cookie: here, json: { currentPassword: 'copydesk', newPassword: 'a much longer passphrase' } });
    expect(res.status).toBe(204);
    const fresh = res.headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await server.request('/api/me', { cookie: elsewhere })).status).toBe(401);
    expect((await server.request('/api/me', { cookie: here })).status).toBe(401);
    expect((await server.request('/api/me', { cookie: fresh })).status).toBe(200);
    expect((await server.login('bob', 'a much longer passphrase')).length).toBeGreaterThan(10);
    const wrong = await server.request('/api/me/password', { method: 'POST', cookie: fresh, json: { currentPassword: 'nope', newPassword: 'another long passphrase' } });
    expect(wrong.status).toBe(401);
    const short = await server.request('/api/me/password', { method: 'POST', cookie: fresh, json: { currentPassword: 'a much longer passphrase', newPassword: 'short' } });
    expect(short.status).toBe(400);
  });

  it('expires idle sessions', async () => {
    const idle = await startTestServer({ SESSION_IDLE_MS: '1000' });
    try {
      const cookie = await idle.login('alice');
      expect((await idle.request('/api/me', { cookie })).status).toBe(200);
      // SESSION_IDLE_MS is one second here: wait it out once.
      await new Promise((r) => setTimeout(r, 1100));
      expect((await idle.request('/api/me', { cookie })).status).toBe(401);
    } finally {
      await idle.stop();
    }
  });

  it('marks the cookie Secure behind an HTTPS proxy when TRUST_PROXY is on', async () => {
    const proxied = await startTestServer({ TRUST_PROXY: 'true' });
    try {
      const res = await proxied.request('/api/auth/login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, json: { username: 'alice', password: 'copydesk' } });
      expect(res.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i);
    } finally {
      await proxied.stop();
    }
  });
});

describe('API tokens', () => {
  it('creates a scoped token shown once, accepted as Bearer on REST and ?token= on /collab, and revocable', async () => {
    const created = await server.request('/api/tokens', { method: 'POST', cookie: alice, json: { name: 'Wire importer', role: 'writer' } });
    expect(created.status).toBe(201);
    const token = await created.json();
    expect(token).toMatchObject({ name: 'Wire importer', role: 'writer', token: expect.stringMatching(/^cdk_/) });
    const list = await (await server.request('/api/tokens', { cookie: alice })).json();
    expect(list.tokens[0]).not.toHaveProperty('token');
    expect(JSON.stringify(await server.ctx.store.tokens.listForUser(list.tokens[0].id))).not.toContain(token.token);

    const bearer = { authorization: `Bearer ${token.token}` };
    const viaToken = await server.request('/api/articles', { method: 'POST', headers: { ...bearer, origin: 'https://evil.example' }, json: { headline: 'Filed by a bot' } });
    expect(viaToken.status).toBe(201); // no cookie involved, so no cross-site risk
    const article = await viaToken.json();
    const ws = rawSocket(`${server.wsUrl}/${article.id}?token=${encodeURIComponent(token.token)}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('close', reject);
    });
    ws.close();
    expect((await server.request('/api/tokens', { headers: bearer })).status).toBe(403); // tokens cannot mint tokens

    expect((await server.request(`/api/tokens/${token.id}`, { method: 'DELETE', cookie: alice })).status).toBe(204);
    const revoked = await server.request('/api/me', { headers: bearer });
    expect(revoked.status).toBe(401);
    expect(await closeCodeOf(rawSocket(`${server.wsUrl}/${article.id}?token=${encodeURIComponent(token.token)}`))).toBe(CloseCode.unauthenticated);
    expect((await server.request(`/api/tokens/${token.id}`, { method: 'DELETE', cookie: lead })).status).toBe(404);
  });

  it('never grants a role above the owner', async () => {
    const res = await server.request('/api/tokens', { method: 'POST', cookie: alice, json: { name: 'Sneaky', role: 'lead' } });
    expect(res.status).toBe(403);
    const reader = await (await server.request('/api/tokens', { method: 'POST', cookie: lead, json: { name: 'Read only', role: 'reader' } })).json();
    const denied = await server.request('/api/articles', { method: 'POST', headers: { authorization: `Bearer ${reader.token}` }, json: { headline: 'x' } });
    expect(denied.status).toBe(403);
    expect((await server.request('/api/me', { headers: { authorization: 'Bearer cdk_forged' } })).status).toBe(401);
  });
});

describe('hostile HTTP', () => {
  it('answers oversized headers and broken HTTP with JSON errors', async () => {
    const res = await server.request('/api/me', { headers: { 'x-padding': 'x'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect((await res.json()).error.code).toBe('payload_too_large');

    const raw = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GARBAGE / NOT-HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('"code":"invalid_request"');
  });

  it('answers deep JSON and invalid UTF-8 with 400 and stores nothing', async () => {
    const before = (await (await server.request('/api/articles', { cookie: alice })).json()).articles.length;
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await server.request('/api/articles', { method: 'POST', cookie: alice, headers: { 'content-type': 'application/json' }, body: deep });
    expect([400, 413]).toContain(res.status);
    const invalid = await server.request('/api/articles', {
      method: 'POST',
      cookie: alice,
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"headline": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
    });
    expect(invalid.status).toBeLessThan(500);
    const after = (await (await server.request('/api/articles', { cookie: alice })).json()).articles.length;
    expect(after - before).toBeLessThanOrEqual(invalid.status === 201 ? 1 : 0);
  });

  it('sends a strict Content-Security-Policy and no X-Powered-By', async () => {
    const res = await server.request('/healthz');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('collab limits', () => {
  it('closes a connection whose update, awareness state or document crosses its limit, and only that one', async () => {
    const limited = await startTestServer({ MAX_UPDATE_BYTES: '2048', MAX_AWARENESS_BYTES: '512', MAX_DOC_BYTES: '8192', MAX_CONNECTIONS_PER_USER: '3' });
    try {
      const cookie = await limited.login('alice');
      const id = (await (await limited.request('/api/articles', { method: 'POST', cookie, json: { headline: 'Limits' } })).json()).id;
      const honest = connectClient(limited.wsUrl, id, await limited.login('lead'));
      await waitForSync(honest);

      const big = connectClient(limited.wsUrl, id, cookie);
      await waitForSync(big);
      big.doc.getText('t').insert(0, 'x'.repeat(4000));
      await expectClose(big, CloseCode.tooLarge);
      big.destroy();

      const chatty = connectClient(limited.wsUrl, id, cookie);
      await waitForSync(chatty);
      chatty.provider.awareness.setLocalStateField('user', { name: 'y'.repeat(2000) });
      await expectClose(chatty, CloseCode.tooLarge);
      chatty.destroy();

      const grower = connectClient(limited.wsUrl, id, cookie);
      await waitForSync(grower);
      for (let i = 0; i < 12; i++) grower.doc.getText('t').insert(0, 'z'.repeat(1000));
      await expectClose(grower, CloseCode.docTooLarge);
      grower.destroy();
      expect(limited.collab.liveDoc(id)!.doc.getText('t').length).toBeLessThan(8192);

      // Per-user connection limit: the fourth simultaneous socket is refused with 4429.
      const sockets = [0, 1, 2].map(() => rawSocket(`${limited.wsUrl}/${id}`, cookie));
      await Promise.all(sockets.map((s) => new Promise((r) => s.once('open', r))));
      expect(await closeCodeOf(rawSocket(`${limited.wsUrl}/${id}`, cookie))).toBe(CloseCode.tooManyConnections);
      sockets.forEach((s) => s.close());

      honest.doc.getText('ok').insert(0, 'still fine');
      expect(honest.closes).toEqual([]);
      honest.destroy();
    } finally {
      await limited.stop();
    }
  });
});

async function expectClose(client: ReturnType<typeof connectClient>, code: number) {
  const deadline = Date.now() + 5000;
  while (!client.closes.includes(code) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(client.closes).toContain(code);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@copydesk/protocol';
import { startTestServer, type TestServer } from '../../test/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOGIN_RATE_PER_USERNAME: '5', LOGIN_RATE_PER_IP: '1000' });
});
afterAll(() => server.stop());

const login = (json: unknown) => server.request('/api/auth/login', { method: 'POST', json });

describe('auth', () => {
  it('logs in with the right password and sets an httpOnly SameSite=Lax session cookie', async () => {
    const res = await login({ username: 'alice', password: 'copydesk' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ user: { id: expect.any(String), username: 'alice', displayName: 'Alice Moreau', role: 'writer' } });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('refuses a wrong password or an unknown user with 401 invalid_credentials', async () => {
    for (const json of [{ username: 'alice', password: 'nope' }, { username: 'nobody', password: 'copydesk' }]) {
      const res = await login(json);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('answers bad JSON and bad bodies with 400 invalid_request naming the field', async () => {
    const badJson = await server.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": ' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.code).toBe('invalid_request');

    const missing = await login({ username: 'alice' });
    expect(missing.status).toBe(400);
    const error = (await missing.json()).error;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('password');

    const wrongType = await login({ username: 42, password: 'x' });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).error.message).toContain('username');
  });

  it('answers an oversized body with 413 payload_too_large', async () => {
    const res = await login({ username: 'alice', password: 'x'.repeat(200 * 1024) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('GET /api/me is 401 without a session and returns the user with one; logout ends the session', async () => {
    const anonymous = await server.request('/api/me');
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('unauthenticated');

    const cookie = await server.login('bob');
    const me = await server.request('/api/me', { cookie });
    expect(me.status).toBe(200);
    expect((await me.json()).user.username).toBe('bob');

    const logout = await server.request('/api/auth/logout', { method: 'POST', cookie });
    expect(logout.status).toBe(204);
    expect((await server.request('/api/me', { cookie })).status).toBe(401);
  });

  it('issues a new session id at every login', async () => {
    const first = await server.login('lead');
    const second = await server.login('lead');
    expect(first).not.toBe(second);
  });

  it('rate limits login attempts per username with 429 rate_limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login({ username: 'rita', password: 'wrong' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await login({ username: 'rita', password: 'copydesk' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await server.request('/api/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('GET /healthz reports the store without auth', async () => {
    const res = await server.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', store: 'sqlite', storeReachable: true, uptimeSeconds: expect.any(Number) });
  });
});

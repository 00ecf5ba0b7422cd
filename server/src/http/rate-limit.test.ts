import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { CloseCode } from '@copydesk/protocol';
import { eventually, rawSocket, startTestServer, type TestServer } from '../test/harness.ts';
import { startRedisServer, type RedisServer } from '../cluster/processes.ts';

/** Whom a limit counts: never what a client writes into X-Forwarded-For; and one limit for every instance. */
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function server(overrides: Record<string, string>): Promise<TestServer> {
  const s = await startTestServer({ LOGIN_RATE_PER_IP: '3', LOGIN_RATE_PER_USERNAME: '100', ...overrides });
  cleanup.push(() => s.stop());
  return s;
}

/** A failed login from "somewhere": a fresh username each time, so only the per-address limit can bite. */
async function attempt(s: TestServer, forwardedFor?: string): Promise<number> {
  const headers: Record<string, string> = {};
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  const res = await s.request('/api/auth/login', { method: 'POST', headers, json: { username: `nobody-${randomUUID().slice(0, 8)}`, password: 'wrong' } });
  return res.status;
}

describe('rate limits and X-Forwarded-For', () => {
  it('without a trusted proxy, a forged X-Forwarded-For is ignored: the socket address is counted', async () => {
    const s = await server({});
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await attempt(s, `198.51.100.${i}`));
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('behind one trusted hop (TRUST_PROXY=true), only the entry the proxy wrote counts, not what the client put before it', async () => {
    const s = await server({ TRUST_PROXY: 'true' });
    const statuses = [];
    // What an appending proxy forwards: the client's forged entries, then the address it saw.
    for (let i = 0; i < 4; i++) statuses.push(await attempt(s, `198.51.100.${i}, 203.0.113.7`));
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy has its own budget.
    expect(await attempt(s, '203.0.113.8')).toBe(401);
  });

  it('TRUST_PROXY=2 trusts two hops', async () => {
    const s = await server({ TRUST_PROXY: '2' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await attempt(s, `198.51.100.${i}, 203.0.113.9, 10.0.0.2`));
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('shared limits across instances (Redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('two instances enforce one login limit', async () => {
    const prefix = `limits-${randomUUID()}:`;
    const a = await server({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'a' });
    const b = await server({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'b', SEED_DEMO: 'false' });
    expect([await attempt(a), await attempt(b), await attempt(a), await attempt(b), await attempt(a)]).toEqual([401, 401, 401, 429, 429]);
  });

  it('two instances enforce one /collab connection limit per person; a closed connection frees its place', async () => {
    const prefix = `limits-${randomUUID()}:`;
    const a = await server({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'a', MAX_CONNECTIONS_PER_USER: '3' });
    const b = await server({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'b', SEED_DEMO: 'false', MAX_CONNECTIONS_PER_USER: '3' });
    const alice = await a.login('alice');
    const created = await a.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Counted everywhere' } });
    const id = ((await created.json()) as { id: string }).id;
    /** Opens a /collab socket: 'open' once the server speaks (sync step 1), else its close code. */
    const open = async (s: TestServer): Promise<{ socket: WebSocket; outcome: 'open' | number }> => {
      const socket = rawSocket(`${s.wsUrl}/${id}`, alice);
      cleanup.push(() => socket.terminate());
      const outcome = await new Promise<'open' | number>((resolve) => {
        socket.once('message', () => resolve('open'));
        socket.once('close', (code) => resolve(code));
        socket.on('error', () => undefined);
      });
      return { socket, outcome };
    };
    const first = await open(a);
    const results = [first.outcome, (await open(a)).outcome, (await open(b)).outcome, (await open(b)).outcome];
    expect(results).toEqual(['open', 'open', 'open', CloseCode.tooManyConnections]);
    const closed = new Promise((resolve) => first.socket.once('close', resolve));
    first.socket.close();
    await closed;
    // The place is free once instance a has seen the close (its release is one Redis round trip).
    await eventually(async () => (await open(b)).outcome === 'open', 5_000, 'a place on instance b');
  });
});

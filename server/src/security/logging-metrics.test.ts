import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACTED_PATHS } from '../logger.ts';
import { startServer } from '../server.ts';
import { connectClient, eventually, loginAt, tempDir, testEnv, waitForSync } from '../test/harness.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  const log = pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  server = await startServer(testEnv({ DATA_DIR: tempDir(), LOG_LEVEL: 'debug', METRICS_TOKEN: 'metrics-token-for-tests' }), { log });
});
afterAll(() => server.close());

describe('structured logs', () => {
  it('carry a request id and never a password, cookie or token', async () => {
    const password = 'copydesk';
    const cookie = await loginAt(server.url, 'alice', password);
    const failed = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'wrong-secret-guess' }) });
    expect(failed.status).toBe(401);
    const tokenRes = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bot', role: 'writer' }) });
    const { token } = (await tokenRes.json()) as { token: string };
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const requestId = me.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const articles = (await (await fetch(`${server.url}/api/articles`, { headers: { cookie } })).json()) as { articles: Array<{ id: string }> };
    const client = connectClient(`ws://127.0.0.1:${server.port}/collab`, articles.articles[0]!.id, cookie);
    await waitForSync(client);
    client.destroy();

    const all = lines.join('\n');
    const sessionValue = cookie.split('=')[1]!;
    expect(all).not.toContain(sessionValue);
    expect(all).not.toContain(token);
    expect(all).not.toContain('wrong-secret-guess');
    expect(all).not.toMatch(/"password"\s*:\s*"(?!\[redacted\])/);
    const entries = lines.map((l) => JSON.parse(l) as { req?: { id?: string; headers?: Record<string, string> } });
    const meLine = entries.find((e) => e.req?.id === requestId);
    expect(meLine?.req?.headers?.authorization).toBe('[redacted]');
    expect(entries.some((e) => e.req?.headers?.cookie === '[redacted]')).toBe(true);
  });
});

describe('/metrics', () => {
  it('serves Prometheus text behind the metrics token', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const cookie = await loginAt(server.url, 'bob');
    const articles = (await (await fetch(`${server.url}/api/articles`, { headers: { cookie } })).json()) as { articles: Array<{ id: string }> };
    const id = articles.articles[0]!.id;
    const client = connectClient(`ws://127.0.0.1:${server.port}/collab`, id, cookie);
    await waitForSync(client);
    client.doc.getText('metrics').insert(0, 'counted');
    await eventually(() => server.collab.liveDoc(id)?.doc.getText('metrics').toString() === 'counted', 5000, 'update applied');
    client.destroy();
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of ['copydesk_open_docs', 'copydesk_collab_connections', 'copydesk_socketio_connections', 'copydesk_doc_updates_total', 'copydesk_store_write_seconds', 'copydesk_errors_total', 'copydesk_redis_relay_lag_seconds']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/copydesk_errors_total\{channel="rest",code="invalid_credentials"\} 1/);
    expect(text).toMatch(/copydesk_doc_updates_total\{origin="client"\} \d+/);
  });
});

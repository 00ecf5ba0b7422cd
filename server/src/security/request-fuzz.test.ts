import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import fc from 'fast-check';
import { connectClient, eventually, loginAt, spawnServerProcess, tempDir, waitForSync, type ServerProcess } from '../test/harness.ts';

/**
 * The requests that open connections, not just the frames that follow them: hand-picked and
 * random request lines, paths and headers, as WebSocket upgrades and as plain HTTP, at a real
 * server process. Every request must get an answer (an HTTP status or a WebSocket handshake that
 * the server then closes), and after each batch the process must still serve /healthz and two
 * writers must still converge. Bounded: a fixed number of runs, each with a short timeout.
 */
let proc: ServerProcess;
let dataDir: string;
let alice: string;
let bob: string;
let articleId: string;

beforeAll(async () => {
  dataDir = tempDir();
  proc = await spawnServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'true', MAX_CONNECTIONS_PER_IP: '100000' });
  alice = await loginAt(proc.url, 'alice');
  bob = await loginAt(proc.url, 'bob');
  const res = await fetch(`${proc.url}/api/articles`, {
    method: 'POST',
    headers: { cookie: alice, 'content-type': 'application/json', origin: proc.url },
    body: JSON.stringify({ headline: 'Fuzzed requests' }),
  });
  articleId = ((await res.json()) as { id: string }).id;
});

afterAll(async () => {
  const code = await proc.stop();
  rmSync(dataDir, { recursive: true, force: true });
  // A clean stop after all that: nothing put the process in a bad state.
  expect(code).toBe(0);
});

/** Sends raw bytes and resolves with the first line the server answers (or '' if it just closed). */
function sendRaw(bytes: string | Buffer, options: { halfClose?: boolean } = {}, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(proc.port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(bytes).slice(0, 300))}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received.split('\r\n')[0] ?? '');
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    // Half-closing says "that was the whole request": a request line the parser is still waiting
    // on (a blank line, say) is then answered or closed instead of timing out.
    if (options.halfClose) socket.end(bytes);
    else socket.write(bytes);
  });
}

function request(method: string, target: string, headers: Array<[string, string]>): string {
  return `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const UPGRADE: Array<[string, string]> = [
  ['Upgrade', 'websocket'],
  ['Connection', 'Upgrade'],
  ['Sec-WebSocket-Key', KEY],
  ['Sec-WebSocket-Version', '13'],
];

async function assertStillServing(): Promise<void> {
  const health = await fetch(`${proc.url}/healthz`);
  expect(health.status).toBe(200);
  expect(proc.child.exitCode).toBeNull();
}

/** Two writers on the same article end with the same text, including what both typed. */
async function assertWritersConverge(tag: string): Promise<void> {
  const url = `ws://127.0.0.1:${proc.port}/collab`;
  const a = connectClient(url, articleId, alice);
  const b = connectClient(url, articleId, bob);
  try {
    await Promise.all([waitForSync(a), waitForSync(b)]);
    a.doc.getText('fuzz').insert(0, `a${tag} `);
    b.doc.getText('fuzz').insert(0, `b${tag} `);
    await eventually(() => {
      const text = a.doc.getText('fuzz').toString();
      return text === b.doc.getText('fuzz').toString() && text.includes(`a${tag} `) && text.includes(`b${tag} `);
    }, 10_000, 'writers converge');
  } finally {
    a.destroy();
    b.destroy();
  }
}

describe('upgrade and HTTP requests that no client should send', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['bad percent-encoding in the article id', request('GET', '/collab/%FF', UPGRADE), /^HTTP\/1\.1 400/],
    ['a lone percent sign', request('GET', '/collab/%', UPGRADE), /^HTTP\/1\.1 400/],
    ['a protocol-relative target', request('GET', '//', UPGRADE), /^HTTP\/1\.1 (400|404)/],
    ['a double slash under /collab', request('GET', '/collab//x', UPGRADE), /^HTTP\/1\.1 101/],
    ['dot segments', request('GET', '/collab/../api/articles', UPGRADE), /^HTTP\/1\.1 101/],
    ['an empty id', request('GET', '/collab/', UPGRADE), /^HTTP\/1\.1 101/],
    ['/collab without an id', request('GET', '/collab', UPGRADE), /^HTTP\/1\.1 101/],
    ['a very long id', request('GET', `/collab/${'a'.repeat(6000)}`, UPGRADE), /^HTTP\/1\.1 101/],
    ['an id over the header limit', request('GET', `/collab/${'a'.repeat(20_000)}`, UPGRADE), /^HTTP\/1\.1 431/],
    ['query strings', request('GET', `/collab/${'x'}?token=&token=%FF&a[b]=c`, UPGRADE), /^HTTP\/1\.1 101/],
    ['no Sec-WebSocket-Key', request('GET', '/collab/abc', UPGRADE.filter(([k]) => k !== 'Sec-WebSocket-Key')), /^HTTP\/1\.1 400/],
    ['two Sec-WebSocket-Keys', request('GET', '/collab/abc', [...UPGRADE, ['Sec-WebSocket-Key', KEY]]), /^HTTP\/1\.1 400/],
    ['a wrong WebSocket version', request('GET', '/collab/abc', UPGRADE.map(([k, v]) => [k, k === 'Sec-WebSocket-Version' ? '7' : v])), /^HTTP\/1\.1 (400|426)/],
    ['no version', request('GET', '/collab/abc', UPGRADE.filter(([k]) => k !== 'Sec-WebSocket-Version')), /^HTTP\/1\.1 (400|426)/],
    ['POST upgrade', request('POST', '/collab/abc', [...UPGRADE, ['Content-Length', '0']]), /^HTTP\/1\.1 (400|404|405)/],
    ['upgrade on the API', request('GET', '/api/articles', UPGRADE), /^HTTP\/1\.1 404/],
    ['upgrade on the root', request('GET', '/', UPGRADE), /^HTTP\/1\.1 404/],
    ['upgrade on /healthz', request('GET', '/healthz', UPGRADE), /^HTTP\/1\.1 404/],
    ['upgrade to another protocol', request('GET', '/collab/abc', UPGRADE.map(([k, v]) => [k, k === 'Upgrade' ? 'h2c' : v])), /^HTTP\/1\.1 400/],
    ['Socket.IO upgrade with junk', request('GET', '/socket.io/?EIO=9&transport=websocket', UPGRADE), /^HTTP\/1\.1 \d{3}/],
    ['Socket.IO path with dot segments', request('GET', '/socket.io/../collab/x', UPGRADE), /^HTTP\/1\.1 400/],
  ];
  it.each(cases)('%s gets an answer and the server keeps serving', async (_name, raw, expected) => {
    expect(await sendRaw(raw)).toMatch(expected);
    await assertStillServing();
  });

  it('random request lines, paths and headers, as upgrades and as plain HTTP', async () => {
    const segment = fc.oneof(
      fc.constantFrom('collab', 'api', 'articles', 'socket.io', 'healthz', 'news', '..', '.', '', 'metrics', 'auth', 'login', 'me'),
      fc.stringMatching(/^[A-Za-z0-9%._~-]{0,12}$/),
      fc.constantFrom('%FF', '%', '%2', '%2F', '%00', '%C0%AF', '%E2%82', '\u00e9', '%25'),
      fc.string({ maxLength: 8 }).map((s) => encodeURIComponent(s)),
    );
    const path = fc.oneof(
      fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
      fc.array(segment, { maxLength: 4 }).map((parts) => `/collab/${parts.join('/')}`),
      fc.constantFrom('*', '//', '///collab', 'http://evil.example/collab/x', '/collab/%FF?x=%FF', '/%', '/?'),
    );
    const query = fc.option(fc.stringMatching(/^[A-Za-z0-9%=&[\]._-]{0,20}$/).map((q) => `?${q}`), { nil: '' });
    const headerValue = fc.oneof(fc.stringMatching(/^[ -~]{0,40}$/), fc.constantFrom('websocket', 'Upgrade', '13', '8', KEY, 'keep-alive, Upgrade', ''));
    const headerName = fc.constantFrom(
      'Upgrade', 'Connection', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions',
      'Origin', 'Cookie', 'Authorization', 'X-Forwarded-For', 'Accept', 'Content-Type', 'Sec-Fetch-Site',
    );
    const upgradeHeaders = fc.subarray(UPGRADE).chain((base) =>
      fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 }).map((extra) => [...base, ...extra]),
    );
    const plainHeaders = fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 });
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'BREW');
    const anyRequest = fc.oneof(
      fc.tuple(method, path, query, upgradeHeaders).map(([m, p, q, h]) => request(m, p + q, m === 'GET' ? h : [...h, ['Content-Length', '0']])),
      fc.tuple(method, path, query, plainHeaders).map(([m, p, q, h]) => request(m, p + q, [...h, ['Content-Length', '0'], ['Connection', 'close']])),
      fc.tuple(fc.stringMatching(/^[ -~]{0,60}$/), fc.boolean()).map(([line, upgrade]) => `${line}\r\n${upgrade ? 'Upgrade: websocket\r\nConnection: Upgrade\r\n' : ''}\r\n`),
    );

    let batch = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyRequest, { minLength: 10, maxLength: 25 }), async (requests) => {
        await Promise.all(requests.map((raw) => sendRaw(raw, { halfClose: true })));
        await assertStillServing();
        await assertWritersConverge(String(++batch));
      }),
      { numRuns: 40, interruptAfterTimeLimit: 60_000 },
    );
  }, 120_000);
});

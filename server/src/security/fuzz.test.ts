import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type WebSocket from 'ws';
import { CloseCode } from '@copydesk/protocol';
import { connectClient, eventually, rawSocket, startTestServer, waitForSync, type TestClient, type TestServer } from '../test/harness.ts';

/**
 * Property-based hostile input, bounded in runs and time: random and mutated y-websocket frames
 * at a live article while two honest writers edit it; hostile JSON at the REST API.
 */
let server: TestServer;
let alice: string;
let articleId: string;
let honest: TestClient[];

beforeAll(async () => {
  server = await startTestServer({ MAX_MESSAGE_BYTES: String(256 * 1024), LOG_LEVEL: process.env.FUZZ_LOG ?? 'silent' });
  alice = await server.login('alice');
  articleId = ((await (await server.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Fuzzed' } })).json()) as { id: string }).id;
  honest = [connectClient(server.wsUrl, articleId, alice), connectClient(server.wsUrl, articleId, await server.login('bob'))];
  await Promise.all(honest.map((c) => waitForSync(c)));
});
afterAll(async () => {
  honest.forEach((c) => c.destroy());
  await server.stop();
});

/** Valid messages of every kind, to be mutated. The update writes to a root type no honest client uses. */
function validFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getText('fuzz-scratch').insert(0, 'hello fuzz');
  const frame = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    write(e);
    return encoding.toUint8Array(e);
  };
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: 'Fuzz', color: '#000' } });
  return [
    frame((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, doc);
    }),
    frame((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeUpdate(e, updates[0]!);
    }),
    frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    }),
  ];
}
const VALID = validFrames();

const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('truncate', 'flip', 'insert', 'hugeLength', 'badUtf8'))
  .map(([frame, at, byte, how]) => {
    const i = at % Math.max(1, frame.length);
    switch (how) {
      case 'truncate':
        return frame.slice(0, i);
      case 'flip': {
        const copy = frame.slice();
        copy[i] = byte;
        return copy;
      }
      case 'insert':
        return Uint8Array.from([...frame.slice(0, i), byte, ...frame.slice(i)]);
      case 'hugeLength':
        // message type, sync type, then a length prefix of ~2^31 with a few bytes behind it
        return Uint8Array.from([frame[0] ?? 0, 2, 0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3]);
      default:
        return Uint8Array.from([...frame.slice(0, i), 0xc3, 0x28, 0xff, ...frame.slice(i)]);
    }
  });
const truncatedVarint = fc.integer({ min: 1, max: 12 }).map((n) => Uint8Array.from({ length: n }, () => 0xff));
const frames = fc.oneof(fc.uint8Array({ minLength: 0, maxLength: 512 }), mutated, truncatedVarint);

/** Sends one frame, then a query-awareness probe: resolves 'open' if the server still answers, else the close code. */
async function outcome(frame: Uint8Array): Promise<'open' | number> {
  const socket: WebSocket = rawSocket(`${server.wsUrl}/${articleId}`, alice);
  try {
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return await new Promise<'open' | number>((resolve) => {
      let probed = false;
      socket.on('message', (data: Buffer) => {
        // The first messages are the server's own sync step 1 / awareness; the answer to our probe is awareness (1).
        if (probed && data[0] === 1) resolve('open');
      });
      socket.once('close', (code) => resolve(code));
      socket.send(frame);
      setTimeout(() => {
        probed = true;
        if (socket.readyState === socket.OPEN) socket.send(Uint8Array.from([3]));
      }, 15);
    });
  } finally {
    socket.terminate();
  }
}

describe('hostile /collab frames', () => {
  it('close only the hostile connection, with its code; the server and the honest writers go on', async () => {
    let typed = '';
    let n = 0;
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        // Honest editing interleaved with the attack.
        const writer = honest[n++ % 2]!;
        const piece = `w${n} `;
        writer.doc.getText('honest').insert(writer.doc.getText('honest').length, piece);
        typed += piece;
        const result = await outcome(frame);
        if (result !== 'open') expect([CloseCode.malformed, CloseCode.tooLarge]).toContain(result);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 40_000, seed: 4242 },
    );
    // Every honest replica and the server end exactly as typed; nothing leaked.
    for (const c of honest) await eventually(() => c.doc.getText('honest').toString() === typed && c.closes.length === 0, 10_000, 'honest replicas');
    expect(server.collab.liveDoc(articleId)!.doc.getText('honest').toString()).toBe(typed);
    await eventually(() => server.collab.connectionCount === 2, 5000, 'hostile sockets released');
    expect((await server.request('/healthz')).status).toBe(200);
  });
});

describe('hostile REST bodies', () => {
  it('answer every arbitrary JSON body with a 2xx or a 4xx JSON error, never a 500', async () => {
    const routes = ['/api/auth/login', '/api/articles', `/api/articles/${articleId}/transitions`, `/api/articles/${articleId}/versions`, '/api/tokens', '/api/me/password'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 6 }), async (route, body) => {
        const res = await server.request(route, { method: 'POST', cookie: alice, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? 'null' });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          const json = (await res.json()) as { error: { code: string; message: string } };
          expect(typeof json.error.code).toBe('string');
          expect(typeof json.error.message).toBe('string');
        }
      }),
      { numRuns: 120, interruptAfterTimeLimit: 20_000, seed: 99 },
    );
    expect((await server.request('/api/me', { cookie: alice })).status).toBe(200);
  });
});

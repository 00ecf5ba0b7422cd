import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type WebSocket from 'ws';
import { CollabMessageType } from '@copydesk/protocol';
import { connectClient, eventually, rawSocket, startTestServer, waitForSync, type TestClient, type TestServer } from '../test/harness.ts';

/**
 * The collab server merges the updates of one event-loop turn into one frame per doc and corks
 * each socket while it writes a burst (one write syscall per burst, flushed at the end of the turn
 * or every 64 frames). Whatever the batching, everything must reach every editor, whole and in order.
 */
let server: TestServer;
let alice: string;
let bob: string;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((u) => server.login(u)))) as [string, string];
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.terminate();
  await server.stop();
});

/** A raw /collab socket that records the sync payloads it receives, in arrival order. */
function recordingSocket(articleId: string, cookie: string) {
  const socket = rawSocket(`${server.wsUrl}/${articleId}`, cookie);
  sockets.push(socket);
  const received: Array<{ syncType: number; payload: Uint8Array }> = [];
  socket.binaryType = 'nodebuffer';
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== CollabMessageType.sync) return;
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) return;
    received.push({ syncType, payload: decoding.readVarUint8Array(decoder) });
  });
  const open = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received, open };
}

describe('/collab send batching', () => {
  it('a burst of updates larger than one corked batch reaches an editor whole and in order', async () => {
    const created = await server.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Burst' } });
    expect(created.status).toBe(201);
    const articleId = ((await created.json()) as { id: string }).id;

    const observer = recordingSocket(articleId, bob);
    await observer.open;
    // Ask for the full state first (sync step 1 with an empty state vector).
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, CollabMessageType.sync);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    observer.socket.send(encoding.toUint8Array(step1));
    await eventually(() => observer.received.some((r) => r.syncType === syncProtocol.messageYjsSyncStep2), 10_000, 'sync step 2');

    const writer = connectClient(server.wsUrl, articleId, alice);
    clients.push(writer);
    await waitForSync(writer);
    const before = observer.received.length;
    // 300 keystrokes in one synchronous run: 300 update frames sent back to back.
    const text = writer.doc.getText('trace');
    for (let i = 0; i < 300; i++) text.insert(i, String.fromCharCode(97 + (i % 26)));
    const expected = text.toString();

    // Applied in arrival order, no update may ever wait for a missing predecessor.
    const replica = new Y.Doc();
    let applied = 0;
    let outOfOrder = 0;
    await eventually(
      () => {
        for (; applied < observer.received.length; applied++) {
          Y.applyUpdate(replica, observer.received[applied]!.payload);
          if (replica.store.pendingStructs !== null || replica.store.pendingDs !== null) outOfOrder++;
        }
        return replica.getText('trace').toString() === expected;
      },
      10_000,
      'the burst at the observer',
    );
    expect(outOfOrder).toBe(0);
    // The updates of one event-loop turn go out merged: far fewer frames than keystrokes.
    const updates = observer.received.slice(before).filter((r) => r.syncType === syncProtocol.messageYjsUpdate);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length).toBeLessThan(300);
    expect(replica.getText('trace').toString()).toBe(expected);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { connectClient, eventually, rawSocket, startTestServer, waitForSync, type TestClient, type TestServer } from '../test/harness.ts';
import { cleanupAfterEach, privateRedis } from '../test/hooks.ts';
import { encodeAwareness } from './messages.ts';

/** A client may update only the awareness states it owns, including states relayed from another instance. */
const redis = privateRedis();
const cleanup = cleanupAfterEach();

describe('awareness ownership across instances', () => {
  it('a client on one instance cannot overwrite a colleague\'s caret relayed from the other', async () => {
    const prefix = `awareness-${randomUUID()}:`;
    const servers: TestServer[] = [];
    for (const name of ['a', 'b']) {
      const server = await startTestServer({ REDIS_URL: redis.server.url, REDIS_PREFIX: prefix, INSTANCE_ID: name });
      cleanup.push(() => server.stop());
      servers.push(server);
    }
    const [a, b] = servers as [TestServer, TestServer];
    const alice = await a.login('alice');
    const bob = await b.login('bob');
    const res = await a.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Whose caret' } });
    const id = ((await res.json()) as { id: string }).id;
    const client = (server: TestServer, cookie: string): TestClient => {
      const c = connectClient(server.wsUrl, id, cookie);
      cleanup.push(() => c.destroy());
      return c;
    };
    const onA = client(a, alice);
    await waitForSync(onA);
    onA.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 4 });
    const observerOnB = client(b, bob);
    await waitForSync(observerOnB);
    const aliceOnB = () => observerOnB.provider.awareness.getStates().get(onA.doc.clientID) as { cursor?: { head: number }; user?: { name: string } } | undefined;
    await eventually(() => aliceOnB()?.cursor?.head === 4, 5_000, 'B sees Alice\'s caret');

    // Bob, on B, sends a newer state under Alice's awareness client id.
    const forgedDoc = new Y.Doc();
    forgedDoc.clientID = onA.doc.clientID;
    const forged = new awarenessProtocol.Awareness(forgedDoc);
    for (let i = 0; i < 50; i++) forged.setLocalState({ cursor: { anchor: 99, head: 99 } });
    const socket = rawSocket(`${b.wsUrl}/${id}`, bob);
    cleanup.push(() => socket.terminate());
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(encodeAwareness(forged, [forgedDoc.clientID]));
    forged.destroy();

    // Alice moves on: her own (older-clocked) states must still win everywhere.
    onA.provider.awareness.setLocalStateField('cursor', { anchor: 7, head: 7 });
    await eventually(() => aliceOnB()?.cursor?.head === 7, 5_000, 'B follows Alice\'s own caret');
    expect(aliceOnB()?.user?.name).toBe('Alice Moreau');
    const aliceOnA = () => onA.provider.awareness.getLocalState() as { cursor?: { head: number } };
    expect(aliceOnA().cursor?.head).toBe(7);
    // Nothing of the forgery reached instance A's clients either.
    const observerOnA = client(a, await a.login('lead'));
    await waitForSync(observerOnA);
    await eventually(() => (observerOnA.provider.awareness.getStates().get(onA.doc.clientID) as { cursor?: { head: number } } | undefined)?.cursor?.head === 7, 5_000, 'A shows Alice\'s own caret');
  });
});

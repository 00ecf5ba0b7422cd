import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { getBody, getMetaText, readHeadline, renderBodyText, writeBody } from '@copydesk/article-doc';
import { CloseCode, CollabMessageType, readSaved, type SavedState } from '@copydesk/protocol';
import {
  closeCodeOf,
  connectClient,
  eventually,
  rawSocket,
  startTestServer,
  waitForSync,
  type TestClient,
  type TestServer,
} from '../test/harness.ts';

let server: TestServer;
let alice: string;
let bob: string;
let rita: string;
let lead: string;
const clients: TestClient[] = [];

async function newArticle(headline: string): Promise<string> {
  const res = await server.request('/api/articles', { method: 'POST', cookie: alice, json: { headline } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

function client(articleId: string, cookie: string | undefined): TestClient {
  const c = connectClient(server.wsUrl, articleId, cookie);
  clients.push(c);
  return c;
}

const trace = (c: TestClient) => c.doc.getText('trace').toString();

beforeAll(async () => {
  server = await startTestServer({ MAX_MESSAGE_BYTES: String(64 * 1024) });
  [alice, bob, rita, lead] = (await Promise.all(['alice', 'bob', 'rita', 'lead'].map((u) => server.login(u)))) as [string, string, string, string];
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
});

describe('/collab', () => {
  it('two stock WebsocketProvider clients co-editing one article converge', async () => {
    const id = await newArticle('Convergence');
    const a = client(id, alice);
    const b = client(id, bob);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    expect(readHeadline(a.doc)).toBe('Convergence');

    // Concurrent edits to the headline and the body from both sides.
    getMetaText(a.doc, 'headline')!.insert(0, 'Alice: ');
    getMetaText(b.doc, 'headline')!.insert('Convergence'.length, ' (Bob)');
    writeBody(a.doc, [{ type: 'paragraph', text: 'From Alice.' }]);
    writeBody(b.doc, [{ type: 'paragraph', text: 'From Bob.' }]);

    await eventually(() => readHeadline(a.doc) === readHeadline(b.doc) && getBody(a.doc).length === 2 && getBody(b.doc).length === 2, 10_000, 'convergence');
    expect(readHeadline(a.doc)).toBe('Alice: Convergence (Bob)');
    expect(renderBodyText(a.doc)).toBe(renderBodyText(b.doc));
    expect(renderBodyText(a.doc)).toContain('From Alice.');
    expect(renderBodyText(a.doc)).toContain('From Bob.');
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  });

  it('a client joining later receives the full state', async () => {
    const id = await newArticle('Late joiner');
    const a = client(id, alice);
    await waitForSync(a);
    for (let i = 0; i < 50; i++) a.doc.getText('trace').insert(i, String(i % 10));
    const expected = trace(a);
    const late = client(id, bob);
    await waitForSync(late);
    await eventually(() => trace(late) === expected, 10_000, 'late joiner state');
    expect(readHeadline(late.doc)).toBe('Late joiner');
  });

  it('a crowd joining at once shares one whole-doc reply, and a joiner right after an edit still gets the edit', async () => {
    const id = await newArticle('Crowd');
    const a = client(id, alice);
    await waitForSync(a);
    a.doc.getText('trace').insert(0, 'x'.repeat(5_000));
    await eventually(() => server.collab.liveDoc(id)!.doc.getText('trace').length === 5_000, 10_000, 'server has the text');
    const crowd = Array.from({ length: 8 }, (_, i) => client(id, i % 2 ? bob : lead));
    await Promise.all(crowd.map((c) => waitForSync(c)));
    for (const c of crowd) expect(trace(c)).toBe(trace(a));
    // Within the reply's cache lifetime: an edit, then at once a new joiner.
    a.doc.getText('trace').insert(0, 'fresh ');
    await eventually(() => server.collab.liveDoc(id)!.doc.getText('trace').toString().startsWith('fresh '), 10_000, 'server has the edit');
    const late = client(id, bob);
    await waitForSync(late);
    expect(trace(late)).toBe(trace(a));
  });

  it('refuses a reader with 4403, no cookie with 4401 and an unknown article with 4404', async () => {
    const id = await newArticle('Embargoed');
    expect(await closeCodeOf(rawSocket(`${server.wsUrl}/${id}`, rita))).toBe(CloseCode.forbidden);
    expect(await closeCodeOf(rawSocket(`${server.wsUrl}/${id}`))).toBe(CloseCode.unauthenticated);
    expect(await closeCodeOf(rawSocket(`${server.wsUrl}/${id}`, 'copydesk_session=forged'))).toBe(CloseCode.unauthenticated);
    expect(await closeCodeOf(rawSocket(`${server.wsUrl}/nope-nope`, alice))).toBe(CloseCode.unknownArticle);
    expect(await closeCodeOf(rawSocket(`${server.wsUrl}/bad%20id!`, alice))).toBe(CloseCode.unknownArticle);
  });

  it('a stock provider stops reconnecting after 4403', async () => {
    const id = await newArticle('Reader shut out');
    const r = client(id, rita);
    await eventually(() => r.closes.length > 0, 10_000, 'close');
    expect(r.closes[0]).toBe(CloseCode.forbidden);
    expect(r.provider.synced).toBe(false);
  });

  it("a read-only connection's updates are never applied while it still receives others' edits", async () => {
    const id = await newArticle('Locked copy');
    const writer = client(id, alice);
    const locked = client(id, bob);
    await Promise.all([waitForSync(writer), waitForSync(locked)]);
    const bobConnection = server.collab.connections(id).find((c) => c.user.username === 'bob')!;
    server.collab.setReadOnly(bobConnection, true, 'Approved: only leads can edit');

    locked.doc.getText('trace').insert(0, 'FORBIDDEN');
    writer.doc.getText('trace').insert(0, 'allowed');
    await eventually(() => trace(locked).includes('allowed'), 10_000, 'read-only client receives edits');
    // The refused text never reaches the writer, the server doc, or a fresh client.
    await server.persistence.flushAll();
    const fresh = client(id, lead);
    await waitForSync(fresh);
    await eventually(() => trace(fresh) === 'allowed', 10_000, 'fresh client state');
    expect(trace(writer)).toBe('allowed');
    expect(server.collab.liveDoc(id)!.doc.getText('trace').toString()).toBe('allowed');

  });

  it('never acknowledges a refused frame as saved: the save state counts it as refused, with the reason', async () => {
    const id = await newArticle('Refused copy');
    const writer = client(id, alice);
    const locked = connectClient(server.wsUrl, id, bob, { customMessages: true });
    clients.push(locked);
    const states: SavedState[] = [];
    locked.provider.messageHandlers[CollabMessageType.saved] = (_encoder, decoder) => {
      const state = readSaved(decoder);
      if (state) states.push(state);
    };
    await Promise.all([waitForSync(writer), waitForSync(locked)]);
    locked.doc.getText('trace').insert(0, 'accepted first. ');
    // Its sync step 2 and the update: two frames, both applied and written.
    await eventually(() => states.at(-1)?.durableUpdates === 2 && trace(writer) === 'accepted first. ', 10_000, 'first edit durable');

    const bobConnection = server.collab.connections(id).find((c) => c.user.username === 'bob')!;
    server.collab.setReadOnly(bobConnection, true, 'Approved: only leads can edit');
    locked.doc.getText('trace').insert(0, 'typed while locked. ');
    await eventually(() => (states.at(-1)?.refusedUpdates ?? 0) === 1, 10_000, 'refusal reported');
    expect(states.at(-1)).toMatchObject({ durableUpdates: 2, refusedUpdates: 1, refusedReason: 'Approved: only leads can edit', storageOk: true });
    // Whatever is written afterwards, the refused frame is never counted as durable.
    writer.doc.getText('trace').insert(0, '+');
    await server.persistence.flushAll();
    await eventually(() => trace(locked).includes('+'), 10_000, 'locked client still receives');
    expect(states.every((state) => state.durableUpdates <= 2)).toBe(true);
    expect(server.collab.liveDoc(id)!.doc.getText('trace').toString()).toBe('+accepted first. ');
  });

  it('speaks plain y-websocket to stock clients: status and saved go only to clients that ask (?cdk=1)', async () => {
    const id = await newArticle('Plain protocol');
    const messageTypes = (c: TestClient) => {
      const types: number[] = [];
      const ws = () => c.provider.ws;
      const record = (event: MessageEvent) => types.push(new Uint8Array(event.data as ArrayBuffer)[0]!);
      c.provider.on('status', ({ status }: { status: string }) => {
        if (status === 'connected') ws()?.addEventListener('message', record);
      });
      return types;
    };
    const stock = client(id, alice);
    const stockTypes = messageTypes(stock);
    const editor = connectClient(server.wsUrl, id, bob, { customMessages: true });
    clients.push(editor);
    const editorTypes = messageTypes(editor);
    await Promise.all([waitForSync(stock), waitForSync(editor)]);
    stock.doc.getText('trace').insert(0, 'typed');
    await eventually(() => trace(editor) === 'typed', 10_000, 'relayed');
    for (const conn of server.collab.connections(id)) server.collab.setReadOnly(conn, true, 'Locked for the test');
    stock.doc.getText('trace').insert(0, 'refused ');
    editor.doc.getText('trace').insert(0, 'refused too ');
    await eventually(() => editorTypes.includes(CollabMessageType.saved) && editorTypes.includes(CollabMessageType.status), 10_000, 'editor got custom messages');
    expect(stockTypes.length).toBeGreaterThan(0);
    expect(stockTypes.filter((type) => type >= 100)).toEqual([]);
  });

  it('a connection switched back from read-only edits again without reconnecting', async () => {
    const id = await newArticle('Reopened copy');
    const writer = client(id, alice);
    const reopened = client(id, bob);
    await Promise.all([waitForSync(writer), waitForSync(reopened)]);
    const bobConnection = server.collab.connections(id).find((c) => c.user.username === 'bob')!;
    server.collab.setReadOnly(bobConnection, true, 'Approved: only leads can edit');
    writer.doc.getText('trace').insert(0, 'approved text');
    await eventually(() => trace(reopened) === 'approved text', 10_000, 'locked client receives edits');
    server.collab.setReadOnly(bobConnection, false, null);
    reopened.doc.getText('trace').insert(0, 'Reopened: ');
    await eventually(() => trace(writer) === 'Reopened: approved text', 10_000, 'edit after unlock');
    expect(reopened.closes).toEqual([]);
  });

  it('a frame of random bytes or a truncated frame closes only that connection', async () => {
    const id = await newArticle('Hostile frames');
    const a = client(id, alice);
    await waitForSync(a);
    const frames = [
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // varint never ends
      Uint8Array.from([0, 2, 0xff, 0xff, 0x03, 1, 2]), // update with a length prefix beyond the frame
      Uint8Array.from([0, 2, 5, 1, 2, 3, 4, 5]), // update that is not a Yjs update
      Uint8Array.from([9, 9, 9]), // unknown message type
      Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff),
    ];
    for (const frame of frames) {
      const socket = rawSocket(`${server.wsUrl}/${id}`, bob);
      await new Promise((r) => socket.once('open', r));
      socket.send(frame);
      expect(await closeCodeOf(socket)).toBe(CloseCode.malformed);
    }
    const text = rawSocket(`${server.wsUrl}/${id}`, bob);
    await new Promise((r) => text.once('open', r));
    text.send('hello');
    expect(await closeCodeOf(text)).toBe(CloseCode.malformed);

    // The honest client is still connected and editing.
    a.doc.getText('trace').insert(0, 'still here');
    const b = client(id, bob);
    await waitForSync(b);
    await eventually(() => trace(b) === 'still here', 10_000, 'edits after hostile frames');
    expect(a.closes).toEqual([]);
  });

  it('closes a frame over MAX_MESSAGE_BYTES with 1009', async () => {
    const id = await newArticle('Too large');
    const socket = rawSocket(`${server.wsUrl}/${id}`, alice);
    await new Promise((r) => socket.once('open', r));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, new Uint8Array(100 * 1024));
    socket.send(encoding.toUint8Array(encoder));
    expect(await closeCodeOf(socket)).toBe(CloseCode.tooLarge);
  });

  it('keeps the article list headline in step with the doc', async () => {
    const id = await newArticle('Draft headline');
    const a = client(id, alice);
    await waitForSync(a);
    const headline = getMetaText(a.doc, 'headline')!;
    a.doc.transact(() => {
      headline.delete(0, headline.length);
      headline.insert(0, 'Final headline');
    });
    await eventually(async () => {
      const res = await server.request(`/api/articles/${id}`, { cookie: alice });
      return ((await res.json()) as { headline: string }).headline === 'Final headline';
    }, 10_000, 'headline sync');
  });
});

import { createServer, connect as tcpConnect, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { getBody, getMetaText, writeBody } from '@copydesk/article-doc';
import {
  AUTHORS_MAP,
  CloseCode,
  applyPresenceChanges,
  type AckResult,
  type AuthorEntry,
  type ClientToServerEvents,
  type PresenceArticle,
  type PresenceChangedEvent,
  type PresencePerson,
  type PresenceSnapshot,
  type ServerToClientEvents,
  handBackKey,
} from '@copydesk/protocol';
import { parseEnv } from '../env.ts';
import { connectClient, eventually, startTestServer, waitForSync, type TestClient, type TestServer } from '../test/harness.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
const cookies = {} as Record<string, string> & Record<"alice" | "bob" | "lead" | "rita", string>;
const ids = {} as Record<"alice" | "bob" | "lead" | "rita", string>;
const clients: TestClient[] = [];
const sockets: ClientSocket[] = [];
const proxies: Array<{ close(): void }> = [];

beforeAll(async () => {
  // Short timeouts so drops and idling show within a test's patience.
  server = await startTestServer({ WS_HEARTBEAT_MS: '500', PRESENCE_IDLE_MS: '1500', PRESENCE_BOARD_THROTTLE_MS: '50' });
  for (const name of ['alice', 'bob', 'lead', 'rita']) {
    cookies[name] = await server.login(name);
    const me = (await (await server.request('/api/me', { cookie: cookies[name] })).json()) as { user: { id: string } };
    ids[name as keyof typeof ids] = me.user.id;
  }
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const c of clients) c.destroy();
  for (const p of proxies) p.close();
  await server.stop();
});

async function newArticle(headline: string): Promise<string> {
  const res = await server.request('/api/articles', { method: 'POST', cookie: cookies.alice, json: { headline } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

function client(articleId: string, who: string, options: { url?: string; doc?: Y.Doc } = {}): TestClient {
  const c = connectClient(options.url ?? server.wsUrl, articleId, cookies[who], { doc: options.doc });
  clients.push(c);
  return c;
}

async function snapshot(cookie = cookies.lead): Promise<PresenceSnapshot> {
  const res = await server.request('/api/presence', { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as PresenceSnapshot;
}

async function peopleIn(articleId: string): Promise<PresencePerson[]> {
  return (await snapshot()).articles.find((a) => a.articleId === articleId)?.people ?? [];
}

async function personIn(articleId: string, who: keyof typeof ids): Promise<PresencePerson | undefined> {
  return (await peopleIn(articleId)).find((p) => p.userId === ids[who]);
}

/**
 * Alice types "A " into the headline and is mapped as its author, then leaves; `lost` is her
 * replica (same client id) with one more edit, "Lost ", that the server never received, and
 * `before` the state vector before that edit.
 */
async function aliceLeavesWithLostEdits(id: string): Promise<{ lost: Y.Doc; before: Uint8Array }> {
  const alice = client(id, 'alice');
  await waitForSync(alice);
  getMetaText(alice.doc, 'headline')!.insert(0, 'A ');
  await eventually(() => alice.doc.getMap(AUTHORS_MAP).has(String(alice.doc.clientID)), 10_000, 'alice mapped');
  const lost = new Y.Doc();
  Y.applyUpdate(lost, Y.encodeStateAsUpdate(alice.doc));
  lost.clientID = alice.doc.clientID;
  const before = Y.encodeStateVector(lost);
  alice.destroy();
  await eventually(async () => (await personIn(id, 'alice')) === undefined, 10_000, 'alice gone');
  getMetaText(lost, 'headline')!.insert(0, 'Lost ');
  return { lost, before };
}

/** The caret a y-prosemirror binding would publish: inside the `index`-th body block, at `offset`. */
function caretIn(doc: Y.Doc, index: number, offset = 0) {
  const block = getBody(doc).get(index) as Y.XmlElement;
  const text = block.get(0) as Y.XmlText;
  const position = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, offset));
  return { anchor: position, head: position };
}

/** Types one character per update, as keystrokes arrive. */
function typeInto(text: Y.Text, at: number, value: string): void {
  let offset = at;
  for (const char of Array.from(value)) {
    text.insert(offset, char);
    offset += char.length;
  }
}

async function socketFor(who: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectSocket(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: cookies[who]! } });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** A TCP hop to the server that can go silent (no FIN, no RST): a dropped network. */
async function silentProxy(targetPort: number): Promise<{ url: string; blackhole(): void; close(): void }> {
  const pairs: Array<[TcpSocket, TcpSocket]> = [];
  const proxy: TcpServer = createServer((downstream) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    downstream.on('error', () => undefined);
    upstream.on('error', () => undefined);
    pairs.push([downstream, upstream]);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;
  const handle = {
    url: `ws://127.0.0.1:${port}/collab`,
    blackhole() {
      for (const [down, up] of pairs.splice(0)) {
        down.unpipe(up);
        up.unpipe(down);
        down.pause();
        up.pause();
      }
    },
    close() {
      proxy.close();
      for (const [down, up] of pairs) {
        down.destroy();
        up.destroy();
      }
    },
  };
  proxies.push(handle);
  return handle;
}

describe('presence in an article', () => {
  it('appears when someone opens an article and is gone within 5 s of a clean close', async () => {
    const id = await newArticle('Presence: join and leave');
    const alice = client(id, 'alice');
    await waitForSync(alice);
    await eventually(async () => (await personIn(id, 'alice')) !== undefined, 10_000, 'alice on the board');
    const person = (await personIn(id, 'alice'))!;
    expect(person).toMatchObject({ userId: ids.alice, displayName: 'Alice Moreau', state: 'active', inserted: 0, deleted: 0, tabs: 1 });
    expect(Date.parse(person.since)).not.toBeNaN();
    expect(Date.parse(person.lastActiveAt)).toBeGreaterThanOrEqual(Date.parse(person.since));

    const closedAt = Date.now();
    alice.destroy();
    await eventually(async () => (await snapshot()).articles.every((a) => a.articleId !== id), 5000, 'alice gone');
    expect(Date.now() - closedAt).toBeLessThan(5000);
  });

  it('removes a person whose connection drops silently (no close frame) once the heartbeat misses', async () => {
    const id = await newArticle('Presence: silent drop');
    const proxy = await silentProxy(server.port);
    const bob = client(id, 'bob', { url: proxy.url });
    await waitForSync(bob);
    await eventually(async () => (await personIn(id, 'bob')) !== undefined, 10_000, 'bob on the board');

    const droppedAt = Date.now();
    proxy.blackhole();
    // The client still believes it is connected; only the server's heartbeat can tell.
    expect(bob.provider.wsconnected).toBe(true);
    await eventually(async () => (await personIn(id, 'bob')) === undefined, 10_000, 'bob gone after the drop');
    // Two heartbeats (500 ms) plus publishing and the board throttle.
    expect(Date.now() - droppedAt).toBeLessThan(3000);
    bob.destroy();
  });

  it('by default, notices a silent drop well within 30 s', () => {
    const env = parseEnv({});
    // A dead socket is cut at the second missed heartbeat; presence then follows within a second.
    expect(2 * env.WS_HEARTBEAT_MS + env.PRESENCE_BOARD_THROTTLE_MS + 1000).toBeLessThan(30_000);
    expect(env.PRESENCE_IDLE_MS).toBe(60_000);
  });

  it('shows the same user in two tabs once, with the tab count, and a reconnect never twice', async () => {
    const id = await newArticle('Presence: two tabs');
    const tab1 = client(id, 'alice');
    const tab2 = client(id, 'alice');
    await Promise.all([waitForSync(tab1), waitForSync(tab2)]);
    await eventually(async () => (await personIn(id, 'alice'))?.tabs === 2, 10_000, 'two tabs');
    expect((await peopleIn(id)).length).toBe(1);

    // Each tab echoes the other's awareness states back to the server (stock providers do): that
    // must neither move the state to the echoing socket nor close the other tab.
    for (const section of ['dek', 'headline', 'body'] as const) {
      tab2.provider.awareness.setLocalStateField('presence', { section, away: false });
      await eventually(() => (tab1.provider.awareness.getStates().get(tab2.provider.awareness.clientID) as { presence?: { section: string } } | undefined)?.presence?.section === section, 10_000, 'tab 1 sees tab 2');
    }
    getMetaText(tab1.doc, 'dek')!.insert(0, 'x'); // a round trip after the echoes
    await eventually(() => getMetaText(tab2.doc, 'dek')!.toString() === 'x', 10_000, 'round trip');
    expect(tab2.closes).toEqual([]);
    expect(server.collab.connections(id)).toHaveLength(2);
    await eventually(async () => (await personIn(id, 'alice'))?.section?.part === 'body', 10_000, 'tab 2 moved to the body');
    expect((await personIn(id, 'alice'))!.tabs).toBe(2);

    tab2.destroy();
    await eventually(async () => (await personIn(id, 'alice'))?.tabs === 1, 10_000, 'one tab');

    tab1.provider.disconnect();
    tab1.provider.connect();
    await waitForSync(tab1);
    await eventually(async () => (await personIn(id, 'alice'))?.tabs === 1, 10_000, 'one tab after reconnect');
    expect((await peopleIn(id)).length).toBe(1);
  });

  it('counts the characters each person inserted and deleted, from the updates the server applied', async () => {
    const id = await newArticle('Counts');
    const alice = client(id, 'alice');
    const bob = client(id, 'bob');
    await Promise.all([waitForSync(alice), waitForSync(bob)]);

    const headline = getMetaText(alice.doc, 'headline')!;
    typeInto(headline, headline.length, ' today'); // 6
    writeBody(bob.doc, [{ type: 'paragraph', text: '' }]);
    await eventually(() => getBody(bob.doc).length === 1 && getBody(alice.doc).length === 1, 10_000, 'paragraph synced');
    const paragraph = (getBody(bob.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    typeInto(paragraph, 0, 'Café 👋 open'); // 11 characters (é and 👋 are one each)
    paragraph.delete(0, 5); // "Café " → 5 characters
    headline.delete(headline.length - 6, 6); // Alice deletes her " today"
    typeInto(headline, headline.length, '!'); // 1

    await eventually(
      async () => {
        const a = await personIn(id, 'alice');
        const b = await personIn(id, 'bob');
        return a?.inserted === 7 && a.deleted === 6 && b?.inserted === 11 && b.deleted === 5;
      },
      5000,
      'counts',
    );
  });

  it('knows which part each person is in: headline, dek, or the body block with its heading', async () => {
    const id = await newArticle('Sections');
    const alice = client(id, 'alice');
    const bob = client(id, 'bob');
    await Promise.all([waitForSync(alice), waitForSync(bob)]);
    writeBody(alice.doc, [
      { type: 'paragraph', text: 'Lead paragraph.' },
      { type: 'heading', level: 2, text: 'Reaction' },
      { type: 'paragraph', text: 'Quotes here.' },
    ]);
    await eventually(() => getBody(bob.doc).length === 3, 10_000, 'body synced');

    alice.provider.awareness.setLocalStateField('presence', { section: 'headline', away: false });
    bob.provider.awareness.setLocalStateField('presence', { section: 'body', away: false });
    bob.provider.awareness.setLocalStateField('cursor', caretIn(bob.doc, 2, 3));
    await eventually(async () => (await personIn(id, 'bob'))?.section?.label === '¶ 3 · Reaction', 10_000, 'bob under the heading');
    expect((await personIn(id, 'bob'))!.section).toEqual({ part: 'body', block: 2, heading: 'Reaction', label: '¶ 3 · Reaction' });
    expect((await personIn(id, 'alice'))!.section).toMatchObject({ part: 'headline', label: 'Headline' });

    // A paragraph inserted above moves bob's block number without him moving.
    getBody(alice.doc).insert(0, [new Y.XmlElement('paragraph')]);
    await eventually(async () => (await personIn(id, 'bob'))?.section?.block === 3, 10_000, 'bob pushed down');

    alice.provider.awareness.setLocalStateField('presence', { section: 'dek', away: false });
    await eventually(async () => (await personIn(id, 'alice'))?.section?.part === 'dek', 10_000, 'alice in the dek');
  });

  it('flags a collision when two people are active in the same block', async () => {
    const id = await newArticle('Collision');
    const alice = client(id, 'alice');
    const bob = client(id, 'bob');
    await Promise.all([waitForSync(alice), waitForSync(bob)]);
    writeBody(alice.doc, [
      { type: 'paragraph', text: 'One.' },
      { type: 'paragraph', text: 'Two.' },
    ]);
    await eventually(() => getBody(bob.doc).length === 2, 10_000, 'body synced');
    alice.provider.awareness.setLocalStateField('cursor', caretIn(alice.doc, 0, 1));
    bob.provider.awareness.setLocalStateField('cursor', caretIn(bob.doc, 1, 1));
    const article = async () => (await snapshot()).articles.find((a) => a.articleId === id);
    await eventually(async () => (await article())?.people.every((p) => p.section?.part === 'body') === true, 10_000, 'both in the body');
    expect((await article())!.flags.collisions).toEqual([]);

    bob.provider.awareness.setLocalStateField('cursor', caretIn(bob.doc, 0, 3));
    await eventually(async () => ((await article())?.flags.collisions.length ?? 0) === 1, 10_000, 'collision');
    expect((await article())!.flags.collisions[0]).toMatchObject({ section: { part: 'body', block: 0 }, userIds: [ids.alice, ids.bob].sort() });

    // Once they stop, they are no longer active: no collision.
    await eventually(async () => (await article())?.people.every((p) => p.state === 'idle') === true, 10_000, 'both idle');
    expect((await article())!.flags.collisions).toEqual([]);
  });

  it('shows a person whose tabs are all hidden as away', async () => {
    const id = await newArticle('Away');
    const alice = client(id, 'alice');
    await waitForSync(alice);
    alice.provider.awareness.setLocalStateField('presence', { section: null, away: true });
    await eventually(async () => (await personIn(id, 'alice'))?.state === 'away', 10_000, 'away');
    alice.provider.awareness.setLocalStateField('presence', { section: 'body', away: false });
    await eventually(async () => (await personIn(id, 'alice'))?.state === 'active', 10_000, 'back');
  });
});

describe('identity in presence comes from the session', () => {
  it('corrects a client that claims another user in its awareness state', async () => {
    const id = await newArticle('Forged identity');
    const alice = client(id, 'alice');
    const observer = client(id, 'lead');
    await Promise.all([waitForSync(alice), waitForSync(observer)]);
    alice.provider.awareness.setLocalStateField('user', { id: ids.bob, name: 'Bob Okafor', color: '#000000' });

    const seen = () => observer.provider.awareness.getStates().get(alice.provider.awareness.clientID) as { user?: { id: string; name: string } } | undefined;
    await eventually(() => seen()?.user !== undefined, 10_000, 'alice state reaches the observer');
    expect(seen()!.user).toEqual({ id: ids.alice, name: 'Alice Moreau', color: expect.stringMatching(/^#[0-9A-F]{6}$/) });
    await eventually(async () => (await personIn(id, 'alice')) !== undefined, 10_000, 'alice on the board');
    expect(await personIn(id, 'bob')).toBeUndefined();
    expect((await peopleIn(id)).map((p) => p.displayName)).not.toContain('Bob Okafor');
  });

  it("ignores a client that speaks for another user's awareness id", async () => {
    const id = await newArticle('Hijacked awareness');
    const alice = client(id, 'alice');
    const observer = client(id, 'lead');
    await Promise.all([waitForSync(alice), waitForSync(observer)]);
    alice.provider.awareness.setLocalStateField('presence', { section: 'headline', away: false });
    const aliceId = alice.provider.awareness.clientID;
    const seen = () => observer.provider.awareness.getStates().get(aliceId) as { user?: { id: string }; presence?: { section: string } } | undefined;
    await eventually(() => seen()?.presence?.section === 'headline', 10_000, 'alice state');

    // Bob's doc (and so his awareness) uses Alice's client id.
    const forged = new Y.Doc();
    forged.clientID = aliceId;
    const bob = client(id, 'bob', { doc: forged });
    bob.provider.awareness.setLocalStateField('presence', { section: 'dek', away: false });
    await waitForSync(bob);
    await eventually(async () => (await personIn(id, 'bob')) !== undefined, 10_000, 'bob connected');
    bob.provider.awareness.setLocalStateField('presence', { section: 'dek', away: true });
    // Nothing of Bob's reaches Alice's id, on the wire or on the board.
    const marker = getMetaText(observer.doc, 'headline')!;
    marker.insert(0, 'x'); // a round trip through the server after Bob's awareness messages
    await eventually(() => getMetaText(alice.doc, 'headline')!.toString().startsWith('x'), 10_000, 'round trip');
    expect(seen()).toMatchObject({ user: { id: ids.alice }, presence: { section: 'headline' } });
    expect((await personIn(id, 'alice'))!.section?.part).toBe('headline');
    expect((await personIn(id, 'bob'))!.section).toBeNull();
  });
});

describe('authorship', () => {
  it('records which user each Yjs client id belongs to, in a map only the server writes', async () => {
    const id = await newArticle('Authors');
    const alice = client(id, 'alice');
    const bob = client(id, 'bob');
    await Promise.all([waitForSync(alice), waitForSync(bob)]);
    getMetaText(alice.doc, 'headline')!.insert(0, 'A ');
    getMetaText(bob.doc, 'dek')!.insert(0, 'B');
    const authors = (c: TestClient) => c.doc.getMap<AuthorEntry>(AUTHORS_MAP);
    await eventually(() => authors(alice).size >= 2 && authors(bob).size >= 2, 10_000, 'authors map');
    expect(authors(alice).get(String(alice.doc.clientID))).toEqual({ userId: ids.alice, name: 'Alice Moreau' });
    expect(authors(alice).get(String(bob.doc.clientID))).toEqual({ userId: ids.bob, name: 'Bob Okafor' });

    // A client that sends back everything it has (an IndexedDB copy loading), authors map included,
    // is not refused: nothing in it is new to the server.
    const reload = client(id, 'bob');
    await waitForSync(reload);
    const resend = encoding.createEncoder();
    encoding.writeVarUint(resend, 0);
    syncProtocol.writeUpdate(resend, Y.encodeStateAsUpdate(alice.doc));
    reload.provider.ws!.send(encoding.toUint8Array(resend));
    getMetaText(reload.doc, 'dek')!.insert(0, 'C');
    await eventually(() => getMetaText(alice.doc, 'dek')!.toString().startsWith('C'), 10_000, 'copy still edits');
    expect(reload.closes).toEqual([]);
  });

  it('refuses a client update that writes to the authors map (4403), and nobody sees it', async () => {
    const id = await newArticle('Forged authors');
    const alice = client(id, 'alice');
    const bob = client(id, 'bob');
    await Promise.all([waitForSync(alice), waitForSync(bob)]);
    getMetaText(alice.doc, 'headline')!.insert(0, 'A ');
    await eventually(() => bob.doc.getMap(AUTHORS_MAP).has(String(alice.doc.clientID)), 10_000, 'alice mapped');

    // Bob claims Alice's text (overwriting her entry)…
    bob.doc.getMap<AuthorEntry>(AUTHORS_MAP).set(String(alice.doc.clientID), { userId: ids.bob, name: 'Bob Okafor' });
    await eventually(() => bob.closes.includes(CloseCode.forbidden), 10_000, 'bob refused');
    bob.destroy();
    // …or adds an entry of his own making.
    const bob2 = client(id, 'bob');
    await waitForSync(bob2);
    bob2.doc.getMap<AuthorEntry>(AUTHORS_MAP).set('12345', { userId: ids.lead, name: 'Lena Desk' });
    await eventually(() => bob2.closes.includes(CloseCode.forbidden), 10_000, 'bob refused again');
    bob2.destroy();

    const late = client(id, 'lead');
    await waitForSync(late);
    expect(late.doc.getMap<AuthorEntry>(AUTHORS_MAP).get(String(alice.doc.clientID))).toEqual({ userId: ids.alice, name: 'Alice Moreau' });
    expect(late.doc.getMap<AuthorEntry>(AUTHORS_MAP).has('12345')).toBe(false);
    expect(alice.doc.getMap<AuthorEntry>(AUTHORS_MAP).get(String(alice.doc.clientID))).toEqual({ userId: ids.alice, name: 'Alice Moreau' });
  });

  it("leaves out new content written under another user's client id, without cutting the connection", async () => {
    const id = await newArticle('Forged client id');
    const alice = client(id, 'alice');
    await waitForSync(alice);
    getMetaText(alice.doc, 'headline')!.insert(0, 'A ');
    await eventually(() => alice.doc.getMap(AUTHORS_MAP).has(String(alice.doc.clientID)), 10_000, 'alice mapped');

    // Bob writes, before syncing, as Alice's client id: past her clock, so it would be new.
    const forged = new Y.Doc();
    forged.clientID = alice.doc.clientID;
    forged.getText('scratch').insert(0, 'x'.repeat(200));
    const bob = client(id, 'bob', { doc: forged });
    await waitForSync(bob);
    // The server has processed Bob's sync step 2 (which carries the forged content).
    const bobOnServer = () => server.collab.connections(id).find((c) => c.user.username === 'bob');
    await eventually(() => (bobOnServer()?.updatesReceived ?? 0) >= 1, 10_000, 'bob sync processed');
    expect(alice.doc.getText('scratch').toString()).toBe('');
    expect(server.collab.liveDoc(id)!.doc.getText('scratch').toString()).toBe('');
    expect(bob.closes).toEqual([]);
    bob.destroy();
  });

  it("accepts an absent author's edits handed back by someone else, recorded as handed back by them, not as the author's typing", async () => {
    const id = await newArticle('Handed back');
    // Edits the server never stored (an instance died) that Bob received before it: Alice is gone now.
    const { lost, before } = await aliceLeavesWithLostEdits(id);

    const bob = client(id, 'bob');
    await waitForSync(bob);
    const handBack = encoding.createEncoder();
    encoding.writeVarUint(handBack, 0);
    syncProtocol.writeUpdate(handBack, Y.encodeStateAsUpdate(lost, before));
    bob.provider.ws!.send(encoding.toUint8Array(handBack));
    const serverDoc = () => server.collab.liveDoc(id)!.doc;
    await eventually(() => getMetaText(serverDoc(), 'headline')!.toString().startsWith('Lost A '), 10_000, 'handed back');
    expect(bob.closes).toEqual([]);
    // The id stays Alice's; the handed-back range is recorded as Bob's hand-back.
    const authors = serverDoc().getMap<AuthorEntry>(AUTHORS_MAP);
    expect(authors.get(String(lost.clientID))).toEqual({ userId: ids.alice, name: 'Alice Moreau' });
    const clock = Y.decodeStateVector(before).get(lost.clientID) ?? 0;
    expect(authors.get(handBackKey(lost.clientID, clock))).toEqual({
      userId: ids.bob,
      name: 'Bob Okafor',
      handedBack: true,
      client: lost.clientID,
      clock,
      length: Y.getState(lost.store, lost.clientID) - clock,
    });
    expect((await personIn(id, 'bob'))?.inserted ?? 0).toBe(0);
  });

  it('lets the author go on writing after someone else handed her edits back first', async () => {
    const id = await newArticle('Handed back, then back');
    // Edits the server never stored (an instance died) that Bob received before it: Alice is gone now.
    const { lost, before } = await aliceLeavesWithLostEdits(id);

    // Bob's stock client (it announced its own id in awareness) has them and hands them back first…
    const bob = client(id, 'bob');
    await waitForSync(bob);
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(lost, before));
    const serverDoc = () => server.collab.liveDoc(id)!.doc;
    await eventually(() => getMetaText(serverDoc(), 'headline')!.toString().startsWith('Lost A '), 10_000, 'handed back');

    // …then Alice comes back with the same client id (her awareness clock is behind the server's,
    // so it announces nothing new) and types on: her edits are hers, not "another user's".
    const back = client(id, 'alice', { doc: lost });
    await waitForSync(back);
    getMetaText(lost, 'headline')!.insert(0, 'Back ');
    await eventually(() => getMetaText(bob.doc, 'headline')!.toString().startsWith('Back Lost A '), 10_000, "bob has alice's new edits");
    expect(getMetaText(serverDoc(), 'headline')!.toString()).toBe(getMetaText(lost, 'headline')!.toString());
    expect(serverDoc().getMap<AuthorEntry>(AUTHORS_MAP).get(String(lost.clientID))).toEqual({ userId: ids.alice, name: 'Alice Moreau' });
    expect((await personIn(id, 'bob'))?.inserted ?? 0).toBe(0);
  });
});

describe('GET /api/presence', () => {
  it('is for leads only', async () => {
    expect((await server.request('/api/presence', { cookie: cookies.alice })).status).toBe(403);
    expect((await server.request('/api/presence', { cookie: cookies.rita })).status).toBe(403);
    expect((await server.request('/api/presence')).status).toBe(401);
    const body = (await (await server.request('/api/presence', { cookie: cookies.alice })).json()) as { error: { code: string } };
    expect(body.error.code).toBe('forbidden');
  });

  it('lists each article with its people, state, part, since, last activity and counts', async () => {
    const id = await newArticle('Board content');
    const alice = client(id, 'alice');
    const bob = client(id, 'bob');
    await Promise.all([waitForSync(alice), waitForSync(bob)]);
    typeInto(getMetaText(alice.doc, 'dek')!, 0, 'Dek');
    alice.provider.awareness.setLocalStateField('presence', { section: 'dek', away: false });
    await eventually(async () => (await personIn(id, 'alice'))?.inserted === 3 && (await peopleIn(id)).length === 2, 10_000, 'both, with counts');

    const article = (await snapshot()).articles.find((a) => a.articleId === id)!;
    expect(article.headline).toBe('Board content');
    expect(article.people.map((p) => p.displayName).sort()).toEqual(['Alice Moreau', 'Bob Okafor']);
    for (const person of article.people) {
      expect(Object.keys(person).sort()).toEqual(
        ['color', 'deleted', 'displayName', 'inserted', 'lastActiveAt', 'section', 'since', 'state', 'tabs', 'userId'].sort(),
      );
      expect(['active', 'idle', 'away']).toContain(person.state);
    }
    expect(article.people.find((p) => p.userId === ids.alice)).toMatchObject({ section: { part: 'dek', label: 'Dek' }, inserted: 3, deleted: 0 });
  });

  it('flags an article due within the hour with nobody active', async () => {
    const id = await newArticle('Due soon');
    const due = new Date(Date.now() + 30 * 60_000).toISOString();
    const res = await server.request(`/api/articles/${id}`, { method: 'PATCH', cookie: cookies.lead, json: { deadline: due } });
    expect(res.status).toBe(200);
    const article = async () => (await snapshot()).articles.find((a) => a.articleId === id);
    await eventually(async () => (await article())?.flags.deadlineAtRisk === true, 10_000, 'flagged');
    expect((await article())!.people).toEqual([]);

    const alice = client(id, 'alice');
    await waitForSync(alice);
    await eventually(async () => (await article())?.flags.deadlineAtRisk === false, 10_000, 'someone active');
    // Idle again: at risk again.
    await eventually(async () => (await article())?.flags.deadlineAtRisk === true, 10_000, 'flagged again when idle');
    alice.destroy();
  });
});

describe('presence over Socket.IO', () => {
  it('gives leads a snapshot, then changes only, and refuses everyone else', async () => {
    const writer = await socketFor('alice');
    const refused = await new Promise<AckResult>((resolve) => writer.emit('presence:subscribe', resolve));
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const lead = await socketFor('lead');
    const batches: PresenceChangedEvent[] = [];
    lead.on('presence:changed', (event) => batches.push(event));
    const result = await new Promise<AckResult<{ snapshot: PresenceSnapshot }>>((resolve) => lead.emit('presence:subscribe', resolve));
    if (!result.ok) throw new Error(result.error.message);
    let board: PresenceArticle[] = result.snapshot.articles;

    const id = await newArticle('Live board');
    const alice = client(id, 'alice');
    await waitForSync(alice);
    const opened = Date.now();
    await eventually(() => applyPresenceChanges(board, batches.flatMap((b) => b.changes)).some((a) => a.articleId === id), 10_000, 'alice arrives');
    expect(Date.now() - opened).toBeLessThan(1000);

    // Typing: each batch carries only the person who changed, never the whole board.
    const before = batches.length;
    const headline = getMetaText(alice.doc, 'headline')!;
    for (let i = 0; i < 20; i++) {
      headline.insert(0, 'x');
      await new Promise((r) => setTimeout(r, 10));
    }
    await eventually(() => applyPresenceChanges(board, batches.flatMap((b) => b.changes)).find((a) => a.articleId === id)?.people[0]?.inserted === 20, 10_000, 'counts');
    const typing = batches.slice(before);
    for (const batch of typing) for (const change of batch.changes) expect(change.articleId === id ? (change.upserted?.length ?? 0) : 0).toBeLessThanOrEqual(1);
    // Throttled (50 ms here): far fewer batches than keystrokes.
    expect(typing.length).toBeLessThan(20);

    board = applyPresenceChanges(board, batches.flatMap((b) => b.changes));
    batches.length = 0;
    alice.destroy();
    await eventually(() => batches.some((b) => b.changes.some((c) => c.articleId === id && c.gone)), 10_000, 'article leaves the board');
  });

  it("lets a writer watch the people in an article they may open, not the board", async () => {
    const id = await newArticle('Watch');
    const socket = await socketFor('bob');
    const batches: PresenceChangedEvent[] = [];
    socket.on('presence:changed', (event) => batches.push(event));
    const watched = await new Promise<AckResult<{ article: PresenceArticle }>>((resolve) => socket.emit('presence:watch', { articleId: id }, resolve));
    if (!watched.ok) throw new Error(watched.error.message);
    expect(watched.article.people).toEqual([]);
    const alice = client(id, 'alice');
    await waitForSync(alice);
    await eventually(() => applyPresenceChanges([watched.article], batches.flatMap((b) => b.changes))[0]?.people.some((p) => p.userId === ids.alice) === true, 10_000, 'alice seen');
    expect(batches.flatMap((b) => b.changes).every((c) => c.articleId === id)).toBe(true);

    const reader = await socketFor('rita');
    const refused = await new Promise<AckResult>((resolve) => reader.emit('presence:watch', { articleId: id }, resolve));
    expect(refused.ok).toBe(false);
    alice.destroy();
  });
});

describe('a reconnect before the old socket is noticed dead', () => {
  let slow: TestServer;
  beforeAll(async () => {
    // A heartbeat so slow that only the take-over can remove the stale socket in time.
    slow = await startTestServer({ WS_HEARTBEAT_MS: '60000', PRESENCE_BOARD_THROTTLE_MS: '50' });
  });
  afterAll(async () => slow.stop());

  it('takes over the awareness id and closes the stale socket: the person shows once', async () => {
    const alice = await slow.login('alice');
    const lead = await slow.login('lead');
    const created = await slow.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Stale' } });
    const { id } = (await created.json()) as { id: string };
    const proxy = await silentProxy(slow.port);
    const c = connectClient(proxy.url, id, alice);
    clients.push(c);
    await waitForSync(c);
    c.provider.awareness.setLocalStateField('presence', { section: 'body', away: false });
    const people = async () => ((await (await slow.request('/api/presence', { cookie: lead })).json()) as PresenceSnapshot).articles.find((a) => a.articleId === id)?.people ?? [];
    await eventually(async () => (await people()).length === 1, 10_000, 'alice present');
    expect(slow.collab.connections(id)).toHaveLength(1);

    proxy.blackhole();
    c.provider.disconnect();
    c.provider.connect(); // a new TCP connection through the proxy works
    await waitForSync(c);
    await eventually(() => slow.collab.connections(id).length === 1, 10_000, 'stale socket closed');
    await eventually(async () => (await people())[0]?.tabs === 1, 10_000, 'one tab');
    expect(await people()).toHaveLength(1);
  });
});

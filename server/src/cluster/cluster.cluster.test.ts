import { afterEach, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { io as ioClient, type Socket } from 'socket.io-client';
import { CollabMessageType, SAVE_FLAG_STORAGE_UNAVAILABLE, type HealthResponse, type PresenceSnapshot } from '@copydesk/protocol';
import { eventually, loginAt, waitForSync, type TestClient } from '../test/harness.ts';
import { clusterClient, matchesTyping, startCluster, typeConcurrently, Typist, type Cluster, type Instance } from './topology.ts';

/**
 * The compose topology for real: redis-server (AOF) + two app processes + nginx with
 * deploy/nginx.conf. Clients are stock y-websocket providers going through nginx. Each failure
 * test types while the failure happens and ends with every replica equal to what was typed, and
 * the store (read straight from Redis, and by a fresh client) equal too.
 */

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function cluster(env: Record<string, string> = {}): Promise<Cluster> {
  const c = await startCluster({ env });
  cleanup.push(() => c.stop());
  return c;
}

async function createArticle(url: string, cookie: string, headline: string): Promise<string> {
  const res = await fetch(`${url}/api/articles`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ headline }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Connects typists through nginx one at a time and notes where each landed (from the instances'
 * /metrics), so the test knows the split is real.
 */
async function typistsThroughBalancer(c: Cluster, articleId: string, cookies: string[]): Promise<Array<{ typist: Typist; instance: Instance }>> {
  const placed: Array<{ typist: Typist; instance: Instance }> = [];
  for (const [i, cookie] of cookies.entries()) {
    const before = await Promise.all(c.instances.map((inst) => inst.collabConnections()));
    const client = clusterClient(c.wsUrl, articleId, cookie);
    cleanup.push(() => client.destroy());
    await waitForSync(client);
    let instance: Instance | undefined;
    await eventually(async () => {
      const after = await Promise.all(c.instances.map((inst) => inst.collabConnections()));
      instance = c.instances.find((_inst, k) => after[k]! > before[k]!);
      return instance !== undefined;
    }, 5_000, 'connection placed');
    placed.push({ typist: new Typist(`t${i}`, client), instance: instance! });
  }
  return placed;
}

async function expectEverywhere(c: Cluster, articleId: string, clients: TestClient[], typists: Typist[], cookie: string): Promise<void> {
  try {
    await eventually(() => clients.every((cl) => matchesTyping(cl.doc, typists)), 30_000, 'every replica has exactly what was typed');
  } catch (error) {
    if (process.env.CLUSTER_DEBUG) {
      for (const cl of clients) console.log('DEBUG client', cl.doc.clientID, 'closes', cl.closes, 'synced', cl.provider.synced, 'wsconnected', cl.provider.wsconnected, typists.map((t) => cl.doc.getText(`typist:${t.name}`).length), 'pending', !!cl.doc.store.pendingStructs);
      console.log('DEBUG typed', typists.map((t) => t.typed.length));
    }
    throw error;
  }
  const shared = clients[0]!.doc.getText('shared').toString();
  for (const cl of clients) expect(cl.doc.getText('shared').toString()).toBe(shared);
  // The store itself, read straight from Redis…
  await eventually(async () => matchesTyping(await c.storedDoc(articleId), typists), 15_000, 'the store has exactly what was typed');
  expect((await c.storedDoc(articleId)).getText('shared').toString()).toBe(shared);
  // …and by a fresh client through the balancer.
  const fresh = clusterClient(c.wsUrl, articleId, cookie);
  cleanup.push(() => fresh.destroy());
  await waitForSync(fresh);
  await eventually(() => matchesTyping(fresh.doc, typists), 10_000, 'a fresh client reads what was typed');
  expect(fresh.doc.getText('shared').toString()).toBe(shared);
}

describe('cluster: redis + two instances + nginx', () => {
  it('serves one newsroom through the balancer: clients on both instances co-edit and converge', async () => {
    const c = await cluster();
    const health = (await (await fetch(`${c.url}/healthz`)).json()) as HealthResponse;
    expect(health).toMatchObject({ status: 'ok', store: 'redis', storeReachable: true });
    const cookies = await Promise.all(['alice', 'bob', 'lead', 'alice'].map((u) => loginAt(c.url, u)));
    const id = await createArticle(c.url, cookies[0]!, 'Co-edited through nginx');
    const placed = await typistsThroughBalancer(c, id, cookies);
    expect(new Set(placed.map((p) => p.instance.id)).size).toBe(2);

    const typists = placed.map((p) => p.typist);
    await typeConcurrently(typists, 150);
    await expectEverywhere(c, id, typists.map((t) => t.client), typists, cookies[2]!);
  });

  it('relays a keystroke to the other instance with little added latency (measured, 500 keystrokes)', async () => {
    const c = await cluster();
    const [a, b] = c.instances as [Instance, Instance];
    const cookie = await loginAt(a.url, 'alice');
    const id = await createArticle(a.url, cookie, 'Latency');
    const direct = (i: Instance) => `ws://127.0.0.1:${i.port}/collab`;
    const [writer, sameInstance, otherInstance] = [a, a, b].map((i) => clusterClient(direct(i), id, cookie));
    for (const cl of [writer!, sameInstance!, otherInstance!]) {
      cleanup.push(() => cl.destroy());
      await waitForSync(cl);
    }
    const arrivals = (cl: TestClient) => {
      const seen = new Map<number, number>();
      cl.doc.getText('lat').observe(() => seen.set(cl.doc.getText('lat').length, performance.now()));
      return seen;
    };
    const local = arrivals(sameInstance!);
    const remote = arrivals(otherInstance!);
    const added: number[] = [];
    const deadline = Date.now() + 30_000;
    for (let i = 1; i <= 500 && Date.now() < deadline; i++) {
      writer!.doc.getText('lat').insert(i - 1, 'x');
      const started = performance.now();
      while (!(local.has(i) && remote.has(i)) && performance.now() - started < 5_000) await new Promise((r) => setImmediate(r));
      expect(local.has(i) && remote.has(i), `keystroke ${i} everywhere`).toBe(true);
      added.push(remote.get(i)! - local.get(i)!);
      await new Promise((r) => setTimeout(r, 5));
    }
    added.sort((x, y) => x - y);
    const p = (q: number) => added[Math.floor(q * (added.length - 1))]!;
    console.log(`cross-instance relay, added latency over ${added.length} keystrokes: p50 ${p(0.5).toFixed(2)} ms, p90 ${p(0.9).toFixed(2)} ms, p99 ${p(0.99).toFixed(2)} ms`);
    expect(added.length).toBe(500);
    // Target on an idle machine: < 5 ms at p99 (measured 6–8 ms on the 2-core dev box with every process on it); room for a busy CI runner.
    expect(p(0.99)).toBeLessThan(25);
  });

  it('keeps every keystroke when an instance is killed (SIGKILL) mid-edit', async () => {
    const c = await cluster();
    const cookies = await Promise.all(['alice', 'bob', 'lead', 'bob'].map((u) => loginAt(c.url, u)));
    const id = await createArticle(c.url, cookies[0]!, 'Killed mid-edit');
    const placed = await typistsThroughBalancer(c, id, cookies);
    const victim = placed[0]!.instance;
    const onVictim = placed.filter((p) => p.instance === victim).map((p) => p.typist);
    expect(onVictim.length).toBeGreaterThan(0);

    const typists = placed.map((p) => p.typist);
    const closes: number[] = [];
    for (const t of onVictim) t.client.provider.on('connection-close', () => closes.push(Date.now()));
    await typeConcurrently(typists, 200, async (round) => {
      if (round === 60) await victim.kill();
    });
    expect(closes.length).toBeGreaterThan(0);
    await expectEverywhere(c, id, typists.map((t) => t.client), typists, cookies[2]!);
    // The victim's clients now live on the survivor.
    const survivor = c.instances.find((i) => i !== victim)!;
    expect(await survivor.collabConnections()).toBeGreaterThanOrEqual(typists.length);
  });

  it('keeps every keystroke when an instance shuts down gracefully (SIGTERM) mid-edit', async () => {
    const c = await cluster();
    const cookies = await Promise.all(['alice', 'bob', 'lead', 'alice'].map((u) => loginAt(c.url, u)));
    const id = await createArticle(c.url, cookies[0]!, 'Stopped mid-edit');
    const placed = await typistsThroughBalancer(c, id, cookies);
    const victim = placed[1]!.instance;
    const onVictim = placed.filter((p) => p.instance === victim).map((p) => p.typist);
    const closeCodes: number[] = [];
    for (const t of onVictim) t.client.provider.on('connection-close', (e) => e && closeCodes.push(e.code));

    const typists = placed.map((p) => p.typist);
    let exit: Promise<number | null> | null = null;
    await typeConcurrently(typists, 200, (round) => {
      // Not awaited: typing goes on while the instance flushes and closes its sockets.
      if (round === 60) exit = victim.stop();
    });
    expect(await exit).toBe(0);
    expect(closeCodes).toContain(1001);
    await expectEverywhere(c, id, typists.map((t) => t.client), typists, cookies[2]!);
  });

  it('keeps every acknowledged keystroke through a Redis restart mid-edit, and says so honestly meanwhile', async () => {
    const c = await cluster();
    const cookies = await Promise.all(['alice', 'bob', 'lead', 'bob'].map((u) => loginAt(c.url, u)));
    const id = await createArticle(c.url, cookies[0]!, 'Redis restarted mid-edit');
    const placed = await typistsThroughBalancer(c, id, cookies);
    const typists = placed.map((p) => p.typist);
    const flags: number[] = [];
    for (const t of typists) {
      t.client.provider.messageHandlers[CollabMessageType.saved] = (_e, decoder) => {
        decoding.readVarUint(decoder);
        flags.push(decoding.readVarUint(decoder));
      };
    }
    // Two typists on the same instance keep editing together while Redis is down.
    const [first, second] = placed.filter((p) => p.instance === placed[0]!.instance);
    expect(second, 'two clients on one instance').toBeDefined();

    await typeConcurrently(typists, 60);
    await c.redis.kill();
    const health = await fetch(`${first!.instance.url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as HealthResponse).storeReachable).toBe(false);
    await typeConcurrently(typists, 60);
    await eventually(
      () => first!.typist.client.doc.getText(`typist:${second!.typist.name}`).toString() === second!.typist.typed &&
        second!.typist.client.doc.getText(`typist:${first!.typist.name}`).toString() === first!.typist.typed,
      10_000,
      'clients of one instance edit together while Redis is down',
    );
    await eventually(() => flags.some((f) => (f & SAVE_FLAG_STORAGE_UNAVAILABLE) !== 0), 10_000, 'editors told storage is unavailable');

    await c.redis.start();
    await typeConcurrently(typists, 60);
    await expectEverywhere(c, id, typists.map((t) => t.client), typists, cookies[2]!);
    expect(flags.at(-1)! & SAVE_FLAG_STORAGE_UNAVAILABLE).toBe(0);
    await eventually(async () => (await fetch(`${c.url}/healthz`)).status === 200, 10_000, 'healthy again');
  });

  it('shows editors of both instances on one presence board, and drops those of a killed instance', async () => {
    const c = await cluster();
    const [a, b] = c.instances as [Instance, Instance];
    const alice = await loginAt(a.url, 'alice');
    const bob = await loginAt(b.url, 'bob');
    const lead = await loginAt(a.url, 'lead');
    const id = await createArticle(a.url, alice, 'Presence across instances');
    const onA = clusterClient(`ws://127.0.0.1:${a.port}/collab`, id, alice);
    const onB = clusterClient(`ws://127.0.0.1:${b.port}/collab`, id, bob);
    cleanup.push(() => onA.destroy(), () => onB.destroy());
    await Promise.all([waitForSync(onA), waitForSync(onB)]);

    const peopleOnBoard = async (instance: Instance) => {
      const res = await fetch(`${instance.url}/api/presence`, { headers: { cookie: lead } });
      expect(res.status).toBe(200);
      const board = (await res.json()) as PresenceSnapshot;
      return (board.articles.find((x) => x.articleId === id)?.people ?? []).map((p) => p.displayName).sort();
    };
    await eventually(async () => JSON.stringify(await peopleOnBoard(a)) === JSON.stringify(['Alice Moreau', 'Bob Okafor']), 10_000, 'both editors on A\'s board');
    await eventually(async () => JSON.stringify(await peopleOnBoard(b)) === JSON.stringify(['Alice Moreau', 'Bob Okafor']), 10_000, 'both editors on B\'s board');

    // kill -9: no goodbye; the heartbeat (INSTANCE_TTL_MS=3000 here, 15 s by default) lapses.
    onB.provider.shouldConnect = false;
    const killedAt = Date.now();
    await b.kill();
    await eventually(async () => JSON.stringify(await peopleOnBoard(a)) === JSON.stringify(['Alice Moreau']), 15_000, 'the dead instance\'s editor gone');
    expect(Date.now() - killedAt).toBeLessThan(10_000);
  });

  it('delivers a comment posted on instance A to a Socket.IO reader on instance B', async () => {
    const c = await cluster();
    const [a, b] = c.instances as [Instance, Instance];
    const alice = await loginAt(a.url, 'alice');
    const lead = await loginAt(a.url, 'lead');
    const id = await createArticle(a.url, alice, 'Comments across instances');
    for (const to of ['filed', 'editing', 'approved'] as const) {
      const res = await fetch(`${a.url}/api/articles/${id}/transitions`, { method: 'POST', headers: { cookie: lead, 'content-type': 'application/json' }, body: JSON.stringify({ to }) });
      expect(res.status).toBe(200);
    }
    expect((await fetch(`${a.url}/api/articles/${id}/publish`, { method: 'POST', headers: { cookie: lead, 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);

    const rita = await loginAt(b.url, 'rita');
    const reader: Socket = ioClient(b.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: rita } });
    cleanup.push(() => reader.disconnect());
    const ack = (await reader.timeout(5_000).emitWithAck('comments:subscribe' as never, { articleId: id } as never)) as { ok: boolean };
    expect(ack.ok).toBe(true);
    const received = new Promise<{ body: string }>((resolve) => reader.on('comment:created' as never, resolve as never));

    const res = await fetch(`${a.url}/api/articles/${id}/comments`, {
      method: 'POST',
      headers: { cookie: rita, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Posted through instance A' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await received).body).toBe('Posted through instance A');
  });
});

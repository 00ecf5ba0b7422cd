import * as Y from 'yjs';
import type { BenchServer, ClientConn } from '../servers/types.ts';
import type { ConcurrentTrace } from '../traces.ts';
import { ladder, quantile } from '../stats.ts';
import { now, sleep, tick, withTimeout, waitFor } from '../util.ts';
import { applyPatch } from './edit-counter.ts';
import { TEXT_NAME } from './throughput.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

/*
 * Replays a concurrent trace with one real client (provider + socket) per agent.
 *
 * Each agent has two docs:
 *  - `net`: the replica connected to the server. Only the server feeds it (plus the agent's own
 *    edits). Its final text is what we check against `endContent`.
 *  - `ver`: the agent's "view", kept exactly at the version its next txn was made against
 *    (the merge of that txn's `parents`), because the trace's patch positions are relative to
 *    that version, not to whatever else has arrived concurrently.
 *
 * Txns are issued in trace order. Before agent A sends txn t, A's `net` replica must have
 * received (from the server) every parent of t: checked on the replica itself — the parent's
 * inserted ids are present (state vector) and the items it deleted are deleted. Then the missing
 * ancestors are applied to `ver` (their bytes come from this process's table of authored
 * updates, which is only a shortcut for materialising the exact parent version), the patches are
 * applied to `ver`, and the resulting update goes into `net`, whose provider sends it.
 * Txns whose parents are not yet at A are truly concurrent with what is in flight.
 */

interface TxnRecord {
  update: Uint8Array;
  agent: number;
  /** inserted id range [client, clockStart, clockEnd) or null */
  ins: [number, number, number] | null;
  dels: Array<[number, number, number]>;
}

interface Agent {
  id: number;
  net: ClientConn;
  ver: Y.Doc;
  applied: Uint8Array;
  joinMs: number;
  left: boolean;
}

function received(agent: Agent, rec: TxnRecord): boolean {
  if (rec.agent === agent.id) return true;
  const store = agent.net.doc.store;
  if (rec.ins) {
    const [client, , end] = rec.ins;
    if (Y.getState(store, client) < end) return false;
  }
  for (const [client, clock, len] of rec.dels) {
    if (Y.getState(store, client) < clock + len) return false;
    const structs = store.clients.get(client)!;
    let i = Y.findIndexSS(structs, clock);
    while (i < structs.length && structs[i]!.id.clock < clock + len) {
      if (!structs[i]!.deleted) return false;
      i++;
    }
  }
  return true;
}

function describeDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `length ${a.length} vs expected ${b.length}, first difference at ${i}: ${JSON.stringify(a.slice(i, i + 20))} vs ${JSON.stringify(b.slice(i, i + 20))}`;
}

export interface ConcurrentOptions {
  name: string;
  /** Connect each agent right before its first txn and disconnect after its last (node_nodecc). */
  joinInTurn: boolean;
  /** Replay only the first N txns (the reference text is then the merge of all authored updates). */
  limit: number;
}

export async function concurrent(
  ctx: WorkloadContext,
  trace: ConcurrentTrace,
  opts: ConcurrentOptions,
): Promise<WorkloadResult> {
  const { server, cfg } = ctx;
  const txns = trace.txns.slice(0, Math.min(trace.txns.length, opts.limit));
  const full = txns.length === trace.txns.length;
  const docName = await server.createDoc(opts.name);
  const records: TxnRecord[] = new Array(txns.length);
  const lastTxnOf = new Map<number, number>();
  txns.forEach((t, i) => lastTxnOf.set(t.agent, i));
  const agents = new Map<number, Agent>();
  const clientBase = 1_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
  const failures: string[] = [];
  const joinTimes: number[] = [];
  let maxLive = 0;
  const leaving: Promise<void>[] = [];

  async function connectAgent(id: number): Promise<Agent> {
    const ver = new Y.Doc();
    ver.clientID = clientBase + id;
    const t0 = now();
    const net = server.connect(docName, new Y.Doc());
    await withTimeout(net.whenSynced, cfg.syncTimeoutMs, `agent ${id} sync`);
    const agent: Agent = { id, net, ver, applied: new Uint8Array(txns.length), joinMs: now() - t0, left: false };
    agents.set(id, agent);
    maxLive = Math.max(maxLive, [...agents.values()].filter((a) => !a.left).length);
    return agent;
  }

  async function leave(agent: Agent): Promise<void> {
    // let the socket drain before closing (y-websocket has no acks)
    await waitFor(() => agent.net.bufferedAmount() === 0, 10_000, 'socket drain', 2).catch(() => undefined);
    await sleep(50);
    agent.left = true;
    agent.net.destroy();
  }

  /** Brings `agent.ver` to exactly the version formed by `parents` (and their ancestors). */
  function catchUp(agent: Agent, parents: number[]): void {
    const missing: number[] = [];
    const stack = [...parents];
    while (stack.length) {
      const p = stack.pop()!;
      if (agent.applied[p]) continue;
      agent.applied[p] = 1;
      missing.push(p);
      for (const q of txns[p]!.parents) if (!agent.applied[q]) stack.push(q);
    }
    missing.sort((a, b) => a - b);
    if (missing.length === 0) return;
    Y.transact(agent.ver, () => {
      for (const p of missing) Y.applyUpdate(agent.ver, records[p]!.update, 'ancestor');
    });
  }

  const t0 = now();
  if (!opts.joinInTurn) {
    for (let a = 0; a < trace.numAgents; a++) if (lastTxnOf.has(a)) await connectAgent(a);
  }
  let waits = 0;
  for (let t = 0; t < txns.length; t++) {
    const txn = txns[t]!;
    let agent = agents.get(txn.agent);
    if (!agent) {
      agent = await connectAgent(txn.agent);
      joinTimes.push(agent.joinMs);
    }
    const ag = agent;
    const ready = (): boolean => txn.parents.every((p) => received(ag, records[p]!));
    if (!ready()) {
      waits++;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          ag.net.doc.off('update', on);
          reject(new Error(`${opts.name}: agent ${ag.id} never received the parents of txn ${t}`));
        }, cfg.syncTimeoutMs);
        const on = (): void => {
          if (ready()) {
            clearTimeout(timer);
            ag.net.doc.off('update', on);
            resolve();
          }
        };
        ag.net.doc.on('update', on);
      });
    }
    catchUp(ag, txn.parents);
    let update: Uint8Array | null = null;
    let dels: Array<[number, number, number]> = [];
    const capture = (u: Uint8Array): void => {
      update = u;
    };
    const captureDs = (tr: Y.Transaction): void => {
      dels = [];
      tr.deleteSet.clients.forEach((items, client) => {
        for (const it of items) dels.push([client, it.clock, it.len]);
      });
    };
    ag.ver.on('update', capture);
    ag.ver.on('afterTransaction', captureDs);
    const before = Y.getState(ag.ver.store, ag.ver.clientID);
    ag.ver.transact(() => {
      const text = ag.ver.getText(TEXT_NAME);
      for (const [pos, del, ins] of txn.patches) applyPatch(text, pos, del, ins);
    });
    ag.ver.off('update', capture);
    ag.ver.off('afterTransaction', captureDs);
    const after = Y.getState(ag.ver.store, ag.ver.clientID);
    if (!update) throw new Error(`${opts.name}: txn ${t} produced no update`);
    ag.applied[t] = 1;
    records[t] = { update, agent: ag.id, ins: after > before ? [ag.ver.clientID, before, after] : null, dels };
    Y.applyUpdate(ag.net.doc, update, 'agent');
    if (opts.joinInTurn && lastTxnOf.get(ag.id) === t) leaving.push(leave(ag));
    if ((t & 127) === 127) {
      await tick();
      while ([...agents.values()].some((a) => !a.left && a.net.bufferedAmount() > 1 << 20)) await sleep(1);
    }
  }
  await Promise.all(leaving);

  // reference text: the trace's endContent, or (prefix runs) the merge of every authored update
  let expected = trace.endContent;
  if (!full) {
    const ref = new Y.Doc();
    Y.transact(ref, () => records.forEach((r) => Y.applyUpdate(ref, r.update)));
    expected = ref.getText(TEXT_NAME).toString();
  }
  const live = [...agents.values()].filter((a) => !a.left);
  const converged = (): boolean => live.every((a) => a.net.doc.getText(TEXT_NAME).length === expected.length);
  await waitFor(converged, cfg.syncTimeoutMs, 'replicas to converge', 10).catch(() => undefined);
  const replayMs = now() - t0;
  for (const a of live) {
    const got = a.net.doc.getText(TEXT_NAME).toString();
    if (got !== expected) failures.push(`${opts.name}: replica of agent ${a.id} diverged: ${describeDiff(got, expected)}`);
  }
  // a fresh client loading from the server (not for a server that keeps nothing once every client left)
  const notes: string[] = [];
  let freshMs = NaN;
  if (live.length === 0 && !server.persistent && server.unloadsDocs) {
    notes.push('fresh-client check not applicable: every agent had left, and this in-memory server drops a document when its last client leaves');
  } else {
    const fresh = new Y.Doc();
    const freshConn = server.connect(docName, fresh);
    try {
      const f0 = now();
      await withTimeout(freshConn.whenSynced, cfg.syncTimeoutMs, 'fresh client sync');
      await waitFor(() => fresh.getText(TEXT_NAME).length === expected.length, 5_000, 'fresh content', 5).catch(() => undefined);
      freshMs = now() - f0;
      const got = fresh.getText(TEXT_NAME).toString();
      if (got !== expected) failures.push(`${opts.name}: fresh client diverged: ${describeDiff(got, expected)}`);
    } catch (e) {
      failures.push(`${opts.name}: fresh client: ${(e as Error).message}`);
    } finally {
      freshConn.destroy();
    }
  }
  for (const a of live) a.net.destroy();

  const metrics: WorkloadResult['metrics'] = {
    replayMs: m(`${opts.name}: replay until converged`, replayMs, 'ms', 'lower'),
    txnsPerSec: m(`${opts.name}: txns/s`, txns.length / (replayMs / 1000), 'txns/s', 'higher'),
    freshLoadMs: m(`${opts.name}: fresh client load`, freshMs, 'ms', 'lower'),
  };
  const result: WorkloadResult = {
    metrics,
    notes: [
      `${txns.length}${full ? '' : ` of ${trace.txns.length}`} txns, ${agents.size} agent clients (max ${maxLive} connected at once), ${waits} waits for parents to arrive; checked ${live.length} live replicas + 1 fresh client against ${full ? 'endContent' : 'the merge of all authored updates (prefix run)'}`,
      ...notes,
    ],
    failures,
  };
  if (opts.joinInTurn) {
    metrics.joinP50 = m(`${opts.name}: join-in-turn sync p50`, quantile(joinTimes, 0.5), 'ms', 'lower');
    metrics.joinP99 = m(`${opts.name}: join-in-turn sync p99`, quantile(joinTimes, 0.99), 'ms', 'lower');
    metrics.joinMax = m(`${opts.name}: join-in-turn sync max`, Math.max(...joinTimes), 'ms', 'lower');
    result.dists = { join: ladder(joinTimes) };
  }
  return result;
}

/**
 * Copydesk benchmark harness: `npm run bench [-- --quick] [--reps N] [--servers a,b] [--only w1,w2]`.
 * Replays real editing traces through real clients over real sockets against Copydesk and the
 * reference Yjs servers (each in its own child process on 127.0.0.1), interleaved and repeated,
 * and writes bench/results/<date>.json + bench/results/latest.md (+ SVG charts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { makeConfig } from './config.ts';
import { ALL_SERVERS, SUBJECT_ID } from './servers/index.ts';
import type { BenchServer, ServerSpec } from './servers/types.ts';
import { flatEdits, loadConcurrent, loadSequential, TRACE_ATTRIBUTION } from './traces.ts';
import { log, now, sleep } from './util.ts';
import type { BenchResults, RunRecord } from './results.ts';
import { summarize } from './summarize.ts';
import { throughput, TEXT_NAME } from './workloads/throughput.ts';
import { latency } from './workloads/latency.ts';
import { join as joinWorkload } from './workloads/join.ts';
import { concurrent } from './workloads/concurrent.ts';
import { memory, type SeedArticle } from './workloads/memory.ts';
import { churn } from './workloads/churn.ts';
import { storage, storageBaseline } from './workloads/storage.ts';
import { comments } from './workloads/comments.ts';
import type { WorkloadContext, WorkloadResult } from './workloads/types.ts';
import { writeReport } from './report/markdown.ts';
import { writeReadmeParagraph } from './report/readme.ts';
import { currentProvenance, machineInfo } from './machine.ts';

// every y-websocket provider adds a process 'exit' listener
process.setMaxListeners(0);

const here = dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = join(here, '..', 'results');

const WORKLOADS = [
  'throughput',
  'join-warm',
  'storage',
  'join-cold',
  'latency',
  'friendsforever',
  'clownschool',
  'node_nodecc',
  'memory',
  'churn',
  'comments',
] as const;
type WorkloadId = (typeof WORKLOADS)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    servers: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    /** Rewrite the README's benchmark paragraph from this results JSON (see report/readme.ts). */
    readme: { type: 'string' },
    /** Regenerate latest.md + SVGs from an existing results JSON, without running anything. */
    from: { type: 'string' },
    /** Override the churn leak-check duration (seconds). */
    'churn-seconds': { type: 'string' },
    /** Override how many automerge-paper edits the throughput run types (profiling at other sizes). */
    'throughput-edits': { type: 'string' },
    /** Override the paced latency window (seconds). */
    'latency-seconds': { type: 'string' },
  },
  allowPositionals: false,
});

const cfg = makeConfig(Boolean(args.quick), args.reps ? Number(args.reps) : undefined);
if (args['churn-seconds']) cfg.churnMs = Number(args['churn-seconds']) * 1000;
if (args['throughput-edits']) cfg.throughputEdits = Number(args['throughput-edits']);
if (args['latency-seconds']) cfg.latencyWindowMs = Number(args['latency-seconds']) * 1000;
const only = new Set<WorkloadId>((args.only?.split(',') as WorkloadId[] | undefined) ?? WORKLOADS);
const outDir = args.out ?? RESULTS_DIR;

/** Load is only ever sent to loopback addresses. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (!(host === 'localhost' || host === '::1' || /^127\./.test(host))) {
    throw new Error(`refusing non-loopback target ${url}`);
  }
}
if (process.env.BENCH_REDIS_URL) assertLoopback(process.env.BENCH_REDIS_URL);

function selectServers(): ServerSpec[] {
  if (args.servers) {
    const ids = args.servers.split(',');
    const unknown = ids.filter((id) => !ALL_SERVERS.some((s) => s.id === id));
    if (unknown.length) throw new Error(`unknown server(s): ${unknown.join(', ')}; known: ${ALL_SERVERS.map((s) => s.id).join(', ')}`);
    return ALL_SERVERS.filter((s) => ids.includes(s.id));
  }
  return ALL_SERVERS.filter((s) => (cfg.quick ? s.quick : s.full));
}

async function main(): Promise<number> {
  if (args.from) {
    // Re-render only: the report and charts are made again from the recorded runs; the results
    // file itself is never written, and every recorded failure stays.
    const results = JSON.parse(readFileSync(args.from, 'utf8')) as BenchResults;
    results.summary = summarize(results.runs, results.subject);
    for (const r of results.runs) {
      const extra = unfinished(r.server, r.workload, r.result).filter((n) => !(results.notes[r.workload]?.[r.server] ?? []).includes(n));
      if (extra.length) ((results.notes[r.workload] ??= {})[r.server] ??= []).push(...extra);
    }
    const md = writeReport(results, dirname(args.from), basename(args.from));
    console.log(md.summary);
    return 0;
  }
  if (args.readme) {
    // The README's benchmark paragraph, generated from a results file (checked by readme.test.ts).
    writeReadmeParagraph(args.readme);
    return 0;
  }
  const started = now();
  const date = new Date().toISOString();
  const provenance = currentProvenance(process.argv.slice(2));
  log(`mode=${cfg.quick ? 'quick' : 'full'} reps=${cfg.reps}`);
  const paper = loadSequential('automerge-paper');
  const tpEdits = flatEdits(paper, cfg.throughputEdits);
  const latEdits = flatEdits(paper, Math.round((cfg.latencyRate * cfg.latencyWindowMs) / 1000));
  const memEdits = flatEdits(paper, cfg.memArticleEdits);
  const concurrentTraces = {
    friendsforever: loadConcurrent('friendsforever'),
    clownschool: loadConcurrent('clownschool'),
    node_nodecc: loadConcurrent('node_nodecc'),
  };
  const seed = buildSeed(memEdits.patches);
  if (seed.text !== memEdits.expected) throw new Error('seed article replay mismatch');

  const specs = selectServers();
  const servers: BenchResults['servers'] = [];
  const active: ServerSpec[] = [];
  for (const s of specs) {
    const reason = s.unavailable();
    if (reason) {
      log(`SKIP ${s.label}: ${reason}`);
      servers.push({ id: s.id, label: s.label, status: 'skipped', reason, notes: [] });
    } else active.push(s);
  }
  const runs: RunRecord[] = [];
  const failures: string[] = [];
  const notes: BenchResults['notes'] = {};
  const serverNotes = new Map<string, string[]>();
  const serverFailed = new Map<string, string>();

  const record = (rep: number, server: BenchServer, workload: WorkloadId, result: WorkloadResult): void => {
    runs.push({ rep, server: server.id, workload, result });
    (notes[workload] ??= {})[server.id] = [...(result.skipped ? [result.skipped] : []), ...(result.notes ?? []), ...unfinished(server.id, workload, result)];
    for (const f of result.failures ?? []) if (isCorrectnessFailure(server.id, f, workload)) failures.push(`[${server.id} rep ${rep}] ${f}`);
    const ms = Object.entries(result.metrics)
      .slice(0, 3)
      .map(([k, v]) => `${k}=${v.value.toFixed(v.value < 10 ? 2 : 0)}${v.unit}`)
      .join(' ');
    log(`  ${server.id} ${workload}: ${result.skipped ?? ms}${result.failures?.length ? ` FAILURES: ${result.failures.join('; ')}` : ''}`);
  };
  const attempt = async (rep: number, server: BenchServer, workload: WorkloadId, fn: () => Promise<WorkloadResult>): Promise<void> => {
    if (!only.has(workload)) return;
    try {
      record(rep, server, workload, await fn());
    } catch (e) {
      record(rep, server, workload, { metrics: {}, failures: [`${workload}: ${(e as Error).message}`] });
    }
  };

  for (let rep = 0; rep < cfg.reps; rep++) {
    // interleave: rotate the server order every repetition
    const order = active.map((_, i) => active[(i + rep) % active.length]!);
    for (const spec of order) {
      log(`rep ${rep + 1}/${cfg.reps}: ${spec.label}`);
      const server = spec.create();
      serverNotes.set(spec.id, server.notes);
      const ctx: WorkloadContext = { cfg, server };
      try {
        await editingSession(rep, ctx, attempt, { tpEdits, latEdits, concurrentTraces });
        await memorySession(rep, ctx, attempt, seed);
      } catch (e) {
        const msg = `${spec.label}: ${(e as Error).message}`;
        log(`FAILED ${msg}`);
        failures.push(`[${spec.id} rep ${rep}] ${msg}`);
        serverFailed.set(spec.id, (e as Error).message.split('\n')[0]!);
      } finally {
        await server.stop().catch(() => undefined);
        await server.cleanup().catch(() => undefined);
      }
    }
  }
  for (const s of active) {
    const reason = serverFailed.get(s.id);
    servers.push({ id: s.id, label: s.label, status: reason ? 'failed' : 'ran', reason, notes: serverNotes.get(s.id) ?? [] });
  }

  const results: BenchResults = {
    date,
    mode: cfg.quick ? 'quick' : 'full',
    provenance,
    durationS: Math.round((now() - started) / 100) / 10,
    config: cfg,
    machine: machineInfo(),
    traces: TRACE_ATTRIBUTION,
    servers,
    subject: SUBJECT_ID,
    runs,
    summary: summarize(runs, SUBJECT_ID),
    notes,
    failures,
  };
  mkdirSync(outDir, { recursive: true });
  const jsonName = `${date.replace(/[:]/g, '-').replace(/\..*$/, '')}${cfg.quick ? '-quick' : ''}.json`;
  writeFileSync(join(outDir, jsonName), JSON.stringify(results, null, 1) + '\n');
  const md = writeReport(results, outDir, jsonName);
  log(`wrote ${join(outDir, jsonName)} and ${join(outDir, 'latest.md')} in ${results.durationS} s`);
  console.log('\n' + md.summary);
  if (failures.length) {
    console.error(`\nFAIL: ${failures.length} correctness failure(s):\n  ${failures.join('\n  ')}`);
    return 1;
  }
  if (servers.some((s) => s.id === SUBJECT_ID && s.status !== 'ran')) {
    console.warn(`\nWARNING: Copydesk was not benchmarked: ${servers.find((s) => s.id === SUBJECT_ID)?.reason}`);
  }
  return 0;
}

/**
 * A competitor that does not finish a timed workload within its bound (e.g. a cold join that
 * takes longer than the sync timeout) is a measured outcome, reported with the results; only
 * divergence, lost comments and Copydesk's own failures (any of them) fail the run.
 */
function isCorrectnessFailure(server: string, failure: string, workload: string): boolean {
  return server.startsWith(SUBJECT_ID) || !TIMED_ONLY.has(workload) || !/timed out/.test(failure);
}
/** Workloads that only time something (the concurrency ones also check convergence: their timeouts stay failures). */
const TIMED_ONLY = new Set(['throughput', 'join-warm', 'join-cold', 'latency']);

function unfinished(server: string, workload: string, result: WorkloadResult): string[] {
  return (result.failures ?? []).filter((f) => !isCorrectnessFailure(server, f, workload)).map((f) => `did not finish: ${f}`);
}

function buildSeed(patches: Array<[number, number, string]>): SeedArticle {
  const doc = new Y.Doc();
  const text = doc.getText(TEXT_NAME);
  for (const [pos, del, ins] of patches) {
    if (del) text.delete(pos, del);
    if (ins) text.insert(pos, ins);
  }
  return { update: Y.encodeStateAsUpdate(doc), text: text.toString() };
}

/** A full GC of the harness heap (node --expose-gc, set by `npm run bench`), logged. */
function settleHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  const before = process.memoryUsage().heapUsed;
  gc();
  log(`  harness heap: ${(before / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB after a full GC`);
}

type Attempt = (rep: number, server: BenchServer, workload: WorkloadId, fn: () => Promise<WorkloadResult>) => Promise<void>;

async function editingSession(
  rep: number,
  ctx: WorkloadContext,
  attempt: Attempt,
  input: {
    tpEdits: ReturnType<typeof flatEdits>;
    latEdits: ReturnType<typeof flatEdits>;
    concurrentTraces: Record<'friendsforever' | 'clownschool' | 'node_nodecc', ReturnType<typeof loadConcurrent>>;
  },
): Promise<void> {
  const { server } = ctx;
  // storage baseline: the data directory after a start/stop with no bench articles
  await server.start();
  await server.stop();
  const baseline = await storageBaseline(server);
  await server.start();

  const needArticle = ['throughput', 'join-warm', 'storage', 'join-cold'].some((w) => only.has(w as WorkloadId));
  if (needArticle) {
    let article: Awaited<ReturnType<typeof throughput>> | null = null;
    await attempt(rep, server, 'throughput', async () => {
      article = await throughput(ctx, input.tpEdits);
      return article.result;
    });
    const a = article as Awaited<ReturnType<typeof throughput>> | null;
    if (a) {
      await attempt(rep, server, 'join-warm', () => joinWorkload(ctx, a.docName, input.tpEdits.expected, 'warm'));
      const v2 = Y.encodeStateAsUpdateV2(a.writer.doc).length;
      a.writer.destroy();
      await sleep(server.unloadWaitMs);
      await server.stop();
      await attempt(rep, server, 'storage', () => storage(ctx, baseline, v2));
      await server.start();
      await attempt(rep, server, 'join-cold', async () =>
        server.persistent
          ? joinWorkload(ctx, a.docName, input.tpEdits.expected, 'cold')
          : { metrics: {}, skipped: 'in-memory server: the article does not survive a restart' },
      );
    }
  }
  if (only.has('latency')) settleHeap();
  await attempt(rep, server, 'latency', () => latency(ctx, input.latEdits));
  for (const name of ['friendsforever', 'clownschool'] as const) {
    await attempt(rep, server, name, () =>
      concurrent(ctx, input.concurrentTraces[name], { name, joinInTurn: false, limit: Infinity }),
    );
  }
  await attempt(rep, server, 'node_nodecc', () =>
    concurrent(ctx, input.concurrentTraces.node_nodecc, { name: 'node_nodecc', joinInTurn: true, limit: ctx.cfg.nodeccTxns }),
  );
  await server.stop();
}

async function memorySession(rep: number, ctx: WorkloadContext, attempt: Attempt, seed: SeedArticle): Promise<void> {
  if (!only.has('memory') && !only.has('churn') && !only.has('comments')) return;
  const { server } = ctx;
  await server.start(); // a fresh process, so RSS starts from idle
  await attempt(rep, server, 'memory', () => memory(ctx, seed));
  // the churn leak check is long (10 min per server in full mode): run it in the first repetition only
  if (rep === 0) await attempt(rep, server, 'churn', () => churn(ctx));
  if (server.id === SUBJECT_ID && only.has('comments')) {
    // Latency is measured in this process: start it from a collected heap, not mid-way through the
    // garbage of the memory and churn workloads (their replicas), whose major GCs would be timed too.
    settleHeap();
    await attempt(rep, server, 'comments', () => comments(ctx));
  }
  await server.stop();
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);

import os from 'node:os';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { AckResult, Article, ClientToServerEvents, Comment, ServerToClientEvents } from '@copydesk/protocol';
import { BENCH_REDIS_URL, createCopydesk } from '../servers/copydesk.ts';
import { procCpuSeconds as cpuSeconds } from '../servers/child.ts';
import type { BenchServer } from '../servers/types.ts';
import { countRedisPrefix, deleteRedisPrefix, redisUnavailable } from '../redis.ts';
import { ladder, quantile } from '../stats.ts';
import { log, now, randomId, sleep, waitFor, withTimeout } from '../util.ts';
import { m, type Metric, type WorkloadContext, type WorkloadResult } from './types.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Demo accounts that post (any signed-in person may post a reader comment). */
const POSTERS = ['alice', 'bob', 'rita', 'lead'] as const;
const PASSWORD = 'copydesk';
/** Every socket operation is bounded. */
const OP_TIMEOUT_MS = 15_000;

/** `copydesk_session=…` of a demo account. */
async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const set = res.headers.getSetCookie().find((c) => c.startsWith('copydesk_session='));
  if (!set) throw new Error(`login ${username}: no session cookie`);
  return set.split(';')[0]!;
}

async function api<T>(base: string, cookie: string, path: string, body: unknown, expect: number): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  if (res.status !== expect) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Creates an article as alice and walks it to published as lead (the README workflow). */
async function publishArticle(base: string, alice: string, lead: string): Promise<string> {
  const article = await api<Article>(base, alice, '/api/articles', { headline: `Comment fan-out ${randomId('bench')}` }, 201);
  for (const to of ['filed', 'editing', 'approved'] as const) {
    await api(base, lead, `/api/articles/${article.id}/transitions`, { to }, 200);
  }
  await api(base, lead, `/api/articles/${article.id}/publish`, {}, 200);
  return article.id;
}

/** A Socket.IO client (websocket transport, no reconnection: a drop must show up as loss). */
async function connectSocket(base: string, cookie?: string): Promise<ClientSocket> {
  const socket: ClientSocket = ioClient(base, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: cookie ? { cookie } : {},
  });
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    }),
    OP_TIMEOUT_MS,
    'Socket.IO connect',
  );
  return socket;
}

function call<T extends object>(socket: ClientSocket, event: keyof ClientToServerEvents, payload: unknown): Promise<AckResult<T>> {
  return withTimeout(
    new Promise<AckResult<T>>((resolve) => (socket.emit as (...a: unknown[]) => void)(event, payload, resolve)),
    OP_TIMEOUT_MS,
    `${event} ack`,
  );
}

export interface FanOutTopology {
  /** Where the readers subscribe. */
  readerBase: string;
  /** Where the posters post (the same server, or another instance). */
  posterBase: string;
  /** Server processes whose CPU time the deliveries are divided by. */
  pids: number[];
}

interface FanOutOutcome {
  metrics: Record<string, Metric>;
  dist: Array<[number, number]>;
  failures: string[];
  notes: string[];
}

/**
 * One fan-out run: `readers` anonymous Socket.IO clients subscribed (`comments:subscribe`) to one
 * published article on `readerBase`; signed-in posters on `posterBase` send `comment:post` paced
 * at `rate`/s for `windowMs`. Every comment carries its sequence number in the body; a reader
 * records the arrival of each `comment:created`. Latency = emit of `comment:post` → arrival at a
 * reader (one process, one clock). Lost = expected (comments × readers) − distinct deliveries.
 */
async function fanOut(ctx: WorkloadContext, topo: FanOutTopology, tag: string): Promise<FanOutOutcome> {
  const { cfg } = ctx;
  const failures: string[] = [];
  const runId = randomId(tag);
  const [alice, lead] = await Promise.all([login(topo.posterBase, 'alice'), login(topo.posterBase, 'lead')]);
  const articleId = await publishArticle(topo.posterBase, alice, lead);
  const cookies = await Promise.all(POSTERS.map((u) => (u === 'alice' ? alice : u === 'lead' ? lead : login(topo.posterBase, u))));

  const total = Math.round((cfg.commentRate * cfg.commentWindowMs) / 1000);
  const postedAt = new Float64Array(total).fill(NaN);
  /** arrivals[r][seq] = ms (NaN: not yet) */
  const arrivals = Array.from({ length: cfg.commentReaders }, () => new Float64Array(total).fill(NaN));
  const received = new Int32Array(cfg.commentReaders);
  let duplicates = 0;
  let strangers = 0;
  const marker = new RegExp(`^${runId} #(\\d+)\\b`);

  const readers: ClientSocket[] = [];
  const posters: ClientSocket[] = [];
  const disconnects: string[] = [];
  try {
    // readers, in batches so the handshakes don't all land at once
    for (let i = 0; i < cfg.commentReaders; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, cfg.commentReaders - i) }, async (_, j) => {
          const r = i + j;
          const socket = await connectSocket(topo.readerBase);
          socket.on('comment:created', (comment: Comment) => {
            const t = now();
            const hit = marker.exec(comment.body);
            if (!hit) {
              strangers++;
              return;
            }
            const seq = Number(hit[1]);
            const row = arrivals[r]!;
            if (seq >= total) return void strangers++;
            if (!Number.isNaN(row[seq]!)) return void duplicates++;
            row[seq] = t;
            received[r]!++;
          });
          socket.on('disconnect', (reason) => disconnects.push(`reader ${r}: ${reason}`));
          const sub = await call<{ count: number }>(socket, 'comments:subscribe', { articleId });
          if (!sub.ok) throw new Error(`comments:subscribe: ${sub.error.code} ${sub.error.message}`);
          return socket;
        }),
      );
      readers.push(...batch);
    }
    for (const cookie of cookies) {
      const socket = await connectSocket(topo.posterBase, cookie);
      socket.on('disconnect', (reason) => disconnects.push(`poster: ${reason}`));
      posters.push(socket);
    }

    // paced posting: comment i is due at t0 + i / rate; the loop never runs past the window + slack
    let acked = 0;
    const rejected: string[] = [];
    const interval = 1000 / cfg.commentRate;
    const cpu0 = topo.pids.map(cpuSeconds);
    const t0 = now();
    const hardStop = t0 + cfg.commentWindowMs * 2 + 5_000;
    let lagMax = 0;
    for (let i = 0; i < total; i++) {
      const due = t0 + i * interval;
      const wait = due - now();
      if (wait > 0) await sleep(wait); // timer resolution ~1 ms; the emit time is what is recorded
      if (now() > hardStop) {
        failures.push(`${tag}: posting fell behind; stopped after ${i} of ${total} comments`);
        break;
      }
      lagMax = Math.max(lagMax, now() - due);
      const poster = posters[i % posters.length]!;
      postedAt[i] = now();
      (poster.emit as (...a: unknown[]) => void)('comment:post', { articleId, body: `${runId} #${i} fan-out bench comment` }, (res: AckResult<{ comment: Comment }>) => {
        if (res.ok) acked++;
        else if (rejected.length < 5) rejected.push(`#${i}: ${res.error.code} ${res.error.message}`);
        else rejected.push('');
      });
    }
    const posted = postedAt.filter((x) => !Number.isNaN(x)).length;
    const postMs = now() - t0;
    const expected = posted * readers.length;
    const delivered = (): number => received.reduce((a, b) => a + b, 0);
    // drain: wait (bounded) until every reader holds every posted comment
    await waitFor(() => delivered() >= expected && acked + rejected.length >= posted, cfg.commentDrainMs, 'every comment at every reader').catch(
      () => undefined,
    );
    const doneMs = now() - t0;
    const cpu = topo.pids.reduce((sum, pid, k) => sum + (cpuSeconds(pid) - cpu0[k]!), 0);
    const got = delivered();
    const lost = expected - got;

    // latencies: one sample per (comment, reader)
    const samples: number[] = [];
    const perComment: number[] = [];
    for (let i = 0; i < posted; i++) {
      let worst = 0;
      for (let r = 0; r < readers.length; r++) {
        const a = arrivals[r]![i]!;
        if (Number.isNaN(a)) continue;
        const d = a - postedAt[i]!;
        samples.push(d);
        worst = Math.max(worst, d);
      }
      perComment.push(worst);
    }
    samples.sort((a, b) => a - b);
    if (lost > 0) failures.push(`${tag}: ${lost} of ${expected} comment deliveries lost (${posted} comments × ${readers.length} readers)`);
    if (rejected.length) failures.push(`${tag}: ${rejected.length} comment:post refused (${rejected.filter(Boolean).join('; ')})`);
    if (acked + rejected.length < posted) failures.push(`${tag}: ${posted - acked - rejected.length} comment:post never acknowledged`);
    if (duplicates) failures.push(`${tag}: ${duplicates} duplicate deliveries`);
    if (disconnects.length) failures.push(`${tag}: ${disconnects.length} sockets dropped (${disconnects.slice(0, 3).join('; ')})`);
    const activeS = doneMs / 1000;
    return {
      metrics: {
        p50: m('delivery latency p50 (post → comment:created at a reader)', quantile(samples, 0.5), 'ms', 'lower'),
        p99: m('delivery latency p99', quantile(samples, 0.99), 'ms', 'lower'),
        max: m('delivery latency max', samples.at(-1) ?? NaN, 'ms', 'lower'),
        allReadersP99: m('p99 over comments of the time until the last reader has it', quantile(perComment, 0.99), 'ms', 'lower'),
        lost: m('lost deliveries', lost, 'deliveries', 'lower'),
        deliveries: m('deliveries (comments × readers)', got, 'deliveries', 'higher'),
        deliveriesPerSec: m('deliveries per second (wall clock, first post → last delivery)', got / activeS, 'deliveries/s', 'higher'),
        deliveriesPerCoreSec: m(
          `deliveries per server core-second (deliveries / CPU time of ${topo.pids.length === 1 ? 'the server process' : `${topo.pids.length} server processes`})`,
          cpu > 0 ? got / cpu : NaN,
          'deliveries/core·s',
          'higher',
        ),
        serverCpuPct: m('server CPU while posting and draining', (cpu / activeS) * 100, '% of one core', 'lower'),
        postRate: m('achieved posting rate', posted / (postMs / 1000), 'comments/s', 'higher'),
      },
      dist: ladder(samples),
      failures,
      notes: [
        `${readers.length} anonymous readers, ${posters.length} signed-in posters (${POSTERS.join(', ')}), ${posted} comments at ${cfg.commentRate}/s over ${(postMs / 1000).toFixed(1)} s; worst pacing lag ${lagMax.toFixed(1)} ms` +
          (strangers ? `; ${strangers} comment:created events not from this run ignored` : ''),
      ],
    };
  } finally {
    for (const s of [...readers, ...posters]) s.disconnect();
  }
}

/**
 * (e) Comment fan-out. Copydesk only: the competitors have no comments, so this section reports
 * absolute numbers, no ratios. Runs on the bench's Copydesk server (embedded store), then on two
 * fresh Copydesk instances in Redis mode (readers on B, posters on A) when a loopback Redis answers.
 * Any lost delivery fails the run (in --quick too).
 */
export async function comments(ctx: WorkloadContext): Promise<WorkloadResult> {
  const { server } = ctx;
  const base = server.httpUrl?.();
  const pid = server.pid();
  if (!base || !pid) return { metrics: {}, skipped: 'not measured: this server has no HTTP API' };
  const metrics: Record<string, Metric> = {};
  const dists: Record<string, Array<[number, number]>> = {};
  const failures: string[] = [];
  const notes: string[] = [
    'Competitors have no comment feature: absolute numbers only, no ratios.',
    `Cores on this machine: ${os.cpus().length}; the readers, posters and server(s) share them.`,
  ];

  const single = await fanOut(ctx, { readerBase: base, posterBase: base, pids: [pid] }, 'single');
  for (const [k, v] of Object.entries(single.metrics)) metrics[k] = v;
  dists.latency = single.dist;
  failures.push(...single.failures);
  notes.push(`one instance (embedded SQLite store): ${single.notes.join('; ')}`);

  const why = await redisUnavailable(BENCH_REDIS_URL);
  if (why) {
    notes.push(`two instances through Redis: not measured (${why})`);
  } else {
    const prefix = `bench-${randomId('comments')}:`;
    const a = createCopydesk('copydesk-a', 'Copydesk instance A (Redis)', { redisUrl: BENCH_REDIS_URL, redisPrefix: prefix, instanceId: 'bench-a' });
    const b = createCopydesk('copydesk-b', 'Copydesk instance B (Redis)', { redisUrl: BENCH_REDIS_URL, redisPrefix: prefix, instanceId: 'bench-b' });
    try {
      log(`  comments: two Copydesk instances on ${BENCH_REDIS_URL}, REDIS_PREFIX=${prefix}`);
      // together, as replicas start: seeding an empty prefix happens once (under the server's lock)
      await Promise.all([a.start(), b.start()]);
      const two = await fanOut(ctx, { readerBase: b.httpUrl!(), posterBase: a.httpUrl!(), pids: [a.pid()!, b.pid()!] }, 'redis');
      for (const [k, v] of Object.entries(two.metrics)) metrics[`redis_${k}`] = { ...v, label: `Redis, 2 instances: ${v.label}` };
      dists.redisLatency = two.dist;
      failures.push(...two.failures);
      notes.push(`two instances through Redis (${BENCH_REDIS_URL}; readers on B, posters on A; CPU = both instances, Redis itself not counted): ${two.notes.join('; ')}`);
    } catch (e) {
      failures.push(`redis: ${(e as Error).message}`);
    } finally {
      await Promise.all([a.stop(), b.stop()]).catch(() => undefined);
      await Promise.all([a.cleanup(), b.cleanup()]).catch((e: Error) => failures.push(`redis: cleanup of ${prefix}* failed: ${e.message}`));
      await deleteRedisPrefix(BENCH_REDIS_URL, prefix).catch(() => 0);
      const left = await countRedisPrefix(BENCH_REDIS_URL, prefix).catch(() => -1);
      notes.push(left === 0 ? `Redis keys under ${prefix} removed after the run` : `Redis keys under ${prefix}: ${left} left after cleanup`);
    }
  }
  return { metrics, dists, failures, notes };
}

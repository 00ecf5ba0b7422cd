import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollabMessageType } from '@copydesk/protocol';
import { yWebsocketClient } from '../clients.ts';
import type { BenchServer, ServerSpec } from './types.ts';
import { freePort, httpOk, spawnNode, stopChild, type Child } from './child.ts';
import { randomId, sleep } from '../util.ts';
import { deleteRedisPrefix, redisPrefixBytes } from '../redis.ts';

/** The Redis the Copydesk Redis-mode runs use (loopback only; checked in main.ts). */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const here = dirname(fileURLToPath(import.meta.url));
export const COPYDESK_SERVER_DIR = join(here, '..', '..', '..', 'server');
const MAIN = join(COPYDESK_SERVER_DIR, 'src', 'main.ts');

/** Idle-unload delay we ask Copydesk for, so memory/storage checks don't wait long. */
const IDLE_UNLOAD_MS = 500;

export interface CopydeskOptions {
  /** Redis mode: passed to the server as REDIS_URL (a local 127.0.0.1 Redis only). */
  redisUrl?: string;
  /** Redis mode: REDIS_PREFIX (unique per bench run, so its keys can be removed afterwards). */
  redisPrefix?: string;
  /** Redis mode: INSTANCE_ID of this process in the cluster. */
  instanceId?: string;
}

/**
 * Comment rate limits for the bench server: the fan-out workload posts 100 comments/s from 4
 * accounts on one address, far above the product defaults (5 per person / 30 per address per 30 s).
 */
export const BENCH_COMMENT_RATE = { COMMENT_RATE_PER_USER: '1000000', COMMENT_RATE_PER_IP: '1000000', COMMENT_RATE_WINDOW_S: '1' };

export function createCopydesk(id: string, label: string, opts: CopydeskOptions): BenchServer {
  let child: Child | null = null;
  let port = 0;
  let cookie = '';
  const dir = mkdtempSync(join(tmpdir(), 'bench-copydesk-'));
  const base = (): string => `http://127.0.0.1:${port}`;

  async function login(): Promise<void> {
    const res = await fetch(`${base()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'copydesk' }),
    });
    if (!res.ok) throw new Error(`Copydesk login failed: ${res.status} ${await res.text()}`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('copydesk_session='));
    if (!set) throw new Error('Copydesk login: no copydesk_session cookie in Set-Cookie');
    cookie = set.split(';')[0]!;
  }

  return {
    id,
    label,
    persistent: true,
    unloadsDocs: true,
    unloadWaitMs: IDLE_UNLOAD_MS + 1500,
    notes: [
      `Copydesk server (server/src/main.ts via node --import tsx), ${opts.redisUrl ? 'Redis store' : 'embedded SQLite store'}, DOC_IDLE_UNLOAD_MS=${IDLE_UNLOAD_MS}, MAX_CONNECTIONS_PER_USER/IP raised to 100000 (bench opens ~1,000 sockets as one user), COMMENT_RATE_PER_USER/PER_IP raised to 1000000 per ${BENCH_COMMENT_RATE.COMMENT_RATE_WINDOW_S} s (comment fan-out posts 100/s), LOG_LEVEL=warn`,
      ...(opts.redisUrl ? [`Redis mode: REDIS_URL=${opts.redisUrl}`] : []),
    ],
    pid: () => child?.pid ?? null,
    httpUrl: () => base(),
    async start() {
      port = await freePort();
      const env: Record<string, string> = {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
        DOC_IDLE_UNLOAD_MS: String(IDLE_UNLOAD_MS),
        NODE_ENV: 'production',
        // The bench opens up to ~1,000 sockets as one user from one address; the competitors
        // have no such limits, so Copydesk's (defaults 20 per user / 100 per address) are raised.
        MAX_CONNECTIONS_PER_USER: '100000',
        MAX_CONNECTIONS_PER_IP: '100000',
        ...BENCH_COMMENT_RATE,
      };
      if (opts.redisUrl) env.REDIS_URL = opts.redisUrl;
      if (opts.redisPrefix) env.REDIS_PREFIX = opts.redisPrefix;
      if (opts.instanceId) env.INSTANCE_ID = opts.instanceId;
      child = await spawnNode({
        args: ['--conditions=source', '--import', 'tsx', 'src/main.ts'],
        cwd: COPYDESK_SERVER_DIR,
        env,
        tag: id,
        ready: httpOk(`http://127.0.0.1:${port}/healthz`),
        readyTimeoutMs: 60_000,
      });
      await login();
    },
    async stop() {
      if (child) await stopChild(child);
      child = null;
    },
    async createDoc(hint) {
      // bounded retry on 429 (rate limiting) — reported, never unbounded
      for (let attempt = 0; attempt < 20; attempt++) {
        const res = await fetch(`${base()}/api/articles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ headline: `bench ${hint}` }),
        });
        if (res.status === 201 || res.ok) {
          const body = (await res.json()) as { id?: string; article?: { id: string } };
          const articleId = body.id ?? body.article?.id;
          if (!articleId) throw new Error(`POST /api/articles: no id in ${JSON.stringify(body)}`);
          return articleId;
        }
        if (res.status === 429) {
          rateLimited++;
          await sleep(Math.min(2000, 50 * 2 ** attempt));
          continue;
        }
        throw new Error(`POST /api/articles failed: ${res.status} ${await res.text()}`);
      }
      throw new Error('POST /api/articles: still rate-limited after 20 attempts');
    },
    // Copydesk's read-only status and "Saved" messages are for its editor; ignored here, as in its own test harness.
    connect: (docName, doc) =>
      yWebsocketClient(`ws://127.0.0.1:${port}/collab`, docName, doc, { cookie }, [CollabMessageType.status, CollabMessageType.saved]),
    dataDir: () => dir,
    ...(opts.redisUrl && opts.redisPrefix
      ? { storeBytes: () => redisPrefixBytes(opts.redisUrl!, opts.redisPrefix!) }
      : {}),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
      if (opts.redisUrl && opts.redisPrefix) await deleteRedisPrefix(opts.redisUrl, opts.redisPrefix);
    },
  };
}

/** Count of 429 answers seen while creating articles (reported). */
export let rateLimited = 0;

function copydeskUnavailable(): string | null {
  if (!existsSync(MAIN)) return `server/src/main.ts does not exist yet`;
  return null;
}

export const copydesk: ServerSpec = {
  id: 'copydesk',
  label: 'Copydesk /collab (SQLite)',
  quick: true,
  full: true,
  unavailable: copydeskUnavailable,
  create: () => createCopydesk('copydesk', 'Copydesk /collab (SQLite)', {}),
};

/** Copydesk's Redis mode, one instance (full runs; the comment workload runs its own two-instance pair). */
export const copydeskRedis: ServerSpec = {
  id: 'copydesk-redis',
  label: 'Copydesk /collab (Redis mode)',
  quick: false,
  full: true,
  unavailable: copydeskUnavailable,
  create: () =>
    createCopydesk('copydesk-redis', 'Copydesk /collab (Redis mode)', {
      redisUrl: BENCH_REDIS_URL,
      redisPrefix: `bench-${randomId('redis')}:`,
    }),
};

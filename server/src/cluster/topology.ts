import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { createLogger } from '../logger.ts';
import { connectClient, spawnServerProcess, type ServerProcess, type TestClient } from '../test/harness.ts';
import { openRedisStore } from '../storage/redis/redis-store.ts';
import { freePort, startNginx, startRedisServer, type Nginx, type RedisServer } from './processes.ts';

/**
 * The docker-compose topology on this machine, without Docker: a redis-server with AOF, N app
 * processes (`node --import tsx server/src/main.ts`) on fixed loopback ports, and nginx with
 * deploy/nginx.conf in front of them.
 */

export interface Instance {
  id: string;
  port: number;
  url: string;
  proc: ServerProcess | null;
  start(): Promise<void>;
  /** SIGTERM: graceful shutdown; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL. */
  kill(): Promise<void>;
  /** Open /collab connections, from its /metrics. */
  collabConnections(): Promise<number>;
}

export interface Cluster {
  redis: RedisServer;
  nginx: Nginx;
  instances: Instance[];
  prefix: string;
  /** Through the balancer. */
  url: string;
  wsUrl: string;
  /** Reads a doc straight from the Redis store (no instance involved). */
  storedDoc(articleId: string): Promise<Y.Doc>;
  stop(): Promise<void>;
}

export async function startCluster(options: { instances?: number; env?: Record<string, string> } = {}): Promise<Cluster> {
  const redis = await startRedisServer({ appendonly: true });
  const prefix = `cluster-${randomUUID().slice(0, 8)}:`;
  const instances: Instance[] = [];
  for (let i = 0; i < (options.instances ?? 2); i++) {
    const id = `app-${i + 1}`;
    const port = await freePort();
    const env = {
      PORT: String(port),
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      INSTANCE_ID: id,
      SEED_DEMO: 'true',
      TRUST_PROXY: 'true',
      INSTANCE_HEARTBEAT_MS: '500',
      INSTANCE_TTL_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '15000',
      ...options.env,
    };
    const instance: Instance = {
      id,
      port,
      url: `http://127.0.0.1:${port}`,
      proc: null,
      async start() {
        instance.proc = await spawnServerProcess(env);
      },
      async stop() {
        const code = (await instance.proc?.stop('SIGTERM')) ?? null;
        instance.proc = null;
        return code;
      },
      async kill() {
        await instance.proc?.stop('SIGKILL');
        instance.proc = null;
      },
      async collabConnections() {
        const res = await fetch(`${instance.url}/metrics`);
        const match = /^copydesk_collab_connections(?:\{[^}]*\})? (\d+)/m.exec(await res.text());
        return match ? Number(match[1]) : 0;
      },
    };
    instances.push(instance);
  }
  // Together, as docker compose starts replicas: seeding an empty Redis must happen once.
  let nginx: Nginx;
  try {
    await Promise.all(instances.map((i) => i.start()));
    nginx = await startNginx(instances.map((i) => i.port));
  } catch (error) {
    await Promise.allSettled(instances.map((i) => i.proc && i.kill()));
    await redis.destroy();
    throw error;
  }
  const log = createLogger('silent');
  return {
    redis,
    nginx,
    instances,
    prefix,
    url: nginx.url,
    wsUrl: `ws://127.0.0.1:${nginx.port}/collab`,
    async storedDoc(articleId) {
      const store = await openRedisStore({ url: redis.url, prefix, instanceId: 'test-reader', log });
      try {
        const stored = await store.docs.load(articleId);
        const doc = new Y.Doc();
        if (stored.snapshot) Y.applyUpdateV2(doc, stored.snapshot);
        for (const { update } of stored.updates) Y.applyUpdate(doc, update);
        return doc;
      } finally {
        await store.close();
      }
    },
    async stop() {
      await Promise.allSettled(instances.map((i) => i.proc && i.kill()));
      await nginx.stop();
      await redis.destroy();
    },
  };
}

/** A stock WebsocketProvider (the harness's), signed in by cookie, asking for Copydesk's saved messages like the editor. */
export function clusterClient(wsUrl: string, articleId: string, cookie: string): TestClient {
  return connectClient(wsUrl, articleId, cookie, { customMessages: true });
}

/**
 * Someone typing: every keystroke appends one character to their own text (so the final text is
 * known exactly) and inserts it into a shared text at a pseudo-random place (real co-editing).
 */
export class Typist {
  typed = '';
  private seed: number;
  constructor(
    readonly name: string,
    readonly client: TestClient,
  ) {
    this.seed = [...name].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
  }

  keystroke(): void {
    const ch = 'abcdefghijklmnopqrstuvwxyz'[this.typed.length % 26]!;
    const doc = this.client.doc;
    doc.transact(() => {
      doc.getText(`typist:${this.name}`).insert(this.typed.length, ch);
      const shared = doc.getText('shared');
      this.seed = (this.seed * 1103515245 + 12345) >>> 0;
      shared.insert(this.seed % (shared.length + 1), ch);
    });
    this.typed += ch;
  }
}

/** Every typist's text, exactly, and the shared text with every keystroke of everyone. */
export function matchesTyping(doc: Y.Doc, typists: Typist[]): boolean {
  const total = typists.reduce((n, t) => n + t.typed.length, 0);
  return typists.every((t) => doc.getText(`typist:${t.name}`).toString() === t.typed) && doc.getText('shared').length === total;
}

/**
 * Types `keystrokes` rounds (one keystroke per typist per round, a few ms apart), bounded in time;
 * `during(round)` runs between rounds (kill an instance at round 40, ...).
 */
export async function typeConcurrently(typists: Typist[], keystrokes: number, during?: (round: number) => Promise<void> | void): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let round = 0; round < keystrokes && Date.now() < deadline; round++) {
    for (const t of typists) t.keystroke();
    await during?.(round);
    await new Promise((r) => setTimeout(r, 4));
  }
}

import { createClient } from 'redis';
import { Socket } from 'node:net';

/** Is a Redis answering at `url` (loopback; checked by main.ts)? Resolves with null, or why not. */
export async function redisUnavailable(url: string, timeoutMs = 1500): Promise<string | null> {
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const s = new Socket();
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ''), () => done(true));
  });
  if (!reachable) return `no Redis answering at ${url}`;
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    return pong === 'PONG' ? null : `Redis at ${url} answered ${pong}`;
  } catch (e) {
    return `Redis at ${url}: ${(e as Error).message}`;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Runs `fn` with a short-lived client on a loopback bench Redis, closed afterwards. */
async function withRedis<T>(url: string, fn: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Deletes every key under `prefix` (SCAN + UNLINK, bounded). Returns how many keys were removed.
 * The prefix must be a bench prefix (`bench-…:`), so nothing else in a shared Redis is touched.
 */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  if (!/^bench-[A-Za-z0-9-]+:$/.test(prefix)) throw new Error(`refusing to delete keys under non-bench prefix ${prefix}`);
  return withRedis(url, async (client) => {
    let removed = 0;
    // glob-escape the prefix (it only holds [A-Za-z0-9-:], none of which are glob characters)
    for (let round = 0; round < 20; round++) {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
      if (keys.length === 0) break;
      for (let i = 0; i < keys.length; i += 500) removed += await client.unlink(keys.slice(i, i + 500));
    }
    return removed;
  });
}

/** How many keys exist under `prefix` (to prove the cleanup). */
export async function countRedisPrefix(url: string, prefix: string): Promise<number> {
  return withRedis(url, async (client) => {
    let n = 0;
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) n += batch.length;
    return n;
  });
}

/** Bytes Redis holds for every key under `prefix` (sum of `MEMORY USAGE`, i.e. payload plus Redis' per-key overhead). */
export async function redisPrefixBytes(url: string, prefix: string): Promise<number> {
  return withRedis(url, async (client) => {
    let total = 0;
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      for (const key of batch) total += (await client.memoryUsage(key, { SAMPLES: 0 })) ?? 0;
    }
    return total;
  });
}

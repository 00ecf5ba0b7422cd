import { createClient, RESP_TYPES } from 'redis';
import type { Logger } from 'pino';

export type RedisConnection = ReturnType<typeof createClient>;

export interface RedisConnectOptions {
  url: string;
  log: Logger;
  /** Shown in CLIENT LIST and in logs ("store", "relay", "socket.io"). */
  name: string;
  /**
   * Fail commands at once while disconnected (the store: callers hold and retry, /healthz says 503)
   * instead of queueing them until Redis is back (the Socket.IO adapter: broadcasts go out late rather than never).
   */
  failFast: boolean;
}

/** Reconnect with capped exponential back-off and jitter: 50 ms, 100 ms, … up to 2 s between attempts. */
export function reconnectDelay(retries: number): number {
  const base = Math.min(50 * 2 ** Math.min(retries, 10), 2_000);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** A node-redis client that reconnects forever with back-off and logs state changes (not every failed attempt). */
export function createRedisConnection({ url, log, name, failFast }: RedisConnectOptions): RedisConnection {
  const client = createClient({
    url,
    name: `copydesk-${name}`,
    disableOfflineQueue: failFast,
    socket: { reconnectStrategy: reconnectDelay, connectTimeout: 5_000 },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ redis: name, err: err.message }, 'redis connection lost; reconnecting with back-off');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ redis: name }, 'redis connection restored');
  });
  return client;
}

/** The same connection, answering bulk strings as Buffers (for Yjs updates and snapshots). */
export function binary(client: RedisConnection) {
  return client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
}

/** Connects, waiting at most `timeoutMs` (the first connection must work: a bad REDIS_URL fails start-up). */
export async function connectOrThrow(client: RedisConnection, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`could not connect to Redis within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

import { performance } from 'node:perf_hooks';

export const now = (): number => performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export class TimeoutError extends Error {}

/** Polls `cond` (cheap) until true or `timeoutMs` elapses. */
export async function waitFor(cond: () => boolean, timeoutMs: number, what: string, pollMs = 5): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!cond()) {
    if (now() > deadline) throw new TimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** Runs `p` with a deadline. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new TimeoutError(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export function log(...args: unknown[]): void {
  const t = new Date().toISOString().slice(11, 19);
  console.log(`[bench ${t}]`, ...args);
}

export const randomId = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

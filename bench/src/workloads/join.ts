import * as Y from 'yjs';
import type { BenchServer } from '../servers/types.ts';
import { procCpuSeconds } from '../servers/child.ts';
import { median, quantile } from '../stats.ts';
import { now, withTimeout } from '../util.ts';
import { TEXT_NAME } from './throughput.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

/**
 * Connects one new client and resolves with the ms until its replica holds exactly `expected`
 * (not merely the provider's "synced" flag: a server may answer the handshake before it has
 * loaded the doc from storage).
 */
export async function timeToContent(
  server: BenchServer,
  docName: string,
  expected: string,
  timeoutMs: number,
): Promise<number> {
  const doc = new Y.Doc();
  const text = doc.getText(TEXT_NAME);
  const t0 = now();
  let done: (() => void) | null = null;
  const reached = new Promise<void>((r) => (done = r));
  const check = (): void => {
    if (text.length === expected.length && text.toString() === expected) done?.();
  };
  doc.on('update', check);
  const conn = server.connect(docName, doc);
  try {
    await withTimeout(reached, timeoutMs, `client to load ${docName}`);
    return now() - t0;
  } finally {
    doc.off('update', check);
    conn.destroy();
    doc.destroy();
  }
}

/** (c) join: one client at a time (`joinRepeats` times), then `joinCrowd` clients at once. */
export async function join(
  ctx: WorkloadContext,
  docName: string,
  expected: string,
  phase: 'warm' | 'cold',
): Promise<WorkloadResult> {
  const { server, cfg } = ctx;
  const singles: number[] = [];
  const failures: string[] = [];
  const timeout = cfg.syncTimeoutMs;
  try {
    // the first cold join loads the doc from storage; later ones find it loaded
    for (let i = 0; i < (phase === 'cold' ? 1 : cfg.joinRepeats); i++)
      singles.push(await timeToContent(server, docName, expected, timeout));
    const pid = server.pid();
    const cpu0 = pid ? procCpuSeconds(pid) : NaN;
    const t0 = now();
    const crowd = await Promise.all(
      Array.from({ length: cfg.joinCrowd }, () => timeToContent(server, docName, expected, timeout)),
    );
    const crowdAll = now() - t0;
    const crowdCpuMs = pid ? (procCpuSeconds(pid) - cpu0) * 1000 : NaN;
    return {
      metrics: {
        single: m(`${phase} join: 1 client`, median(singles), 'ms', 'lower'),
        crowdAll: m(`${phase} join: all ${cfg.joinCrowd} at once`, crowdAll, 'ms', 'lower'),
        crowdP50: m(`${phase} join: ${cfg.joinCrowd} at once, p50 client`, quantile(crowd, 0.5), 'ms', 'lower'),
        crowdCpuMs: m(`${phase} join: server CPU time for the ${cfg.joinCrowd} at once`, crowdCpuMs, 'ms', 'lower'),
      },
      notes: [
        phase === 'warm'
          ? 'doc resident in the server (the writer is still connected)'
          : 'server restarted: the doc is loaded from its persistent store by the first client',
      ],
      failures,
    };
  } catch (e) {
    failures.push(`${phase} join: ${(e as Error).message}`);
    return { metrics: {}, failures };
  }
}

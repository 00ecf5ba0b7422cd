import * as Y from 'yjs';
import type { ClientConn } from '../servers/types.ts';
import type { FlatEdits } from '../traces.ts';
import { ladder, quantile } from '../stats.ts';
import { now, sleep, waitFor } from '../util.ts';
import { EditCounter, applyPatch } from './edit-counter.ts';
import { TEXT_NAME } from './throughput.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

/**
 * (a) per-edit latency at a paced rate: the writer types automerge-paper at `latencyRate`
 * edits/s for `latencyWindowMs`; each observer records, per edit, the time from the writer's
 * local change to the change arriving in the observer's Y.Text. One sample per (edit, observer).
 */
export async function latency(ctx: WorkloadContext, edits: FlatEdits): Promise<WorkloadResult> {
  const { server, cfg } = ctx;
  const n = Math.min(edits.patches.length, Math.round((cfg.latencyRate * cfg.latencyWindowMs) / 1000));
  const docName = await server.createDoc('latency');
  const writer = server.connect(docName, new Y.Doc());
  const observers: ClientConn[] = [];
  for (let i = 0; i < cfg.observers; i++) observers.push(server.connect(docName, new Y.Doc()));
  await Promise.all([writer, ...observers].map((c) => c.whenSynced));

  const sentAt = new Float64Array(n);
  const samples: number[] = [];
  const worstPerEdit = new Float64Array(n);
  const counters = observers.map(
    (o) =>
      new EditCounter(o.doc.getText(TEXT_NAME), (from, to) => {
        const t = now();
        for (let k = from; k < Math.min(to, n); k++) {
          const lat = t - sentAt[k]!;
          samples.push(lat);
          if (lat > worstPerEdit[k]!) worstPerEdit[k] = lat;
        }
      }),
  );
  const text = writer.doc.getText(TEXT_NAME);
  const interval = 1000 / cfg.latencyRate;
  const start = now();
  let behind = 0;
  for (let i = 0; i < n; i++) {
    const due = start + i * interval;
    let t = now();
    if (t < due) {
      await sleep(Math.max(0, due - t - 0.3));
      while ((t = now()) < due) {
        /* spin the last fraction of a millisecond */
      }
    } else if (t - due > interval) behind++;
    const [pos, del, ins] = edits.patches[i]!;
    sentAt[i] = now();
    applyPatch(text, pos, del, ins);
  }
  const failures: string[] = [];
  await waitFor(() => counters.every((c) => c.count >= n), cfg.syncTimeoutMs, 'latency observers', 2).catch(() =>
    failures.push('latency: not every observer received every edit in time'),
  );
  for (const c of counters) c.dispose();
  for (const c of [writer, ...observers]) c.destroy();
  const achievedRate = n / ((now() - start) / 1000);
  return {
    metrics: {
      p50: m('latency p50', quantile(samples, 0.5), 'ms', 'lower'),
      p99: m('latency p99', quantile(samples, 0.99), 'ms', 'lower'),
      max: m('latency max', Math.max(...samples), 'ms', 'lower'),
      allObserversP99: m('all-10-observers latency p99', quantile([...worstPerEdit], 0.99), 'ms', 'lower'),
    },
    dists: { latency: ladder(samples) },
    notes: [
      `${n} edits at ${cfg.latencyRate}/s over ${cfg.latencyWindowMs / 1000} s (achieved ${achievedRate.toFixed(0)}/s, ${behind} late ticks), ${cfg.observers} observers, ${samples.length} samples`,
    ],
    failures,
  };
}

import { median } from './stats.ts';
import type { RunRecord, SummaryCell } from './results.ts';

/** Median over repetitions per (workload, metric, server), plus copydesk/competitor ratios. */
export function summarize(runs: RunRecord[], subject: string): Record<string, Record<string, SummaryCell>> {
  const acc = new Map<string, Map<string, { cell: SummaryCell; samples: Map<string, number[]> }>>();
  for (const r of runs) {
    let w = acc.get(r.workload);
    if (!w) acc.set(r.workload, (w = new Map()));
    for (const [key, metric] of Object.entries(r.result.metrics)) {
      let e = w.get(key);
      if (!e) {
        e = { cell: { label: metric.label, unit: metric.unit, better: metric.better, values: {}, ratios: {} }, samples: new Map() };
        w.set(key, e);
      }
      if (!Number.isFinite(metric.value)) continue;
      const s = e.samples.get(r.server) ?? [];
      s.push(metric.value);
      e.samples.set(r.server, s);
    }
  }
  const out: Record<string, Record<string, SummaryCell>> = {};
  for (const [workload, metrics] of acc) {
    out[workload] = {};
    for (const [key, { cell, samples }] of metrics) {
      for (const [server, xs] of samples) cell.values[server] = median(xs);
      const mine = cell.values[subject];
      // a ratio only means something for two positive values (e.g. not for an RSS change ≤ 0)
      if (mine !== undefined && mine > 0) {
        for (const [server, v] of Object.entries(cell.values)) {
          if (server !== subject && v > 0) cell.ratios[server] = mine / v;
        }
      }
      out[workload]![key] = cell;
    }
  }
  return out;
}

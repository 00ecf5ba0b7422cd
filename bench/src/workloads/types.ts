import type { BenchConfig } from '../config.ts';
import type { BenchServer } from '../servers/types.ts';

export interface Metric {
  value: number;
  unit: string;
  /** Which direction is better (ratios are always copydesk / competitor). */
  better: 'lower' | 'higher';
  /** Short label for tables. */
  label: string;
}

export interface WorkloadResult {
  metrics: Record<string, Metric>;
  /** Percentile ladders ([percentile, value]) for charts. */
  dists?: Record<string, Array<[number, number]>>;
  notes?: string[];
  /** Correctness failures (divergence, lost data): any of these fails the run. */
  failures?: string[];
  /** Set when the workload did not apply to this server (with the reason). */
  skipped?: string;
}

export interface WorkloadContext {
  cfg: BenchConfig;
  server: BenchServer;
}

export const m = (label: string, value: number, unit: string, better: 'lower' | 'higher'): Metric => ({
  label,
  value,
  unit,
  better,
});

import type { BenchConfig } from './config.ts';
import type { MachineInfo } from './machine.ts';
import type { WorkloadResult } from './workloads/types.ts';

export interface RunRecord {
  rep: number;
  server: string;
  workload: string;
  result: WorkloadResult;
}

export interface SummaryCell {
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** median over repetitions, per server id */
  values: Record<string, number>;
  /** copydesk / competitor, per competitor id */
  ratios: Record<string, number>;
}

/** Where a results file came from: written by the harness only, at this commit, by this command. */
export interface Provenance {
  commit: string;
  /** Uncommitted changes in the tree when the run started (then `commit` does not describe the code that ran). */
  dirty: boolean;
  /** The harness's own arguments, as typed after `npm run bench --`. */
  command: string;
}

export interface BenchResults {
  date: string;
  mode: 'quick' | 'full';
  /** Absent in files written before provenance was recorded. */
  provenance?: Provenance;
  durationS: number;
  config: BenchConfig;
  machine: MachineInfo;
  traces: Record<string, string>;
  servers: Array<{ id: string; label: string; status: 'ran' | 'skipped' | 'failed'; reason?: string; notes: string[] }>;
  subject: string;
  runs: RunRecord[];
  summary: Record<string, Record<string, SummaryCell>>;
  /** workload → server → notes / skipped reason (from the last repetition) */
  notes: Record<string, Record<string, string[]>>;
  failures: string[];
}

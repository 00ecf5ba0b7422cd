import type { BenchResults } from '../results.ts';
export function writeReport(r: BenchResults, _outDir: string, _json: string): { summary: string } {
  return { summary: JSON.stringify(r.summary, null, 1).slice(0, 3000) };
}

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults, SummaryCell } from '../results.ts';
import { summarize } from '../summarize.ts';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const README_PATH = join(repoDir, 'README.md');

/** The README's benchmark paragraph sits between these markers; the start marker names its results file. */
const START = /<!-- bench:start (\S+) -->\n/;
const END = '<!-- bench:end -->';

/** The lines the README states, in order: workload, metric, words. */
const LINES: Array<[string, string, string]> = [
  ['throughput', 'editsPerSec', 'trace replay throughput'],
  ['throughput', 'serverCpuMs', 'server CPU for the replay'],
  ['latency', 'p99', 'paced p99 writer → observer'],
  ['friendsforever', 'replayMs', 'friendsforever (2 concurrent writers) replay time'],
  ['clownschool', 'replayMs', 'clownschool (3 concurrent writers) replay time'],
  ['node_nodecc', 'joinP99', 'node_nodecc join p99'],
  ['join-cold', 'single', 'cold join of the replayed document'],
  ['memory', 'idleRss', 'idle RSS'],
  ['memory', 'perArticle', 'RSS per open article'],
  ['storage', 'overV2', 'stored size over the Yjs V2 encoding'],
  ['comments', 'p99', 'comment fan-out p99'],
];

function fmt(value: number, unit: string): string {
  if (unit === '×') return `${value.toFixed(2)}×`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const n = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit === 'ms' ? `${n} ms` : `${n} ${unit}`;
}

/** The best value among the competitors (Copydesk's own variants are not competitors). */
function strongest(cell: SummaryCell, subject: string, label: (id: string) => string): { id: string; name: string; value: number } | null {
  const rivals = Object.entries(cell.values).filter(([id, v]) => !id.startsWith(subject) && Number.isFinite(v) && v > 0);
  if (rivals.length === 0) return null;
  rivals.sort(([, a], [, b]) => (cell.better === 'higher' ? b - a : a - b));
  const [id, value] = rivals[0]!;
  return { id, name: label(id), value };
}

/** The paragraph for one results file: every number in it is read from that file. */
export function readmeParagraph(results: BenchResults, file: string): string {
  const summary = summarize(results.runs, results.subject);
  const label = (id: string) => results.servers.find((s) => s.id === id)?.label ?? id;
  const competitors = results.servers.filter((s) => s.status === 'ran' && !s.id.startsWith(results.subject)).map((s) => s.label);
  const where = results.provenance ? `, commit ${results.provenance.commit.slice(0, 10)}${results.provenance.dirty ? ' with uncommitted changes' : ''}` : '';
  const lines: string[] = [];
  for (const [workload, metric, words] of LINES) {
    const cell = summary[workload]?.[metric];
    const mine = cell?.values[results.subject];
    if (!cell || mine === undefined || !Number.isFinite(mine)) continue;
    const best = strongest(cell, results.subject, label);
    const ratio = best ? ` (${fmt(mine / best.value, '×')} ${best.name})` : '';
    lines.push(`- ${words}: ${fmt(mine, cell.unit)}${ratio}`);
  }
  const lost = summary.comments?.lost?.values[results.subject];
  return [
    `The benchmark paragraph is generated from [\`${file}\`](${file}) (a ${results.mode} run of ${results.date.slice(0, 10)}, ` +
      `${results.config.reps} repetition(s)${where}; \`npm run bench -w bench -- --readme ${file}\` writes it and a test checks it). ` +
      `Copydesk against ${competitors.join(', ')}; each ratio is Copydesk / the strongest competitor on that line (lower is better for times and sizes, higher for throughput). ` +
      `Correctness: ${results.failures.length === 0 ? 'every replica converged' : `${results.failures.length} failure(s), listed in the file`}${lost !== undefined ? `, ${lost} comment deliveries lost` : ''}.`,
    '',
    ...lines,
  ].join('\n');
}

/** The README section between the markers, and the results file its start marker names. */
export function readmeSection(readme: string): { file: string; body: string; start: number; end: number } | null {
  const start = START.exec(readme);
  if (!start) return null;
  const bodyStart = start.index + start[0].length;
  const end = readme.indexOf(END, bodyStart);
  if (end === -1) return null;
  return { file: start[1]!, body: readme.slice(bodyStart, end).trimEnd(), start: bodyStart, end };
}

/** Rewrites the README section from `resultsPath` (a path relative to the repository or absolute). */
export function writeReadmeParagraph(resultsPath: string): void {
  const absolute = resultsPath.startsWith('/') ? resultsPath : join(repoDir, resultsPath);
  const file = relative(repoDir, absolute);
  const results = JSON.parse(readFileSync(absolute, 'utf8')) as BenchResults;
  const readme = readFileSync(README_PATH, 'utf8');
  const section = readmeSection(readme);
  if (!section) throw new Error(`README.md has no "<!-- bench:start <file> -->" … "${END}" section`);
  const startMarker = readme.lastIndexOf('<!-- bench:start', section.start);
  const next = `${readme.slice(0, startMarker)}<!-- bench:start ${file} -->\n${readmeParagraph(results, file)}\n${readme.slice(section.end)}`;
  writeFileSync(README_PATH, next);
}

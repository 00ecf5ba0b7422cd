import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

/** `[pos, delCount, insText]`, applied like Array.prototype.splice (see traces README). */
export type Patch = [number, number, string];

export interface SequentialTrace {
  startContent: string;
  endContent: string;
  txns: Array<{ time: string; patches: Patch[] }>;
}

export interface ConcurrentTxn {
  parents: number[];
  numChildren: number;
  agent: number;
  time: string;
  patches: Patch[];
}

export interface ConcurrentTrace {
  kind: 'concurrent';
  endContent: string;
  numAgents: number;
  txns: ConcurrentTxn[];
}

export const TRACE_DIR = process.env.COPYDESK_TRACE_DIR ?? '/work/shared/traces';

/** Attribution lines required by CC BY 4.0 (and asked for node_nodecc). */
export const TRACE_ATTRIBUTION: Record<string, string> = {
  'automerge-paper':
    'Martin Kleppmann, automerge/automerge-perf (CC BY 4.0), via Joseph Gentle, josephg/editing-traces @ 762fa6c5',
  friendsforever: 'Joseph Gentle, josephg/editing-traces @ 762fa6c5 (CC BY 4.0)',
  clownschool: 'Joseph Gentle, josephg/editing-traces @ 762fa6c5 (CC BY 4.0)',
  node_nodecc:
    'egwalker-paper dataset A1 (josephg/egwalker-paper @ 4d9bef55): git history of Node.js src/node.cc (MIT-licensed text); no explicit dataset licence, used as internal test data with attribution',
};

function load(name: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(join(TRACE_DIR, `${name}.json.gz`))).toString('utf8'));
}

export function loadSequential(name: string): SequentialTrace {
  return load(name) as SequentialTrace;
}

export function loadConcurrent(name: string): ConcurrentTrace {
  const t = load(name) as ConcurrentTrace;
  if (t.kind !== 'concurrent') throw new Error(`${name} is not a concurrent trace`);
  return t;
}

/** Applies patches to a plain string (reference result for a trace prefix). */
export function applyPatches(s: string, patches: Patch[]): string {
  for (const [pos, del, ins] of patches) s = s.slice(0, pos) + ins + s.slice(pos + del);
  return s;
}

/** The automerge-paper edits as a flat list (every txn is exactly one single-char patch). */
export interface FlatEdits {
  patches: Patch[];
  /** text after all `patches` */
  expected: string;
}

export function flatEdits(trace: SequentialTrace, limit: number): FlatEdits {
  const patches: Patch[] = [];
  for (const txn of trace.txns) {
    if (patches.length >= limit) break;
    for (const p of txn.patches) {
      if (p[1] + p[2].length !== 1) throw new Error('expected single-char edits');
      patches.push(p);
    }
  }
  patches.length = Math.min(patches.length, limit);
  let expected: string;
  if (patches.length === trace.txns.length) expected = trace.endContent;
  else {
    // build with an array of chunks for speed: 260k string splices on 100 kB is fine too
    expected = applyPatches('', patches);
  }
  return { patches, expected };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Y from 'yjs';
import type { BenchServer } from './types.ts';
import { freePort, spawnNode, stdoutMarker, stopChild, type Child } from './child.ts';
import { randomId } from '../util.ts';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..', '..');

/** A competitor server run as `procs/<proc>` in its own child process, with an optional temp data dir. */
export function competitorServer(options: {
  id: string;
  label: string;
  /** File in `procs/` that starts the server and prints READY. */
  proc: string;
  /** Environment of the process (besides PORT and the storage variables). */
  env?: Record<string, string>;
  /** With storage: the temp dir prefix and the env variables that point the process at it. */
  storage: { dirPrefix: string; env: (dir: string) => Record<string, string> } | null;
  unloadsDocs: boolean;
  unloadWaitMs: number;
  notes: string[];
  connect: (url: string, docName: string, doc: Y.Doc) => ReturnType<BenchServer['connect']>;
}): BenchServer {
  let child: Child | null = null;
  let port = 0;
  const dir = options.storage ? mkdtempSync(join(tmpdir(), options.storage.dirPrefix)) : null;
  return {
    id: options.id,
    label: options.label,
    persistent: options.storage !== null,
    unloadsDocs: options.unloadsDocs,
    unloadWaitMs: options.unloadWaitMs,
    notes: options.notes,
    pid: () => child?.pid ?? null,
    async start() {
      port = await freePort();
      const env: Record<string, string> = { ...options.env, PORT: String(port), ...(dir && options.storage ? options.storage.env(dir) : {}) };
      child = await spawnNode({
        args: ['--import', 'tsx', join(here, 'procs', options.proc)],
        cwd: benchDir,
        env,
        tag: options.id,
        ready: stdoutMarker('READY'),
      });
    },
    async stop() {
      if (child) await stopChild(child);
      child = null;
    },
    createDoc: async (hint) => randomId(hint),
    connect: (docName, doc) => options.connect(`ws://127.0.0.1:${port}`, docName, doc),
    dataDir: () => dir,
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

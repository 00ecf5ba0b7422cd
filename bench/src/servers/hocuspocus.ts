import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { hocuspocusClient } from '../clients.ts';
import type { BenchServer, ServerSpec } from './types.ts';
import { freePort, spawnNode, stdoutMarker, stopChild, type Child } from './child.ts';
import { randomId } from '../util.ts';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..', '..');

/** Does the sqlite3 native addon (needed by @hocuspocus/extension-sqlite) load here? */
function sqliteUnavailable(): string | null {
  try {
    createRequire(import.meta.url)('sqlite3');
    return null;
  } catch (e) {
    return `@hocuspocus/extension-sqlite needs the sqlite3 native addon, which does not load: ${(e as Error).message.split('\n')[0]}`;
  }
}

function create(id: string, label: string, sqlite: boolean): BenchServer {
  let child: Child | null = null;
  let port = 0;
  const dir = sqlite ? mkdtempSync(join(tmpdir(), 'bench-hp-')) : null;
  return {
    id,
    label,
    persistent: sqlite,
    unloadsDocs: true,
    // default debounce 2 s; with unloadImmediately (default) the store runs right on last disconnect
    unloadWaitMs: 1500,
    notes: sqlite
      ? ['@hocuspocus/server 3.4.4 + @hocuspocus/extension-sqlite 3.4.4 (sqlite3 5.1.7), default debounce 2 s / maxDebounce 10 s']
      : ['@hocuspocus/server 3.4.4, no extensions: a doc is dropped (and its content lost) when its last client leaves'],
    pid: () => child?.pid ?? null,
    async start() {
      port = await freePort();
      const env: Record<string, string> = { PORT: String(port) };
      if (dir) env.SQLITE_PATH = join(dir, 'hocuspocus.sqlite');
      child = await spawnNode({
        args: ['--import', 'tsx', join(here, 'procs', 'hocuspocus-proc.ts')],
        cwd: benchDir,
        env,
        tag: id,
        ready: stdoutMarker('READY'),
      });
    },
    async stop() {
      if (child) await stopChild(child);
      child = null;
    },
    createDoc: async (hint) => randomId(hint),
    connect: (docName, doc) => hocuspocusClient(`ws://127.0.0.1:${port}`, docName, doc),
    dataDir: () => dir,
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const hocuspocusSqlite: ServerSpec = {
  id: 'hocuspocus-sqlite',
  label: 'Hocuspocus 3.4.4 (sqlite)',
  quick: true,
  full: true,
  unavailable: sqliteUnavailable,
  create: () => create('hocuspocus-sqlite', 'Hocuspocus 3.4.4 (sqlite)', true),
};

export const hocuspocusMemory: ServerSpec = {
  id: 'hocuspocus',
  label: 'Hocuspocus 3.4.4 (in-memory)',
  quick: false,
  full: true,
  unavailable: () => null,
  create: () => create('hocuspocus', 'Hocuspocus 3.4.4 (in-memory)', false),
};

import { join } from 'node:path';
import { createRequire } from 'node:module';
import { hocuspocus4Client, hocuspocusClient } from '../clients.ts';
import type { BenchServer, ServerSpec } from './types.ts';
import { competitorServer } from './competitor.ts';

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
  return competitorServer({
    id,
    label,
    proc: 'hocuspocus-proc.ts',
    storage: sqlite ? { dirPrefix: 'bench-hp-', env: (dir) => ({ SQLITE_PATH: join(dir, 'hocuspocus.sqlite') }) } : null,
    unloadsDocs: true,
    // default debounce 2 s; with unloadImmediately (default) the store runs right on last disconnect
    unloadWaitMs: 1500,
    notes: sqlite
      ? ['@hocuspocus/server 3.4.4 + @hocuspocus/extension-sqlite 3.4.4 (sqlite3 5.1.7), default debounce 2 s / maxDebounce 10 s']
      : ['@hocuspocus/server 3.4.4, no extensions: a doc is dropped (and its content lost) when its last client leaves'],
    connect: hocuspocusClient,
  });
}

export const hocuspocusSqlite: ServerSpec = {
  id: 'hocuspocus-sqlite',
  label: 'Hocuspocus 3.4.4 (sqlite)',
  // The quick run compares with the current major (4.x) only.
  quick: false,
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

function create4(id: string, label: string, sqlite: boolean): BenchServer {
  return competitorServer({
    id,
    label,
    proc: 'hocuspocus-proc.ts',
    env: { HOCUSPOCUS_MAJOR: '4' },
    storage: sqlite ? { dirPrefix: 'bench-hp4-', env: (dir) => ({ SQLITE_PATH: join(dir, 'hocuspocus.sqlite') }) } : null,
    unloadsDocs: true,
    unloadWaitMs: 1500,
    notes: sqlite
      ? ['@hocuspocus/server 4.7.0 (flushDelay 0: one merged broadcast per event-loop turn) + @hocuspocus/extension-sqlite 4.7.0 (better-sqlite3, SQLite defaults: rollback journal, synchronous FULL), default debounce 2 s / maxDebounce 10 s']
      : ['@hocuspocus/server 4.7.0 (flushDelay 0), no extensions: a doc is dropped (and its content lost) when its last client leaves'],
    connect: hocuspocus4Client,
  });
}

export const hocuspocus4Sqlite: ServerSpec = {
  id: 'hocuspocus4-sqlite',
  label: 'Hocuspocus 4.7 (sqlite)',
  quick: true,
  full: true,
  unavailable: () => null,
  create: () => create4('hocuspocus4-sqlite', 'Hocuspocus 4.7 (sqlite)', true),
};

export const hocuspocus4Memory: ServerSpec = {
  id: 'hocuspocus4',
  label: 'Hocuspocus 4.7 (in-memory)',
  quick: false,
  full: true,
  unavailable: () => null,
  create: () => create4('hocuspocus4', 'Hocuspocus 4.7 (in-memory)', false),
};

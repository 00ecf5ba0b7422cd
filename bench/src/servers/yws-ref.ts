import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yWebsocketClient } from '../clients.ts';
import type { BenchServer, ServerSpec } from './types.ts';
import { freePort, spawnNode, stdoutMarker, stopChild, type Child } from './child.ts';
import { randomId } from '../util.ts';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..', '..');

function create(id: string, label: string, leveldb: boolean): BenchServer {
  let child: Child | null = null;
  let port = 0;
  const dir = leveldb ? mkdtempSync(join(tmpdir(), 'bench-yws-')) : null;
  return {
    id,
    label,
    persistent: leveldb,
    unloadsDocs: leveldb, // utils.js only destroys a doc on last close when persistence is set
    unloadWaitMs: 1000,
    notes: leveldb
      ? ['y-websocket@1.5.4 bin/utils.js setupWSConnection with its built-in y-leveldb persistence (YPERSISTENCE)']
      : ['y-websocket@1.5.4 bin/utils.js setupWSConnection, no persistence (as shipped): docs stay in memory for the life of the process'],
    pid: () => child?.pid ?? null,
    async start() {
      port = await freePort();
      const env: Record<string, string> = { PORT: String(port) };
      if (dir) env.YPERSISTENCE = join(dir, 'leveldb');
      child = await spawnNode({
        args: ['--import', 'tsx', join(here, 'procs', 'yws-ref-proc.ts')],
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
    connect: (docName, doc) => yWebsocketClient(`ws://127.0.0.1:${port}`, docName, doc),
    dataDir: () => dir,
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ywsRefLeveldb: ServerSpec = {
  id: 'y-websocket',
  label: 'y-websocket 1.5.4 ref (leveldb)',
  quick: true,
  full: true,
  unavailable: () => null,
  create: () => create('y-websocket', 'y-websocket 1.5.4 ref (leveldb)', true),
};

export const ywsRefMemory: ServerSpec = {
  id: 'y-websocket-mem',
  label: 'y-websocket 1.5.4 ref (in-memory)',
  quick: false,
  full: true,
  unavailable: () => null,
  create: () => create('y-websocket-mem', 'y-websocket 1.5.4 ref (in-memory)', false),
};

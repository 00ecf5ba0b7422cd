import { join } from 'node:path';
import { yWebsocketClient } from '../clients.ts';
import type { BenchServer, ServerSpec } from './types.ts';
import { competitorServer } from './competitor.ts';

function create(id: string, label: string, leveldb: boolean): BenchServer {
  return competitorServer({
    id,
    label,
    proc: 'yws-ref-proc.ts',
    storage: leveldb ? { dirPrefix: 'bench-yws-', env: (dir) => ({ YPERSISTENCE: join(dir, 'leveldb') }) } : null,
    unloadsDocs: leveldb, // utils.js only destroys a doc on last close when persistence is set
    unloadWaitMs: 1000,
    notes: leveldb
      ? ['y-websocket@1.5.4 bin/utils.js setupWSConnection with its built-in y-leveldb persistence (YPERSISTENCE)']
      : ['y-websocket@1.5.4 bin/utils.js setupWSConnection, no persistence (as shipped): docs stay in memory for the life of the process'],
    connect: yWebsocketClient,
  });
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

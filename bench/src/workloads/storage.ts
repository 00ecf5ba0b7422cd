import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dirBytes } from '../servers/child.ts';
import type { BenchServer } from '../servers/types.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

export interface StorageBaseline {
  diskBytes: number;
  /** bytes in the server's external store (Redis), for servers that have one */
  storeBytes: number | null;
  /** SQLite payload bytes (dbstat) over every database file in the data dir, if any */
  sqlitePayload: number | null;
}

function sqliteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sqliteFiles(p));
    else if (/\.(db|sqlite|sqlite3)$/.test(name)) out.push(p);
  }
  return out;
}

/** Sum of live payload bytes in all SQLite databases under `dir` (the dbstat virtual table). */
function sqlitePayload(dir: string): number | null {
  const files = sqliteFiles(dir);
  if (files.length === 0) return null;
  let total = 0;
  for (const f of files) {
    const db = new Database(f, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT SUM(payload) AS payload FROM dbstat').get() as { payload: number | null };
      total += row.payload ?? 0;
    } finally {
      db.close();
    }
  }
  return total;
}

export async function storageBaseline(server: BenchServer): Promise<StorageBaseline> {
  const dir = server.dataDir();
  const storeBytes = server.storeBytes ? await server.storeBytes() : null;
  if (!dir) return { diskBytes: 0, sqlitePayload: null, storeBytes };
  return { diskBytes: dirBytes(dir), sqlitePayload: sqlitePayload(dir), storeBytes };
}

/**
 * (f) storage for the typed automerge-paper article, measured after the server unloaded
 * (compacted) it and was stopped cleanly, relative to a start/stop of the same server with no
 * bench articles, and compared with the Yjs V2 encoding of the final doc
 * (`Y.encodeStateAsUpdateV2` of the writer's replica, full history incl. tombstones).
 *  - on disk: growth of the data directory (apparent file sizes; includes SQLite free pages
 *    and LevelDB logs — what the disk actually holds);
 *  - live (SQLite stores only): growth of the payload bytes of all rows (dbstat), i.e. what the
 *    store keeps for the article after compaction, without free pages;
 *  - in Redis (servers with an external store): growth of `MEMORY USAGE` over the server's key
 *    prefix (Redis runs without persistence here, so its memory is the store).
 */
export async function storage(ctx: WorkloadContext, baseline: StorageBaseline, v2Bytes: number): Promise<WorkloadResult> {
  if (ctx.server.storeBytes && baseline.storeBytes !== null) {
    const stored = (await ctx.server.storeBytes()) - baseline.storeBytes;
    return {
      metrics: {
        bytes: m('bytes Redis holds for the article (MEMORY USAGE growth over the prefix)', stored, 'B', 'lower'),
        v2: m('Yjs V2 encoding of the final doc', v2Bytes, 'B', 'lower'),
        overV2: m('in Redis / V2 size', stored / v2Bytes, '×', 'lower'),
      },
      notes: ['stored in Redis: bytes are MEMORY USAGE of the keys under the server prefix, not a data directory'],
    };
  }
  const dir = ctx.server.dataDir();
  if (!dir) return { metrics: {}, skipped: 'in-memory server: nothing on disk' };
  const disk = dirBytes(dir) - baseline.diskBytes;
  const metrics: WorkloadResult['metrics'] = {
    bytes: m('bytes on disk for the article (dir growth)', disk, 'B', 'lower'),
    v2: m('Yjs V2 encoding of the final doc', v2Bytes, 'B', 'lower'),
    overV2: m('on disk / V2 size', disk / v2Bytes, '×', 'lower'),
  };
  const payload = sqlitePayload(dir);
  if (payload !== null && baseline.sqlitePayload !== null) {
    const live = payload - baseline.sqlitePayload;
    metrics.liveBytes = m('live SQLite payload for the article', live, 'B', 'lower');
    metrics.liveOverV2 = m('live SQLite payload / V2 size', live / v2Bytes, '×', 'lower');
  }
  return { metrics };
}

import { dirBytes } from '../servers/child.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

/**
 * (f) bytes on disk for the typed automerge-paper article after the server unloaded (compacted)
 * it and shut down cleanly, compared with the Yjs V2 encoding of the final doc
 * (`Y.encodeStateAsUpdateV2` of the writer's replica, full history incl. tombstones).
 * Bytes = growth of the server's data directory (apparent file sizes) over its size after a
 * start/stop with no articles.
 */
export function storage(ctx: WorkloadContext, baselineBytes: number, v2Bytes: number): WorkloadResult {
  const dir = ctx.server.dataDir();
  if (!dir) return { metrics: {}, skipped: 'in-memory server: nothing on disk' };
  const bytes = dirBytes(dir) - baselineBytes;
  return {
    metrics: {
      bytes: m('bytes on disk for the article', bytes, 'B', 'lower'),
      v2: m('Yjs V2 encoding of the final doc', v2Bytes, 'B', 'lower'),
      overV2: m('on disk / V2 size', bytes / v2Bytes, '×', 'lower'),
    },
  };
}

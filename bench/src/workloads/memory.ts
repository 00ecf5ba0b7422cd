import * as Y from 'yjs';
import { procMem } from '../servers/child.ts';
import type { ClientConn } from '../servers/types.ts';
import { now, sleep, withTimeout } from '../util.ts';
import { timeToContent } from './join.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

export interface SeedArticle {
  update: Uint8Array;
  text: string;
}

const MiB = 1024;

function rssMiB(pid: number): number {
  return procMem(pid).rssKiB / MiB;
}

/**
 * (d) server RSS (VmRSS of the server's own process) idle, with `memArticles` articles open
 * (each holding a typed automerge-paper prefix, one client connected to each), and after every
 * client left and the server had time to unload them.
 */
export async function memory(ctx: WorkloadContext, seed: SeedArticle): Promise<WorkloadResult> {
  const { server, cfg } = ctx;
  const pid = server.pid()!;
  await sleep(cfg.quick ? 200 : 2000);
  const idle = rssMiB(pid);
  const conns: ClientConn[] = [];
  const names: string[] = [];
  const failures: string[] = [];
  const t0 = now();
  const BATCH = 25;
  for (let i = 0; i < cfg.memArticles; i += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, cfg.memArticles - i) }, async (_, j) => {
        const name = await server.createDoc(`mem-${i + j}`);
        const doc = new Y.Doc();
        const conn = server.connect(name, doc);
        await withTimeout(conn.whenSynced, cfg.syncTimeoutMs, 'memory article sync');
        Y.applyUpdate(doc, seed.update);
        return { name, conn };
      }),
    );
    for (const b of batch) {
      names.push(b.name);
      conns.push(b.conn);
    }
  }
  const openMs = now() - t0;
  await sleep(cfg.quick ? 500 : 3000);
  // spot-check that the server really holds the content (3 articles, via fresh clients)
  for (const name of [names[0]!, names[Math.floor(names.length / 2)]!, names[names.length - 1]!]) {
    await timeToContent(server, name, seed.text, cfg.syncTimeoutMs).catch((e: Error) =>
      failures.push(`memory: article ${name} not served back: ${e.message}`),
    );
  }
  const open = rssMiB(pid);
  const peak = procMem(pid).hwmKiB / MiB;
  for (const c of conns) c.destroy();
  await sleep(server.unloadWaitMs + (cfg.quick ? 500 : 5000));
  const after = rssMiB(pid);
  return {
    metrics: {
      idleRss: m('RSS idle', idle, 'MiB', 'lower'),
      openRss: m(`RSS with ${cfg.memArticles} articles open`, open, 'MiB', 'lower'),
      perArticle: m('RSS per open article', ((open - idle) * 1024) / cfg.memArticles, 'KiB', 'lower'),
      afterUnloadRss: m('RSS after all closed + unload wait', after, 'MiB', 'lower'),
      retained: m('RSS retained after unload (vs idle)', after - idle, 'MiB', 'lower'),
      peakRss: m('RSS peak (VmHWM)', peak, 'MiB', 'lower'),
      openMs: m(`time to open ${cfg.memArticles} articles`, openMs, 'ms', 'lower'),
    },
    notes: [
      `${cfg.memArticles} articles × automerge-paper prefix of ${cfg.memArticleEdits} edits (${seed.text.length} chars, ${seed.update.length} B update), one client each`,
      server.unloadsDocs ? 'server unloads idle docs' : 'this server never unloads docs (by design, without persistence)',
    ],
    failures,
  };
}

import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkloadResult } from './types.ts';

const EVENTS_TS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages', 'protocol', 'src', 'events.ts');

/** Is the comment protocol (`comment:post`) in packages/protocol yet? */
export function commentsImplemented(): boolean {
  return existsSync(EVENTS_TS) && readFileSync(EVENTS_TS, 'utf8').includes("'comment:post'");
}

/*
 * ============================================================================================
 * TODO(bench: comment fan-out) — (e) of the benchmark issue.
 * Not measured yet: comments are not implemented in Copydesk. When `'comment:post'` appears in
 * packages/protocol/src/events.ts, implement here: N Socket.IO clients in one article room, one
 * posts M comments, measure post→delivery latency p50/p99 at every client and count lost
 * comments (any loss fails the run, also in --quick). Competitors have no comment feature, so
 * this section reports absolute numbers only.
 * ============================================================================================
 */
export function comments(): WorkloadResult {
  if (!commentsImplemented()) {
    return { metrics: {}, skipped: 'not measured: comments not implemented yet' };
  }
  return {
    metrics: {},
    skipped:
      "not measured: 'comment:post' now exists in packages/protocol/src/events.ts, but the bench's comment fan-out workload is still a TODO (bench/src/workloads/comments.ts)",
  };
}

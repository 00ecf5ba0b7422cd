/** Every knob of a run. `--quick` is the CI smoke (< 2 min); the default is the full run. */
export interface BenchConfig {
  quick: boolean;
  reps: number;
  /** (a) automerge-paper edits typed for the throughput run (prefix in quick mode). */
  throughputEdits: number;
  observers: number;
  /** (a) paced latency run */
  latencyRate: number;
  latencyWindowMs: number;
  /** (b) concurrency: node_nodecc txns replayed (all in full mode). */
  nodeccTxns: number;
  /** (c) joins */
  joinRepeats: number;
  joinCrowd: number;
  /** (d) memory */
  memArticles: number;
  /** automerge-paper prefix typed into each memory-test article */
  memArticleEdits: number;
  churnMs: number;
  churnMaxIterations: number;
  churnArticles: number;
  churnParallel: number;
  /** (e) comment fan-out: readers subscribed to one article, comments posted per second, for how long */
  commentReaders: number;
  commentRate: number;
  commentWindowMs: number;
  /** how long to wait after the last post for every delivery before counting the rest as lost */
  commentDrainMs: number;
  /** hard bounds */
  typingTimeoutMs: number;
  syncTimeoutMs: number;
}

export function makeConfig(quick: boolean, reps?: number): BenchConfig {
  return quick
    ? {
        quick,
        reps: reps ?? 1,
        throughputEdits: 10_000,
        observers: 10,
        latencyRate: 200,
        latencyWindowMs: 3_000,
        nodeccTxns: 100,
        joinRepeats: 2,
        joinCrowd: 50,
        memArticles: 100,
        memArticleEdits: 10_000,
        churnMs: 2_500,
        churnMaxIterations: 2_000,
        churnArticles: 20,
        churnParallel: 4,
        commentReaders: 100,
        commentRate: 100,
        commentWindowMs: 3_000,
        commentDrainMs: 10_000,
        typingTimeoutMs: 60_000,
        syncTimeoutMs: 30_000,
      }
    : {
        quick,
        reps: reps ?? 3,
        throughputEdits: Infinity,
        observers: 10,
        latencyRate: 200,
        latencyWindowMs: 20_000,
        nodeccTxns: Infinity,
        joinRepeats: 5,
        joinCrowd: 50,
        memArticles: 1_000,
        memArticleEdits: 10_000,
        churnMs: 10 * 60_000,
        churnMaxIterations: 200_000,
        churnArticles: 50,
        churnParallel: 4,
        commentReaders: 100,
        commentRate: 100,
        commentWindowMs: 30_000,
        commentDrainMs: 30_000,
        typingTimeoutMs: 600_000,
        syncTimeoutMs: 120_000,
      };
}

import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { Store } from '../../storage/store.ts';
import { ORIGIN_REMOTE, ORIGIN_STORE, type CollabExtension, type DocContext } from '../types.ts';

/** Durability of a doc, for the editor's "Saved" indicator (see SaveStatusExtension). */
export interface SaveState {
  /** Writes currently succeed. */
  storageOk: boolean;
  /** Nothing waits to be written: everything applied to the doc is in the store. */
  idle: boolean;
  /** What `captureSaveMark` returned when the batch just written was taken: everything applied before it is durable. */
  mark: unknown;
}

interface DocLog {
  doc: Y.Doc;
  pending: Uint8Array[];
  /** Updates appended since the last snapshot, and their bytes. */
  sinceSnapshot: number;
  bytesSinceSnapshot: number;
  /** Size of the last snapshot: the log must grow about as large before it is merged again. */
  snapshotBytes: number;
  lastSeq: number;
  writing: Promise<void> | null;
  storageOk: boolean;
}

/**
 * Durability: every applied update is appended to the store within PERSIST_INTERVAL_MS
 * (batched into one write), the log is compacted into a snapshot once it holds COMPACT_AFTER_UPDATES
 * updates and about as many bytes as the last snapshot (see dueForCompaction), and when the doc
 * unloads. A failed write keeps the batch and retries.
 */
export class PersistenceExtension implements CollabExtension {
  readonly name = 'persistence';
  private readonly logs = new Map<string, DocLog>();
  private timer: { cancel(): void } | null = null;
  private retryDelayMs: number;
  /** While writes fail, batches wait here (back-off) instead of retrying on every keystroke. */
  private retryAt = 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: {
      /** 0: write as soon as the previous write of the doc returned (updates arriving meanwhile form the next batch). */
      persistIntervalMs: number;
      compactAfterUpdates: number;
      /** Called after every successful write and when writes start failing (for the editor's "Saved" indicator). */
      onSaveState?: (articleId: string, state: SaveState) => void;
      /** Called when a batch is taken for writing; the result comes back as `SaveState.mark` once it is written. */
      captureSaveMark?: (articleId: string) => unknown;
      /** Store write latency, for /metrics. */
      observeWriteSeconds?: (seconds: number) => void;
    },
  ) {
    this.retryDelayMs = options.persistIntervalMs;
  }

  /** Durability of a loaded doc now (null when not loaded here). */
  saveState(articleId: string): SaveState | null {
    const entry = this.logs.get(articleId);
    if (!entry) return null;
    return { storageOk: entry.storageOk, idle: entry.pending.length === 0 && entry.writing === null, mark: null };
  }

  async onLoad({ articleId, doc }: DocContext): Promise<void> {
    const stored = await this.store.docs.load(articleId);
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdateV2(doc, stored.snapshot, ORIGIN_STORE);
      for (const { update } of stored.updates) Y.applyUpdate(doc, update, ORIGIN_STORE);
    }, ORIGIN_STORE);
    const lastSeq = stored.updates.at(-1)?.seq ?? 0;
    this.logs.set(articleId, {
      doc,
      pending: [],
      sinceSnapshot: stored.updates.length,
      bytesSinceSnapshot: stored.updates.reduce((sum, { update }) => sum + update.byteLength, 0),
      snapshotBytes: stored.snapshot?.byteLength ?? 0,
      lastSeq,
      writing: null,
      storageOk: true,
    });
  }

  onChange({ articleId, update, origin }: DocContext & { update: Uint8Array; origin: unknown }): void {
    // Loaded from the store, or relayed from another instance that already wrote it: nothing to write.
    if (origin === ORIGIN_STORE || origin === ORIGIN_REMOTE) return;
    const entry = this.logs.get(articleId);
    if (!entry) return;
    entry.pending.push(update);
    this.schedule(this.options.persistIntervalMs);
  }

  async onStore({ articleId }: DocContext & { reason: string }): Promise<void> {
    const entry = this.logs.get(articleId);
    if (!entry) return;
    await this.flushDoc(articleId, entry);
    if (entry.pending.length > 0) throw new Error(`could not persist ${entry.pending.length} updates of ${articleId}`);
    if (entry.sinceSnapshot > 0) await this.compact(articleId, entry);
  }

  onUnload({ articleId }: { articleId: string }): void {
    this.logs.delete(articleId);
  }

  async onDestroy(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
  }

  /** Writes every pending batch now (tests and shutdown). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.logs].map(([id, entry]) => this.flushDoc(id, entry)));
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    const wait = Math.max(delayMs, this.retryAt - Date.now());
    const run = () => {
      this.timer = null;
      void this.flushAll();
    };
    if (wait <= 0) {
      const immediate = setImmediate(run);
      this.timer = { cancel: () => clearImmediate(immediate) };
    } else {
      const timeout = setTimeout(run, wait);
      this.timer = { cancel: () => clearTimeout(timeout) };
    }
  }

  private async flushDoc(articleId: string, entry: DocLog): Promise<void> {
    // One write at a time per doc keeps the append order equal to the apply order.
    while (entry.writing) await entry.writing;
    if (entry.pending.length === 0) return;
    const batch = entry.pending;
    entry.pending = [];
    // Everything applied so far is either already stored or in this batch (earlier failed batches were put back in front).
    const mark = this.options.captureSaveMark?.(articleId) ?? null;
    entry.writing = (async () => {
      try {
        const started = performance.now();
        entry.lastSeq = await this.store.docs.appendUpdates(articleId, batch);
        this.options.observeWriteSeconds?.((performance.now() - started) / 1000);
      } catch (error) {
        entry.pending = batch.concat(entry.pending);
        this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, 50), 5_000);
        this.retryAt = Date.now() + this.retryDelayMs;
        if (entry.storageOk) {
          entry.storageOk = false;
          this.log.error({ err: error, articleId, updates: batch.length }, 'writing doc updates failed; holding them and retrying with back-off');
          this.options.onSaveState?.(articleId, { storageOk: false, idle: false, mark: null });
        }
        this.schedule(this.retryDelayMs);
        return;
      }
      entry.sinceSnapshot += batch.length;
      for (const update of batch) entry.bytesSinceSnapshot += update.byteLength;
      this.retryDelayMs = this.options.persistIntervalMs;
      this.retryAt = 0;
      if (!entry.storageOk) this.log.info({ articleId }, 'writing doc updates works again');
      entry.storageOk = true;
      this.options.onSaveState?.(articleId, { storageOk: true, idle: entry.pending.length === 0, mark });
      if (dueForCompaction(entry, this.options.compactAfterUpdates)) {
        // The batch is stored: a failed compaction must not put it back in the queue.
        await this.compact(articleId, entry).catch((err) => this.log.warn({ err, articleId }, 'compaction failed; will try again later'));
      }
    })();
    try {
      await entry.writing;
    } finally {
      entry.writing = null;
    }
  }

  private async compact(articleId: string, entry: DocLog): Promise<void> {
    // The live doc holds every update up to lastSeq (and maybe newer pending ones, which stay in the log).
    const snapshot = Y.encodeStateAsUpdateV2(entry.doc);
    await this.store.docs.compact(articleId, snapshot, entry.lastSeq);
    entry.sinceSnapshot = 0;
    entry.bytesSinceSnapshot = 0;
    entry.snapshotBytes = snapshot.byteLength;
  }
}

/**
 * Compaction re-encodes the whole doc, so it waits for at least `compactAfterUpdates` updates AND
 * a log about as large as the last snapshot: its cost stays proportional to what was written
 * (a long story is no longer re-encoded every few hundred keystrokes).
 */
export function dueForCompaction(entry: Pick<DocLog, 'sinceSnapshot' | 'bytesSinceSnapshot' | 'snapshotBytes'>, compactAfterUpdates: number): boolean {
  return entry.sinceSnapshot >= compactAfterUpdates && entry.bytesSinceSnapshot >= entry.snapshotBytes;
}

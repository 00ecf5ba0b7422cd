import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { Store } from '../../storage/store.ts';
import { ORIGIN_STORE, type CollabExtension, type DocContext } from '../types.ts';

interface DocLog {
  doc: Y.Doc;
  pending: Uint8Array[];
  /** Updates appended since the last snapshot. */
  sinceSnapshot: number;
  lastSeq: number;
  writing: Promise<void> | null;
}

/**
 * Durability: every applied update is appended to the store within PERSIST_INTERVAL_MS
 * (batched into one write), the log is compacted into a snapshot every COMPACT_AFTER_UPDATES
 * updates and when the doc unloads. A failed write keeps the batch and retries.
 */
export class PersistenceExtension implements CollabExtension {
  readonly name = 'persistence';
  private readonly logs = new Map<string, DocLog>();
  private timer: NodeJS.Timeout | null = null;
  private retryDelayMs: number;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: { persistIntervalMs: number; compactAfterUpdates: number },
  ) {
    this.retryDelayMs = options.persistIntervalMs;
  }

  async onLoad({ articleId, doc }: DocContext): Promise<void> {
    const stored = await this.store.docs.load(articleId);
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdateV2(doc, stored.snapshot, ORIGIN_STORE);
      for (const { update } of stored.updates) Y.applyUpdate(doc, update, ORIGIN_STORE);
    }, ORIGIN_STORE);
    const lastSeq = stored.updates.at(-1)?.seq ?? 0;
    this.logs.set(articleId, { doc, pending: [], sinceSnapshot: stored.updates.length, lastSeq, writing: null });
  }

  onChange({ articleId, update, origin }: DocContext & { update: Uint8Array; origin: unknown }): void {
    if (origin === ORIGIN_STORE) return;
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes every pending batch now (tests and shutdown). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.logs].map(([id, entry]) => this.flushDoc(id, entry)));
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flushAll();
    }, delayMs);
  }

  private async flushDoc(articleId: string, entry: DocLog): Promise<void> {
    // One write at a time per doc keeps the append order equal to the apply order.
    while (entry.writing) await entry.writing;
    if (entry.pending.length === 0) return;
    const batch = entry.pending;
    entry.pending = [];
    entry.writing = (async () => {
      try {
        entry.lastSeq = await this.store.docs.appendUpdates(articleId, batch);
        entry.sinceSnapshot += batch.length;
        this.retryDelayMs = this.options.persistIntervalMs;
        if (entry.sinceSnapshot >= this.options.compactAfterUpdates) await this.compact(articleId, entry);
      } catch (error) {
        entry.pending = batch.concat(entry.pending);
        this.log.error({ err: error, articleId, updates: batch.length }, 'writing doc updates failed; will retry');
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5_000);
        this.schedule(this.retryDelayMs);
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
    await this.store.docs.compact(articleId, Y.encodeStateAsUpdateV2(entry.doc), entry.lastSeq);
    entry.sinceSnapshot = 0;
  }
}

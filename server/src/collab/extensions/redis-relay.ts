import * as Y from 'yjs';
import type { Logger } from 'pino';
import { binary, reconnectDelay, type RedisConnection } from '../../storage/redis/connection.ts';
import type { DocStreamEntry, RedisStore } from '../../storage/redis/redis-store.ts';
import type { StoredDoc } from '../../storage/store.ts';
import { ORIGIN_REMOTE, type CollabExtension, type DocContext } from '../types.ts';
import { dueForCompaction } from './persistence.ts';

interface RelayedDoc {
  doc: Y.Doc;
  /** Last stream seq this instance has applied (or skipped as its own). */
  lastSeq: number;
  /** Entries seen since this instance last compacted or tried to. */
  sinceCompaction: number;
  /** Bytes of the entries seen since, and the size of the last snapshot this instance wrote (see dueForCompaction). */
  bytesSinceCompaction: number;
  snapshotBytes: number;
  compacting: boolean;
}

export interface RedisRelayOptions {
  /** Merge a doc's stream into its snapshot after this many entries (one instance does it, under a lock). */
  compactAfterUpdates: number;
  /** How long one XREAD blocks before it is re-issued (it is interrupted at once when a doc opens). */
  blockMs?: number;
  /** For /metrics: how long ago (by Redis's clock, at append) the newest relayed update applied here was appended. */
  observeLagSeconds?(seconds: number): void;
}

/**
 * Doc update relay between instances over Redis Streams. Each doc's update log is a stream
 * (`RedisStore.docs`: the persistence extension appends every local update, tagged with this
 * instance's origin); this extension reads every stream of the docs open here with one blocking
 * XREAD, skips its own entries and applies the others with ORIGIN_REMOTE, so they reach local
 * clients but are not written again. After a Redis outage it resumes from the last seq it saw; if a
 * compaction trimmed entries it had not read, it applies the snapshot that now holds them.
 *
 * Register it BEFORE the persistence extension: it notes the stream position before the doc is
 * loaded, so nothing falls between the load and the first read (an overlap is harmless: Yjs
 * updates are idempotent).
 */
export class RedisRelayExtension implements CollabExtension {
  readonly name = 'redis-relay';
  private readonly docs = new Map<string, RelayedDoc>();
  private reader: RedisConnection | null = null;
  private readerId: number | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private failing = false;
  /** Entries from other instances applied here (for tests and metrics). */
  appliedEntries = 0;
  /** Docs resynced after Redis lost the end of their log (for tests and logs). */
  tailResyncs = 0;
  /** The Redis server's run id when last connected: a new one means it restarted. */
  private runId: string | null = null;
  /** The reader reconnected: check every open doc's log before reading on. */
  private checkTailsPending = false;
  /** Redis restarted and not every open doc was resynced since. */
  private resyncAll = false;

  constructor(
    private readonly store: RedisStore,
    private readonly log: Logger,
    private readonly options: RedisRelayOptions,
  ) {}

  /** Opens the blocking reader connection and starts reading. */
  async start(): Promise<void> {
    this.runId = await this.redisRunId();
    this.reader = await this.store.duplicate('relay', { failFast: true });
    this.reader.on('ready', () => {
      // Back after a drop: Redis may have restarted from an AOF without its last second. The read
      // loop checks before its next read (so a resync never races an apply), woken at once.
      this.checkTailsPending = true;
      void this.refreshReaderId().then(() => this.interrupt());
    });
    await this.refreshReaderId();
    this.running = this.loop();
  }

  async onLoad({ articleId, doc }: DocContext): Promise<void> {
    // Before the persistence extension loads the doc: entries after this seq are read by the loop.
    const lastSeq = await this.store.lastSeq(articleId);
    this.docs.set(articleId, { doc, lastSeq, sinceCompaction: 0, bytesSinceCompaction: 0, snapshotBytes: 0, compacting: false });
    this.interrupt();
  }

  onUnload({ articleId }: { articleId: string }): void {
    this.docs.delete(articleId);
  }

  async onDestroy(): Promise<void> {
    this.stopped = true;
    this.docs.clear();
    this.interrupt();
    this.reader?.destroy();
    await this.running?.catch(() => undefined);
  }

  /**
   * A doc whose stream now ends before the last seq this instance saw lost its tail: Redis came back
   * from an older AOF. Its seqs will be handed out again, so reading on from our position would miss
   * other instances' next updates, and the store no longer holds writes its clients were told are
   * saved. Each open doc is resynced: what the store has is applied here, what this instance holds
   * and the store lost is written back (every instance does the same for its own docs), and reading
   * resumes from the store's position.
   */
  /** False when something could not be checked (Redis not answering yet): the caller tries again. */
  private async resyncLostTails(): Promise<boolean> {
    // A new run id means Redis restarted; its seqs may have gone back and forward again by now, so
    // after a restart every open doc is resynced (cheap, and harmless when nothing was lost).
    try {
      const runId = await this.redisRunId();
      // Kept until every open doc was resynced: a retry after a partial failure resyncs them all again.
      if (this.runId !== null && runId !== this.runId) this.resyncAll = true;
      this.runId = runId;
    } catch {
      return false;
    }
    const restarted = this.resyncAll;
    let complete = true;
    for (const [articleId, relayed] of this.docs) {
      try {
        const storedSeq = await this.store.lastSeq(articleId);
        if ((!restarted && storedSeq >= relayed.lastSeq) || this.docs.get(articleId) !== relayed) continue;
        this.log.warn({ articleId, storedSeq, seenSeq: relayed.lastSeq, restarted }, 'Redis restarted or lost the end of a document log: resyncing from the store and writing back what it lost');
        await this.resync(articleId, relayed, storedSeq);
        this.tailResyncs++;
      } catch (error) {
        complete = false;
        this.log.warn({ err: (error as Error).message, articleId }, 'resyncing a document after a Redis restart failed; trying again');
      }
    }
    if (complete) this.resyncAll = false;
    return complete;
  }

  private async resync(articleId: string, relayed: RelayedDoc, storedSeq: number): Promise<void> {
    const stored = await this.store.docs.load(articleId);
    const storedDoc = new Y.Doc();
    try {
      if (stored.snapshot) Y.applyUpdateV2(storedDoc, stored.snapshot);
      for (const { update } of stored.updates) Y.applyUpdate(storedDoc, update);
      if (this.docs.get(articleId) !== relayed) return;
      // Other instances' writes since the restart.
      Y.applyUpdate(relayed.doc, Y.encodeStateAsUpdate(storedDoc, Y.encodeStateVector(relayed.doc)), ORIGIN_REMOTE);
      // Reading resumes here; an overlap with what was just applied is harmless.
      relayed.lastSeq = storedSeq;
      // Everything the store lost (deletions included, which no state vector shows), appended under
      // this instance's origin so the others apply it too.
      await this.store.docs.appendUpdates(articleId, [Y.encodeStateAsUpdate(relayed.doc, Y.encodeStateVector(storedDoc))]);
    } finally {
      storedDoc.destroy();
    }
  }

  private async redisRunId(): Promise<string> {
    const info = await this.store.client.info('server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? '';
  }

  private async refreshReaderId(): Promise<void> {
    try {
      this.readerId = (await this.reader?.clientId()) ?? null;
    } catch {
      this.readerId = null;
    }
  }

  /** Ends the current blocking XREAD so the next one includes a newly opened doc. */
  private interrupt(): void {
    if (this.wake) {
      this.wake();
      this.wake = null;
    }
    if (this.readerId !== null && this.store.client.isReady) {
      this.store.client.sendCommand(['CLIENT', 'UNBLOCK', String(this.readerId)]).catch(() => undefined);
    }
  }

  private async loop(): Promise<void> {
    const reader = binary(this.reader!);
    let retries = 0;
    while (!this.stopped) {
      if (this.checkTailsPending) {
        this.checkTailsPending = false;
        // The store's own connection may come back a moment after the reader's: until every open
        // doc was checked, check again (with back-off) before reading on.
        if (!(await this.resyncLostTails())) {
          this.checkTailsPending = true;
          await new Promise((r) => setTimeout(r, reconnectDelay(retries++)));
          continue;
        }
      }
      if (this.docs.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const ids = [...this.docs.keys()];
      const streams = ids.map((id) => ({ key: this.store.keys.docLog(id), id: `${this.docs.get(id)!.lastSeq}-0` }));
      let result: Awaited<ReturnType<typeof reader.xRead>>;
      try {
        result = await reader.xRead(streams, { BLOCK: this.options.blockMs ?? 5_000, COUNT: 1_000 });
        retries = 0;
        if (this.failing) this.log.info('doc relay reading again');
        this.failing = false;
      } catch (error) {
        if (this.stopped) return;
        if (!this.failing) this.log.warn({ err: (error as Error).message }, 'doc relay cannot read from Redis; retrying with back-off');
        this.failing = true;
        await new Promise((r) => setTimeout(r, reconnectDelay(retries++)));
        continue;
      }
      if (!result || this.stopped) continue;
      const byKey = new Map(ids.map((id) => [this.store.keys.docLog(id), id]));
      for (const stream of result as Array<{ name: Buffer | string; messages: Array<{ id: Buffer; message: Record<string, Buffer> }> }>) {
        const articleId = byKey.get(String(stream.name));
        if (!articleId) continue;
        try {
          await this.apply(articleId, this.store.decodeEntries(stream.messages));
        } catch (error) {
          this.log.error({ err: error, articleId }, 'applying relayed doc updates failed');
        }
      }
    }
  }

  private async apply(articleId: string, entries: DocStreamEntry[]): Promise<void> {
    const relayed = this.docs.get(articleId);
    if (!relayed || entries.length === 0) return;
    const fresh = entries.filter((e) => e.seq > relayed.lastSeq);
    if (fresh.length === 0) return;
    let stored: StoredDoc | null = null;
    if (fresh[0]!.seq > relayed.lastSeq + 1) {
      // Seqs are consecutive: a gap means entries we did not read. A compaction trimmed them (the
      // snapshot holds them; every compaction appends a marker entry, so the gap shows even when
      // nobody types afterwards), or a read began at a position from before a resync. The stored
      // doc holds them either way; applying what we already have is a no-op.
      stored = await this.store.docs.load(articleId);
      if (this.docs.get(articleId) !== relayed) return;
    }
    // Compaction markers carry no update (and arrive, after the trim, as the gap above).
    const remote = fresh.filter((e) => e.origin !== this.store.originTag && e.compactedThrough === null);
    if (stored || remote.length > 0) {
      relayed.doc.transact(() => {
        if (stored?.snapshot) Y.applyUpdateV2(relayed.doc, stored.snapshot, ORIGIN_REMOTE);
        for (const entry of stored?.updates ?? []) Y.applyUpdate(relayed.doc, entry.update, ORIGIN_REMOTE);
        for (const entry of remote) Y.applyUpdate(relayed.doc, entry.update, ORIGIN_REMOTE);
      }, ORIGIN_REMOTE);
    }
    this.appliedEntries += remote.length;
    const appendedAt = remote.at(-1)?.appendedAt;
    if (appendedAt) this.options.observeLagSeconds?.(Math.max(0, Date.now() - appendedAt) / 1000);
    relayed.lastSeq = fresh.at(-1)!.seq;
    relayed.sinceCompaction += fresh.length;
    for (const entry of fresh) relayed.bytesSinceCompaction += entry.update.byteLength;
    const due = dueForCompaction({ sinceSnapshot: relayed.sinceCompaction, bytesSinceSnapshot: relayed.bytesSinceCompaction, snapshotBytes: relayed.snapshotBytes }, this.options.compactAfterUpdates);
    if (due && !relayed.compacting) void this.compact(articleId, relayed);
  }

  /** The live doc holds every entry through lastSeq (its own were applied before they were appended). */
  private async compact(articleId: string, relayed: RelayedDoc): Promise<void> {
    relayed.compacting = true;
    relayed.sinceCompaction = 0;
    relayed.bytesSinceCompaction = 0;
    try {
      const snapshot = Y.encodeStateAsUpdateV2(relayed.doc);
      relayed.snapshotBytes = snapshot.byteLength;
      const compacted = await this.store.tryCompact(articleId, snapshot, relayed.lastSeq);
      this.log.debug({ articleId, throughSeq: relayed.lastSeq, compacted }, compacted ? 'compacted doc stream' : 'another instance is compacting');
    } catch (error) {
      this.log.warn({ err: error, articleId }, 'doc stream compaction failed; will try again later');
    } finally {
      relayed.compacting = false;
    }
  }
}

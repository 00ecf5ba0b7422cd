import type { CollabConnection, CollabExtension, DocContext } from '../types.ts';
import type { SaveState } from './persistence.ts';
import { encodeSaved } from '../messages.ts';

interface Tracked {
  connection: CollabConnection;
  /** Applied update-bearing frames of this socket known durable. */
  durable: number;
  /** Last values sent (nothing is re-sent unchanged). */
  sentDurable: number;
  sentOk: boolean;
  sentRefused: number;
}

/**
 * Tells each editor how many of the update frames it sent are applied and durable in the store,
 * and how many were refused (`CollabMessageType.saved`), so the UI says "Saved" only for real and
 * says what was not applied. Refused frames are never counted as durable. A frame is durable once the
 * write of the batch taken after it succeeded (the persistence extension captures every socket's
 * count when it takes a batch), or at once when it changed nothing and nothing waits to be written.
 * Messages to one doc go out at most once per `throttleMs` (Redis mode writes at keystroke rate),
 * always ending with the latest state; a switch to "storage unavailable" goes out at once.
 */
export class SaveStatusExtension implements CollabExtension {
  readonly name = 'save-status';
  private readonly docs = new Map<string, { conns: Map<string, Tracked>; storageOk: boolean; lastSentAt: number; timer: NodeJS.Timeout | null }>();

  constructor(
    private readonly current: (articleId: string) => SaveState | null,
    private readonly throttleMs = 150,
  ) {}

  private doc(articleId: string) {
    let doc = this.docs.get(articleId);
    if (!doc) this.docs.set(articleId, (doc = { conns: new Map(), storageOk: true, lastSentAt: 0, timer: null }));
    return doc;
  }

  onConnect({ articleId, connection }: DocContext & { connection: CollabConnection }): void {
    // Stock clients did not ask for the saved message: nothing to track for them.
    if (!connection.customMessages) return;
    const doc = this.doc(articleId);
    doc.storageOk = this.current(articleId)?.storageOk ?? doc.storageOk;
    const tracked: Tracked = { connection, durable: 0, sentDurable: 0, sentOk: doc.storageOk, sentRefused: 0 };
    doc.conns.set(connection.id, tracked);
    connection.send(encodeSaved({ durableUpdates: 0, storageOk: doc.storageOk, refusedUpdates: 0, refusedReason: null }));
  }

  onUpdateMessage({ articleId, connection }: DocContext & { connection: CollabConnection }): void {
    const tracked = this.docs.get(articleId)?.conns.get(connection.id);
    if (!tracked) return;
    // A refusal goes out at once: the writer must know before they type on.
    if (connection.updatesRefused !== tracked.sentRefused) return this.schedule(articleId, true);
    // A frame that changed nothing while nothing waits to be written is durable now.
    if (!this.current(articleId)?.idle) return;
    tracked.durable = connection.updatesApplied;
    this.schedule(articleId, false);
  }

  onDisconnect({ articleId, connection }: DocContext & { connection: CollabConnection }): void {
    this.docs.get(articleId)?.conns.delete(connection.id);
  }

  onUnload({ articleId }: { articleId: string }): void {
    const doc = this.docs.get(articleId);
    if (doc?.timer) clearTimeout(doc.timer);
    this.docs.delete(articleId);
  }

  async onDestroy(): Promise<void> {
    for (const doc of this.docs.values()) if (doc.timer) clearTimeout(doc.timer);
    this.docs.clear();
  }

  /** The persistence extension's captureSaveMark hook: every socket's frame count when a batch is taken. */
  readonly captureSaveMark = (articleId: string): Map<string, number> => {
    const mark = new Map<string, number>();
    for (const [id, tracked] of this.docs.get(articleId)?.conns ?? []) mark.set(id, tracked.connection.updatesApplied);
    return mark;
  };

  /** The persistence extension's onSaveState hook. */
  readonly onSaveState = (articleId: string, state: SaveState): void => {
    const doc = this.docs.get(articleId);
    if (!doc) return;
    const switched = doc.storageOk !== state.storageOk;
    doc.storageOk = state.storageOk;
    if (state.storageOk) {
      const mark = state.mark instanceof Map ? (state.mark as Map<string, number>) : null;
      for (const [id, tracked] of doc.conns) {
        // Idle: everything applied so far is stored. Otherwise: what was applied before the batch was taken.
        const durable = state.idle ? tracked.connection.updatesApplied : mark?.get(id);
        if (durable !== undefined && durable > tracked.durable) tracked.durable = durable;
      }
    }
    this.schedule(articleId, switched);
  };

  private schedule(articleId: string, now: boolean): void {
    const doc = this.docs.get(articleId);
    if (!doc) return;
    const wait = doc.lastSentAt + this.throttleMs - Date.now();
    if (now || wait <= 0) return this.send(articleId);
    doc.timer ??= setTimeout(() => this.send(articleId), wait);
  }

  private send(articleId: string): void {
    const doc = this.docs.get(articleId);
    if (!doc) return;
    if (doc.timer) clearTimeout(doc.timer);
    doc.timer = null;
    doc.lastSentAt = Date.now();
    for (const tracked of doc.conns.values()) {
      const { connection } = tracked;
      if (tracked.durable === tracked.sentDurable && tracked.sentOk === doc.storageOk && tracked.sentRefused === connection.updatesRefused) continue;
      tracked.sentDurable = tracked.durable;
      tracked.sentOk = doc.storageOk;
      tracked.sentRefused = connection.updatesRefused;
      connection.send(
        encodeSaved({ durableUpdates: tracked.durable, storageOk: doc.storageOk, refusedUpdates: connection.updatesRefused, refusedReason: connection.refusedReason }),
      );
    }
  }
}

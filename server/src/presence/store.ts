import type { PresenceSection, PresenceState } from '@copydesk/protocol';

/**
 * One person in one article as one server instance sees them (their tabs connected to that
 * instance). The board merges the entries of every instance into one PresencePerson.
 */
export interface PresenceEntry {
  instanceId: string;
  articleId: string;
  userId: string;
  displayName: string;
  /** Caret and avatar colour the server gave this person in this article (ArticleColors). */
  color?: string;
  /** Open /collab connections of this person on this article, on this instance. */
  tabs: number;
  state: PresenceState;
  section: PresenceSection | null;
  since: string;
  lastActiveAt: string;
  inserted: number;
  deleted: number;
}

export type PresenceKey = Pick<PresenceEntry, 'instanceId' | 'articleId' | 'userId'>;

export type PresenceStoreChange = { type: 'upsert'; entry: PresenceEntry } | { type: 'remove'; key: PresenceKey };

/**
 * Where instances publish who is editing what, and where boards read it. In-process now
 * (MemoryPresenceStore); a Redis implementation makes every board see the editors of every
 * instance. Rules for an implementation:
 * - `upsert` replaces the entry with the same key; `remove` of a missing key is a no-op.
 * - `subscribe` listeners see every upsert and remove of every instance, this one included, in
 *   the order they happened per key; `list` returns every live entry.
 * - Entries of an instance that dies without `removeInstance` must disappear by themselves
 *   (e.g. a per-instance heartbeat with a TTL), and their removal must reach subscribers.
 * - Writers call `upsert` only when an entry changed (at most a few times per second per
 *   article) and re-publish everything with `PresenceTracker.republish()` after a reconnect.
 */
export interface PresenceStore {
  upsert(entry: PresenceEntry): Promise<void>;
  remove(key: PresenceKey): Promise<void>;
  /** Drops every entry of one instance (its graceful shutdown). */
  removeInstance(instanceId: string): Promise<void>;
  list(): Promise<PresenceEntry[]>;
  subscribe(listener: (change: PresenceStoreChange) => void): () => void;
  close(): Promise<void>;
}

export const presenceKey = ({ instanceId, articleId, userId }: PresenceKey): string => `${instanceId}\u0000${articleId}\u0000${userId}`;

/** The single-process PresenceStore: a map and synchronous listeners. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly entries = new Map<string, PresenceEntry>();
  private readonly listeners = new Set<(change: PresenceStoreChange) => void>();

  async upsert(entry: PresenceEntry): Promise<void> {
    this.entries.set(presenceKey(entry), entry);
    this.emit({ type: 'upsert', entry });
  }

  async remove(key: PresenceKey): Promise<void> {
    if (this.entries.delete(presenceKey(key))) this.emit({ type: 'remove', key: { instanceId: key.instanceId, articleId: key.articleId, userId: key.userId } });
  }

  async removeInstance(instanceId: string): Promise<void> {
    for (const entry of [...this.entries.values()]) if (entry.instanceId === instanceId) await this.remove(entry);
  }

  async list(): Promise<PresenceEntry[]> {
    return [...this.entries.values()];
  }

  subscribe(listener: (change: PresenceStoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private emit(change: PresenceStoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

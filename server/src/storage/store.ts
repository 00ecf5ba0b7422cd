import type { ArticleStatus, Role } from '@copydesk/protocol';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** scrypt hash and salt, encoded as `scrypt$<salt-b64>$<hash-b64>`. */
  passwordHash: string;
  createdAt: string;
}

export interface SessionRecord {
  /** sha256 of the cookie token: a leaked store does not leak live sessions. */
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
}

export interface ArticleRecord {
  id: string;
  headline: string;
  status: ArticleStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What a doc's persisted state is made of: one compacted snapshot plus the updates after it. */
export interface StoredDoc {
  /** Yjs V2 encoding of the whole doc at compaction time, or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** Yjs V1 updates appended since the snapshot, in order, each with its sequence number. */
  updates: Array<{ seq: number; update: Uint8Array }>;
}

export interface UserStore {
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(id: string): Promise<SessionRecord | null>;
  touch(id: string, lastSeenAt: string): Promise<void>;
  delete(id: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
}

export interface ArticleStore {
  create(article: ArticleRecord): Promise<void>;
  get(id: string): Promise<ArticleRecord | null>;
  /** Newest first by updatedAt. */
  list(): Promise<ArticleRecord[]>;
  update(id: string, patch: Partial<Omit<ArticleRecord, 'id' | 'createdAt' | 'createdBy'>>): Promise<ArticleRecord | null>;
}

export interface DocStore {
  /** Appends updates in one atomic write; returns the sequence number of the last one. */
  appendUpdates(articleId: string, updates: Uint8Array[]): Promise<number>;
  load(articleId: string): Promise<StoredDoc>;
  /**
   * Replaces the snapshot and drops the updates with seq ≤ throughSeq, atomically.
   * Updates appended after `throughSeq` are kept, so a compaction never loses a concurrent write.
   */
  compact(articleId: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Bytes the doc takes in the store (snapshot + pending updates). */
  size(articleId: string): Promise<number>;
}

/** The storage interface every driver (SQLite embedded, Redis) implements. */
export interface Store {
  readonly kind: 'sqlite' | 'redis';
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly articles: ArticleStore;
  readonly docs: DocStore;
  /** Cheap liveness check for /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

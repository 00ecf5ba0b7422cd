import type { ArticleStatus, Correction, Role, Section, VersionCause } from '@copydesk/protocol';
import type { CommentStore, EditorialCommentStore, ModerationStore, NotificationStore } from './comment-store.ts';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** scrypt hash and salt, encoded as `scrypt$<salt-b64>$<hash-b64>`. */
  passwordHash: string;
  createdAt: string;
  /** Set when a lead or operator deactivated the account: no sign-in, no sessions, no tokens. */
  deactivatedAt?: string | null;
}

export type UserPatch = Partial<Pick<UserRecord, 'displayName' | 'role' | 'deactivatedAt'>>;

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
  dek: string;
  status: ArticleStatus;
  slug: string;
  section: Section;
  tags: string[];
  /** User ids. */
  byline: string[];
  /** User ids. */
  assignees: string[];
  deadline: string | null;
  wordCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface TransitionRecord {
  id: string;
  articleId: string;
  from: ArticleStatus;
  to: ArticleStatus;
  note: string | null;
  byUserId: string;
  at: string;
}

export interface VersionRecord {
  id: string;
  articleId: string;
  label: string;
  cause: VersionCause;
  authorId: string | null;
  createdAt: string;
  wordCount: number;
  headline: string;
  dek: string;
  text: string;
  html: string;
  /** Yjs V2 encoding of the whole doc at that moment. */
  state: Uint8Array;
}
export type VersionSummaryRecord = Omit<VersionRecord, 'headline' | 'dek' | 'text' | 'html' | 'state'>;

/** What the public reader page serves: frozen at publish time. */
export interface PublishedRecord {
  articleId: string;
  slug: string;
  headline: string;
  dek: string;
  bylineNames: string[];
  section: Section;
  html: string;
  text: string;
  firstPublishedAt: string;
  updatedAt: string;
  corrections: Correction[];
  killed: { reason: string; at: string } | null;
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
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /** Changes the given fields; the updated user, or null when there is no such user. */
  update(id: string, patch: UserPatch): Promise<UserRecord | null>;
}

/** An API token for bots and scripts; only its hash is stored. */
export interface TokenRecord {
  id: string;
  ownerId: string;
  name: string;
  /** Never higher than the owner's role when created; capped by it again at use. */
  role: Role;
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokenStore {
  create(token: TokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<TokenRecord | null>;
  listForUser(ownerId: string): Promise<TokenRecord[]>;
  /** Marks the token revoked; false when it does not exist or belongs to someone else. */
  revoke(id: string, ownerId: string, at: string): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
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
  findBySlug(slug: string): Promise<ArticleRecord | null>;
}

export interface TransitionStore {
  append(transition: TransitionRecord): Promise<void>;
  /** Oldest first. */
  list(articleId: string): Promise<TransitionRecord[]>;
}

export interface VersionStore {
  create(version: VersionRecord): Promise<void>;
  /** Newest first, without the heavy fields. */
  list(articleId: string): Promise<VersionSummaryRecord[]>;
  get(articleId: string, id: string): Promise<VersionRecord | null>;
}

export interface PublishedStore {
  put(page: PublishedRecord): Promise<void>;
  get(articleId: string): Promise<PublishedRecord | null>;
  getBySlug(slug: string): Promise<PublishedRecord | null>;
  /** Newest first by first publication. */
  list(): Promise<PublishedRecord[]>;
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
/** A scheduled publication (status `scheduled`): one per article. */
export interface ScheduleRecord {
  articleId: string;
  /** ISO time. */
  publishAt: string;
  byUserId: string;
  /** The approval version to publish. */
  versionId: string;
}

/**
 * Scheduled publications. `claim` is how several instances (or a restarted one) publish each
 * schedule exactly once: one caller gets it for a lease; a claim that was not completed expires and
 * the schedule is claimed again.
 */
export interface ScheduleStore {
  /** Creates or replaces the article's schedule (and drops any claim on it). */
  put(record: ScheduleRecord): Promise<void>;
  get(articleId: string): Promise<ScheduleRecord | null>;
  delete(articleId: string): Promise<void>;
  /** Schedules due at `now` (ms) that nobody holds a live claim on, soonest first. */
  due(now: number): Promise<ScheduleRecord[]>;
  /** Claims a due schedule for `owner` until `until` (ms); true for exactly one caller while the claim lives. */
  claim(articleId: string, owner: string, now: number, until: number): Promise<boolean>;
}

export interface Store {
  readonly kind: 'sqlite' | 'redis';
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly tokens: TokenStore;
  readonly articles: ArticleStore;
  readonly docs: DocStore;
  readonly transitions: TransitionStore;
  readonly versions: VersionStore;
  readonly published: PublishedStore;
  /** Reader comments, moderation settings, editorial comments and notifications (see comment-store.ts). */
  readonly comments: CommentStore;
  readonly moderation: ModerationStore;
  readonly editorial: EditorialCommentStore;
  readonly notifications: NotificationStore;
  readonly schedules: ScheduleStore;
  /** Cheap liveness check for /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type * from './comment-store.ts';

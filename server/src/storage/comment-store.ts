import type { CommentMode, CommentOrder, CommentStatus, EditorialAnchor, EditorialSource, ModerationReason, NotificationKind } from '@copydesk/protocol';

/** A reader comment as stored. */
export interface CommentRecord {
  id: string;
  articleId: string;
  /** The thread's first comment, or null for a thread's first comment. */
  parentId: string | null;
  authorId: string;
  /** Exactly as typed. */
  body: string;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
  /** Set when the author deleted it (or deleted the thread it is in); a deleted comment is gone for everyone. */
  deletedAt: string | null;
  /** Why it was held for review. */
  heldFor: ModerationReason[];
  /** Banned words it contained when it was last written. */
  matchedWords: string[];
  /** Set by a report, cleared when a lead approves: a flagged published comment is back in the queue. */
  flaggedAt: string | null;
}

export type CommentPatch = Partial<Omit<CommentRecord, 'id' | 'articleId' | 'authorId' | 'createdAt' | 'parentId'>>;

export interface CommentReportRecord {
  commentId: string;
  userId: string;
  reason: string | null;
  at: string;
}

/** Keyset position in a list of comments: the last comment of the previous page. */
export interface CommentKey {
  createdAt: string;
  id: string;
}

export interface CommentListQuery {
  articleId: string;
  /** null: threads (first comments); an id: that thread's replies. */
  parentId: string | null;
  order: CommentOrder;
  /** Continue after this comment, in `order`. */
  after?: CommentKey;
  limit: number;
}

/**
 * Reader comments. "Visible" means published and not deleted. Lists are ordered by
 * (createdAt, id), ascending for `oldest`, descending for `newest`.
 */
export interface CommentStore {
  create(comment: CommentRecord): Promise<void>;
  get(id: string): Promise<CommentRecord | null>;
  update(id: string, patch: CommentPatch): Promise<CommentRecord | null>;
  /** Visible comments of one level (threads or one thread's replies), one page. */
  list(query: CommentListQuery): Promise<CommentRecord[]>;
  /** The newest `perThread` visible replies of each given thread, oldest first within each thread. */
  latestReplies(articleId: string, parentIds: string[], perThread: number): Promise<CommentRecord[]>;
  /** An author's own pending comments on an article, oldest first. */
  pendingOf(articleId: string, authorId: string): Promise<CommentRecord[]>;
  /** Visible comments whose thread's first comment is visible too (what readers can see). */
  countVisible(articleId: string): Promise<number>;
  /** The moderation queue, newsroom-wide, oldest first: pending comments and flagged published ones (not deleted). */
  queue(limit: number): Promise<CommentRecord[]>;
  /** Marks every reply of a thread deleted (its first comment went). */
  deleteReplies(parentId: string, at: string): Promise<void>;
  /** Records a report; false when this person already reported this comment. */
  addReport(report: CommentReportRecord): Promise<boolean>;
  /** Every comment of an article in any state, oldest first (backups). */
  allOf(articleId: string): Promise<CommentRecord[]>;
  /** Oldest first. */
  reports(commentId: string): Promise<CommentReportRecord[]>;
}

/** Newsroom-wide banned words and per-article moderation modes. */
export interface ModerationStore {
  /** Sorted. */
  bannedWords(): Promise<string[]>;
  setBannedWords(words: string[]): Promise<void>;
  /** `open` unless set. */
  mode(articleId: string): Promise<CommentMode>;
  setMode(articleId: string, mode: CommentMode): Promise<void>;
}

export interface EditorialCommentRecord {
  id: string;
  articleId: string;
  parentId: string | null;
  authorId: string;
  body: string;
  anchor: EditorialAnchor | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** User ids. */
  mentions: string[];
  source: EditorialSource | null;
  createdAt: string;
  editedAt: string | null;
}

export type EditorialCommentPatch = Partial<Pick<EditorialCommentRecord, 'body' | 'resolvedBy' | 'resolvedAt' | 'editedAt' | 'anchor'>>;

/** Editorial comments (staff only). */
export interface EditorialCommentStore {
  create(comment: EditorialCommentRecord): Promise<void>;
  get(id: string): Promise<EditorialCommentRecord | null>;
  /** All of an article's editorial comments, oldest first. */
  list(articleId: string): Promise<EditorialCommentRecord[]>;
  update(id: string, patch: EditorialCommentPatch): Promise<EditorialCommentRecord | null>;
  /** Deletes a comment and, when it starts a thread, its replies; returns the ids deleted. */
  delete(id: string): Promise<string[]>;
}

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  articleId: string;
  commentId: string;
  byUserId: string;
  excerpt: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationStore {
  create(notification: NotificationRecord): Promise<void>;
  /** Newest first. */
  list(userId: string, limit: number): Promise<NotificationRecord[]>;
  unreadCount(userId: string): Promise<number>;
  /** Marks the given notifications of this user (all when `ids` is null) read; returns how many changed. */
  markRead(userId: string, ids: string[] | null, at: string): Promise<number>;
}

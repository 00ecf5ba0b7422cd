import type {
  Comment,
  CommentCount,
  CommentMode,
  CommentRemoved,
  EditorialAnchor,
  EditorialComment,
  ModerationItem,
  ModerationResolved,
  Notification,
} from './comments.ts';
import type { Ack } from './events.ts';

/**
 * Reader comments, moderation, editorial comments and notifications over Socket.IO (default path,
 * same session cookie as REST; anonymous sockets may only read reader comments).
 *
 * Rooms: `Rooms.comments(articleId)` (anyone subscribed to an article's reader comments),
 * `Rooms.user(userId)` (every socket of one signed-in person: their pending comments, mentions),
 * `Rooms.moderation` (leads on the moderation queue), `Rooms.editorial(articleId)` (writers and leads:
 * editorial comments).
 */
export interface CommentServerEvents {
  /** A comment became visible to you: published in a room you follow, or your own pending one. */
  'comment:created': (comment: Comment) => void;
  /** A visible comment changed (edited; or your own pending comment changed state). */
  'comment:updated': (comment: Comment) => void;
  /** A comment left your view: deleted, rejected, removed by a lead, or held for review after an edit. */
  'comment:removed': (removed: CommentRemoved) => void;
  /** The number of published comments of an article changed. */
  'comments:count': (count: CommentCount) => void;
  /** To the per-article room: leads changed the article's moderation mode. */
  'comments:mode': (settings: { articleId: string; mode: CommentMode }) => void;

  /** To the moderation room: a comment entered (or re-entered) the queue, or its entry changed. */
  'moderation:queued': (item: ModerationItem) => void;
  /** To the moderation room: a queue entry was approved or rejected (or its comment deleted). */
  'moderation:resolved': (resolved: ModerationResolved) => void;

  /** To the article's editorial room: a new editorial comment or reply. */
  'editorial:created': (comment: EditorialComment) => void;
  /** Resolved, reopened or edited. */
  'editorial:updated': (comment: EditorialComment) => void;
  /** Deleted (a thread's first comment takes its replies with it). */
  'editorial:deleted': (deleted: { id: string; articleId: string }) => void;

  /** To the person's own room: someone mentioned you. */
  'notification:created': (notification: Notification) => void;
  /** To the person's own room: the unread count changed (read in another tab). */
  'notifications:unread': (state: { unread: number }) => void;
}

export interface CommentClientEvents {
  /**
   * Follow an article's reader comments (anyone; the article must be published). The ack brings the
   * first page (newest threads first, with their newest replies, plus your own pending comments),
   * the published count, the cursor for "load older" (REST) and the moderation mode.
   */
  'comments:subscribe': (
    input: { articleId: string },
    ack: Ack<{ comments: Comment[]; count: number; nextCursor: string | null; mode: CommentMode }>,
  ) => void;
  'comments:unsubscribe': (input: { articleId: string }) => void;
  /** Post a comment or a reply (signed in). Errors: invalid_request, not_found, forbidden, rate_limited, unauthenticated. */
  'comment:post': (input: { articleId: string; body: string; parentId?: string | null }, ack: Ack<{ comment: Comment }>) => void;
  /** Edit your own comment within 5 minutes of posting. */
  'comment:edit': (input: { id: string; body: string }, ack: Ack<{ comment: Comment }>) => void;
  /** Delete your own comment (a thread's first comment takes its replies with it). */
  'comment:delete': (input: { id: string }, ack: Ack) => void;
  /** Report a published comment to the moderators (once per person and comment). */
  'comment:report': (input: { id: string; reason?: string }, ack: Ack) => void;

  /** Leads: follow the moderation queue live. The ack brings the whole queue (oldest first). */
  'moderation:subscribe': (ack: Ack<{ items: ModerationItem[] }>) => void;
  'moderation:unsubscribe': () => void;

  /** Writers and leads: follow an article's editorial comments. */
  'editorial:subscribe': (input: { articleId: string }, ack: Ack<{ comments: EditorialComment[] }>) => void;
  'editorial:unsubscribe': (input: { articleId: string }) => void;
  /** A new thread (with an anchor, or about the whole article) or a reply (`parentId`). */
  'editorial:post': (
    input: { articleId: string; body: string; parentId?: string | null; anchor?: EditorialAnchor | null },
    ack: Ack<{ comment: EditorialComment }>,
  ) => void;
  /** Resolve or reopen a thread. */
  'editorial:resolve': (input: { id: string; resolved: boolean }, ack: Ack<{ comment: EditorialComment }>) => void;
  /** Delete your own editorial comment (leads: any). */
  'editorial:delete': (input: { id: string }, ack: Ack) => void;
}

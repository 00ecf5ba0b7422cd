import { z } from 'zod';
import { ArticlePerson } from './articles.ts';

/*
 * Comments: reader comments on published articles (public, moderated) and editorial comments
 * inside the editor (staff only, anchored in the body with Yjs relative positions).
 * The Socket.IO events that carry them are in comment-events.ts.
 */

// ---- Reader comments ----------------------------------------------------------

/** Longest comment body, in characters (Unicode code points). */
export const COMMENT_MAX_LENGTH = 2000;
/** An author may edit their comment for this long after posting. */
export const COMMENT_EDIT_WINDOW_MS = 5 * 60 * 1000;
/** Page size of `GET /api/articles/:id/comments` when `limit` is not given, and its maximum. */
export const COMMENT_PAGE_DEFAULT = 20;
export const COMMENT_PAGE_MAX = 100;
/** How many replies of each thread come with a page of threads (the newest ones); older replies page by `parentId`. */
export const COMMENT_REPLIES_PREVIEW = 20;

/** Length in characters as people count them (an emoji is one), not UTF-16 units. */
export function commentLength(body: string): number {
  let n = 0;
  for (const _ of body) n++;
  return n;
}

/** A comment body: plain text, stored exactly as typed; blank or over 2,000 characters is refused. */
export const CommentBody = z
  .string({ error: 'body is required' })
  .refine((body) => body.trim().length > 0, 'comment cannot be empty')
  .refine((body) => commentLength(body) <= COMMENT_MAX_LENGTH, 'comment is at most 2,000 characters');

/** Comment ids are URL-safe; anything else is a `not_found`. */
export const CommentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a valid comment id');

/**
 * `published`: everyone sees it. `pending`: waiting for a lead (banned word, pre-moderated article,
 * or an edit that added a banned word); only its author sees it, marked "awaiting review".
 * `rejected`: turned down or removed by a lead; nobody sees it.
 */
export const CommentStatus = z.enum(['published', 'pending', 'rejected']);
export type CommentStatus = z.infer<typeof CommentStatus>;

export const CommentAuthor = ArticlePerson;
export type CommentAuthor = ArticlePerson;

/** A reader comment. Replies have the id of their thread's first comment as `parentId` (one level deep). */
export const Comment = z.object({
  id: z.string(),
  articleId: z.string(),
  parentId: z.string().nullable(),
  author: CommentAuthor,
  body: z.string(),
  status: CommentStatus,
  createdAt: z.string(),
  editedAt: z.string().nullable(),
});
export type Comment = z.infer<typeof Comment>;

/** `POST /api/articles/:id/comments` → 201 Comment. A reply to a reply joins the same thread. */
export const PostCommentRequest = z
  .object({
    body: CommentBody,
    parentId: CommentId.nullish(),
  })
  .strict();
export type PostCommentRequest = z.infer<typeof PostCommentRequest>;

/** `PATCH /api/articles/:id/comments/:commentId`: the author, within COMMENT_EDIT_WINDOW_MS. */
export const EditCommentRequest = z.object({ body: CommentBody }).strict();
export type EditCommentRequest = z.infer<typeof EditCommentRequest>;

/** `POST /api/articles/:id/comments/:commentId/report` → 204: sends the comment back to the moderation queue. */
export const ReportCommentRequest = z
  .object({ reason: z.string().trim().max(500, 'reason is at most 500 characters').optional() })
  .strict();
export type ReportCommentRequest = z.infer<typeof ReportCommentRequest>;

export const CommentOrder = z.enum(['newest', 'oldest']);
export type CommentOrder = z.infer<typeof CommentOrder>;

/**
 * `GET /api/articles/:id/comments?limit=&before=<cursor>&order=newest|oldest&parentId=`.
 * Without `parentId`: a page of threads (top-level comments in `order`, newest first by default),
 * each followed by its newest COMMENT_REPLIES_PREVIEW replies. With `parentId`: that thread's
 * replies, newest first. `before` is the `nextCursor` of the previous page ("load older").
 */
export const CommentListQuery = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit is at least 1')
    .max(COMMENT_PAGE_MAX, `limit is at most ${COMMENT_PAGE_MAX}`)
    .default(COMMENT_PAGE_DEFAULT),
  before: z.string().max(200, 'before: not a valid cursor').optional(),
  order: CommentOrder.default('newest'),
  parentId: CommentId.optional(),
});
export type CommentListQuery = z.infer<typeof CommentListQuery>;

/** A page of comments: published only, plus the caller's own pending comments on the first page. */
export const CommentPage = z.object({
  comments: z.array(Comment),
  /** Opaque; pass as `before` to get the next page. Null when there is nothing more. */
  nextCursor: z.string().nullable(),
});
export type CommentPage = z.infer<typeof CommentPage>;

/** Number of published comments (threads and replies) of an article. */
export const CommentCount = z.object({ articleId: z.string(), count: z.number().int() });
export type CommentCount = z.infer<typeof CommentCount>;

/** Why a comment left a reader's view: deleted by its author, turned down while pending, removed by a lead. */
export const CommentRemovalReason = z.enum(['deleted', 'rejected', 'removed', 'held']);
export type CommentRemovalReason = z.infer<typeof CommentRemovalReason>;
export const CommentRemoved = z.object({ id: z.string(), articleId: z.string(), reason: CommentRemovalReason.optional() });
export type CommentRemoved = z.infer<typeof CommentRemoved>;

// ---- Moderation ---------------------------------------------------------------

/** Per-article moderation: `open` publishes at once (unless a banned word), `premod` holds every comment. */
export const CommentMode = z.enum(['open', 'premod']);
export type CommentMode = z.infer<typeof CommentMode>;

/** `GET|PUT /api/articles/:id/comment-settings` (PUT: leads). */
export const CommentSettings = z.object({ mode: CommentMode }).strict();
export type CommentSettings = z.infer<typeof CommentSettings>;

export const BannedWord = z
  .string()
  .trim()
  .min(1, 'a banned word cannot be empty')
  .max(60, 'a banned word is at most 60 characters')
  .transform((w) => w.toLocaleLowerCase('en'));
/** `GET|PUT /api/moderation/banned-words` (leads): the newsroom-wide list, whole words, case-insensitive. */
export const BannedWordsRequest = z.object({ words: z.array(BannedWord).max(500, 'at most 500 banned words') }).strict();
export type BannedWordsRequest = z.infer<typeof BannedWordsRequest>;
export const BannedWordsResponse = z.object({ words: z.array(z.string()) });
export type BannedWordsResponse = z.infer<typeof BannedWordsResponse>;

export const ModerationReason = z.enum(['banned_word', 'premod', 'reported']);
export type ModerationReason = z.infer<typeof ModerationReason>;

/** One entry of the moderation queue: a pending comment or a reported published one. */
export const ModerationItem = z.object({
  comment: Comment,
  article: z.object({ id: z.string(), headline: z.string(), slug: z.string() }),
  reasons: z.array(ModerationReason),
  /** Banned words the comment contains. */
  matchedWords: z.array(z.string()),
  reports: z.array(z.object({ by: ArticlePerson, reason: z.string().nullable(), at: z.string() })),
});
export type ModerationItem = z.infer<typeof ModerationItem>;

/** `GET /api/moderation/queue` (leads): oldest first. */
export const ModerationQueueResponse = z.object({ items: z.array(ModerationItem) });
export type ModerationQueueResponse = z.infer<typeof ModerationQueueResponse>;

/**
 * `POST /api/moderation/comments/:commentId/approve` → Comment: publishes a pending comment, or keeps a
 * reported one and clears its reports. `…/reject` → Comment: turns down a pending comment or removes a
 * published one; either way it disappears live everywhere.
 */
export const ModerationAction = z.enum(['approve', 'reject']);
export type ModerationAction = z.infer<typeof ModerationAction>;
export const ModerationResolved = z.object({ id: z.string(), articleId: z.string(), action: ModerationAction });
export type ModerationResolved = z.infer<typeof ModerationResolved>;

/** `POST /api/moderation/comments/:commentId/to-editorial` (leads) → EditorialComment: a reader's point, for the desk. */
export const ToEditorialRequest = z
  .object({ note: z.string().trim().max(COMMENT_MAX_LENGTH, 'note is at most 2,000 characters').optional() })
  .strict();
export type ToEditorialRequest = z.infer<typeof ToEditorialRequest>;

// ---- Editorial comments -------------------------------------------------------

/**
 * Where an editorial comment sits in the body: two Yjs relative positions (base64 of
 * `Y.encodeRelativePosition`) in the article's `body` fragment, and the text it covered when made.
 * See `@copydesk/article-doc` anchors.ts for creating and resolving them.
 */
export const EditorialAnchor = z
  .object({
    start: z.string().min(1).max(200),
    end: z.string().min(1).max(200),
    quote: z.string().max(1000),
  })
  .strict();
export type EditorialAnchor = z.infer<typeof EditorialAnchor>;

/** A reader comment that a lead turned into an editorial comment. */
export const EditorialSource = z.object({ commentId: z.string(), authorName: z.string(), body: z.string() });
export type EditorialSource = z.infer<typeof EditorialSource>;

/**
 * An editorial comment (writers and leads only; never sent to readers). Threads are one level deep:
 * the first comment holds the anchor and the resolved state, replies have `parentId`.
 */
export const EditorialComment = z.object({
  id: z.string(),
  articleId: z.string(),
  parentId: z.string().nullable(),
  author: ArticlePerson,
  body: z.string(),
  /** Null for replies and for comments about the whole article. */
  anchor: EditorialAnchor.nullable(),
  resolved: z.boolean(),
  resolvedBy: ArticlePerson.nullable(),
  resolvedAt: z.string().nullable(),
  /** People named with `@username` in the body. */
  mentions: z.array(ArticlePerson),
  source: EditorialSource.nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
});
export type EditorialComment = z.infer<typeof EditorialComment>;

export const PostEditorialRequest = z
  .object({
    articleId: z.string().min(1),
    body: CommentBody,
    parentId: CommentId.nullish(),
    anchor: EditorialAnchor.nullish(),
  })
  .strict();
export type PostEditorialRequest = z.infer<typeof PostEditorialRequest>;

/** `@username` mentions in a body: usernames as typed (lower-cased), without duplicates. */
export function parseMentions(body: string): string[] {
  const names = new Set<string>();
  for (const match of body.matchAll(/(^|[^\p{L}\p{N}_@.])@([A-Za-z0-9_.-]{1,64})/gu)) {
    names.add(match[2]!.replace(/[.-]+$/, '').toLowerCase());
  }
  names.delete('');
  return [...names];
}

// ---- Notifications ------------------------------------------------------------

export const NotificationKind = z.enum(['mention']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** Sent live to the person's own room (`Rooms.user(id)`) and listed by `GET /api/notifications`. */
export const Notification = z.object({
  id: z.string(),
  kind: NotificationKind,
  articleId: z.string(),
  articleHeadline: z.string(),
  commentId: z.string(),
  by: ArticlePerson,
  excerpt: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof Notification>;

/** `GET /api/notifications` → newest first, at most 50, with the number unread. */
export const NotificationList = z.object({ notifications: z.array(Notification), unread: z.number().int() });
export type NotificationList = z.infer<typeof NotificationList>;

/** `POST /api/notifications/read` `{ids}` (or `{}` for all) → `{unread}`. */
export const MarkNotificationsRead = z.object({ ids: z.array(z.string().max(64)).max(200).optional() }).strict();
export type MarkNotificationsRead = z.infer<typeof MarkNotificationsRead>;

// ---- Rendering ----------------------------------------------------------------

export type CommentSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** `rel` of every link in a comment: no endorsement, user content, no window.opener. */
export const COMMENT_LINK_REL = 'nofollow ugc noopener';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/giu;

/**
 * Splits a plain-text body into text and `http(s)` links, for rendering as text nodes and `<a>`s
 * (never as HTML). Trailing punctuation stays out of the link; only http and https become links.
 */
export function commentSegments(body: string): CommentSegment[] {
  const segments: CommentSegment[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    let raw = match[0];
    // "see https://example.com/a." or "(https://example.com/b)": the punctuation is not part of the link.
    while (/[.,;:!?)\]}]$/.test(raw)) {
      if (raw.endsWith(')') && (raw.match(/\(/g)?.length ?? 0) >= (raw.match(/\)/g)?.length ?? 0)) break;
      raw = raw.slice(0, -1);
    }
    const start = match.index;
    const href = raw.toLowerCase().startsWith('www.') ? `https://${raw}` : raw;
    if (!isHttpUrl(href) || raw.length < 8) continue;
    if (start > last) segments.push({ kind: 'text', text: body.slice(last, start) });
    segments.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < body.length) segments.push({ kind: 'text', text: body.slice(last) });
  return segments;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

import type Database from 'better-sqlite3';
import type { CommentMode } from '@copydesk/protocol';
import type {
  CommentRecord,
  CommentReportRecord,
  CommentStore,
  EditorialCommentRecord,
  EditorialCommentStore,
  ModerationStore,
  NotificationRecord,
  NotificationStore,
} from '../comment-store.ts';

/** Tables of reader comments, moderation, editorial comments and notifications (idempotent). */
export const COMMENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS comments (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  parent_id TEXT REFERENCES comments(id),
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('published', 'pending', 'rejected')),
  created_at TEXT NOT NULL,
  edited_at TEXT,
  deleted_at TEXT,
  held_for TEXT NOT NULL DEFAULT '[]',
  matched_words TEXT NOT NULL DEFAULT '[]',
  flagged_at TEXT
);
CREATE INDEX IF NOT EXISTS comments_visible ON comments(article_id, parent_id, created_at, id) WHERE status = 'published' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS comments_by_author ON comments(article_id, author_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS comments_queue ON comments(created_at, id)
  WHERE deleted_at IS NULL AND (status = 'pending' OR (status = 'published' AND flagged_at IS NOT NULL));
CREATE TABLE IF NOT EXISTS comment_reports (
  comment_id TEXT NOT NULL REFERENCES comments(id),
  user_id TEXT NOT NULL,
  reason TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (comment_id, user_id)
);
CREATE TABLE IF NOT EXISTS banned_words (word TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS comment_settings (
  article_id TEXT PRIMARY KEY REFERENCES articles(id),
  mode TEXT NOT NULL CHECK (mode IN ('open', 'premod'))
);
CREATE TABLE IF NOT EXISTS editorial_comments (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  parent_id TEXT,
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  anchor TEXT,
  resolved_by TEXT,
  resolved_at TEXT,
  mentions TEXT NOT NULL DEFAULT '[]',
  source TEXT,
  created_at TEXT NOT NULL,
  edited_at TEXT
);
CREATE INDEX IF NOT EXISTS editorial_by_article ON editorial_comments(article_id, created_at, id);
CREATE TABLE IF NOT EXISTS notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  article_id TEXT NOT NULL,
  comment_id TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX IF NOT EXISTS notifications_by_user ON notifications(user_id, created_at);
`;

interface CommentRow {
  id: string;
  article_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  status: CommentRecord['status'];
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  held_for: string;
  matched_words: string;
  flagged_at: string | null;
}

const toComment = (r: CommentRow): CommentRecord => ({
  id: r.id,
  articleId: r.article_id,
  parentId: r.parent_id,
  authorId: r.author_id,
  body: r.body,
  status: r.status,
  createdAt: r.created_at,
  editedAt: r.edited_at,
  deletedAt: r.deleted_at,
  heldFor: JSON.parse(r.held_for) as CommentRecord['heldFor'],
  matchedWords: JSON.parse(r.matched_words) as string[],
  flaggedAt: r.flagged_at,
});
const fromComment = (c: CommentRecord) => ({ ...c, heldFor: JSON.stringify(c.heldFor), matchedWords: JSON.stringify(c.matchedWords) });

interface EditorialRow {
  id: string;
  article_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  anchor: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  mentions: string;
  source: string | null;
  created_at: string;
  edited_at: string | null;
}
const toEditorial = (r: EditorialRow): EditorialCommentRecord => ({
  id: r.id,
  articleId: r.article_id,
  parentId: r.parent_id,
  authorId: r.author_id,
  body: r.body,
  anchor: r.anchor ? (JSON.parse(r.anchor) as EditorialCommentRecord['anchor']) : null,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
  mentions: JSON.parse(r.mentions) as string[],
  source: r.source ? (JSON.parse(r.source) as EditorialCommentRecord['source']) : null,
  createdAt: r.created_at,
  editedAt: r.edited_at,
});
const fromEditorial = (c: EditorialCommentRecord) => ({
  ...c,
  anchor: c.anchor ? JSON.stringify(c.anchor) : null,
  mentions: JSON.stringify(c.mentions),
  source: c.source ? JSON.stringify(c.source) : null,
});

interface NotificationRow {
  id: string;
  user_id: string;
  kind: NotificationRecord['kind'];
  article_id: string;
  comment_id: string;
  by_user_id: string;
  excerpt: string;
  created_at: string;
  read_at: string | null;
}
const toNotification = (r: NotificationRow): NotificationRecord => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  articleId: r.article_id,
  commentId: r.comment_id,
  byUserId: r.by_user_id,
  excerpt: r.excerpt,
  createdAt: r.created_at,
  readAt: r.read_at,
});

const VISIBLE = "status = 'published' AND deleted_at IS NULL";

/** The comment-related parts of the SQLite Store (the schema must have been applied). */
export function sqliteCommentStores(db: Database.Database): {
  comments: CommentStore;
  moderation: ModerationStore;
  editorial: EditorialCommentStore;
  notifications: NotificationStore;
} {
  db.exec(COMMENTS_SCHEMA);
  const q = {
    insert: db.prepare(
      `INSERT INTO comments (id, article_id, parent_id, author_id, body, status, created_at, edited_at, deleted_at, held_for, matched_words, flagged_at)
       VALUES (@id, @articleId, @parentId, @authorId, @body, @status, @createdAt, @editedAt, @deletedAt, @heldFor, @matchedWords, @flaggedAt)`,
    ),
    get: db.prepare('SELECT * FROM comments WHERE id = ?'),
    update: db.prepare(
      `UPDATE comments SET body = @body, status = @status, edited_at = @editedAt, deleted_at = @deletedAt, held_for = @heldFor,
       matched_words = @matchedWords, flagged_at = @flaggedAt WHERE id = @id`,
    ),
    // Keyset pages; `IS` compares NULL parent ids too.
    newest: db.prepare(`SELECT * FROM comments WHERE article_id = ? AND parent_id IS ? AND ${VISIBLE} ORDER BY created_at DESC, id DESC LIMIT ?`),
    newestAfter: db.prepare(
      `SELECT * FROM comments WHERE article_id = ? AND parent_id IS ? AND ${VISIBLE} AND (created_at < ? OR (created_at = ? AND id < ?))
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
    oldest: db.prepare(`SELECT * FROM comments WHERE article_id = ? AND parent_id IS ? AND ${VISIBLE} ORDER BY created_at, id LIMIT ?`),
    oldestAfter: db.prepare(
      `SELECT * FROM comments WHERE article_id = ? AND parent_id IS ? AND ${VISIBLE} AND (created_at > ? OR (created_at = ? AND id > ?))
       ORDER BY created_at, id LIMIT ?`,
    ),
    latestReplies: db.prepare(
      `SELECT * FROM (
         SELECT c.*, ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY created_at DESC, id DESC) AS rn
         FROM comments c WHERE article_id = ? AND parent_id IN (SELECT value FROM json_each(?)) AND ${VISIBLE}
       ) WHERE rn <= ? ORDER BY parent_id, created_at, id`,
    ),
    pendingOf: db.prepare("SELECT * FROM comments WHERE article_id = ? AND author_id = ? AND status = 'pending' AND deleted_at IS NULL ORDER BY created_at, id"),
    countVisible: db.prepare(
      `SELECT COUNT(*) AS n FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
       WHERE c.article_id = ? AND c.status = 'published' AND c.deleted_at IS NULL
         AND (c.parent_id IS NULL OR (p.status = 'published' AND p.deleted_at IS NULL))`,
    ),
    queue: db.prepare(
      `SELECT * FROM comments WHERE deleted_at IS NULL AND (status = 'pending' OR (status = 'published' AND flagged_at IS NOT NULL))
       ORDER BY created_at, id LIMIT ?`,
    ),
    deleteReplies: db.prepare('UPDATE comments SET deleted_at = ? WHERE parent_id = ? AND deleted_at IS NULL'),
    addReport: db.prepare('INSERT OR IGNORE INTO comment_reports (comment_id, user_id, reason, at) VALUES (@commentId, @userId, @reason, @at)'),
    reports: db.prepare('SELECT * FROM comment_reports WHERE comment_id = ? ORDER BY at, rowid'),
    allOf: db.prepare('SELECT * FROM comments WHERE article_id = ? ORDER BY created_at, id'),
    bannedWords: db.prepare('SELECT word FROM banned_words ORDER BY word'),
    clearBanned: db.prepare('DELETE FROM banned_words'),
    addBanned: db.prepare('INSERT OR IGNORE INTO banned_words (word) VALUES (?)'),
    mode: db.prepare('SELECT mode FROM comment_settings WHERE article_id = ?'),
    setMode: db.prepare('INSERT INTO comment_settings (article_id, mode) VALUES (?, ?) ON CONFLICT(article_id) DO UPDATE SET mode = excluded.mode'),
    insertEditorial: db.prepare(
      `INSERT INTO editorial_comments (id, article_id, parent_id, author_id, body, anchor, resolved_by, resolved_at, mentions, source, created_at, edited_at)
       VALUES (@id, @articleId, @parentId, @authorId, @body, @anchor, @resolvedBy, @resolvedAt, @mentions, @source, @createdAt, @editedAt)`,
    ),
    editorial: db.prepare('SELECT * FROM editorial_comments WHERE id = ?'),
    editorials: db.prepare('SELECT * FROM editorial_comments WHERE article_id = ? ORDER BY created_at, id'),
    updateEditorial: db.prepare(
      'UPDATE editorial_comments SET body = @body, anchor = @anchor, resolved_by = @resolvedBy, resolved_at = @resolvedAt, edited_at = @editedAt WHERE id = @id',
    ),
    editorialThread: db.prepare('SELECT id FROM editorial_comments WHERE id = ? OR parent_id = ? ORDER BY created_at, id'),
    deleteEditorial: db.prepare('DELETE FROM editorial_comments WHERE id = ? OR parent_id = ?'),
    insertNotification: db.prepare(
      `INSERT INTO notifications (id, user_id, kind, article_id, comment_id, by_user_id, excerpt, created_at, read_at)
       VALUES (@id, @userId, @kind, @articleId, @commentId, @byUserId, @excerpt, @createdAt, @readAt)`,
    ),
    notifications: db.prepare('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'),
    unread: db.prepare('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL'),
    readAll: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL'),
    readSome: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))'),
  };
  const setBanned = db.transaction((words: string[]) => {
    q.clearBanned.run();
    for (const word of words) q.addBanned.run(word);
  });
  const deleteThread = db.transaction((id: string) => {
    const ids = (q.editorialThread.all(id, id) as Array<{ id: string }>).map((r) => r.id);
    q.deleteEditorial.run(id, id);
    return ids;
  });

  const getComment = (id: string) => {
    const row = q.get.get(id) as CommentRow | undefined;
    return row ? toComment(row) : null;
  };
  const getEditorial = (id: string) => {
    const row = q.editorial.get(id) as EditorialRow | undefined;
    return row ? toEditorial(row) : null;
  };

  return {
    comments: {
      async create(comment) {
        q.insert.run(fromComment(comment));
      },
      async get(id) {
        return getComment(id);
      },
      async update(id, patch) {
        const current = getComment(id);
        if (!current) return null;
        const next = { ...current, ...patch };
        q.update.run(fromComment(next));
        return next;
      },
      async list({ articleId, parentId, order, after, limit }) {
        const rows =
          order === 'newest'
            ? after
              ? q.newestAfter.all(articleId, parentId, after.createdAt, after.createdAt, after.id, limit)
              : q.newest.all(articleId, parentId, limit)
            : after
              ? q.oldestAfter.all(articleId, parentId, after.createdAt, after.createdAt, after.id, limit)
              : q.oldest.all(articleId, parentId, limit);
        return (rows as CommentRow[]).map(toComment);
      },
      async latestReplies(articleId, parentIds, perThread) {
        if (!parentIds.length) return [];
        const rows = q.latestReplies.all(articleId, JSON.stringify(parentIds), perThread) as CommentRow[];
        // Threads in the order asked for, replies oldest first within each.
        const byParent = new Map<string, CommentRecord[]>();
        for (const row of rows) {
          const list = byParent.get(row.parent_id!) ?? [];
          list.push(toComment(row));
          byParent.set(row.parent_id!, list);
        }
        return parentIds.flatMap((id) => byParent.get(id) ?? []);
      },
      async pendingOf(articleId, authorId) {
        return (q.pendingOf.all(articleId, authorId) as CommentRow[]).map(toComment);
      },
      async countVisible(articleId) {
        return (q.countVisible.get(articleId) as { n: number }).n;
      },
      async queue(limit) {
        return (q.queue.all(limit) as CommentRow[]).map(toComment);
      },
      async deleteReplies(parentId, at) {
        q.deleteReplies.run(at, parentId);
      },
      async addReport(report) {
        return q.addReport.run(report).changes > 0;
      },
      async reports(commentId) {
        return (q.reports.all(commentId) as Array<{ comment_id: string; user_id: string; reason: string | null; at: string }>).map(
          (r): CommentReportRecord => ({ commentId: r.comment_id, userId: r.user_id, reason: r.reason, at: r.at }),
        );
      },
      async allOf(articleId) {
        return (q.allOf.all(articleId) as CommentRow[]).map(toComment);
      },
    },
    moderation: {
      async bannedWords() {
        return (q.bannedWords.all() as Array<{ word: string }>).map((r) => r.word);
      },
      async setBannedWords(words) {
        setBanned(words);
      },
      async mode(articleId) {
        return ((q.mode.get(articleId) as { mode: CommentMode } | undefined)?.mode ?? 'open') as CommentMode;
      },
      async setMode(articleId, mode) {
        q.setMode.run(articleId, mode);
      },
    },
    editorial: {
      async create(comment) {
        q.insertEditorial.run(fromEditorial(comment));
      },
      async get(id) {
        return getEditorial(id);
      },
      async list(articleId) {
        return (q.editorials.all(articleId) as EditorialRow[]).map(toEditorial);
      },
      async update(id, patch) {
        const current = getEditorial(id);
        if (!current) return null;
        const next = { ...current, ...patch };
        q.updateEditorial.run(fromEditorial(next));
        return next;
      },
      async delete(id) {
        return deleteThread(id);
      },
    },
    notifications: {
      async create(notification) {
        q.insertNotification.run(notification);
      },
      async list(userId, limit) {
        return (q.notifications.all(userId, limit) as NotificationRow[]).map(toNotification);
      },
      async unreadCount(userId) {
        return (q.unread.get(userId) as { n: number }).n;
      },
      async markRead(userId, ids, at) {
        if (ids === null) return q.readAll.run(at, userId).changes;
        if (!ids.length) return 0;
        return q.readSome.run(at, userId, JSON.stringify(ids)).changes;
      },
    },
  };
}

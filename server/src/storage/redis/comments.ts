import type { CommentMode } from '@copydesk/protocol';
import type {
  CommentKey,
  CommentRecord,
  CommentReportRecord,
  CommentStore,
  EditorialCommentRecord,
  EditorialCommentStore,
  ModerationStore,
  NotificationRecord,
  NotificationStore,
} from '../comment-store.ts';
import type { RedisConnection } from './connection.ts';
import { COUNT_VISIBLE_COMMENTS } from './scripts.ts';

/*
 * Comments in Redis. Records are JSON strings; every ordered list is a sorted set with score 0
 * whose members are `<createdAt>|<id>` (ISO timestamps all have the same length, so lexicographic
 * order is (createdAt, id) order) and is paged with ZRANGE … BYLEX. A record and the indexes it
 * belongs to are written in one MULTI, so a reader never sees one without the other.
 * Per-article keys share the hash tag `{comments:<articleId>}`.
 */

const member = (c: { createdAt: string; id: string }) => `${c.createdAt}|${c.id}`;
const idOf = (m: string) => m.slice(m.indexOf('|') + 1);

export function redisCommentStores(
  client: RedisConnection,
  prefix: string,
): {
  comments: CommentStore;
  moderation: ModerationStore;
  editorial: EditorialCommentStore;
  notifications: NotificationStore;
} {
  const tag = (articleId: string) => `${prefix}{comments:${articleId}}`;
  const k = {
    comment: (id: string) => `${prefix}comment:${id}`,
    /** Visible comments of one level: `root` for threads, a parent id for its replies. */
    visible: (articleId: string, parentId: string | null) => `${tag(articleId)}:visible:${parentId ?? 'root'}`,
    /** Every reply of a thread, whatever its state (to delete them with the thread). */
    replies: (articleId: string, parentId: string) => `${tag(articleId)}:replies:${parentId}`,
    /** Every comment of the article, whatever its state (backups). */
    all: (articleId: string) => `${tag(articleId)}:all`,
    pending: (articleId: string, authorId: string) => `${tag(articleId)}:pending:${authorId}`,
    reports: (commentId: string) => `${prefix}comment-reports:${commentId}`,
    queue: () => `${prefix}comments:queue`,
    bannedWords: () => `${prefix}banned-words`,
    modes: () => `${prefix}comment-modes`,
    editorial: (id: string) => `${prefix}editorial:${id}`,
    editorialByArticle: (articleId: string) => `${prefix}editorial-by-article:${articleId}`,
    notification: (id: string) => `${prefix}notification:${id}`,
    notifications: (userId: string) => `${prefix}notifications:${userId}`,
    unread: (userId: string) => `${prefix}notifications-unread:${userId}`,
  };

  const isVisible = (c: CommentRecord) => c.status === 'published' && c.deletedAt === null;
  const isPending = (c: CommentRecord) => c.status === 'pending' && c.deletedAt === null;
  const inQueue = (c: CommentRecord) => c.deletedAt === null && (c.status === 'pending' || (c.status === 'published' && c.flaggedAt !== null));

  const getComment = async (id: string) => {
    const json = await client.get(k.comment(id));
    return json ? (JSON.parse(json) as CommentRecord) : null;
  };
  const getComments = async (ids: string[]): Promise<CommentRecord[]> => {
    if (!ids.length) return [];
    const rows = await client.mGet(ids.map(k.comment));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as CommentRecord);
  };

  /** Writes the record and moves it in or out of every index, in one MULTI. */
  const write = async (next: CommentRecord, previous: CommentRecord | null) => {
    const m = member(next);
    const multi = client.multi().set(k.comment(next.id), JSON.stringify(next));
    const sync = (key: string, now: boolean, before: boolean) => {
      if (now && !before) multi.zAdd(key, { score: 0, value: m });
      if (!now && before) multi.zRem(key, m);
    };
    sync(k.visible(next.articleId, next.parentId), isVisible(next), previous !== null && isVisible(previous));
    sync(k.pending(next.articleId, next.authorId), isPending(next), previous !== null && isPending(previous));
    sync(k.queue(), inQueue(next), previous !== null && inQueue(previous));
    if (!previous && next.parentId) multi.sAdd(k.replies(next.articleId, next.parentId), next.id);
    if (!previous) multi.zAdd(k.all(next.articleId), { score: 0, value: m });
    await multi.exec();
  };

  const range = async (key: string, order: 'newest' | 'oldest', after: CommentKey | undefined, limit: number) => {
    const options = { BY: 'LEX' as const, LIMIT: { offset: 0, count: limit } };
    if (order === 'newest') return client.zRange(key, after ? `(${member(after)}` : '+', '-', { ...options, REV: true });
    return client.zRange(key, after ? `(${member(after)}` : '-', '+', options);
  };

  const getEditorial = async (id: string) => {
    const json = await client.get(k.editorial(id));
    return json ? (JSON.parse(json) as EditorialCommentRecord) : null;
  };
  const listEditorial = async (articleId: string): Promise<EditorialCommentRecord[]> => {
    const ids = (await client.zRange(k.editorialByArticle(articleId), '-', '+', { BY: 'LEX' })).map(idOf);
    if (!ids.length) return [];
    const rows = await client.mGet(ids.map(k.editorial));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as EditorialCommentRecord);
  };

  return {
    comments: {
      async create(comment) {
        await write(comment, null);
      },
      async get(id) {
        return getComment(id);
      },
      async update(id, patch) {
        const current = await getComment(id);
        if (!current) return null;
        const next = { ...current, ...patch };
        await write(next, current);
        return next;
      },
      async list({ articleId, parentId, order, after, limit }) {
        const ids = (await range(k.visible(articleId, parentId), order, after, limit)).map(idOf);
        return getComments(ids);
      },
      async latestReplies(articleId, parentIds, perThread) {
        if (!parentIds.length) return [];
        const multi = client.multi();
        for (const parentId of parentIds) {
          multi.zRange(k.visible(articleId, parentId), '+', '-', { BY: 'LEX', REV: true, LIMIT: { offset: 0, count: perThread } });
        }
        const pages = (await multi.exec()) as unknown as string[][];
        const ids = pages.flatMap((page) => [...page].reverse().map(idOf));
        return getComments(ids);
      },
      async pendingOf(articleId, authorId) {
        const ids = (await client.zRange(k.pending(articleId, authorId), '-', '+', { BY: 'LEX' })).map(idOf);
        return getComments(ids);
      },
      async countVisible(articleId) {
        return Number(await COUNT_VISIBLE_COMMENTS.run(client, [k.visible(articleId, null)], [k.visible(articleId, '')]));
      },
      async queue(limit) {
        const ids = (await client.zRange(k.queue(), '-', '+', { BY: 'LEX', LIMIT: { offset: 0, count: limit } })).map(idOf);
        return getComments(ids);
      },
      async deleteReplies(parentId, at) {
        const parent = await getComment(parentId);
        if (!parent) return;
        const replies = await getComments(await client.sMembers(k.replies(parent.articleId, parentId)));
        for (const reply of replies) {
          if (reply.deletedAt === null) await write({ ...reply, deletedAt: at }, reply);
        }
      },
      async addReport(report) {
        return client.hSetNX(k.reports(report.commentId), report.userId, JSON.stringify(report)).then((added) => Number(added) === 1);
      },
      async reports(commentId) {
        const hash = await client.hGetAll(k.reports(commentId));
        return Object.values(hash)
          .map((json) => JSON.parse(json) as CommentReportRecord)
          .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      },
      async allOf(articleId) {
        return getComments((await client.zRange(k.all(articleId), '-', '+', { BY: 'LEX' })).map(idOf));
      },
    },
    moderation: {
      async bannedWords() {
        return (await client.sMembers(k.bannedWords())).sort();
      },
      async setBannedWords(words) {
        const multi = client.multi().del(k.bannedWords());
        if (words.length) multi.sAdd(k.bannedWords(), words);
        await multi.exec();
      },
      async mode(articleId) {
        return ((await client.hGet(k.modes(), articleId)) ?? 'open') as CommentMode;
      },
      async setMode(articleId, mode) {
        await client.hSet(k.modes(), articleId, mode);
      },
    },
    editorial: {
      async create(comment) {
        await client
          .multi()
          .set(k.editorial(comment.id), JSON.stringify(comment))
          .zAdd(k.editorialByArticle(comment.articleId), { score: 0, value: member(comment) })
          .exec();
      },
      async get(id) {
        return getEditorial(id);
      },
      async list(articleId) {
        return listEditorial(articleId);
      },
      async update(id, patch) {
        const current = await getEditorial(id);
        if (!current) return null;
        const next = { ...current, ...patch };
        await client.set(k.editorial(id), JSON.stringify(next));
        return next;
      },
      async delete(id) {
        const comment = await getEditorial(id);
        if (!comment) return [];
        const doomed = (await listEditorial(comment.articleId)).filter((c) => c.id === id || c.parentId === id);
        const multi = client.multi();
        for (const c of doomed) multi.del(k.editorial(c.id)).zRem(k.editorialByArticle(c.articleId), member(c));
        await multi.exec();
        return doomed.map((c) => c.id);
      },
    },
    notifications: {
      async create(notification) {
        const multi = client
          .multi()
          .set(k.notification(notification.id), JSON.stringify(notification))
          .zAdd(k.notifications(notification.userId), { score: 0, value: member(notification) });
        if (notification.readAt === null) multi.sAdd(k.unread(notification.userId), notification.id);
        await multi.exec();
      },
      async list(userId, limit) {
        const ids = (await client.zRange(k.notifications(userId), '+', '-', { BY: 'LEX', REV: true, LIMIT: { offset: 0, count: limit } })).map(idOf);
        if (!ids.length) return [];
        const rows = await client.mGet(ids.map(k.notification));
        return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as NotificationRecord);
      },
      async unreadCount(userId) {
        return client.sCard(k.unread(userId));
      },
      async markRead(userId, ids, at) {
        const targets = ids ?? (await client.sMembers(k.unread(userId)));
        let changed = 0;
        for (const id of targets) {
          if (!(await client.sRem(k.unread(userId), id))) continue;
          const json = await client.get(k.notification(id));
          if (!json) continue;
          const record = JSON.parse(json) as NotificationRecord;
          await client.set(k.notification(id), JSON.stringify({ ...record, readAt: at }));
          changed++;
        }
        return changed;
      },
    },
  };
}

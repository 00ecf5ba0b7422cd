import { randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../http/limiters.ts';
import {
  ArticleId,
  COMMENT_EDIT_WINDOW_MS,
  COMMENT_REPLIES_PREVIEW,
  CommentId,
  CommentListQuery,
  EditCommentRequest,
  ErrorCode,
  PostCommentRequest,
  ReportCommentRequest,
  type Comment,
  type CommentMode,
  type CommentOrder,
  type CommentPage,
  type ModerationItem,
  type ModerationReason,
} from '@copydesk/protocol';
import type { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { describeZodError } from '../http/validate.ts';
import { can } from '../auth/permissions.ts';
import type { ArticleRecord, CommentKey, CommentRecord, Store, UserRecord } from '../storage/store.ts';
import type { People } from './people.ts';
import { CommentEvents } from './comments-events.ts';
import { findBannedWords } from './comments-moderation.ts';

export const newCommentId = () => randomBytes(9).toString('base64url');

export interface CommentLimits {
  /** Comments one person may post per window. */
  perUser: number;
  /** Comments one address may post per window. */
  perIp: number;
  windowSeconds: number;
  /** Where the counters live (shared in Redis mode); in memory when absent. */
  limiters?: LimiterFactory;
}

/** Who is asking: a signed-in person or an anonymous reader, and from which address (for rate limits). */
export interface Caller {
  user: UserRecord | null;
  ip: string | undefined;
}

/** Parses with zod; a failure is `invalid_request` naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new HttpError(ErrorCode.invalidRequest, describeZodError(result.error));
  return result.data;
}

interface Cursor {
  order: CommentOrder;
  parentId: string | null;
  key: CommentKey;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.order, cursor.parentId, cursor.key.createdAt, cursor.key.id])).toString('base64url');
}

function decodeCursor(value: string): Cursor {
  try {
    const [order, parentId, createdAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if ((order === 'newest' || order === 'oldest') && (parentId === null || typeof parentId === 'string') && typeof createdAt === 'string' && typeof id === 'string') {
      return { order, parentId, key: { createdAt, id } };
    }
  } catch {
    // fall through
  }
  throw new HttpError(ErrorCode.invalidRequest, 'before: not a valid cursor');
}

/**
 * Reader comments: reading (public, paginated), posting (signed in, rate limited, moderated),
 * editing within the window, deleting, reporting, and the leads' moderation queue. Every change
 * is announced on `events` for the realtime module to fan out.
 */
export class CommentService {
  readonly events = new CommentEvents();
  private readonly perUser: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  /** Articles whose visible count is being read for `reader:count`; `again` when it changed meanwhile. */
  private readonly counting = new Map<string, { again: boolean }>();

  constructor(
    private readonly store: Store,
    private readonly people: People,
    limits: CommentLimits,
    /** Where a failed background count query is reported (the count is announced again on the next change). */
    private readonly onBackgroundError: (error: unknown, articleId: string) => void = () => undefined,
  ) {
    const limiter = limits.limiters ?? ((name, options) => new RateLimiterMemory({ keyPrefix: name, ...options }));
    this.perUser = limiter('comment-user', { points: limits.perUser, duration: limits.windowSeconds });
    this.perIp = limiter('comment-ip', { points: limits.perIp, duration: limits.windowSeconds });
  }

  async toComment(record: CommentRecord): Promise<Comment> {
    return {
      id: record.id,
      articleId: record.articleId,
      parentId: record.parentId,
      author: await this.people.person(record.authorId),
      body: record.body,
      status: record.status,
      createdAt: record.createdAt,
      editedAt: record.editedAt,
    };
  }

  private toComments(records: CommentRecord[]): Promise<Comment[]> {
    return Promise.all(records.map((r) => this.toComment(r)));
  }

  /**
   * Does the article have a live reader page? (Published, and not killed since. An article taken
   * back for editing after publication keeps its page, and its comments.)
   */
  private async isLive(article: ArticleRecord): Promise<boolean> {
    if (article.status === 'published') return true;
    if (!article.publishedAt || article.status === 'killed') return false;
    const page = await this.store.published.get(article.id);
    return page !== null && page.killed === null;
  }

  /** The article, if the caller may read its comments (anyone while it has a live reader page; staff always). */
  private async readableArticle(articleId: unknown, user: UserRecord | null): Promise<ArticleRecord> {
    const id = ArticleId.safeParse(articleId);
    if (!id.success) throw new HttpError(ErrorCode.notFound, 'No such article');
    const article = await this.store.articles.get(id.data);
    if (!article) throw new HttpError(ErrorCode.notFound, 'No such article');
    if (!can(user?.role ?? null, 'read', article.status) && !(await this.isLive(article))) {
      throw new HttpError(ErrorCode.forbidden, 'This article is not published');
    }
    return article;
  }

  private async requireComment(id: unknown): Promise<CommentRecord> {
    const parsed = CommentId.safeParse(id);
    const record = parsed.success ? await this.store.comments.get(parsed.data) : null;
    if (!record || record.deletedAt) throw new HttpError(ErrorCode.notFound, 'No such comment');
    return record;
  }

  private requireUser(user: UserRecord | null): UserRecord {
    if (!user) throw new HttpError(ErrorCode.unauthenticated, 'Sign in to comment');
    return user;
  }

  private requireLead(user: UserRecord | null): UserRecord {
    const signedIn = this.requireUser(user);
    if (signedIn.role !== 'lead') throw new HttpError(ErrorCode.forbidden, 'Only desk leads moderate comments');
    return signedIn;
  }

  // ---- reading ----------------------------------------------------------------

  /**
   * One page: threads in `order` with their newest replies, or (with `parentId`) one thread's
   * replies, newest first. The first page of threads also carries the caller's own pending comments.
   */
  async page(articleId: unknown, user: UserRecord | null, rawQuery: unknown): Promise<CommentPage> {
    const query = parseInput(CommentListQuery, rawQuery);
    const article = await this.readableArticle(articleId, user);
    const cursor = query.before ? decodeCursor(query.before) : null;
    const parentId = query.parentId ?? null;
    const order: CommentOrder = parentId ? 'newest' : query.order;
    if (cursor && (cursor.order !== order || cursor.parentId !== parentId)) {
      throw new HttpError(ErrorCode.invalidRequest, 'before: this cursor belongs to another list');
    }
    if (parentId) {
      const parent = await this.store.comments.get(parentId);
      if (!parent || parent.articleId !== article.id || parent.parentId !== null || !isVisible(parent)) throw new HttpError(ErrorCode.notFound, 'No such comment');
    }
    const rows = await this.store.comments.list({ articleId: article.id, parentId, order, after: cursor?.key, limit: query.limit + 1 });
    const more = rows.length > query.limit;
    const level = rows.slice(0, query.limit);
    const last = level.at(-1);
    const nextCursor = more && last ? encodeCursor({ order, parentId, key: { createdAt: last.createdAt, id: last.id } }) : null;

    let records = level;
    if (!parentId) {
      const replies = await this.store.comments.latestReplies(article.id, level.map((t) => t.id), COMMENT_REPLIES_PREVIEW);
      records = [...level, ...replies];
      if (!cursor && user) records.push(...(await this.store.comments.pendingOf(article.id, user.id)));
    }
    return { comments: await this.toComments(records), nextCursor };
  }

  /** What a new subscriber needs: the first page, the count and the moderation mode. */
  async snapshot(articleId: unknown, user: UserRecord | null): Promise<CommentPage & { count: number; mode: CommentMode; articleId: string }> {
    const article = await this.readableArticle(articleId, user);
    const [page, count, mode] = await Promise.all([
      this.page(article.id, user, {}),
      this.store.comments.countVisible(article.id),
      this.store.moderation.mode(article.id),
    ]);
    return { ...page, count, mode, articleId: article.id };
  }

  count(articleId: string): Promise<number> {
    return this.store.comments.countVisible(articleId);
  }

  // ---- writing ----------------------------------------------------------------

  async post(caller: Caller, articleId: unknown, input: unknown): Promise<Comment> {
    const user = this.requireUser(caller.user);
    const { body, parentId } = parseInput(PostCommentRequest, input);
    const id = ArticleId.safeParse(articleId);
    const article = id.success ? await this.store.articles.get(id.data) : null;
    if (!article) throw new HttpError(ErrorCode.notFound, 'No such article');
    if (!(await this.isLive(article))) throw new HttpError(ErrorCode.forbidden, 'Comments open when the article is published');

    let threadId: string | null = null;
    if (parentId) {
      const parent = await this.store.comments.get(parentId);
      if (!parent || parent.articleId !== article.id || !isVisible(parent)) throw new HttpError(ErrorCode.notFound, 'The comment you are replying to does not exist');
      // Threads are one level deep: a reply to a reply joins the thread.
      threadId = parent.parentId ?? parent.id;
      if (threadId !== parent.id) {
        const root = await this.store.comments.get(threadId);
        if (!root || !isVisible(root)) throw new HttpError(ErrorCode.notFound, 'The comment you are replying to does not exist');
      }
    }

    await this.consume(user.id, caller.ip);

    const [banned, mode] = await Promise.all([this.store.moderation.bannedWords(), this.store.moderation.mode(article.id)]);
    const matchedWords = findBannedWords(body, banned);
    const heldFor: ModerationReason[] = [];
    if (matchedWords.length) heldFor.push('banned_word');
    if (mode === 'premod') heldFor.push('premod');
    const record: CommentRecord = {
      id: newCommentId(),
      articleId: article.id,
      parentId: threadId,
      authorId: user.id,
      body,
      status: heldFor.length ? 'pending' : 'published',
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      heldFor,
      matchedWords,
      flaggedAt: null,
    };
    await this.store.comments.create(record);
    const comment = await this.toComment(record);
    if (comment.status === 'published') {
      this.events.emit('reader:created', comment);
      this.announceCount(article.id);
    } else {
      this.events.emit('reader:own', { authorId: user.id, comment, kind: 'created' });
      this.events.emit('moderation:queued', await this.item(record, article));
    }
    return comment;
  }

  private async consume(userId: string, ip: string | undefined): Promise<void> {
    try {
      await this.perUser.consume(userId);
      if (ip) await this.perIp.consume(ip);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new HttpError(ErrorCode.rateLimited, `You are commenting too fast; try again in ${seconds} second${seconds === 1 ? '' : 's'}`);
      }
      throw rejection;
    }
  }

  /** The author edits their comment within the edit window; a banned word sends it back to review. */
  async edit(caller: Caller, commentId: unknown, input: unknown, articleId?: string): Promise<Comment> {
    const user = this.requireUser(caller.user);
    const { body } = parseInput(EditCommentRequest, input);
    const record = await this.requireComment(commentId);
    if (articleId !== undefined && record.articleId !== articleId) throw new HttpError(ErrorCode.notFound, 'No such comment');
    if (record.authorId !== user.id) throw new HttpError(ErrorCode.forbidden, 'You can only edit your own comments');
    if (record.status === 'rejected') throw new HttpError(ErrorCode.forbidden, 'This comment was removed by a moderator');
    if (Date.now() - Date.parse(record.createdAt) > COMMENT_EDIT_WINDOW_MS) {
      throw new HttpError(ErrorCode.forbidden, 'Comments can only be edited for 5 minutes after posting');
    }
    if (body === record.body) return this.toComment(record);

    const matchedWords = findBannedWords(body, await this.store.moderation.bannedWords());
    const heldFor: ModerationReason[] = record.heldFor.filter((r) => r !== 'banned_word');
    if (matchedWords.length) heldFor.unshift('banned_word');
    const wasVisible = isVisible(record);
    const status = wasVisible && matchedWords.length ? 'pending' : record.status;
    const updated = (await this.store.comments.update(record.id, { body, editedAt: new Date().toISOString(), matchedWords, heldFor, status }))!;
    const comment = await this.toComment(updated);

    if (wasVisible && status === 'published') {
      this.events.emit('reader:updated', comment);
    } else if (wasVisible) {
      // Held for review: gone for everyone else, marked "awaiting review" for its author.
      this.events.emit('reader:removed', { id: comment.id, articleId: comment.articleId, reason: 'held', authorId: user.id, audience: 'everyone' });
      this.events.emit('reader:own', { authorId: user.id, comment, kind: 'updated' });
      this.events.emit('moderation:queued', await this.item(updated));
      this.announceCount(comment.articleId);
    } else {
      this.events.emit('reader:own', { authorId: user.id, comment, kind: 'updated' });
      this.events.emit('moderation:queued', await this.item(updated));
    }
    return comment;
  }

  /** The author deletes their comment; a thread's first comment takes its replies with it. */
  async delete(caller: Caller, commentId: unknown, articleId?: string): Promise<void> {
    const user = this.requireUser(caller.user);
    const record = await this.requireComment(commentId);
    if (articleId !== undefined && record.articleId !== articleId) throw new HttpError(ErrorCode.notFound, 'No such comment');
    if (record.authorId !== user.id) throw new HttpError(ErrorCode.forbidden, 'You can only delete your own comments');
    const now = new Date().toISOString();
    await this.store.comments.update(record.id, { deletedAt: now });
    if (record.parentId === null) await this.store.comments.deleteReplies(record.id, now);
    this.events.emit('reader:removed', {
      id: record.id,
      articleId: record.articleId,
      reason: 'deleted',
      authorId: user.id,
      audience: isVisible(record) ? 'everyone' : 'author',
    });
    if (inQueue(record)) this.events.emit('moderation:resolved', { id: record.id, articleId: record.articleId, action: 'reject' });
    if (isVisible(record)) this.announceCount(record.articleId);
  }

  /** Anyone signed in reports a published comment; it goes (back) into the moderation queue. */
  async report(caller: Caller, commentId: unknown, input: unknown, articleId?: string): Promise<void> {
    const user = this.requireUser(caller.user);
    const { reason } = parseInput(ReportCommentRequest, input);
    const record = await this.requireComment(commentId);
    if ((articleId !== undefined && record.articleId !== articleId) || !isVisible(record)) throw new HttpError(ErrorCode.notFound, 'No such comment');
    if (record.authorId === user.id) throw new HttpError(ErrorCode.forbidden, 'You cannot report your own comment');
    const at = new Date().toISOString();
    const added = await this.store.comments.addReport({ commentId: record.id, userId: user.id, reason: reason || null, at });
    if (!added) return;
    const flagged = record.flaggedAt ? record : (await this.store.comments.update(record.id, { flaggedAt: at }))!;
    this.events.emit('moderation:queued', await this.item(flagged));
  }

  // ---- moderation -------------------------------------------------------------

  /** The queue: pending comments and reported published ones, newsroom-wide, oldest first. */
  async queue(user: UserRecord | null): Promise<ModerationItem[]> {
    this.requireLead(user);
    const records = await this.store.comments.queue(200);
    const articles = new Map<string, ArticleRecord | null>();
    const items: ModerationItem[] = [];
    for (const record of records) {
      if (!articles.has(record.articleId)) articles.set(record.articleId, await this.store.articles.get(record.articleId));
      const article = articles.get(record.articleId);
      if (article) items.push(await this.item(record, article));
    }
    return items;
  }

  private async item(record: CommentRecord, known?: ArticleRecord): Promise<ModerationItem> {
    const article = known ?? (await this.store.articles.get(record.articleId));
    const reports = record.flaggedAt ? (await this.store.comments.reports(record.id)).filter((r) => r.at >= record.flaggedAt!) : [];
    const reasons: ModerationReason[] = record.status === 'pending' ? [...record.heldFor] : [];
    if (reports.length) reasons.push('reported');
    return {
      comment: await this.toComment(record),
      article: { id: record.articleId, headline: article?.headline ?? '', slug: article?.slug ?? '' },
      reasons,
      matchedWords: record.matchedWords,
      reports: await Promise.all(reports.map(async (r) => ({ by: await this.people.person(r.userId), reason: r.reason, at: r.at }))),
    };
  }

  /** Publishes a pending comment (live, to every reader), or keeps a reported one and clears its reports. */
  async approve(lead: UserRecord | null, commentId: unknown): Promise<Comment> {
    this.requireLead(lead);
    const record = await this.requireComment(commentId);
    if (!inQueue(record)) throw new HttpError(ErrorCode.conflict, 'This comment is not waiting for review (another lead may have handled it)');
    const updated = (await this.store.comments.update(record.id, { status: 'published', flaggedAt: null }))!;
    const comment = await this.toComment(updated);
    if (record.status === 'pending') {
      this.events.emit('reader:created', comment);
      this.announceCount(record.articleId);
    }
    this.events.emit('moderation:resolved', { id: record.id, articleId: record.articleId, action: 'approve' });
    return comment;
  }

  /** Turns down a pending comment, or removes a published one: it disappears live from every view. */
  async reject(lead: UserRecord | null, commentId: unknown): Promise<Comment> {
    this.requireLead(lead);
    const record = await this.requireComment(commentId);
    if (record.status === 'rejected') throw new HttpError(ErrorCode.conflict, 'This comment was already removed');
    const updated = (await this.store.comments.update(record.id, { status: 'rejected', flaggedAt: null }))!;
    const wasVisible = isVisible(record);
    this.events.emit('reader:removed', {
      id: record.id,
      articleId: record.articleId,
      reason: wasVisible ? 'removed' : 'rejected',
      authorId: record.authorId,
      // A pending comment was only ever on its author's screen: no need to tell the whole room.
      audience: wasVisible ? 'everyone' : 'author',
    });
    if (inQueue(record)) this.events.emit('moderation:resolved', { id: record.id, articleId: record.articleId, action: 'reject' });
    if (wasVisible) this.announceCount(record.articleId);
    return this.toComment(updated);
  }

  async mode(articleId: unknown, user: UserRecord | null): Promise<CommentMode> {
    const article = await this.readableArticle(articleId, user);
    return this.store.moderation.mode(article.id);
  }

  async setMode(lead: UserRecord | null, articleId: unknown, mode: CommentMode): Promise<CommentMode> {
    this.requireLead(lead);
    const article = await this.readableArticle(articleId, lead);
    await this.store.moderation.setMode(article.id, mode);
    this.events.emit('reader:mode', { articleId: article.id, mode });
    return mode;
  }

  async bannedWords(lead: UserRecord | null): Promise<string[]> {
    this.requireLead(lead);
    return this.store.moderation.bannedWords();
  }

  async setBannedWords(lead: UserRecord | null, words: string[]): Promise<string[]> {
    this.requireLead(lead);
    await this.store.moderation.setBannedWords([...new Set(words)].sort());
    return this.store.moderation.bannedWords();
  }

  /** A comment by id, for turning it into an editorial comment (leads). */
  async forLead(lead: UserRecord | null, commentId: unknown): Promise<CommentRecord> {
    this.requireLead(lead);
    return this.requireComment(commentId);
  }

  /**
   * Announces an article's visible count after a change, in the background: the author's ack does
   * not wait for it, and a burst of changes (100 comments/s on a big story) costs one count query
   * in flight per article plus one after it, not one each. The last announcement follows the last
   * change.
   */
  private announceCount(articleId: string): void {
    const running = this.counting.get(articleId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.counting.set(articleId, state);
    void (async () => {
      try {
        do {
          state.again = false;
          this.events.emit('reader:count', { articleId, count: await this.store.comments.countVisible(articleId) });
        } while (state.again);
      } catch (error) {
        this.onBackgroundError(error, articleId);
      } finally {
        this.counting.delete(articleId);
      }
    })();
  }
}

const isVisible = (c: CommentRecord) => c.status === 'published' && c.deletedAt === null;
const inQueue = (c: CommentRecord) => c.deletedAt === null && (c.status === 'pending' || (c.status === 'published' && c.flaggedAt !== null));

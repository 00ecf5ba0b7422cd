import { randomBytes } from 'node:crypto';
import { isValidAnchor } from '@copydesk/article-doc';
import {
  ArticleId,
  CommentId,
  ErrorCode,
  MarkNotificationsRead,
  parseMentions,
  PostEditorialRequest,
  ToEditorialRequest,
  type EditorialComment,
  type EditorialSource,
  type Notification,
  type NotificationList,
} from '@copydesk/protocol';
import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { can } from '../auth/permissions.ts';
import type { ArticleRecord, CommentRecord, EditorialCommentRecord, NotificationRecord, Store, UserRecord } from '../storage/store.ts';
import type { People } from './people.ts';
import type { CommentEvents } from './comments-events.ts';
import { parseInput } from './comments.ts';

const newId = () => randomBytes(9).toString('base64url');
const EXCERPT_LENGTH = 140;
const ResolveRequest = z.object({ id: CommentId, resolved: z.boolean({ error: 'resolved must be true or false' }) }).strict();

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1)}…` : flat;
}

/**
 * Editorial comments: threads anchored in the body (or about the whole article), replies,
 * resolve/reopen, `@username` mentions that notify the person live, and reader comments turned
 * into editorial ones by a lead. Writers and leads only; readers never get any of it.
 */
export class EditorialService {
  constructor(
    private readonly store: Store,
    private readonly people: People,
    private readonly events: CommentEvents,
  ) {}

  async toEditorial(record: EditorialCommentRecord): Promise<EditorialComment> {
    return {
      id: record.id,
      articleId: record.articleId,
      parentId: record.parentId,
      author: await this.people.person(record.authorId),
      body: record.body,
      anchor: record.anchor,
      resolved: record.resolvedAt !== null,
      resolvedBy: record.resolvedBy ? await this.people.person(record.resolvedBy) : null,
      resolvedAt: record.resolvedAt,
      mentions: await this.people.people(record.mentions),
      source: record.source,
      createdAt: record.createdAt,
      editedAt: record.editedAt,
    };
  }

  private requireStaff(user: UserRecord | null): UserRecord {
    if (!user) throw new HttpError(ErrorCode.unauthenticated, 'Sign in first');
    if (user.role === 'reader') throw new HttpError(ErrorCode.forbidden, 'Editorial comments are for writers and leads');
    return user;
  }

  private async requireArticle(articleId: unknown, user: UserRecord): Promise<ArticleRecord> {
    const id = ArticleId.safeParse(articleId);
    const article = id.success ? await this.store.articles.get(id.data) : null;
    if (!article) throw new HttpError(ErrorCode.notFound, 'No such article');
    if (!can(user.role, 'open', article.status)) throw new HttpError(ErrorCode.forbidden, 'You may not open this article');
    return article;
  }

  private async requireComment(id: unknown): Promise<EditorialCommentRecord> {
    const parsed = CommentId.safeParse(id);
    const record = parsed.success ? await this.store.editorial.get(parsed.data) : null;
    if (!record) throw new HttpError(ErrorCode.notFound, 'No such comment');
    return record;
  }

  /** Every editorial comment of an article, oldest first (the client orders threads by position). */
  async list(user: UserRecord | null, articleId: unknown): Promise<EditorialComment[]> {
    const staff = this.requireStaff(user);
    const article = await this.requireArticle(articleId, staff);
    return Promise.all((await this.store.editorial.list(article.id)).map((r) => this.toEditorial(r)));
  }

  /** Checks access for following an article's editorial comments; returns the article id. */
  async authorize(user: UserRecord | null, articleId: unknown): Promise<string> {
    return (await this.requireArticle(articleId, this.requireStaff(user))).id;
  }

  async post(user: UserRecord | null, input: unknown): Promise<EditorialComment> {
    const author = this.requireStaff(user);
    const { articleId, body, parentId, anchor } = parseInput(PostEditorialRequest, input);
    const article = await this.requireArticle(articleId, author);
    let threadId: string | null = null;
    if (parentId) {
      const parent = await this.store.editorial.get(parentId);
      if (!parent || parent.articleId !== article.id) throw new HttpError(ErrorCode.notFound, 'The comment you are replying to does not exist');
      threadId = parent.parentId ?? parent.id;
    }
    if (anchor && !threadId && !isValidAnchor(anchor)) throw new HttpError(ErrorCode.invalidRequest, 'anchor: not a valid position in the body');
    return this.create(author, article, { body, parentId: threadId, anchor: threadId ? null : (anchor ?? null), source: null });
  }

  /** A lead turns a reader comment into an editorial note on its article ("reader says the date is wrong"). */
  async fromReader(lead: UserRecord | null, reader: CommentRecord, input: unknown): Promise<EditorialComment> {
    const staff = this.requireStaff(lead);
    const { note } = parseInput(ToEditorialRequest, input);
    const article = await this.requireArticle(reader.articleId, staff);
    const authorName = (await this.people.person(reader.authorId)).displayName;
    const source: EditorialSource = { commentId: reader.id, authorName, body: reader.body };
    const body = note?.trim() || `Reader ${authorName} says: “${excerpt(reader.body)}”`;
    return this.create(staff, article, { body, parentId: null, anchor: null, source });
  }

  private async create(
    author: UserRecord,
    article: ArticleRecord,
    fields: Pick<EditorialCommentRecord, 'body' | 'parentId' | 'anchor' | 'source'>,
  ): Promise<EditorialComment> {
    const mentioned = await this.resolveMentions(fields.body, author);
    const record: EditorialCommentRecord = {
      id: newId(),
      articleId: article.id,
      authorId: author.id,
      resolvedBy: null,
      resolvedAt: null,
      mentions: mentioned.map((u) => u.id),
      createdAt: new Date().toISOString(),
      editedAt: null,
      ...fields,
    };
    await this.store.editorial.create(record);
    const comment = await this.toEditorial(record);
    this.events.emit('editorial:created', comment);
    for (const person of mentioned) await this.notify(person, author, article, record);
    return comment;
  }

  /** `@username`s that are writers or leads (readers cannot see editorial comments), without the author. */
  private async resolveMentions(body: string, author: UserRecord): Promise<UserRecord[]> {
    const found: UserRecord[] = [];
    for (const username of parseMentions(body)) {
      const user = await this.store.users.findByUsername(username);
      if (user && user.role !== 'reader' && user.id !== author.id && !found.some((f) => f.id === user.id)) found.push(user);
    }
    return found;
  }

  private async notify(person: UserRecord, by: UserRecord, article: ArticleRecord, comment: EditorialCommentRecord): Promise<void> {
    const record: NotificationRecord = {
      id: newId(),
      userId: person.id,
      kind: 'mention',
      articleId: article.id,
      commentId: comment.id,
      byUserId: by.id,
      excerpt: excerpt(comment.body),
      createdAt: comment.createdAt,
      readAt: null,
    };
    await this.store.notifications.create(record);
    const notification = await this.toNotification(record, article.headline);
    this.events.emit('notification:created', { userId: person.id, notification, unread: await this.store.notifications.unreadCount(person.id) });
  }

  async resolve(user: UserRecord | null, input: unknown): Promise<EditorialComment> {
    const staff = this.requireStaff(user);
    const { id, resolved } = parseInput(ResolveRequest, input);
    const record = await this.requireComment(id);
    await this.requireArticle(record.articleId, staff);
    if (record.parentId) throw new HttpError(ErrorCode.invalidRequest, 'Resolve the thread, not a reply');
    if (resolved === (record.resolvedAt !== null)) return this.toEditorial(record);
    const updated = await this.store.editorial.update(record.id, resolved ? { resolvedBy: staff.id, resolvedAt: new Date().toISOString() } : { resolvedBy: null, resolvedAt: null });
    const comment = await this.toEditorial(updated!);
    this.events.emit('editorial:updated', comment);
    return comment;
  }

  /** Authors delete their own comments; leads any. A thread's first comment takes its replies with it. */
  async delete(user: UserRecord | null, input: unknown): Promise<void> {
    const staff = this.requireStaff(user);
    const { id } = parseInput(z.object({ id: CommentId }), input);
    const record = await this.requireComment(id);
    await this.requireArticle(record.articleId, staff);
    if (record.authorId !== staff.id && staff.role !== 'lead') throw new HttpError(ErrorCode.forbidden, 'You can only delete your own comments');
    for (const deleted of await this.store.editorial.delete(record.id)) this.events.emit('editorial:deleted', { id: deleted, articleId: record.articleId });
  }

  // ---- notifications ------------------------------------------------------------

  private async toNotification(record: NotificationRecord, headline?: string): Promise<Notification> {
    return {
      id: record.id,
      kind: record.kind,
      articleId: record.articleId,
      articleHeadline: headline ?? (await this.store.articles.get(record.articleId))?.headline ?? 'Deleted article',
      commentId: record.commentId,
      by: await this.people.person(record.byUserId),
      excerpt: record.excerpt,
      createdAt: record.createdAt,
      readAt: record.readAt,
    };
  }

  async notifications(user: UserRecord | null): Promise<NotificationList> {
    if (!user) throw new HttpError(ErrorCode.unauthenticated, 'Sign in first');
    const records = await this.store.notifications.list(user.id, 50);
    const headlines = new Map<string, string>();
    for (const r of records) {
      if (!headlines.has(r.articleId)) headlines.set(r.articleId, (await this.store.articles.get(r.articleId))?.headline ?? 'Deleted article');
    }
    return {
      notifications: await Promise.all(records.map((r) => this.toNotification(r, headlines.get(r.articleId)))),
      unread: await this.store.notifications.unreadCount(user.id),
    };
  }

  async markRead(user: UserRecord | null, input: unknown): Promise<number> {
    if (!user) throw new HttpError(ErrorCode.unauthenticated, 'Sign in first');
    const { ids } = parseInput(MarkNotificationsRead, input);
    const changed = await this.store.notifications.markRead(user.id, ids ?? null, new Date().toISOString());
    const unread = await this.store.notifications.unreadCount(user.id);
    if (changed) this.events.emit('notifications:unread', { userId: user.id, unread });
    return unread;
  }
}

import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { initArticleDoc, type ArticleContent } from '@copydesk/article-doc';
import { ErrorCode, type Article } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import type { ArticleRecord, Store, UserRecord } from '../storage/store.ts';
import type { NewsroomEvents } from './events.ts';
import { can } from '../auth/permissions.ts';

export const newArticleId = () => randomBytes(9).toString('base64url');

export function toArticle(record: ArticleRecord): Article {
  return { ...record };
}

/** Articles: the metadata row plus its Y.Doc, created together. */
export class ArticleService {
  constructor(
    private readonly store: Store,
    private readonly events: NewsroomEvents,
  ) {}

  async create(author: UserRecord, content: ArticleContent): Promise<Article> {
    const now = new Date().toISOString();
    const record: ArticleRecord = {
      id: newArticleId(),
      headline: content.headline,
      status: 'draft',
      createdBy: author.id,
      createdAt: now,
      updatedAt: now,
    };
    // The doc's shared types are created here, once, so no two clients race to create them.
    const doc = new Y.Doc();
    initArticleDoc(doc, content);
    await this.store.articles.create(record);
    await this.store.docs.compact(record.id, Y.encodeStateAsUpdateV2(doc), 0);
    doc.destroy();
    const article = toArticle(record);
    this.events.emit('article:created', article);
    return article;
  }

  async get(id: string): Promise<Article | null> {
    const record = await this.store.articles.get(id);
    return record ? toArticle(record) : null;
  }

  /** The article if `user` may read it; 404 when missing, 403 when not allowed. */
  async getReadable(id: string, user: UserRecord | null): Promise<Article> {
    const article = await this.get(id);
    if (!article) throw new HttpError(ErrorCode.notFound, 'No such article');
    if (!can(user?.role ?? null, 'read', article.status)) throw new HttpError(ErrorCode.forbidden, 'You may not read this article');
    return article;
  }

  async listReadable(user: UserRecord | null): Promise<Article[]> {
    const all = await this.store.articles.list();
    return all.filter((a) => can(user?.role ?? null, 'read', a.status)).map(toArticle);
  }

  /** Keeps the list's headline in step with the doc's headline. */
  async syncHeadline(id: string, headline: string): Promise<void> {
    const current = await this.store.articles.get(id);
    if (!current || current.headline === headline) return;
    const updated = await this.store.articles.update(id, { headline, updatedAt: new Date().toISOString() });
    if (updated) this.events.emit('article:updated', toArticle(updated));
  }
}

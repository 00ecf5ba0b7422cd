import { randomBytes, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { initArticleDoc, readDek, readHeadline, renderBodyHtml, renderBodyText, wordCount, type ArticleContent } from '@copydesk/article-doc';
import {
  ErrorCode,
  type Article,
  type ArticleApproval,
  type ArticleDetail,
  type ArticleStatus,
  type Section,
  type Transition,
  type UpdateArticleMetaRequest,
} from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import type { ArticleRecord, PublishedRecord, ScheduleRecord, Store, TransitionRecord, UserRecord } from '../storage/store.ts';
import type { NewsroomEvents } from './events.ts';
import { can, readOnlyReason } from '../auth/permissions.ts';
import { checkTransition } from './workflow.ts';
import { slugify, uniqueSlug } from './slug.ts';
import type { People } from './people.ts';
import type { DocHost } from './doc-host.ts';
import type { VersionService } from './versions.ts';

export const newArticleId = () => randomBytes(9).toString('base64url');

const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Back to draft',
  filed: 'Filed',
  editing: 'Taken for editing',
  approved: 'Approved',
  scheduled: 'Scheduled',
  published: 'Published',
  spiked: 'Spiked',
  killed: 'Killed',
};

/** Articles: the metadata row, its Y.Doc, its workflow and its published page. */
export class ArticleService {
  private docHost: DocHost | null = null;
  private versions: VersionService | null = null;

  constructor(
    private readonly store: Store,
    private readonly events: NewsroomEvents,
    private readonly people: People,
  ) {}

  /** Late wiring: the collaboration server is built after the services it calls back into. */
  attach(docHost: DocHost, versions: VersionService): void {
    this.docHost = docHost;
    this.versions = versions;
  }

  private get docs(): DocHost {
    if (!this.docHost) throw new Error('ArticleService used before attach()');
    return this.docHost;
  }

  async toArticle(record: ArticleRecord): Promise<Article> {
    const { byline, assignees, ...rest } = record;
    const article: Article = { ...rest, byline: await this.people.people(byline), assignees: await this.people.people(assignees) };
    if (record.status === 'scheduled') {
      const schedule = await this.store.schedules.get(record.id);
      if (schedule) article.scheduledFor = schedule.publishAt;
    }
    return article;
  }

  async create(author: UserRecord, content: ArticleContent & { section?: Section }): Promise<Article> {
    const now = new Date().toISOString();
    // The doc's shared types are created here, once, so no two clients race to create them.
    const doc = new Y.Doc();
    initArticleDoc(doc, content);
    const record: ArticleRecord = {
      id: newArticleId(),
      headline: content.headline,
      dek: content.dek ?? '',
      status: 'draft',
      slug: await this.freeSlug(content.headline, null),
      section: content.section ?? 'News',
      tags: [],
      byline: [author.id],
      assignees: [author.id],
      deadline: null,
      wordCount: wordCount(doc),
      createdBy: author.id,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    };
    await this.store.articles.create(record);
    await this.store.docs.compact(record.id, Y.encodeStateAsUpdateV2(doc), 0);
    doc.destroy();
    const article = await this.toArticle(record);
    this.events.emit('article:created', article);
    return article;
  }

  async get(id: string): Promise<Article | null> {
    const record = await this.store.articles.get(id);
    return record ? this.toArticle(record) : null;
  }

  async requireRecord(id: string): Promise<ArticleRecord> {
    const record = await this.store.articles.get(id);
    if (!record) throw new HttpError(ErrorCode.notFound, 'No such article');
    return record;
  }

  /** The article if `user` may read it; 404 when missing, 403 when not allowed. */
  async getReadable(id: string, user: UserRecord | null): Promise<Article> {
    const record = await this.requireRecord(id);
    if (!can(user?.role ?? null, 'read', record.status)) throw new HttpError(ErrorCode.forbidden, 'You may not read this article');
    return this.toArticle(record);
  }

  async listReadable(user: UserRecord | null): Promise<Article[]> {
    const all = await this.store.articles.list();
    return Promise.all(all.filter((a) => can(user?.role ?? null, 'read', a.status)).map((a) => this.toArticle(a)));
  }

  isOwner(record: ArticleRecord, user: UserRecord): boolean {
    return record.createdBy === user.id || record.byline.includes(user.id) || record.assignees.includes(user.id);
  }

  /** Desk metadata edits (section, tags, byline, assignees, deadline). */
  async updateMeta(id: string, user: UserRecord, patch: UpdateArticleMetaRequest): Promise<Article> {
    const record = await this.requireRecord(id);
    if (!can(user.role, 'edit', record.status)) throw new HttpError(ErrorCode.forbidden, readOnlyReason(user.role, record.status) ?? 'You may not edit this article');
    if (patch.assignees && user.role !== 'lead') throw new HttpError(ErrorCode.forbidden, 'Only desk leads reassign articles');
    for (const field of ['byline', 'assignees'] as const) {
      for (const userId of patch[field] ?? []) {
        if (!(await this.people.exists(userId))) throw new HttpError(ErrorCode.invalidRequest, `${field}: unknown user ${userId}`);
      }
    }
    const updated = await this.store.articles.update(id, { ...patch, updatedAt: new Date().toISOString() });
    return this.announce(updated!);
  }

  /** Mirrors the doc's headline, dek and word count into the article row (debounced by the caller). */
  async syncFromDoc(id: string, doc: Y.Doc): Promise<void> {
    const current = await this.store.articles.get(id);
    if (!current) return;
    const headline = readHeadline(doc).trim() || current.headline;
    const next = { headline, dek: readDek(doc).trim(), wordCount: wordCount(doc) };
    if (next.headline === current.headline && next.dek === current.dek && next.wordCount === current.wordCount) return;
    // The slug follows the headline until the first publish; after that links must keep working.
    const slug = current.publishedAt || headline === current.headline ? current.slug : await this.freeSlug(headline, id);
    const updated = await this.store.articles.update(id, { ...next, slug, updatedAt: new Date().toISOString() });
    if (updated) await this.announce(updated);
  }

  async transitions(id: string): Promise<Transition[]> {
    const list = await this.store.transitions.list(id);
    return Promise.all(list.map(async ({ byUserId, ...t }) => ({ ...t, by: await this.people.person(byUserId) })));
  }

  /**
   * The article with the approval its status rests on and whether its text changed since: only
   * an approved or published article has one (moving back to editing withdraws it).
   */
  async getDetail(id: string, user: UserRecord | null): Promise<ArticleDetail> {
    const article = await this.getReadable(id, user);
    const approval = await this.approval(article.id, article.status);
    const changedSinceApproval = approval ? await this.changedSince(article.id, approval.versionId) : false;
    return { ...article, approval, changedSinceApproval };
  }

  private async approval(id: string, status: ArticleStatus): Promise<ArticleApproval | null> {
    if (status !== 'approved' && status !== 'scheduled' && status !== 'published') return null;
    // Newest first: the approval this status rests on is the latest one. (Before approvals had
    // their own cause, the move to approved took a "transition" version labelled "Approved".)
    const version = (await this.versions?.list(id))?.find((v) => v.cause === 'approval' || (v.cause === 'transition' && v.label === STATUS_LABELS.approved));
    return version ? { versionId: version.id, by: version.author, at: version.createdAt } : null;
  }

  /** Does the headline, dek or body now differ from the version (as readers would see them)? */
  private async changedSince(id: string, versionId: string): Promise<boolean> {
    const approved = await this.store.versions.get(id, versionId);
    if (!approved) return true;
    return this.docs.withDoc(id, ({ doc }) => readHeadline(doc) !== approved.headline || readDek(doc) !== approved.dek || renderBodyHtml(doc) !== approved.html);
  }

  /** Moves an article through the workflow: checks, records, versions, publishes, and re-applies live permissions. */
  async transition(
    id: string,
    user: UserRecord,
    to: ArticleStatus,
    note: string | undefined,
    options: { reapprove?: boolean; publishAt?: string } = {},
  ): Promise<Article> {
    const record = await this.requireRecord(id);
    if (!can(user.role, 'read', record.status)) throw new HttpError(ErrorCode.notFound, 'No such article');
    const check = checkTransition(record.status, to, { role: user.role, isOwner: this.isOwner(record, user) }, note);
    if (!check.ok) throw new HttpError(check.code, check.message);

    if (to === 'scheduled' && options.publishAt === undefined) {
      throw new HttpError(ErrorCode.invalidRequest, 'Schedule with POST /api/articles/:id/schedule and a publishAt time');
    }
    if (to === 'published' || to === 'scheduled') {
      // The published text is always an approved one: unchanged since the approval, or approved now.
      const approval = await this.approval(id, record.status);
      const changed = !approval || (await this.changedSince(id, approval.versionId));
      if (changed && !options.reapprove) {
        throw new HttpError(
          ErrorCode.changedSinceApproval,
          approval ? 'The text changed since it was approved: review the changes and re-approve to publish' : 'This text was never approved: approve it to publish',
        );
      }
      if (changed) await this.versions?.take(id, { cause: 'approval', label: 'Re-approved at publish', authorId: user.id });
    }

    const now = new Date().toISOString();
    const patch: Partial<ArticleRecord> = { status: to, updatedAt: now };
    if (to === 'scheduled') {
      const approval = (await this.approval(id, 'approved'))!;
      await this.store.schedules.put({ articleId: id, publishAt: options.publishAt!, byUserId: user.id, versionId: approval.versionId });
      note = `For ${options.publishAt}`;
    }
    if (record.status === 'scheduled') await this.store.schedules.delete(id);
    if (to === 'published') {
      await this.publish(record, note, now);
      patch.publishedAt = record.publishedAt ?? now;
    }
    if (to === 'killed') await this.kill(record, note!, now);

    await this.recordTransition({ id: randomUUID(), articleId: id, from: record.status, to, note: note?.trim() || null, byUserId: user.id, at: now });
    const updated = (await this.store.articles.update(id, patch))!;
    const label = record.status === 'published' && to === 'published' ? 'Correction published' : STATUS_LABELS[to];
    await this.versions?.take(id, { cause: to === 'published' ? 'publish' : to === 'approved' ? 'approval' : 'transition', label, authorId: user.id });
    this.applyLivePermissions(id, to);
    return this.announce(updated);
  }

  private async recordTransition(transition: TransitionRecord): Promise<void> {
    await this.store.transitions.append(transition);
    const { byUserId, ...rest } = transition;
    this.events.emit('article:transition', { ...rest, by: await this.people.person(byUserId) });
  }

  /** Restores appear in the article's timeline as a same-status entry with a note. */
  async recordRestore(id: string, user: UserRecord, label: string): Promise<void> {
    const record = await this.requireRecord(id);
    const at = new Date().toISOString();
    await this.recordTransition({ id: randomUUID(), articleId: id, from: record.status, to: record.status, note: label, byUserId: user.id, at });
    await this.announce((await this.store.articles.update(id, { updatedAt: at }))!);
  }

  /** Writers' open editors switch to read-only (or back) on the spot, without reconnecting. */
  private applyLivePermissions(id: string, status: ArticleStatus): void {
    for (const connection of this.docs.connections(id)) {
      const reason = readOnlyReason(connection.user.role, status);
      this.docs.setReadOnly(connection, reason !== null, reason);
    }
  }

  private async publish(record: ArticleRecord, note: string | undefined, now: string): Promise<void> {
    const rendered = await this.docs.withDoc(record.id, ({ doc }) => ({
      headline: readHeadline(doc).trim() || record.headline,
      dek: readDek(doc).trim(),
      html: renderBodyHtml(doc),
      text: renderBodyText(doc),
    }));
    await this.putPage(record, note, now, rendered);
  }

  /** Schedules an approved article's approved version for `publishAt` (leads; a time in the future). */
  async schedule(id: string, user: UserRecord, publishAt: string, reapprove = false): Promise<Article> {
    if (Date.parse(publishAt) <= Date.now()) throw new HttpError(ErrorCode.invalidRequest, 'publishAt: must be in the future');
    return this.transition(id, user, 'scheduled', undefined, { publishAt: new Date(publishAt).toISOString(), reapprove });
  }

  /** Takes a scheduled article back to approved; nothing is published. */
  async unschedule(id: string, user: UserRecord): Promise<Article> {
    const record = await this.requireRecord(id);
    if (record.status !== 'scheduled') throw new HttpError(ErrorCode.invalidTransition, 'This article is not scheduled');
    return this.transition(id, user, 'approved', undefined);
  }

  /**
   * The scheduler's publish: the approved version the schedule names, exactly as approved (later
   * edits to the working copy stay unpublished), recorded as the lead who scheduled it. The caller
   * holds the schedule's claim; an article that is no longer scheduled only loses its schedule.
   */
  async publishScheduled(schedule: ScheduleRecord): Promise<boolean> {
    const record = await this.store.articles.get(schedule.articleId);
    if (!record || record.status !== 'scheduled') {
      await this.store.schedules.delete(schedule.articleId);
      return false;
    }
    const version = await this.store.versions.get(record.id, schedule.versionId);
    if (!version) throw new Error(`approved version ${schedule.versionId} of ${record.id} is missing`);
    const now = new Date().toISOString();
    await this.putPage(record, undefined, now, { headline: version.headline.trim() || record.headline, dek: version.dek.trim(), html: version.html, text: version.text });
    await this.recordTransition({ id: randomUUID(), articleId: record.id, from: 'scheduled', to: 'published', note: 'Published as scheduled', byUserId: schedule.byUserId, at: now });
    const updated = (await this.store.articles.update(record.id, { status: 'published', updatedAt: now, publishedAt: record.publishedAt ?? now }))!;
    await this.store.schedules.delete(record.id);
    this.applyLivePermissions(record.id, 'published');
    await this.announce(updated);
    return true;
  }

  private async putPage(record: ArticleRecord, note: string | undefined, now: string, rendered: { headline: string; dek: string; html: string; text: string }): Promise<void> {
    const previous = await this.store.published.get(record.id);
    const corrections = previous?.corrections ?? [];
    if (record.status === 'published' && note?.trim()) corrections.push({ note: note.trim(), at: now });
    const page: PublishedRecord = {
      articleId: record.id,
      slug: previous?.slug ?? record.slug,
      ...rendered,
      bylineNames: (await this.people.people(record.byline)).map((p) => p.displayName),
      section: record.section,
      firstPublishedAt: previous?.firstPublishedAt ?? now,
      updatedAt: now,
      corrections,
      killed: null,
    };
    await this.store.published.put(page);
  }

  private async kill(record: ArticleRecord, reason: string, now: string): Promise<void> {
    const page = await this.store.published.get(record.id);
    if (page) await this.store.published.put({ ...page, killed: { reason: reason.trim(), at: now }, updatedAt: now });
  }

  private async freeSlug(headline: string, articleId: string | null): Promise<string> {
    return uniqueSlug(slugify(headline), async (slug) => {
      const owner = await this.store.articles.findBySlug(slug);
      if (owner && owner.id !== articleId) return true;
      const page = await this.store.published.getBySlug(slug);
      return page !== null && page.articleId !== articleId;
    });
  }

  private async announce(record: ArticleRecord): Promise<Article> {
    const article = await this.toArticle(record);
    this.events.emit('article:updated', article);
    return article;
  }
}

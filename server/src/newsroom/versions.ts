import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { diffWords } from 'diff';
import { getBody, readDek, readHeadline, renderBodyHtml, renderBodyText, wordCount, writeDek, writeHeadline } from '@copydesk/article-doc';
import { ErrorCode, type DiffPart, type VersionCause, type VersionDetail, type VersionSummary } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import type { Store, VersionRecord, VersionSummaryRecord } from '../storage/store.ts';
import { ORIGIN_SERVER } from '../collab/types.ts';
import type { DocHost } from './doc-host.ts';
import type { People } from './people.ts';

/** Versions: full Yjs states with their rendered text, taken at transitions, publishes, on a timer and on demand. */
export class VersionService {
  constructor(
    private readonly store: Store,
    private readonly docs: DocHost,
    private readonly people: People,
  ) {}

  async take(articleId: string, { cause, label, authorId }: { cause: VersionCause; label: string; authorId: string | null }): Promise<VersionSummary> {
    const record = await this.docs.withDoc(articleId, ({ doc }): VersionRecord => ({
      id: randomUUID(),
      articleId,
      label,
      cause,
      authorId,
      createdAt: new Date().toISOString(),
      wordCount: wordCount(doc),
      headline: readHeadline(doc),
      dek: readDek(doc),
      text: renderBodyText(doc),
      html: renderBodyHtml(doc),
      state: Y.encodeStateAsUpdateV2(doc),
    }));
    await this.store.versions.create(record);
    return this.summary(record);
  }

  async list(articleId: string): Promise<VersionSummary[]> {
    return Promise.all((await this.store.versions.list(articleId)).map((v) => this.summary(v)));
  }

  async get(articleId: string, versionId: string): Promise<VersionDetail> {
    const record = await this.require(articleId, versionId);
    const { state: _state, ...rest } = record;
    return { ...(await this.summary(record)), headline: rest.headline, dek: rest.dek, text: rest.text, html: rest.html };
  }

  /** Word-level diff from the version to the current draft, the published page or another version. */
  async diff(articleId: string, versionId: string, against: string): Promise<DiffPart[]> {
    const version = await this.require(articleId, versionId);
    let target: string;
    if (against !== 'current' && against !== 'published') {
      const other = await this.require(articleId, against);
      target = fullText(other.headline, other.dek, other.text);
    } else if (against === 'published') {
      const page = await this.store.published.get(articleId);
      if (!page) throw new HttpError(ErrorCode.notFound, 'This article has not been published');
      target = fullText(page.headline, page.dek, page.text);
    } else {
      target = await this.docs.withDoc(articleId, ({ doc }) => fullText(readHeadline(doc), readDek(doc), renderBodyText(doc)));
    }
    return diffWords(fullText(version.headline, version.dek, version.text), target).map((part) => ({
      value: part.value,
      added: Boolean(part.added),
      removed: Boolean(part.removed),
    }));
  }

  /**
   * Restores a version as a forward change: one Yjs transaction that turns the live doc into the
   * old content, so writers keep working and a "before restore" version allows going back.
   */
  async restore(articleId: string, versionId: string, userId: string): Promise<VersionSummary> {
    const version = await this.require(articleId, versionId);
    await this.take(articleId, { cause: 'restore', label: `Before restoring “${version.label}”`, authorId: userId });
    const old = new Y.Doc();
    Y.applyUpdateV2(old, version.state);
    await this.docs.withDoc(articleId, ({ doc }) => {
      doc.transact(() => {
        writeHeadline(doc, readHeadline(old));
        writeDek(doc, readDek(old));
        const body = getBody(doc);
        body.delete(0, body.length);
        const oldBody = getBody(old);
        body.insert(0, oldBody.toArray().map((node) => (node as Y.XmlElement | Y.XmlText).clone()));
      }, ORIGIN_SERVER);
    });
    old.destroy();
    return this.take(articleId, { cause: 'restore', label: `Restored “${version.label}”`, authorId: userId });
  }

  private async require(articleId: string, versionId: string): Promise<VersionRecord> {
    const version = await this.store.versions.get(articleId, versionId);
    if (!version) throw new HttpError(ErrorCode.notFound, 'No such version');
    return version;
  }

  private async summary(v: VersionSummaryRecord): Promise<VersionSummary> {
    return {
      id: v.id,
      articleId: v.articleId,
      label: v.label,
      cause: v.cause,
      author: v.authorId ? await this.people.person(v.authorId) : null,
      createdAt: v.createdAt,
      wordCount: v.wordCount,
    };
  }
}

const fullText = (headline: string, dek: string, body: string) => [headline, dek, body].filter(Boolean).join('\n\n');

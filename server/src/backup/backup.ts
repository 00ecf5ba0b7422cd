import * as Y from 'yjs';
import type { Store } from '../storage/store.ts';

/**
 * A newsroom backup: newline-delimited JSON, one record per line, binary as base64. It holds
 * users (with password hashes), API tokens (hashes), articles with their Yjs state (one merged
 * snapshot), transitions, versions, published pages, reader comments with reports and moderation
 * settings, editorial comments and notifications. Sessions are not kept: restoring signs everyone out.
 */
export const BACKUP_FORMAT = 'copydesk-backup';
export const BACKUP_VERSION = 1;

type Line = Record<string, unknown> & { type: string };
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

/** Streams every record of `store` to `write`, one JSON line at a time. Returns the counts per type. */
export async function dumpNewsroom(store: Store, write: (line: string) => void | Promise<void>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const emit = async (line: Line) => {
    counts[line.type] = (counts[line.type] ?? 0) + 1;
    await write(JSON.stringify(line));
  };
  await emit({ type: 'header', format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), from: store.kind });

  const users = await store.users.list();
  for (const user of users) await emit({ type: 'user', record: user });
  for (const user of users) for (const token of await store.tokens.listForUser(user.id)) await emit({ type: 'token', record: token });
  await emit({ type: 'bannedWords', words: await store.moderation.bannedWords() });

  for (const article of await store.articles.list()) {
    await emit({ type: 'article', record: article, doc: b64(await mergedDocState(store, article.id)) });
    await emit({ type: 'commentMode', articleId: article.id, mode: await store.moderation.mode(article.id) });
    for (const transition of await store.transitions.list(article.id)) await emit({ type: 'transition', record: transition });
    for (const summary of [...(await store.versions.list(article.id))].reverse()) {
      const version = await store.versions.get(article.id, summary.id);
      if (version) await emit({ type: 'version', record: { ...version, state: b64(version.state) } });
    }
    const page = await store.published.get(article.id);
    if (page) await emit({ type: 'published', record: page });
    for (const comment of await store.comments.allOf(article.id)) {
      await emit({ type: 'comment', record: comment });
      for (const report of await store.comments.reports(comment.id)) await emit({ type: 'commentReport', record: report });
    }
    for (const editorial of await store.editorial.list(article.id)) await emit({ type: 'editorial', record: editorial });
  }
  for (const user of users) {
    for (const notification of [...(await store.notifications.list(user.id, 100_000))].reverse()) await emit({ type: 'notification', record: notification });
  }
  await emit({ type: 'end', counts: { ...counts } });
  return counts;
}

/** One snapshot holding the stored snapshot and every logged update (V2 encoding). */
async function mergedDocState(store: Store, articleId: string): Promise<Uint8Array> {
  const stored = await store.docs.load(articleId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdateV2(doc, stored.snapshot);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  const state = Y.encodeStateAsUpdateV2(doc);
  doc.destroy();
  return state;
}

export class BackupError extends Error {}

/**
 * Loads a backup into an EMPTY store (refuses one that has users, so a restore never merges two
 * newsrooms by accident). Every line is checked before anything is written.
 */
export async function restoreNewsroom(store: Store, lines: string[]): Promise<Record<string, number>> {
  const records = lines.filter((l) => l.trim()).map((l, i) => {
    try {
      return JSON.parse(l) as Line;
    } catch {
      throw new BackupError(`line ${i + 1} is not JSON`);
    }
  });
  const header = records[0];
  if (header?.type !== 'header' || header.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION) {
    throw new BackupError(`not a ${BACKUP_FORMAT} v${BACKUP_VERSION} file`);
  }
  if (records.at(-1)?.type !== 'end') throw new BackupError('the backup is truncated (no end record)');
  if ((await store.users.count()) > 0) throw new BackupError('the target store is not empty; restore into a new DATA_DIR or REDIS_PREFIX');

  const counts: Record<string, number> = {};
  for (const line of records.slice(1, -1)) {
    counts[line.type] = (counts[line.type] ?? 0) + 1;
    const record = line.record as never;
    switch (line.type) {
      case 'user':
        await store.users.create(record);
        break;
      case 'token':
        await store.tokens.create(record);
        break;
      case 'bannedWords':
        await store.moderation.setBannedWords(line.words as string[]);
        break;
      case 'article':
        await store.articles.create(record);
        await store.docs.compact((line.record as { id: string }).id, bytes(line.doc as string), 0);
        break;
      case 'commentMode':
        await store.moderation.setMode(line.articleId as string, line.mode as never);
        break;
      case 'transition':
        await store.transitions.append(record);
        break;
      case 'version': {
        const version = line.record as { state: string };
        await store.versions.create({ ...(version as object), state: bytes(version.state) } as never);
        break;
      }
      case 'published':
        await store.published.put(record);
        break;
      case 'comment':
        await store.comments.create(record);
        break;
      case 'commentReport':
        await store.comments.addReport(record);
        break;
      case 'editorial':
        await store.editorial.create(record);
        break;
      case 'notification':
        await store.notifications.create(record);
        break;
      default:
        throw new BackupError(`unknown record type ${line.type}`);
    }
  }
  const expected = (records.at(-1) as { counts?: Record<string, number> }).counts ?? {};
  for (const [type, n] of Object.entries(expected)) {
    if (type !== 'header' && (counts[type] ?? 0) !== n) throw new BackupError(`expected ${n} ${type} records, restored ${counts[type] ?? 0}`);
  }
  return counts;
}

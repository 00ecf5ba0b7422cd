import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArticleRecord, PublishedRecord, SessionRecord, TokenRecord, StoredDoc, Store, TransitionRecord, UserRecord, VersionRecord, VersionSummaryRecord } from '../store.ts';
import { migrateSqlite } from './schema.ts';
import { sqliteCommentStores } from './comments.ts';
import { sqliteScheduleStore } from './schedules.ts';

/** Opens the embedded store: a file `copydesk.db` in `dataDir` (WAL), or in memory for ':memory:'. */
export function openSqliteStore(dataDir: string | ':memory:'): Store {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'copydesk.db');
  }
  const db = new Database(file);
  // Must come before the first table: compaction frees pages, and incremental vacuum returns them to the OS.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives process crashes (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db, file);

  const q = {
    insertUser: db.prepare(
      'INSERT INTO users (id, username, display_name, role, password_hash, created_at, deactivated_at) VALUES (@id, @username, @displayName, @role, @passwordHash, @createdAt, @deactivatedAt)',
    ),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    userByName: db.prepare('SELECT * FROM users WHERE username = ? COLLATE NOCASE'),
    users: db.prepare('SELECT * FROM users ORDER BY username'),
    userCount: db.prepare('SELECT COUNT(*) AS n FROM users'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    updateUser: db.prepare(
      `UPDATE users SET display_name = coalesce(@displayName, display_name), role = coalesce(@role, role),
         deactivated_at = CASE WHEN @setDeactivated THEN @deactivatedAt ELSE deactivated_at END WHERE id = @id`,
    ),
    insertToken: db.prepare(
      `INSERT INTO api_tokens (id, owner_id, name, role, token_hash, created_at, last_used_at, revoked_at)
       VALUES (@id, @ownerId, @name, @role, @tokenHash, @createdAt, @lastUsedAt, @revokedAt)`,
    ),
    tokenByHash: db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?'),
    tokensOf: db.prepare('SELECT * FROM api_tokens WHERE owner_id = ? ORDER BY created_at DESC'),
    revokeToken: db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND owner_id = ? AND revoked_at IS NULL'),
    touchToken: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
    insertSession: db.prepare('INSERT INTO sessions (id, user_id, created_at, last_seen_at) VALUES (@id, @userId, @createdAt, @lastSeenAt)'),
    session: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
    insertArticle: db.prepare(
      `INSERT INTO articles (id, headline, dek, status, slug, section, tags, byline, assignees, deadline, word_count, created_by, created_at, updated_at, published_at)
       VALUES (@id, @headline, @dek, @status, @slug, @section, @tags, @byline, @assignees, @deadline, @wordCount, @createdBy, @createdAt, @updatedAt, @publishedAt)`,
    ),
    article: db.prepare('SELECT * FROM articles WHERE id = ?'),
    articleBySlug: db.prepare('SELECT * FROM articles WHERE slug = ?'),
    articles: db.prepare('SELECT * FROM articles ORDER BY updated_at DESC, id'),
    updateArticle: db.prepare(
      `UPDATE articles SET headline = @headline, dek = @dek, status = @status, slug = @slug, section = @section, tags = @tags, byline = @byline,
       assignees = @assignees, deadline = @deadline, word_count = @wordCount, updated_at = @updatedAt, published_at = @publishedAt WHERE id = @id`,
    ),
    insertTransition: db.prepare(
      'INSERT INTO transitions (id, article_id, from_status, to_status, note, by_user_id, at) VALUES (@id, @articleId, @from, @to, @note, @byUserId, @at)',
    ),
    transitions: db.prepare('SELECT * FROM transitions WHERE article_id = ? ORDER BY at, rowid'),
    insertVersion: db.prepare(
      `INSERT INTO versions (id, article_id, label, cause, author_id, created_at, word_count, headline, dek, text, html, state)
       VALUES (@id, @articleId, @label, @cause, @authorId, @createdAt, @wordCount, @headline, @dek, @text, @html, @state)`,
    ),
    versions: db.prepare(
      'SELECT id, article_id, label, cause, author_id, created_at, word_count FROM versions WHERE article_id = ? ORDER BY created_at DESC, rowid DESC',
    ),
    version: db.prepare('SELECT * FROM versions WHERE article_id = ? AND id = ?'),
    upsertPublished: db.prepare(
      `INSERT INTO published (article_id, slug, first_published_at, data) VALUES (@articleId, @slug, @firstPublishedAt, @data)
       ON CONFLICT(article_id) DO UPDATE SET slug = excluded.slug, data = excluded.data`,
    ),
    published: db.prepare('SELECT data FROM published WHERE article_id = ?'),
    publishedBySlug: db.prepare('SELECT data FROM published WHERE slug = ?'),
    publishedAll: db.prepare('SELECT data FROM published ORDER BY first_published_at DESC'),
    insertUpdate: db.prepare('INSERT INTO doc_updates (article_id, data) VALUES (?, ?)'),
    snapshot: db.prepare('SELECT data FROM doc_snapshots WHERE article_id = ?'),
    updates: db.prepare('SELECT seq, data FROM doc_updates WHERE article_id = ? ORDER BY seq'),
    upsertSnapshot: db.prepare(
      'INSERT INTO doc_snapshots (article_id, data) VALUES (?, ?) ON CONFLICT(article_id) DO UPDATE SET data = excluded.data',
    ),
    dropUpdates: db.prepare('DELETE FROM doc_updates WHERE article_id = ? AND seq <= ?'),
    docSize: db.prepare(
      `SELECT COALESCE((SELECT LENGTH(data) FROM doc_snapshots WHERE article_id = @id), 0)
            + COALESCE((SELECT SUM(LENGTH(data)) FROM doc_updates WHERE article_id = @id), 0) AS bytes`,
    ),
  };

  const appendAll = db.transaction((articleId: string, updates: Uint8Array[]) => {
    let last = 0;
    for (const update of updates) last = Number(q.insertUpdate.run(articleId, update).lastInsertRowid);
    return last;
  });
  const compactTx = db.transaction((articleId: string, snapshot: Uint8Array, throughSeq: number) => {
    q.upsertSnapshot.run(articleId, snapshot);
    q.dropUpdates.run(articleId, throughSeq);
  });

  let closed = false;
  return {
    kind: 'sqlite',
    ...sqliteCommentStores(db),
    schedules: sqliteScheduleStore(db),
    users: {
      async create(user) {
        // A restored backup keeps deactivated people deactivated.
        q.insertUser.run({ ...user, deactivatedAt: user.deactivatedAt ?? null });
      },
      async findById(id) {
        return toUser(q.userById.get(id));
      },
      async findByUsername(username) {
        return toUser(q.userByName.get(username));
      },
      async list() {
        return (q.users.all() as UserRow[]).map((row) => toUser(row)!);
      },
      async count() {
        return (q.userCount.get() as { n: number }).n;
      },
      async setPasswordHash(id, passwordHash) {
        q.setPassword.run(passwordHash, id);
      },
      async update(id, patch) {
        q.updateUser.run({
          id,
          displayName: patch.displayName ?? null,
          role: patch.role ?? null,
          setDeactivated: patch.deactivatedAt === undefined ? 0 : 1,
          deactivatedAt: patch.deactivatedAt ?? null,
        });
        return toUser(q.userById.get(id));
      },
    },
    tokens: {
      async create(token) {
        q.insertToken.run(token);
      },
      async findByHash(tokenHash) {
        return toToken(q.tokenByHash.get(tokenHash));
      },
      async listForUser(ownerId) {
        return (q.tokensOf.all(ownerId) as unknown[]).map((row) => toToken(row)!);
      },
      async revoke(id, ownerId, at) {
        return q.revokeToken.run(at, id, ownerId).changes > 0;
      },
      async touch(id, at) {
        q.touchToken.run(at, id);
      },
    },
    sessions: {
      async create(session) {
        q.insertSession.run(session);
      },
      async find(id) {
        return toSession(q.session.get(id));
      },
      async touch(id, lastSeenAt) {
        q.touchSession.run(lastSeenAt, id);
      },
      async delete(id) {
        q.deleteSession.run(id);
      },
      async deleteForUser(userId) {
        q.deleteUserSessions.run(userId);
      },
    },
    articles: {
      async create(article) {
        q.insertArticle.run(fromArticle(article));
      },
      async get(id) {
        return toArticle(q.article.get(id));
      },
      async findBySlug(slug) {
        return toArticle(q.articleBySlug.get(slug));
      },
      async list() {
        return (q.articles.all() as ArticleRow[]).map((row) => toArticle(row)!);
      },
      async update(id, patch) {
        const current = toArticle(q.article.get(id));
        if (!current) return null;
        const next = { ...current, ...patch };
        q.updateArticle.run(fromArticle(next));
        return next;
      },
    },
    transitions: {
      async append(transition) {
        q.insertTransition.run(transition);
      },
      async list(articleId) {
        return (q.transitions.all(articleId) as TransitionRow[]).map(toTransition);
      },
    },
    versions: {
      async create(version) {
        q.insertVersion.run(version);
      },
      async list(articleId) {
        return (q.versions.all(articleId) as VersionRow[]).map(toVersionSummary);
      },
      async get(articleId, id) {
        const row = q.version.get(articleId, id) as VersionRow | undefined;
        if (!row) return null;
        return {
          ...toVersionSummary(row),
          headline: row.headline!,
          dek: row.dek!,
          text: row.text!,
          html: row.html!,
          state: new Uint8Array(row.state!),
        } satisfies VersionRecord;
      },
    },
    published: {
      async put(page) {
        q.upsertPublished.run({ articleId: page.articleId, slug: page.slug, firstPublishedAt: page.firstPublishedAt, data: JSON.stringify(page) });
      },
      async get(articleId) {
        return toPublished(q.published.get(articleId));
      },
      async getBySlug(slug) {
        return toPublished(q.publishedBySlug.get(slug));
      },
      async list() {
        return (q.publishedAll.all() as Array<{ data: string }>).map((row) => toPublished(row)!);
      },
    },
    docs: {
      async appendUpdates(articleId, updates) {
        return appendAll(articleId, updates);
      },
      async load(articleId): Promise<StoredDoc> {
        const snapshot = q.snapshot.get(articleId) as { data: Buffer } | undefined;
        const rows = q.updates.all(articleId) as Array<{ seq: number; data: Buffer }>;
        return {
          snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
          updates: rows.map((row) => ({ seq: row.seq, update: new Uint8Array(row.data) })),
        };
      },
      async compact(articleId, snapshot, throughSeq) {
        compactTx(articleId, snapshot, throughSeq);
        db.pragma('incremental_vacuum');
      },
      async size(articleId) {
        return (q.docSize.get({ id: articleId }) as { bytes: number }).bytes;
      },
    },
    async ping() {
      return !closed && db.open;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRecord['role'];
  password_hash: string;
  created_at: string;
  deactivated_at: string | null;
}
interface ArticleRow {
  id: string;
  headline: string;
  dek: string;
  status: ArticleRecord['status'];
  slug: string;
  section: ArticleRecord['section'];
  tags: string;
  byline: string;
  assignees: string;
  deadline: string | null;
  word_count: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}
interface TransitionRow {
  id: string;
  article_id: string;
  from_status: TransitionRecord['from'];
  to_status: TransitionRecord['to'];
  note: string | null;
  by_user_id: string;
  at: string;
}
interface VersionRow {
  id: string;
  article_id: string;
  label: string;
  cause: VersionRecord['cause'];
  author_id: string | null;
  created_at: string;
  word_count: number;
  headline?: string;
  dek?: string;
  text?: string;
  html?: string;
  state?: Buffer;
}

function fromArticle(a: ArticleRecord) {
  return { ...a, tags: JSON.stringify(a.tags), byline: JSON.stringify(a.byline), assignees: JSON.stringify(a.assignees) };
}
function toTransition(r: TransitionRow): TransitionRecord {
  return { id: r.id, articleId: r.article_id, from: r.from_status, to: r.to_status, note: r.note, byUserId: r.by_user_id, at: r.at };
}
function toVersionSummary(r: VersionRow): VersionSummaryRecord {
  return { id: r.id, articleId: r.article_id, label: r.label, cause: r.cause, authorId: r.author_id, createdAt: r.created_at, wordCount: r.word_count };
}
function toPublished(row: unknown): PublishedRecord | null {
  const r = row as { data: string } | undefined;
  return r ? (JSON.parse(r.data) as PublishedRecord) : null;
}

function toUser(row: unknown): UserRecord | null {
  const r = row as UserRow | undefined;
  if (!r) return null;
  // Like the Redis driver: an active user has no deactivatedAt at all (one shape for every driver).
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    ...(r.deactivated_at ? { deactivatedAt: r.deactivated_at } : {}),
  };
}
function toToken(row: unknown): TokenRecord | null {
  const r = row as
    | { id: string; owner_id: string; name: string; role: TokenRecord['role']; token_hash: string; created_at: string; last_used_at: string | null; revoked_at: string | null }
    | undefined;
  if (!r) return null;
  return { id: r.id, ownerId: r.owner_id, name: r.name, role: r.role, tokenHash: r.token_hash, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}
function toSession(row: unknown): SessionRecord | null {
  const r = row as { id: string; user_id: string; created_at: string; last_seen_at: string } | undefined;
  if (!r) return null;
  return { id: r.id, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at };
}
function toArticle(row: unknown): ArticleRecord | null {
  const r = row as ArticleRow | undefined;
  if (!r) return null;
  return {
    id: r.id,
    headline: r.headline,
    dek: r.dek,
    status: r.status,
    slug: r.slug,
    section: r.section,
    tags: JSON.parse(r.tags) as string[],
    byline: JSON.parse(r.byline) as string[],
    assignees: JSON.parse(r.assignees) as string[],
    deadline: r.deadline,
    wordCount: r.word_count,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    publishedAt: r.published_at,
  };
}

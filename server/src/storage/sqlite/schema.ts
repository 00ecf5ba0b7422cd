import type Database from 'better-sqlite3';

/** Idempotent schema of the embedded store. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('reader', 'writer', 'lead')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS api_tokens_by_owner ON api_tokens(owner_id);
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY,
  headline TEXT NOT NULL,
  dek TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  section TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  byline TEXT NOT NULL DEFAULT '[]',
  assignees TEXT NOT NULL DEFAULT '[]',
  deadline TEXT,
  word_count INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT
);
CREATE TABLE IF NOT EXISTS transitions (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  note TEXT,
  by_user_id TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transitions_by_article ON transitions(article_id, at);
CREATE TABLE IF NOT EXISTS versions (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  label TEXT NOT NULL,
  cause TEXT NOT NULL,
  author_id TEXT,
  created_at TEXT NOT NULL,
  word_count INTEGER NOT NULL,
  headline TEXT NOT NULL,
  dek TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT NOT NULL,
  state BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_by_article ON versions(article_id, created_at);
CREATE TABLE IF NOT EXISTS published (
  article_id TEXT PRIMARY KEY REFERENCES articles(id),
  slug TEXT NOT NULL UNIQUE,
  first_published_at TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_snapshots (
  article_id TEXT PRIMARY KEY,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  article_id TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_by_article ON doc_updates(article_id, seq);
`;

/**
 * Ordered migrations; `PRAGMA user_version` is the number applied. Never edit a shipped step: a
 * change to the schema is a new step at the end (and the same column in SQLITE_SCHEMA's history
 * stays as it was, since step 1 is that schema). Stores from before versioning have user_version 0
 * and already hold step 1's tables, which step 1 creates only if missing.
 */
export const SQLITE_MIGRATIONS: ReadonlyArray<{ name: string; sql: string }> = [
  { name: 'initial schema', sql: SQLITE_SCHEMA },
  // Deactivated people keep their bylines, comments and history; they just cannot sign in.
  { name: 'users.deactivated_at', sql: 'ALTER TABLE users ADD COLUMN deactivated_at TEXT' },
];
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;


/** Brings the store to SQLITE_SCHEMA_VERSION in one transaction; refuses a store written by a newer Copydesk. */
export function migrateSqlite(db: Database.Database, file: string): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > SQLITE_SCHEMA_VERSION) {
    throw new Error(
      `${file} has schema version ${current}, newer than this Copydesk understands (${SQLITE_SCHEMA_VERSION}): run the newer Copydesk, or restore a backup taken by this one`,
    );
  }
  if (current === SQLITE_SCHEMA_VERSION) return;
  db.transaction(() => {
    for (const step of SQLITE_MIGRATIONS.slice(current)) db.exec(step.sql);
    db.exec(`PRAGMA user_version = ${SQLITE_SCHEMA_VERSION}`);
  })();
}

import type Database from 'better-sqlite3';
import type { ScheduleRecord, ScheduleStore } from '../store.ts';

/** Scheduled publications (idempotent: a store created before this table gets it at open). */
export const SCHEDULES_SCHEMA = `
CREATE TABLE IF NOT EXISTS article_schedules (
  article_id TEXT PRIMARY KEY REFERENCES articles(id),
  publish_at TEXT NOT NULL,
  publish_at_ms INTEGER NOT NULL,
  by_user_id TEXT NOT NULL,
  version_id TEXT NOT NULL,
  claimed_by TEXT,
  claimed_until INTEGER
);
CREATE INDEX IF NOT EXISTS article_schedules_due ON article_schedules(publish_at_ms);
`;

interface Row {
  article_id: string;
  publish_at: string;
  by_user_id: string;
  version_id: string;
}

const toRecord = (row: Row): ScheduleRecord => ({ articleId: row.article_id, publishAt: row.publish_at, byUserId: row.by_user_id, versionId: row.version_id });

export function sqliteScheduleStore(db: Database.Database): ScheduleStore {
  db.exec(SCHEDULES_SCHEMA);
  const q = {
    put: db.prepare(
      `INSERT INTO article_schedules (article_id, publish_at, publish_at_ms, by_user_id, version_id, claimed_by, claimed_until)
       VALUES (@articleId, @publishAt, @publishAtMs, @byUserId, @versionId, NULL, NULL)
       ON CONFLICT(article_id) DO UPDATE SET publish_at = excluded.publish_at, publish_at_ms = excluded.publish_at_ms,
         by_user_id = excluded.by_user_id, version_id = excluded.version_id, claimed_by = NULL, claimed_until = NULL`,
    ),
    get: db.prepare('SELECT * FROM article_schedules WHERE article_id = ?'),
    delete: db.prepare('DELETE FROM article_schedules WHERE article_id = ?'),
    due: db.prepare('SELECT * FROM article_schedules WHERE publish_at_ms <= ? AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY publish_at_ms'),
    // One statement: SQLite runs it atomically, so exactly one caller changes the row.
    claim: db.prepare(
      'UPDATE article_schedules SET claimed_by = ?, claimed_until = ? WHERE article_id = ? AND publish_at_ms <= ? AND (claimed_until IS NULL OR claimed_until < ?)',
    ),
  };
  return {
    async put(record) {
      q.put.run({ ...record, publishAtMs: Date.parse(record.publishAt) });
    },
    async get(articleId) {
      const row = q.get.get(articleId) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async delete(articleId) {
      q.delete.run(articleId);
    },
    async due(now) {
      return (q.due.all(now, now) as Row[]).map(toRecord);
    },
    async claim(articleId, owner, now, until) {
      return q.claim.run(owner, until, articleId, now, now).changes === 1;
    },
  };
}

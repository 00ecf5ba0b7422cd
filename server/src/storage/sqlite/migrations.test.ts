import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../server.ts';
import { testEnv } from '../../test/harness.ts';
import { openSqliteStore } from './sqlite-store.ts';
import { SQLITE_SCHEMA_VERSION } from './schema.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'copydesk-migrate-'));
  dirs.push(dir);
  return dir;
};

/** Every table's rows, in a stable order: what "intact" means for a store. */
function snapshot(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM ${name} ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}

/**
 * The store as the previous, unversioned Copydesk left it: user_version 0 and no users.deactivated_at
 * (the only change since). Dropping what the migrations added gives exactly that schema.
 */
function downgradeToUnversioned(file: string): void {
  const db = new Database(file);
  db.exec('ALTER TABLE users DROP COLUMN deactivated_at');
  db.pragma('user_version = 0');
  db.close();
}

describe('sqlite schema migrations', () => {
  it('opens a store written by the unversioned schema with every article, version and comment intact', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'copydesk.db');
    // A newsroom with content: the demo seed (users, articles, docs), then a version and a comment.
    const written = openSqliteStore(dataDir);
    const server = await startServer(testEnv({ DATA_DIR: dataDir, SEED_DEMO: 'true' }), { store: written });
    const [article] = await written.articles.list();
    const author = (await written.users.findByUsername('alice'))!;
    await written.versions.create({
      id: 'v-before-upgrade', articleId: article!.id, label: 'Before the upgrade', cause: 'manual', authorId: author.id,
      createdAt: new Date().toISOString(), wordCount: 3, headline: article!.headline, dek: '', text: 'Three words here', html: '<p>Three words here</p>', state: new Uint8Array([0, 0]),
    });
    await written.comments.create({
      id: 'c-before-upgrade', articleId: article!.id, parentId: null, authorId: author.id, body: 'Still here after the upgrade?', status: 'published',
      createdAt: new Date().toISOString(), editedAt: null, deletedAt: null, heldFor: [], matchedWords: [], flaggedAt: null,
    });
    await server.close();
    await written.close();
    downgradeToUnversioned(file);
    const before = snapshot(file);
    expect(before.articles!.length).toBeGreaterThan(0);
    expect(before.versions).toHaveLength(1);
    expect(before.comments).toHaveLength(1);

    const store = openSqliteStore(dataDir);
    try {
      expect((await store.articles.list()).map((a) => a.id).sort()).toEqual((before.articles as { id: string }[]).map((a) => a.id).sort());
      expect((await store.versions.get(article!.id, 'v-before-upgrade'))?.text).toBe('Three words here');
      const alice = await store.users.findByUsername('alice');
      expect(alice?.deactivatedAt ?? null).toBeNull(); // active: no deactivation
      expect(await store.users.update(alice!.id, { deactivatedAt: '2026-01-01T00:00:00.000Z' })).toMatchObject({ deactivatedAt: '2026-01-01T00:00:00.000Z' });
    } finally {
      await store.close();
    }
    const after = snapshot(file);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    db.close();
    // Every row of every table is as it was, plus the new column on users.
    for (const [table, rows] of Object.entries(before)) {
      if (table === 'users') continue;
      expect(after[table], table).toEqual(rows);
    }
    expect(after.users!.map((u) => ({ ...(u as object), deactivated_at: undefined }))).toEqual(
      before.users!.map((u) => ({ ...(u as object), deactivated_at: undefined })),
    );
  });

  it('refuses a store written by a newer Copydesk, naming both versions', () => {
    const dataDir = tempDir();
    openSqliteStore(dataDir).close();
    const db = new Database(join(dataDir, 'copydesk.db'));
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore(dataDir)).toThrow(new RegExp(`schema version ${SQLITE_SCHEMA_VERSION + 1}, newer than this Copydesk understands \\(${SQLITE_SCHEMA_VERSION}\\)`));
  });
});

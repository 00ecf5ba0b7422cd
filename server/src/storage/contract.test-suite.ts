import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Store, UserRecord, ArticleRecord } from './store.ts';

/** The one behaviour every storage driver must have. Each driver's test file calls this. */
export function storageContract(name: string, open: () => Promise<{ store: Store; reopen?: () => Promise<Store> }>) {
  const user = (n: number): UserRecord => ({
    id: `user-${n}`,
    username: `User${n}`,
    displayName: `User ${n}`,
    role: 'writer',
    passwordHash: 'scrypt$x$y',
    createdAt: new Date(2026, 0, n).toISOString(),
  });
  const article = (id: string, updatedAt: string): ArticleRecord => ({
    id,
    headline: `Headline ${id}`,
    status: 'draft',
    createdBy: 'user-1',
    createdAt: updatedAt,
    updatedAt,
  });

  describe(`${name} store`, () => {
    it('stores users and finds them by id and case-insensitive username', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      await store.users.create(user(2));
      expect(await store.users.findById('user-1')).toEqual(user(1));
      expect(await store.users.findByUsername('user2')).toEqual(user(2));
      expect(await store.users.findByUsername('nobody')).toBeNull();
      expect(await store.users.count()).toBe(2);
      expect((await store.users.list()).map((u) => u.id).sort()).toEqual(['user-1', 'user-2']);
      await expect(store.users.create({ ...user(3), username: 'USER1' })).rejects.toThrow();
      await store.close();
    });

    it('creates, touches and deletes sessions, also all of one user', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      const session = { id: 's1', userId: 'user-1', createdAt: 't0', lastSeenAt: 't0' };
      await store.sessions.create(session);
      await store.sessions.create({ ...session, id: 's2' });
      expect(await store.sessions.find('s1')).toEqual(session);
      await store.sessions.touch('s1', 't1');
      expect((await store.sessions.find('s1'))?.lastSeenAt).toBe('t1');
      await store.sessions.delete('s1');
      expect(await store.sessions.find('s1')).toBeNull();
      await store.sessions.deleteForUser('user-1');
      expect(await store.sessions.find('s2')).toBeNull();
      await store.close();
    });

    it('lists articles newest first and updates them', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      await store.articles.create(article('a', '2026-01-01T00:00:00.000Z'));
      await store.articles.create(article('b', '2026-01-02T00:00:00.000Z'));
      expect((await store.articles.list()).map((a) => a.id)).toEqual(['b', 'a']);
      const updated = await store.articles.update('a', { headline: 'New', updatedAt: '2026-01-03T00:00:00.000Z' });
      expect(updated).toEqual({ ...article('a', '2026-01-01T00:00:00.000Z'), headline: 'New', updatedAt: '2026-01-03T00:00:00.000Z' });
      expect((await store.articles.list()).map((a) => a.id)).toEqual(['a', 'b']);
      expect(await store.articles.update('missing', { headline: 'x' })).toBeNull();
      expect(await store.articles.get('missing')).toBeNull();
      await store.close();
    });

    it('returns every appended update in order, also after reopening', async () => {
      const { store, reopen } = await open();
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      const text = doc.getText('t');
      for (let i = 0; i < 20; i++) text.insert(i, String.fromCharCode(97 + (i % 26)));
      const seq1 = await store.docs.appendUpdates('doc1', updates.slice(0, 5));
      const seq2 = await store.docs.appendUpdates('doc1', updates.slice(5));
      expect(seq2).toBeGreaterThan(seq1);
      await store.docs.appendUpdates('doc2', [updates[0]!]);

      const check = async (s: Store) => {
        const stored = await s.docs.load('doc1');
        expect(stored.snapshot).toBeNull();
        expect(stored.updates.map((u) => u.update)).toEqual(updates);
        const copy = new Y.Doc();
        for (const { update } of stored.updates) Y.applyUpdate(copy, update);
        expect(copy.getText('t').toString()).toBe(text.toString());
      };
      await check(store);
      if (reopen) {
        await store.close();
        const again = await reopen();
        await check(again);
        await again.close();
      } else {
        await store.close();
      }
    });

    it('compaction keeps the document identical and keeps updates appended after it', async () => {
      const { store } = await open();
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      doc.getText('t').insert(0, 'hello world');
      doc.getText('t').delete(0, 6);
      const through = await store.docs.appendUpdates('doc', updates.splice(0));
      const snapshot = Y.encodeStateAsUpdateV2(doc);
      // A write lands between taking the snapshot and compacting: it must survive.
      doc.getText('t').insert(5, '!');
      await store.docs.appendUpdates('doc', updates.splice(0));
      await store.docs.compact('doc', snapshot, through);

      const stored = await store.docs.load('doc');
      expect(stored.snapshot).not.toBeNull();
      expect(stored.updates).toHaveLength(1);
      const copy = new Y.Doc();
      Y.applyUpdateV2(copy, stored.snapshot!);
      for (const { update } of stored.updates) Y.applyUpdate(copy, update);
      expect(copy.getText('t').toString()).toBe('world!');
      expect(await store.docs.size('doc')).toBeGreaterThan(0);
      expect(await store.docs.size('other')).toBe(0);
      expect((await store.docs.load('other')).updates).toEqual([]);
      await store.close();
    });

    it('answers ping while open', async () => {
      const { store } = await open();
      expect(await store.ping()).toBe(true);
      await store.close();
    });
  });
}

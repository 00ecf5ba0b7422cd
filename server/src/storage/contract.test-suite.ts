import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Store, UserRecord, ArticleRecord } from './store.ts';
import { commentStoreContract } from './comment-contract.test-suite.ts';

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
    dek: '',
    status: 'draft',
    slug: `headline-${id}`,
    section: 'News',
    tags: ['floods'],
    byline: ['user-1'],
    assignees: [],
    deadline: null,
    wordCount: 0,
    createdBy: 'user-1',
    createdAt: updatedAt,
    updatedAt,
    publishedAt: null,
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

    it('finds articles by slug and keeps slugs unique', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      await store.articles.create(article('a', '2026-01-01T00:00:00.000Z'));
      expect((await store.articles.findBySlug('headline-a'))?.id).toBe('a');
      expect(await store.articles.findBySlug('nope')).toBeNull();
      await expect(store.articles.create({ ...article('b', '2026-01-01T00:00:00.000Z'), slug: 'headline-a' })).rejects.toThrow();
      await store.close();
    });

    it('appends and lists transitions oldest first', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      await store.articles.create(article('a', '2026-01-01T00:00:00.000Z'));
      const t1 = { id: 't1', articleId: 'a', from: 'draft' as const, to: 'filed' as const, note: null, byUserId: 'user-1', at: '2026-01-01T00:00:01.000Z' };
      const t2 = { ...t1, id: 't2', from: 'filed' as const, to: 'editing' as const, note: 'taking it', at: '2026-01-01T00:00:02.000Z' };
      await store.transitions.append(t1);
      await store.transitions.append(t2);
      expect(await store.transitions.list('a')).toEqual([t1, t2]);
      expect(await store.transitions.list('other')).toEqual([]);
      await store.close();
    });

    it('stores versions with their state and lists summaries newest first', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      await store.articles.create(article('a', '2026-01-01T00:00:00.000Z'));
      const v = (id: string, createdAt: string) => ({
        id,
        articleId: 'a',
        label: `Version ${id}`,
        cause: 'manual' as const,
        authorId: 'user-1',
        createdAt,
        wordCount: 3,
        headline: 'H',
        dek: 'D',
        text: 'one two three',
        html: '<p>one two three</p>',
        state: Uint8Array.from([1, 2, 3]),
      });
      await store.versions.create(v('v1', '2026-01-01T00:00:01.000Z'));
      await store.versions.create(v('v2', '2026-01-01T00:00:02.000Z'));
      const list = await store.versions.list('a');
      expect(list.map((x) => x.id)).toEqual(['v2', 'v1']);
      expect(list[0]).toEqual({ id: 'v2', articleId: 'a', label: 'Version v2', cause: 'manual', authorId: 'user-1', createdAt: '2026-01-01T00:00:02.000Z', wordCount: 3 });
      expect(await store.versions.get('a', 'v1')).toEqual(v('v1', '2026-01-01T00:00:01.000Z'));
      expect(await store.versions.get('a', 'nope')).toBeNull();
      await store.close();
    });

    it('puts published pages and finds them by article and slug', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      await store.articles.create(article('a', '2026-01-01T00:00:00.000Z'));
      await store.articles.create(article('b', '2026-01-01T00:00:00.000Z'));
      const page = (articleId: string, at: string) => ({
        articleId,
        slug: `slug-${articleId}`,
        headline: 'H',
        dek: 'D',
        bylineNames: ['User 1'],
        section: 'News' as const,
        html: '<p>x</p>',
        text: 'x',
        firstPublishedAt: at,
        updatedAt: at,
        corrections: [],
        killed: null,
      });
      await store.published.put(page('a', '2026-01-01T00:00:01.000Z'));
      await store.published.put(page('b', '2026-01-01T00:00:02.000Z'));
      expect(await store.published.getBySlug('slug-a')).toEqual(page('a', '2026-01-01T00:00:01.000Z'));
      const corrected = { ...page('a', '2026-01-01T00:00:01.000Z'), corrections: [{ note: 'Fixed a name', at: 't' }] };
      await store.published.put(corrected);
      expect(await store.published.get('a')).toEqual(corrected);
      expect((await store.published.list()).map((p) => p.articleId)).toEqual(['b', 'a']);
      expect(await store.published.getBySlug('nope')).toBeNull();
      await store.close();
    });

    it('keeps one schedule per article and lets exactly one caller claim a due one until its claim expires', async () => {
      const { store } = await open();
      await store.users.create(user(1));
      for (const id of ['s1', 's2']) await store.articles.create(article(id, new Date(2026, 0, 1).toISOString()));
      const at = (ms: number) => new Date(ms).toISOString();
      const t0 = Date.parse('2026-12-03T10:00:00.000Z');
      await store.schedules.put({ articleId: 's1', publishAt: at(t0 + 60_000), byUserId: 'user-1', versionId: 'v1' });
      await store.schedules.put({ articleId: 's2', publishAt: at(t0 + 1_000), byUserId: 'user-1', versionId: 'v2' });
      expect(await store.schedules.get('s1')).toEqual({ articleId: 's1', publishAt: at(t0 + 60_000), byUserId: 'user-1', versionId: 'v1' });
      expect(await store.schedules.due(t0)).toEqual([]);
      expect((await store.schedules.due(t0 + 60_000)).map((s) => s.articleId)).toEqual(['s2', 's1']);

      // Not due yet: nobody can claim it. Due: one claim wins, a second one loses while it lives.
      expect(await store.schedules.claim('s1', 'A', t0, t0 + 30_000)).toBe(false);
      const now = t0 + 2_000;
      const claims = await Promise.all(['A', 'B', 'C'].map((owner) => store.schedules.claim('s2', owner, now, now + 30_000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store.schedules.due(now)).map((s) => s.articleId)).toEqual([]);
      // The winner crashed: after its lease the schedule is due and claimable again.
      expect((await store.schedules.due(now + 31_000)).map((s) => s.articleId)).toEqual(['s2']);
      expect(await store.schedules.claim('s2', 'B', now + 31_000, now + 61_000)).toBe(true);

      // Rescheduling drops the claim; deleting removes it.
      await store.schedules.put({ articleId: 's2', publishAt: at(t0 + 5_000), byUserId: 'user-1', versionId: 'v3' });
      expect((await store.schedules.due(t0 + 6_000)).map((s) => s.versionId)).toEqual(['v3']);
      await store.schedules.delete('s2');
      expect(await store.schedules.get('s2')).toBeNull();
      expect(await store.schedules.due(t0 + 120_000)).toEqual([expect.objectContaining({ articleId: 's1' })]);
      await store.close();
    });

    it('answers ping while open', async () => {
      const { store } = await open();
      expect(await store.ping()).toBe(true);
      await store.close();
    });

    commentStoreContract(open);
  });
}

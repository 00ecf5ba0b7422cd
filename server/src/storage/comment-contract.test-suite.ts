import { expect, it } from 'vitest';
import type { ArticleRecord, CommentRecord, EditorialCommentRecord, NotificationRecord, Store, UserRecord } from './store.ts';

/**
 * The comment part of the storage contract (reader comments, moderation settings, editorial
 * comments, notifications). Called from inside `storageContract`, so every driver runs it.
 */
export function commentStoreContract(open: () => Promise<{ store: Store; reopen?: () => Promise<Store> }>) {
  const user: UserRecord = { id: 'u1', username: 'u1', displayName: 'U 1', role: 'reader', passwordHash: 'scrypt$x$y', createdAt: '2026-01-01T00:00:00.000Z' };
  const article = (id: string): ArticleRecord => ({
    id,
    headline: id,
    dek: '',
    status: 'published',
    slug: `slug-${id}`,
    section: 'News',
    tags: [],
    byline: ['u1'],
    assignees: [],
    deadline: null,
    wordCount: 0,
    createdBy: 'u1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    publishedAt: '2026-01-01T00:00:00.000Z',
  });
  const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
  const comment = (id: string, n: number, extra: Partial<CommentRecord> = {}): CommentRecord => ({
    id,
    articleId: 'a',
    parentId: null,
    authorId: 'u1',
    body: `body ${id}`,
    status: 'published',
    createdAt: at(n),
    editedAt: null,
    deletedAt: null,
    heldFor: [],
    matchedWords: [],
    flaggedAt: null,
    ...extra,
  });
  const setUp = async () => {
    const opened = await open();
    await opened.store.users.create(user);
    await opened.store.articles.create(article('a'));
    await opened.store.articles.create(article('b'));
    return opened;
  };
  const ids = (list: Array<{ id: string }>) => list.map((c) => c.id);

  it('stores reader comments and pages visible threads by (createdAt, id) both ways', async () => {
    const { store, reopen } = await setUp();
    // Two comments in the same millisecond: the id breaks the tie.
    for (const c of [comment('c1', 1), comment('c2', 2), comment('c3', 3), comment('c3b', 3), comment('c4', 4)]) await store.comments.create(c);
    await store.comments.create(comment('p', 5, { status: 'pending', heldFor: ['premod'] }));
    await store.comments.create(comment('other', 6, { articleId: 'b' }));
    expect(await store.comments.get('c1')).toEqual(comment('c1', 1));
    expect(await store.comments.get('nope')).toBeNull();

    const newest = await store.comments.list({ articleId: 'a', parentId: null, order: 'newest', limit: 2 });
    expect(ids(newest)).toEqual(['c4', 'c3b']);
    const next = await store.comments.list({ articleId: 'a', parentId: null, order: 'newest', limit: 2, after: newest[1]! });
    expect(ids(next)).toEqual(['c3', 'c2']);
    const last = await store.comments.list({ articleId: 'a', parentId: null, order: 'newest', limit: 2, after: next[1]! });
    expect(ids(last)).toEqual(['c1']);
    const oldest = await store.comments.list({ articleId: 'a', parentId: null, order: 'oldest', limit: 3 });
    expect(ids(oldest)).toEqual(['c1', 'c2', 'c3']);
    expect(ids(await store.comments.list({ articleId: 'a', parentId: null, order: 'oldest', limit: 3, after: oldest[2]! }))).toEqual(['c3b', 'c4']);
    expect(await store.comments.countVisible('a')).toBe(5);
    expect(await store.comments.countVisible('b')).toBe(1);

    if (reopen) {
      await store.close();
      const again = await reopen();
      expect(ids(await again.comments.list({ articleId: 'a', parentId: null, order: 'newest', limit: 10 }))).toEqual(['c4', 'c3b', 'c3', 'c2', 'c1']);
      expect(await again.comments.get('p')).toEqual(comment('p', 5, { status: 'pending', heldFor: ['premod'] }));
      await again.close();
    } else {
      await store.close();
    }
  });

  it('keeps replies under their thread and returns the newest few of each, oldest first', async () => {
    const { store } = await setUp();
    await store.comments.create(comment('t1', 1));
    await store.comments.create(comment('t2', 2));
    for (let i = 0; i < 4; i++) await store.comments.create(comment(`r1-${i}`, 10 + i, { parentId: 't1' }));
    await store.comments.create(comment('r2-0', 20, { parentId: 't2' }));
    await store.comments.create(comment('r2-hidden', 21, { parentId: 't2', status: 'pending' }));

    expect(ids(await store.comments.list({ articleId: 'a', parentId: null, order: 'newest', limit: 10 }))).toEqual(['t2', 't1']);
    expect(ids(await store.comments.latestReplies('a', ['t2', 't1'], 2))).toEqual(['r2-0', 'r1-2', 'r1-3']);
    expect(ids(await store.comments.list({ articleId: 'a', parentId: 't1', order: 'newest', limit: 10 }))).toEqual(['r1-3', 'r1-2', 'r1-1', 'r1-0']);
    expect(await store.comments.latestReplies('a', [], 2)).toEqual([]);
    expect(await store.comments.countVisible('a')).toBe(7);
    await store.close();
  });

  it('moves comments in and out of view as they change, and counts only what readers can see', async () => {
    const { store } = await setUp();
    await store.comments.create(comment('t', 1));
    await store.comments.create(comment('r', 2, { parentId: 't' }));
    await store.comments.create(comment('p', 3, { status: 'pending', heldFor: ['banned_word'], matchedWords: ['spam'] }));
    expect(ids(await store.comments.pendingOf('a', 'u1'))).toEqual(['p']);
    expect(await store.comments.countVisible('a')).toBe(2);

    const approved = await store.comments.update('p', { status: 'published' });
    expect(approved?.status).toBe('published');
    expect(await store.comments.pendingOf('a', 'u1')).toEqual([]);
    expect(await store.comments.countVisible('a')).toBe(3);

    // A thread's first comment held for review hides its replies from the count too.
    await store.comments.update('t', { status: 'pending', editedAt: at(9), body: 'edited' });
    expect(await store.comments.countVisible('a')).toBe(1);
    expect(ids(await store.comments.list({ articleId: 'a', parentId: null, order: 'newest', limit: 10 }))).toEqual(['p']);
    await store.comments.update('t', { status: 'published' });
    expect(await store.comments.get('t')).toMatchObject({ body: 'edited', editedAt: at(9), status: 'published' });

    await store.comments.update('t', { deletedAt: at(10) });
    await store.comments.deleteReplies('t', at(10));
    expect((await store.comments.get('r'))?.deletedAt).toBe(at(10));
    expect(await store.comments.countVisible('a')).toBe(1);
    expect(await store.comments.list({ articleId: 'a', parentId: 't', order: 'newest', limit: 10 })).toEqual([]);
    expect(await store.comments.update('missing', { status: 'rejected' })).toBeNull();
    await store.close();
  });

  it('queues pending and flagged comments newsroom-wide, oldest first, and records one report per person', async () => {
    const { store } = await setUp();
    await store.comments.create(comment('ok', 1));
    await store.comments.create(comment('p1', 2, { status: 'pending' }));
    await store.comments.create(comment('p2', 3, { status: 'pending', articleId: 'b' }));
    await store.comments.create(comment('gone', 4, { status: 'pending', deletedAt: at(5) }));
    expect(ids(await store.comments.queue(10))).toEqual(['p1', 'p2']);

    expect(await store.comments.addReport({ commentId: 'ok', userId: 'u1', reason: 'rude', at: at(6) })).toBe(true);
    expect(await store.comments.addReport({ commentId: 'ok', userId: 'u1', reason: 'again', at: at(7) })).toBe(false);
    expect(await store.comments.addReport({ commentId: 'ok', userId: 'u2', reason: null, at: at(8) })).toBe(true);
    expect(await store.comments.reports('ok')).toEqual([
      { commentId: 'ok', userId: 'u1', reason: 'rude', at: at(6) },
      { commentId: 'ok', userId: 'u2', reason: null, at: at(8) },
    ]);
    await store.comments.update('ok', { flaggedAt: at(6) });
    expect(ids(await store.comments.queue(10))).toEqual(['ok', 'p1', 'p2']);
    expect(ids(await store.comments.queue(1))).toEqual(['ok']);
    await store.comments.update('ok', { flaggedAt: null });
    await store.comments.update('p1', { status: 'rejected' });
    expect(ids(await store.comments.queue(10))).toEqual(['p2']);
    await store.close();
  });

  it('lists every comment of an article in any state, oldest first, for backups', async () => {
    const { store } = await setUp();
    await store.comments.create(comment('x2', 2, { status: 'pending', heldFor: ['premod'] }));
    await store.comments.create(comment('x1', 1));
    await store.comments.create(comment('x3', 3, { parentId: 'x1' }));
    await store.comments.create(comment('elsewhere', 4, { articleId: 'b' }));
    await store.comments.update('x1', { status: 'rejected' });
    const all = await store.comments.allOf('a');
    expect(ids(all)).toEqual(['x1', 'x2', 'x3']);
    expect(all[0]!.status).toBe('rejected');
    expect(await store.comments.allOf('none')).toEqual([]);
    await store.close();
  });

  it('keeps banned words and per-article moderation modes', async () => {
    const { store, reopen } = await setUp();
    expect(await store.moderation.bannedWords()).toEqual([]);
    await store.moderation.setBannedWords(['spam', 'scam']);
    expect(await store.moderation.bannedWords()).toEqual(['scam', 'spam']);
    await store.moderation.setBannedWords(['fraud']);
    expect(await store.moderation.bannedWords()).toEqual(['fraud']);
    expect(await store.moderation.mode('a')).toBe('open');
    await store.moderation.setMode('a', 'premod');
    expect(await store.moderation.mode('a')).toBe('premod');
    expect(await store.moderation.mode('b')).toBe('open');
    const again = reopen ? (await store.close(), await reopen()) : store;
    expect(await again.moderation.bannedWords()).toEqual(['fraud']);
    expect(await again.moderation.mode('a')).toBe('premod');
    await again.moderation.setBannedWords([]);
    expect(await again.moderation.bannedWords()).toEqual([]);
    await again.close();
  });

  it('stores editorial threads and deletes a thread with its replies', async () => {
    const { store } = await setUp();
    const editorial = (id: string, n: number, extra: Partial<EditorialCommentRecord> = {}): EditorialCommentRecord => ({
      id,
      articleId: 'a',
      parentId: null,
      authorId: 'u1',
      body: `note ${id}`,
      anchor: { start: 'AQID', end: 'BAUG', quote: 'the words' },
      resolvedBy: null,
      resolvedAt: null,
      mentions: ['u2'],
      source: null,
      createdAt: at(n),
      editedAt: null,
      ...extra,
    });
    await store.editorial.create(editorial('e2', 2));
    await store.editorial.create(editorial('e1', 1, { source: { commentId: 'c', authorName: 'Rita', body: 'wrong date' }, anchor: null }));
    await store.editorial.create(editorial('e1r', 3, { parentId: 'e1', anchor: null }));
    await store.editorial.create(editorial('eb', 4, { articleId: 'b' }));
    expect(ids(await store.editorial.list('a'))).toEqual(['e1', 'e2', 'e1r']);
    expect(await store.editorial.get('e2')).toEqual(editorial('e2', 2));
    const resolved = await store.editorial.update('e1', { resolvedBy: 'u1', resolvedAt: at(9) });
    expect(resolved).toMatchObject({ resolvedBy: 'u1', resolvedAt: at(9), source: { authorName: 'Rita' } });
    expect(await store.editorial.get('e1')).toEqual(resolved);
    expect(await store.editorial.update('missing', { body: 'x' })).toBeNull();

    expect((await store.editorial.delete('e1')).sort()).toEqual(['e1', 'e1r']);
    expect(ids(await store.editorial.list('a'))).toEqual(['e2']);
    expect(await store.editorial.delete('missing')).toEqual([]);
    await store.close();
  });

  it('lists notifications newest first and marks them read, some or all, only for their owner', async () => {
    const { store } = await setUp();
    const note = (id: string, n: number, userId = 'u1'): NotificationRecord => ({
      id,
      userId,
      kind: 'mention',
      articleId: 'a',
      commentId: 'e1',
      byUserId: 'u2',
      excerpt: `@u1 look ${id}`,
      createdAt: at(n),
      readAt: null,
    });
    for (const n of [note('n1', 1), note('n2', 2), note('n3', 3), note('x', 4, 'u2')]) await store.notifications.create(n);
    expect(ids(await store.notifications.list('u1', 10))).toEqual(['n3', 'n2', 'n1']);
    expect(ids(await store.notifications.list('u1', 2))).toEqual(['n3', 'n2']);
    expect(await store.notifications.unreadCount('u1')).toBe(3);
    expect(await store.notifications.markRead('u1', ['n1', 'x'], at(9))).toBe(1);
    expect(await store.notifications.unreadCount('u2')).toBe(1);
    expect((await store.notifications.list('u1', 10)).find((n) => n.id === 'n1')?.readAt).toBe(at(9));
    expect(await store.notifications.markRead('u1', null, at(10))).toBe(2);
    expect(await store.notifications.unreadCount('u1')).toBe(0);
    expect(await store.notifications.markRead('u1', null, at(11))).toBe(0);
    await store.close();
  });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comment, CommentPage, type Article } from '@copydesk/protocol';
import { eventually, startTestServer, tempDir, type TestServer } from '../../test/harness.ts';
import { call, connect, draftArticle, ok, publishedArticle, record, type ClientSocket } from './test-helpers.ts';

let server: TestServer;
const cookies: Record<string, string> = {};
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  // Generous limits here; the rate-limit tests start their own server with the real defaults.
  server = await startTestServer({ COMMENT_RATE_PER_USER: '1000', COMMENT_RATE_PER_IP: '1000' });
  for (const name of ['lead', 'alice', 'bob', 'rita']) cookies[name] = await server.login(name);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await server?.stop();
});

async function socketFor(name?: string): Promise<ClientSocket> {
  const socket = await connect(server, name ? cookies[name] : undefined);
  sockets.push(socket);
  return socket;
}

const published = () => publishedArticle(server, cookies.alice!, cookies.lead!);

async function postRest(articleId: string, who: string, json: unknown): Promise<Response> {
  return server.request(`/api/articles/${articleId}/comments`, { method: 'POST', cookie: cookies[who], json });
}

async function list(articleId: string, query = '', who?: string): Promise<CommentPage> {
  const res = await server.request(`/api/articles/${articleId}/comments${query}`, { cookie: who ? cookies[who] : undefined });
  expect(res.status).toBe(200);
  return CommentPage.parse(await res.json());
}

describe('reader comments, live', () => {
  it("two readers subscribed to one article both receive a third person's comment, and the new count", async () => {
    const article = await published();
    const anonymous = await socketFor();
    const rita = await socketFor('rita');
    const bob = await socketFor('bob');
    const seenByAnonymous = record(anonymous);
    const seenByRita = record(rita);
    for (const socket of [anonymous, rita]) {
      const snapshot = await ok<{ comments: Comment[]; count: number; nextCursor: string | null; mode: string }>(socket, 'comments:subscribe', { articleId: article.id });
      expect(snapshot).toMatchObject({ comments: [], count: 0, nextCursor: null, mode: 'open' });
    }

    const { comment } = await ok<{ comment: Comment }>(bob, 'comment:post', { articleId: article.id, body: 'The bridge closed at 9, not 10.' });
    expect(Comment.parse(comment)).toMatchObject({
      articleId: article.id,
      parentId: null,
      author: { displayName: 'Bob Okafor' },
      body: 'The bridge closed at 9, not 10.',
      status: 'published',
      editedAt: null,
    });
    for (const seen of [seenByAnonymous, seenByRita]) {
      await eventually(() => seen.of('comment:created').length === 1 && seen.of('comments:count').length === 1, 5000, 'comment delivered');
      expect(seen.of('comment:created')[0]).toEqual(comment);
      expect(seen.of('comments:count')[0]).toEqual({ articleId: article.id, count: 1 });
    }

    // A reply over REST reaches them too, under its thread.
    const reply = await postRest(article.id, 'rita', { body: 'Confirmed by the council.', parentId: comment.id });
    expect(reply.status).toBe(201);
    const replyBody = Comment.parse(await reply.json());
    expect(replyBody.parentId).toBe(comment.id);
    await eventually(() => seenByAnonymous.of('comment:created').some((c) => c.id === replyBody.id), 5000, 'reply delivered');

    // After unsubscribing, nothing more arrives.
    anonymous.emit('comments:unsubscribe', { articleId: article.id });
    await ok(anonymous, 'comments:subscribe', { articleId: (await published()).id });
    await ok(bob, 'comment:post', { articleId: article.id, body: 'One more thing.' });
    await eventually(() => seenByRita.of('comment:created').length === 3, 5000, 'third comment');
    expect(seenByAnonymous.of('comment:created')).toHaveLength(2);
  });

  it('replying to a reply joins the same thread (one level deep)', async () => {
    const article = await published();
    const first = Comment.parse(await (await postRest(article.id, 'bob', { body: 'Thread start' })).json());
    const reply = Comment.parse(await (await postRest(article.id, 'rita', { body: 'Reply', parentId: first.id })).json());
    const nested = Comment.parse(await (await postRest(article.id, 'alice', { body: 'Reply to the reply', parentId: reply.id })).json());
    expect(nested.parentId).toBe(first.id);
  });
});

describe('reading pages of comments', () => {
  let article: Article;
  let threads: Comment[];

  beforeAll(async () => {
    article = await published();
    threads = [];
    for (let i = 0; i < 25; i++) threads.push(Comment.parse(await (await postRest(article.id, i % 2 ? 'bob' : 'rita', { body: `Comment ${i}` })).json()));
    for (let i = 0; i < 23; i++) await postRest(article.id, 'alice', { body: `Reply ${i}`, parentId: threads[24]!.id });
  });

  it('pages threads newest first by cursor, with no gaps and no repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: CommentPage = await list(article.id, `?limit=10${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      const top = page.comments.filter((c) => c.parentId === null);
      expect(top.length).toBeLessThanOrEqual(10);
      seen.push(...top.map((c) => c.body));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `Comment ${24 - i}`));
  });

  it('pages oldest first too', async () => {
    const first = await list(article.id, '?limit=20&order=oldest');
    expect(first.comments.filter((c) => !c.parentId).map((c) => c.body)).toEqual(Array.from({ length: 20 }, (_, i) => `Comment ${i}`));
    const second = await list(article.id, `?limit=20&order=oldest&before=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.comments.filter((c) => !c.parentId).map((c) => c.body)).toEqual(['Comment 20', 'Comment 21', 'Comment 22', 'Comment 23', 'Comment 24']);
    expect(second.nextCursor).toBeNull();
  });

  it("brings each thread's newest 20 replies, and the rest page by parentId", async () => {
    const page = await list(article.id, '?limit=1');
    const replies = page.comments.filter((c) => c.parentId === threads[24]!.id);
    expect(replies.map((r) => r.body)).toEqual(Array.from({ length: 20 }, (_, i) => `Reply ${i + 3}`));
    const older = await list(article.id, `?parentId=${threads[24]!.id}&limit=20`);
    expect(older.comments.map((r) => r.body)).toEqual(Array.from({ length: 20 }, (_, i) => `Reply ${22 - i}`));
    const rest = await list(article.id, `?parentId=${threads[24]!.id}&limit=20&before=${encodeURIComponent(older.nextCursor!)}`);
    expect(rest.comments.map((r) => r.body)).toEqual(['Reply 2', 'Reply 1', 'Reply 0']);
    expect(rest.nextCursor).toBeNull();
  });

  it('the socket snapshot is the first page plus the count, never the whole list', async () => {
    const socket = await socketFor();
    const snapshot = await ok<{ comments: Comment[]; count: number; nextCursor: string | null }>(socket, 'comments:subscribe', { articleId: article.id });
    expect(snapshot.count).toBe(48);
    expect(snapshot.comments.filter((c) => !c.parentId)).toHaveLength(20);
    expect(snapshot.nextCursor).not.toBeNull();
  });

  it('refuses bad page parameters with invalid_request', async () => {
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?order=random', '?before=garbage']) {
      const res = await server.request(`/api/articles/${article.id}/comments${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    }
    const oldest = await list(article.id, '?limit=5&order=oldest');
    const mixed = await server.request(`/api/articles/${article.id}/comments?order=newest&before=${encodeURIComponent(oldest.nextCursor!)}`);
    expect(mixed.status).toBe(400);
  });

  it('is public for published articles, and not for drafts', async () => {
    expect((await server.request(`/api/articles/${article.id}/comments`)).status).toBe(200);
    const draft = await draftArticle(server, cookies.alice!);
    const res = await server.request(`/api/articles/${draft.id}/comments`);
    expect(res.status).toBe(403);
    expect((await server.request('/api/articles/nope/comments')).status).toBe(404);
    const socket = await socketFor();
    expect(await call(socket, 'comments:subscribe', { articleId: draft.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('bad input changes nothing', () => {
  it('answers each bad comment with its code, on REST and on the socket, and stores nothing', async () => {
    const article = await published();
    const draft = await draftArticle(server, cookies.alice!);
    const bob = await socketFor('bob');
    const anonymous = await socketFor();
    const watcher = await socketFor();
    await ok(watcher, 'comments:subscribe', { articleId: article.id });
    const seen = record(watcher);

    const cases: Array<{ what: string; articleId: string; input: Record<string, unknown>; code: string; status: number }> = [
      { what: 'empty', articleId: article.id, input: { body: '' }, code: 'invalid_request', status: 400 },
      { what: 'blank', articleId: article.id, input: { body: ' \n\t ' }, code: 'invalid_request', status: 400 },
      { what: 'missing body', articleId: article.id, input: {}, code: 'invalid_request', status: 400 },
      { what: 'not text', articleId: article.id, input: { body: 42 }, code: 'invalid_request', status: 400 },
      { what: 'over 2,000 characters', articleId: article.id, input: { body: 'x'.repeat(2001) }, code: 'invalid_request', status: 400 },
      { what: 'unknown article', articleId: 'no-such-article', input: { body: 'Hello' }, code: 'not_found', status: 404 },
      { what: 'unknown parent', articleId: article.id, input: { body: 'Hello', parentId: 'no-such-comment' }, code: 'not_found', status: 404 },
      { what: 'unpublished article', articleId: draft.id, input: { body: 'Hello' }, code: 'forbidden', status: 403 },
    ];
    for (const c of cases) {
      const res = await postRest(c.articleId, 'bob', c.input);
      expect(res.status, c.what).toBe(c.status);
      const body = await res.json();
      expect(body.error.code, c.what).toBe(c.code);
      expect(body.error.message, c.what).toMatch(/\w/);
      const ack = await call(bob, 'comment:post', { articleId: c.articleId, ...c.input });
      expect(ack, c.what).toMatchObject({ ok: false, error: { code: c.code } });
    }
    // Signed out: reading only.
    expect((await server.request(`/api/articles/${article.id}/comments`, { method: 'POST', json: { body: 'Hi' } })).status).toBe(401);
    expect(await call(anonymous, 'comment:post', { articleId: article.id, body: 'Hi' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // A parent on another article is unknown here.
    const other = await published();
    const elsewhere = Comment.parse(await (await postRest(other.id, 'rita', { body: 'Elsewhere' })).json());
    expect((await postRest(article.id, 'bob', { body: 'Hello', parentId: elsewhere.id })).status).toBe(404);

    expect((await list(article.id, '', 'bob')).comments).toEqual([]);
    expect(await server.ctx.store.comments.countVisible(article.id)).toBe(0);
    expect(await server.ctx.store.comments.pendingOf(article.id, (await server.ctx.store.users.findByUsername('bob'))!.id)).toEqual([]);
    expect(await server.ctx.store.comments.list({ articleId: draft.id, parentId: null, order: 'newest', limit: 10 })).toEqual([]);
    // 2,000 characters exactly is fine.
    expect((await postRest(article.id, 'bob', { body: 'y'.repeat(2000) })).status).toBe(201);
    await eventually(() => seen.of('comment:created').length === 1, 5000, 'the valid comment');
    expect(seen.of('comment:created')).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('refuses the sixth comment in 30 seconds from one person, stores nothing for it, and lets others post', async () => {
    const limited = await startTestServer();
    try {
      const [alice, lead, bob, rita] = await Promise.all(['alice', 'lead', 'bob', 'rita'].map((u) => limited.login(u)));
      const article = await publishedArticle(limited, alice!, lead!);
      const post = (cookie: string, body: string) => limited.request(`/api/articles/${article.id}/comments`, { method: 'POST', cookie, json: { body } });
      for (let i = 0; i < 5; i++) expect((await post(bob!, `Comment ${i}`)).status).toBe(201);
      const sixth = await post(bob!, 'Comment 5');
      expect(sixth.status).toBe(429);
      expect((await sixth.json()).error.code).toBe('rate_limited');
      const socket = await connect(limited, bob);
      expect(await call(socket, 'comment:post', { articleId: article.id, body: 'Over the socket' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      socket.disconnect();
      expect(await limited.ctx.store.comments.countVisible(article.id)).toBe(5);
      // Invalid input does not use up the allowance; other people are not affected.
      expect((await post(rita!, `Rita's comment`)).status).toBe(201);
    } finally {
      await limited.stop();
    }
  });

  it('also limits one address, whoever is signed in', async () => {
    const limited = await startTestServer({ COMMENT_RATE_PER_IP: '3' });
    try {
      const [alice, lead, bob, rita] = await Promise.all(['alice', 'lead', 'bob', 'rita'].map((u) => limited.login(u)));
      const article = await publishedArticle(limited, alice!, lead!);
      const post = (cookie: string) => limited.request(`/api/articles/${article.id}/comments`, { method: 'POST', cookie, json: { body: 'Hello' } });
      expect((await post(bob!)).status).toBe(201);
      expect((await post(rita!)).status).toBe(201);
      expect((await post(alice!)).status).toBe(201);
      const res = await post(lead!);
      expect(res.status).toBe(429);
      expect((await res.json()).error.code).toBe('rate_limited');
    } finally {
      await limited.stop();
    }
  });
});

describe('moderation', () => {
  it('a banned word holds the comment: only its author sees it; approve delivers it live to everyone', async () => {
    await server.request('/api/moderation/banned-words', { method: 'PUT', cookie: cookies.lead, json: { words: ['scam'] } });
    const article = await published();
    const rita = await socketFor('rita');
    const ritaElsewhere = await socketFor('rita');
    const reader = await socketFor();
    const lead = await socketFor('lead');
    const ritaSeen = record(rita);
    const ritaElsewhereSeen = record(ritaElsewhere);
    const readerSeen = record(reader);
    const leadSeen = record(lead);
    await ok(rita, 'comments:subscribe', { articleId: article.id });
    await ok(reader, 'comments:subscribe', { articleId: article.id });
    await ok(lead, 'moderation:subscribe');

    const { comment } = await ok<{ comment: Comment }>(rita, 'comment:post', { articleId: article.id, body: 'This is a SCAM, the figures are wrong.' });
    expect(comment.status).toBe('pending');
    // Her own sockets learn about it; the queue too.
    await eventually(() => ritaSeen.of('comment:created').length === 1 && ritaElsewhereSeen.of('comment:created').length === 1, 5000, 'author sees pending');
    await eventually(() => leadSeen.of('moderation:queued').some((i) => i.comment.id === comment.id), 5000, 'queued');
    expect(leadSeen.of('moderation:queued').find((i) => i.comment.id === comment.id)).toMatchObject({ reasons: ['banned_word'], matchedWords: ['scam'] });

    // Nobody else: a published comment posted after it arrives, the pending one never did.
    await ok(await socketFor('bob'), 'comment:post', { articleId: article.id, body: 'Control comment' });
    await eventually(() => readerSeen.of('comment:created').length === 1, 5000, 'control comment');
    expect(readerSeen.of('comment:created')[0]!.body).toBe('Control comment');
    expect((await list(article.id)).comments.map((c) => c.id)).not.toContain(comment.id);
    expect((await list(article.id, '', 'bob')).comments.map((c) => c.id)).not.toContain(comment.id);
    const own = (await list(article.id, '', 'rita')).comments.find((c) => c.id === comment.id);
    expect(own?.status).toBe('pending');
    expect(await server.ctx.store.comments.countVisible(article.id)).toBe(1);
    const queue = await (await server.request('/api/moderation/queue', { cookie: cookies.lead })).json();
    expect(queue.items.map((i: { comment: Comment }) => i.comment.id)).toContain(comment.id);

    const approved = await server.request(`/api/moderation/comments/${comment.id}/approve`, { method: 'POST', cookie: cookies.lead });
    expect(approved.status).toBe(200);
    expect((await approved.json()).status).toBe('published');
    await eventually(() => readerSeen.of('comment:created').some((c) => c.id === comment.id), 5000, 'approved comment delivered');
    expect(readerSeen.of('comment:created').find((c) => c.id === comment.id)).toMatchObject({ status: 'published', body: comment.body });
    await eventually(() => readerSeen.of('comments:count').some((c) => c.count === 2), 5000, 'count after approval');
    await eventually(() => leadSeen.of('moderation:resolved').some((r) => r.id === comment.id && r.action === 'approve'), 5000, 'resolved');
    // Handled once: a second lead's click gets a clear conflict.
    expect((await server.request(`/api/moderation/comments/${comment.id}/approve`, { method: 'POST', cookie: cookies.lead })).status).toBe(409);
    await server.request('/api/moderation/banned-words', { method: 'PUT', cookie: cookies.lead, json: { words: [] } });
  });

  it("reject removes a pending comment live from its author's view", async () => {
    const article = await published();
    await server.request(`/api/articles/${article.id}/comment-settings`, { method: 'PUT', cookie: cookies.lead, json: { mode: 'premod' } });
    const rita = await socketFor('rita');
    const ritaSeen = record(rita);
    const snapshot = await ok<{ mode: string }>(rita, 'comments:subscribe', { articleId: article.id });
    expect(snapshot.mode).toBe('premod');
    const { comment } = await ok<{ comment: Comment }>(rita, 'comment:post', { articleId: article.id, body: 'A perfectly polite comment.' });
    expect(comment.status).toBe('pending');
    const items = (await (await server.request('/api/moderation/queue', { cookie: cookies.lead })).json()).items as Array<{ comment: Comment; reasons: string[] }>;
    expect(items.find((i) => i.comment.id === comment.id)?.reasons).toEqual(['premod']);

    const rejected = await server.request(`/api/moderation/comments/${comment.id}/reject`, { method: 'POST', cookie: cookies.lead });
    expect((await rejected.json()).status).toBe('rejected');
    await eventually(() => ritaSeen.of('comment:removed').length === 1, 5000, 'removal delivered');
    expect(ritaSeen.of('comment:removed')[0]).toEqual({ id: comment.id, articleId: article.id, reason: 'rejected' });
    expect((await list(article.id, '', 'rita')).comments).toEqual([]);
    const after = (await (await server.request('/api/moderation/queue', { cookie: cookies.lead })).json()).items as Array<{ comment: Comment }>;
    expect(after.map((i) => i.comment.id)).not.toContain(comment.id);
  });

  it('a lead removes a published comment and it disappears live everywhere; a report puts one back in the queue', async () => {
    const article = await published();
    const reader = await socketFor();
    const readerSeen = record(reader);
    await ok(reader, 'comments:subscribe', { articleId: article.id });
    const bob = await socketFor('bob');
    const { comment } = await ok<{ comment: Comment }>(bob, 'comment:post', { articleId: article.id, body: 'Rude remark' });

    const rita = await socketFor('rita');
    expect(await call(rita, 'comment:report', { id: comment.id, reason: 'Insulting' })).toEqual({ ok: true });
    expect(await call(bob, 'comment:report', { id: comment.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const report = await server.request(`/api/articles/${article.id}/comments/${comment.id}/report`, { method: 'POST', cookie: cookies.alice, json: {} });
    expect(report.status).toBe(204);
    const items = (await (await server.request('/api/moderation/queue', { cookie: cookies.lead })).json()).items as Array<{
      comment: Comment;
      reasons: string[];
      reports: Array<{ by: { displayName: string }; reason: string | null }>;
    }>;
    const item = items.find((i) => i.comment.id === comment.id)!;
    expect(item.reasons).toEqual(['reported']);
    expect(item.reports.map((r) => [r.by.displayName, r.reason])).toEqual([
      ['Rita Reader', 'Insulting'],
      ['Alice Moreau', null],
    ]);
    // Still visible while it waits.
    expect((await list(article.id)).comments.map((c) => c.id)).toContain(comment.id);

    await server.request(`/api/moderation/comments/${comment.id}/reject`, { method: 'POST', cookie: cookies.lead });
    await eventually(() => readerSeen.of('comment:removed').length === 1, 5000, 'removal delivered');
    expect(readerSeen.of('comment:removed')[0]).toEqual({ id: comment.id, articleId: article.id, reason: 'removed' });
    await eventually(() => readerSeen.of('comments:count').at(-1)?.count === 0, 5000, 'count back to 0');
    expect((await list(article.id)).comments).toEqual([]);
  });

  it('only leads moderate', async () => {
    for (const who of ['alice', 'rita']) {
      expect((await server.request('/api/moderation/queue', { cookie: cookies[who] })).status).toBe(403);
      expect((await server.request('/api/moderation/banned-words', { method: 'PUT', cookie: cookies[who], json: { words: ['x'] } })).status).toBe(403);
    }
    expect((await server.request('/api/moderation/queue')).status).toBe(401);
    const socket = await socketFor('alice');
    expect(await call(socket, 'moderation:subscribe')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const article = await published();
    expect((await server.request(`/api/articles/${article.id}/comment-settings`, { method: 'PUT', cookie: cookies.alice, json: { mode: 'premod' } })).status).toBe(403);
  });
});

describe('editing and deleting your own comment', () => {
  it('edits within five minutes reach everyone; others cannot edit; a banned word sends it back to review', async () => {
    const article = await published();
    const reader = await socketFor();
    const readerSeen = record(reader);
    await ok(reader, 'comments:subscribe', { articleId: article.id });
    const bob = await socketFor('bob');
    const bobSeen = record(bob);
    await ok(bob, 'comments:subscribe', { articleId: article.id });
    const { comment } = await ok<{ comment: Comment }>(bob, 'comment:post', { articleId: article.id, body: 'Teh bridge' });

    const { comment: edited } = await ok<{ comment: Comment }>(bob, 'comment:edit', { id: comment.id, body: 'The bridge' });
    expect(edited.body).toBe('The bridge');
    expect(edited.editedAt).not.toBeNull();
    await eventually(() => readerSeen.of('comment:updated').some((c) => c.body === 'The bridge'), 5000, 'edit delivered');
    expect(await call(await socketFor('rita'), 'comment:edit', { id: comment.id, body: 'Hijacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const patch = await server.request(`/api/articles/${article.id}/comments/${comment.id}`, { method: 'PATCH', cookie: cookies.bob, json: { body: '' } });
    expect(patch.status).toBe(400);

    await server.request('/api/moderation/banned-words', { method: 'PUT', cookie: cookies.lead, json: { words: ['fraud'] } });
    const held = await server.request(`/api/articles/${article.id}/comments/${comment.id}`, { method: 'PATCH', cookie: cookies.bob, json: { body: 'The bridge is a fraud' } });
    expect((await held.json()).status).toBe('pending');
    await eventually(() => readerSeen.of('comment:removed').some((r) => r.id === comment.id), 5000, 'held comment leaves other views');
    expect(readerSeen.of('comment:removed')[0]).toMatchObject({ reason: 'held' });
    await eventually(() => bobSeen.of('comment:updated').some((c) => c.status === 'pending'), 5000, 'author sees it awaiting review');
    expect(bobSeen.of('comment:removed')).toEqual([]);
    await server.request('/api/moderation/banned-words', { method: 'PUT', cookie: cookies.lead, json: { words: [] } });
  });

  it('refuses edits after five minutes', async () => {
    const article = await published();
    const bob = await server.ctx.store.users.findByUsername('bob');
    await server.ctx.store.comments.create({
      id: 'old-comment',
      articleId: article.id,
      parentId: null,
      authorId: bob!.id,
      body: 'Posted a while ago',
      status: 'published',
      createdAt: new Date(Date.now() - 5 * 60 * 1000 - 1000).toISOString(),
      editedAt: null,
      deletedAt: null,
      heldFor: [],
      matchedWords: [],
      flaggedAt: null,
    });
    const res = await server.request(`/api/articles/${article.id}/comments/old-comment`, { method: 'PATCH', cookie: cookies.bob, json: { body: 'Changed' } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/5 minutes/);
    expect((await server.ctx.store.comments.get('old-comment'))?.body).toBe('Posted a while ago');
  });

  it('deleting a thread removes it and its replies live, and the count follows', async () => {
    const article = await published();
    const reader = await socketFor();
    const readerSeen = record(reader);
    await ok(reader, 'comments:subscribe', { articleId: article.id });
    const first = Comment.parse(await (await postRest(article.id, 'bob', { body: 'Thread' })).json());
    await postRest(article.id, 'rita', { body: 'Reply', parentId: first.id });
    await postRest(article.id, 'rita', { body: 'Standalone' });
    await eventually(() => readerSeen.of('comments:count').at(-1)?.count === 3, 5000, 'three comments');

    expect((await server.request(`/api/articles/${article.id}/comments/${first.id}`, { method: 'DELETE', cookie: cookies.rita })).status).toBe(403);
    expect((await server.request(`/api/articles/${article.id}/comments/${first.id}`, { method: 'DELETE', cookie: cookies.bob })).status).toBe(204);
    await eventually(() => readerSeen.of('comment:removed').some((r) => r.id === first.id && r.reason === 'deleted'), 5000, 'deletion delivered');
    await eventually(() => readerSeen.of('comments:count').at(-1)?.count === 1, 5000, 'count after deletion');
    expect((await list(article.id)).comments.map((c) => c.body)).toEqual(['Standalone']);
    expect((await server.request(`/api/articles/${article.id}/comments/${first.id}`, { method: 'DELETE', cookie: cookies.bob })).status).toBe(404);
  });
});

describe('comment bodies are plain text', () => {
  it('stores markup verbatim and renders it inert on the reader page, with links marked nofollow ugc', async () => {
    const article = await published();
    const body = '<img src=x onerror=alert(1)> <script>alert(2)</script> see https://example.com/report?a=1&b=2.';
    const res = await postRest(article.id, 'rita', { body });
    expect(res.status).toBe(201);
    const created = Comment.parse(await res.json());
    expect(created.body).toBe(body);
    expect((await server.ctx.store.comments.get(created.id))?.body).toBe(body);
    expect((await list(article.id)).comments[0]!.body).toBe(body);

    const html = await (await server.request(`/news/${article.slug}`)).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(2)');
    expect(html).toContain('<a href="https://example.com/report?a=1&amp;b=2" rel="nofollow ugc noopener" target="_blank">https://example.com/report?a=1&amp;b=2</a>.');
    expect(html).toMatch(/data-testid="comment-count">1</);
  });
});

describe('the reader page script', () => {
  it('is referenced from the built client manifest, with its styles, and never inline', async () => {
    const dist = tempDir();
    mkdirSync(join(dist, '.vite'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(
      join(dist, '.vite', 'manifest.json'),
      JSON.stringify({
        'src/features/comments/reader/main.tsx': { file: 'assets/reader-abc123.js', isEntry: true, imports: ['_shared.js'], css: ['assets/reader-def456.css'] },
        '_shared.js': { file: 'assets/shared-789.js' },
      }),
    );
    const withClient = await startTestServer({ CLIENT_DIST: dist });
    try {
      const [alice, lead] = await Promise.all([withClient.login('alice'), withClient.login('lead')]);
      const article = await publishedArticle(withClient, alice, lead);
      const res = await withClient.request(`/news/${article.slug}`);
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/assets/reader-abc123.js"></script>');
      expect(html).toContain('<link rel="stylesheet" href="/assets/reader-def456.css">');
      expect(html).toContain('<link rel="modulepreload" href="/assets/shared-789.js">');
      expect(html).not.toMatch(/<script>(?!<\/script>)/);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      await withClient.stop();
    }
  });
});

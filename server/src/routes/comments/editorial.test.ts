import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor, findInBody, resolveAnchor, bodyTextBetween, getBody } from '@copydesk/article-doc';
import { Comment, EditorialComment, Notification, type Article } from '@copydesk/protocol';
import { connectClient, eventually, startTestServer, waitForSync, type TestServer } from '../../test/harness.ts';
import { call, connect, ok, publishedArticle, record, type ClientSocket } from './test-helpers.ts';

let server: TestServer;
const cookies: Record<string, string> = {};
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
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

async function draft(headline = 'Council budget'): Promise<Article> {
  return (await (await server.request('/api/articles', { method: 'POST', cookie: cookies.alice, json: { headline } })).json()) as Article;
}

describe('editorial comments', () => {
  it('an anchored comment reaches everyone in the article live, and its anchor resolves on their copy of the doc', async () => {
    const article = await draft();
    // Alice writes a sentence through /collab, then anchors a comment on it from her copy of the doc.
    const writer = connectClient(server.wsUrl, article.id, cookies.alice);
    await waitForSync(writer);
    writer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Officials met at dawn. The council approved the budget on Tuesday.')]);
      getBody(writer.doc).insert(getBody(writer.doc).length, [p]);
    });
    const range = findInBody(writer.doc, 'The council approved the budget on Tuesday.')!;
    const anchor = { ...createAnchor(writer.doc, range)!, quote: 'The council approved the budget on Tuesday.' };

    const alice = await socketFor('alice');
    const bob = await socketFor('bob');
    const bobSeen = record(bob);
    expect(await ok(bob, 'editorial:subscribe', { articleId: article.id })).toMatchObject({ comments: [] });
    const { comment } = await ok<{ comment: EditorialComment }>(alice, 'editorial:post', { articleId: article.id, body: 'Which Tuesday?', anchor });
    expect(EditorialComment.parse(comment)).toMatchObject({ author: { displayName: 'Alice Moreau' }, anchor, resolved: false, parentId: null, mentions: [] });
    await eventually(() => bobSeen.of('editorial:created').length === 1, 5000, 'comment delivered');

    // Bob's copy of the doc, after he types before the sentence: the anchor still covers it.
    const editor = connectClient(server.wsUrl, article.id, cookies.bob);
    await waitForSync(editor);
    const text = (getBody(editor.doc).get(getBody(editor.doc).length - 1) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, 'UPDATE: ');
    await eventually(() => bodyTextBetween(writer.doc, { from: 0, to: 200 }).includes('UPDATE: '), 5000, 'edit synced');
    for (const doc of [writer.doc, editor.doc]) {
      expect(bodyTextBetween(doc, resolveAnchor(doc, bobSeen.of('editorial:created')[0]!.anchor!)!)).toBe('The council approved the budget on Tuesday.');
    }
    writer.destroy();
    editor.destroy();
  });

  it('threads, resolves and reopens live; replies join the thread', async () => {
    const article = await draft();
    const alice = await socketFor('alice');
    const lead = await socketFor('lead');
    const leadSeen = record(lead);
    await ok(lead, 'editorial:subscribe', { articleId: article.id });
    const { comment } = await ok<{ comment: EditorialComment }>(alice, 'editorial:post', { articleId: article.id, body: 'Needs a second source' });
    const { comment: reply } = await ok<{ comment: EditorialComment }>(lead, 'editorial:post', { articleId: article.id, body: 'On it', parentId: comment.id });
    const { comment: nested } = await ok<{ comment: EditorialComment }>(alice, 'editorial:post', { articleId: article.id, body: 'Thanks', parentId: reply.id });
    expect(nested.parentId).toBe(comment.id);

    const { comment: resolved } = await ok<{ comment: EditorialComment }>(alice, 'editorial:resolve', { id: comment.id, resolved: true });
    expect(resolved).toMatchObject({ resolved: true, resolvedBy: { displayName: 'Alice Moreau' } });
    await eventually(() => leadSeen.of('editorial:updated').some((c) => c.id === comment.id && c.resolved), 5000, 'resolved live');
    await ok(lead, 'editorial:resolve', { id: comment.id, resolved: false });
    await eventually(() => leadSeen.of('editorial:updated').some((c) => c.id === comment.id && !c.resolved), 5000, 'reopened live');
    expect(await call(alice, 'editorial:resolve', { id: reply.id, resolved: true })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    // Deleting: only your own (leads any); the thread takes its replies.
    expect(await call(alice, 'editorial:delete', { id: reply.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await ok(lead, 'editorial:delete', { id: comment.id });
    await eventually(() => leadSeen.of('editorial:deleted').length === 3, 5000, 'thread deleted');
    expect((await ok<{ comments: EditorialComment[] }>(alice, 'editorial:subscribe', { articleId: article.id })).comments).toEqual([]);
  });

  it('never reaches readers: they cannot subscribe, list or post', async () => {
    const article = await draft();
    const rita = await socketFor('rita');
    const anonymous = await socketFor();
    expect(await call(rita, 'editorial:subscribe', { articleId: article.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(anonymous, 'editorial:subscribe', { articleId: article.id })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call(rita, 'editorial:post', { articleId: article.id, body: 'Hi' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await server.request(`/api/articles/${article.id}/editorial-comments`, { cookie: cookies.rita })).status).toBe(403);
    expect((await server.request(`/api/articles/${article.id}/editorial-comments`)).status).toBe(401);
    // A published article's reader page and reader comments carry none of it.
    const pub = await publishedArticle(server, cookies.alice!, cookies.lead!);
    await ok(await socketFor('alice'), 'editorial:post', { articleId: pub.id, body: 'SECRET-DESK-NOTE' });
    const html = await (await server.request(`/news/${pub.slug}`)).text();
    expect(html).not.toContain('SECRET-DESK-NOTE');
    expect(JSON.stringify(await ok(rita, 'comments:subscribe', { articleId: pub.id }))).not.toContain('SECRET-DESK-NOTE');
  });

  it('refuses bad editorial input', async () => {
    const article = await draft();
    const alice = await socketFor('alice');
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ articleId: article.id, body: '' }, 'invalid_request'],
      [{ articleId: article.id, body: 'x'.repeat(2001) }, 'invalid_request'],
      [{ articleId: article.id, body: 'x', anchor: { start: '%%%', end: '%%%', quote: '' } }, 'invalid_request'],
      [{ articleId: 'missing', body: 'x' }, 'not_found'],
      [{ articleId: article.id, body: 'x', parentId: 'missing' }, 'not_found'],
    ];
    for (const [input, code] of bad) expect(await call(alice, 'editorial:post', input), JSON.stringify(input).slice(0, 60)).toMatchObject({ ok: false, error: { code } });
    expect((await server.ctx.store.editorial.list(article.id)).length).toBe(0);
  });
});

describe('mentions', () => {
  it('@username notifies that person live in their own room, with an unread badge; marking read clears it', async () => {
    const article = await draft('Ring road closure');
    const bobAnywhere = await socketFor('bob');
    const bobSeen = record(bobAnywhere);
    const ritaSocket = await socketFor('rita');
    const ritaSeen = record(ritaSocket);
    const alice = await socketFor('alice');
    const { comment } = await ok<{ comment: EditorialComment }>(alice, 'editorial:post', {
      articleId: article.id,
      body: '@bob can you confirm the closure times? (cc @rita @alice @nobody)',
    });
    // Readers cannot be mentioned (they cannot see it), nor can the author or unknown names.
    expect(comment.mentions.map((m) => m.displayName)).toEqual(['Bob Okafor']);

    await eventually(() => bobSeen.of('notification:created').length === 1, 5000, 'mention delivered');
    const notification = Notification.parse(bobSeen.of('notification:created')[0]);
    expect(notification).toMatchObject({ kind: 'mention', articleId: article.id, articleHeadline: 'Ring road closure', commentId: comment.id, by: { displayName: 'Alice Moreau' }, readAt: null });
    expect(notification.excerpt).toContain('@bob can you confirm');
    await eventually(() => bobSeen.of('notifications:unread').at(-1)?.unread === 1, 5000, 'badge');
    expect(ritaSeen.of('notification:created')).toEqual([]);

    const listed = await (await server.request('/api/notifications', { cookie: cookies.bob })).json();
    expect(listed.unread).toBe(1);
    expect(listed.notifications[0].id).toBe(notification.id);
    const read = await server.request('/api/notifications/read', { method: 'POST', cookie: cookies.bob, json: { ids: [notification.id] } });
    expect(await read.json()).toEqual({ unread: 0 });
    await eventually(() => bobSeen.of('notifications:unread').at(-1)?.unread === 0, 5000, 'badge cleared in every tab');
    expect((await (await server.request('/api/notifications', { cookie: cookies.bob })).json()).notifications[0].readAt).not.toBeNull();
    expect((await server.request('/api/notifications')).status).toBe(401);
  });
});

describe('reader comments to the desk', () => {
  it('a lead turns a reader comment into an editorial comment on its article, live for the desk', async () => {
    const article = await publishedArticle(server, cookies.alice!, cookies.lead!);
    const readerComment = Comment.parse(
      await (await server.request(`/api/articles/${article.id}/comments`, { method: 'POST', cookie: cookies.rita, json: { body: 'The date is wrong: it was Monday.' } })).json(),
    );
    const alice = await socketFor('alice');
    const aliceSeen = record(alice);
    await ok(alice, 'editorial:subscribe', { articleId: article.id });

    expect((await server.request(`/api/moderation/comments/${readerComment.id}/to-editorial`, { method: 'POST', cookie: cookies.alice, json: {} })).status).toBe(403);
    const res = await server.request(`/api/moderation/comments/${readerComment.id}/to-editorial`, { method: 'POST', cookie: cookies.lead, json: { note: '@alice reader says the date is wrong' } });
    expect(res.status).toBe(201);
    const editorial = EditorialComment.parse(await res.json());
    expect(editorial).toMatchObject({
      articleId: article.id,
      body: '@alice reader says the date is wrong',
      source: { commentId: readerComment.id, authorName: 'Rita Reader', body: 'The date is wrong: it was Monday.' },
      anchor: null,
      mentions: [{ displayName: 'Alice Moreau' }],
    });
    await eventually(() => aliceSeen.of('editorial:created').some((c) => c.id === editorial.id), 5000, 'delivered to the desk');
    await eventually(() => aliceSeen.of('notification:created').some((n) => n.commentId === editorial.id), 5000, 'alice notified');

    // Without a note, the reader's words become the comment.
    const plain = EditorialComment.parse(await (await server.request(`/api/moderation/comments/${readerComment.id}/to-editorial`, { method: 'POST', cookie: cookies.lead, json: {} })).json());
    expect(plain.body).toBe('Reader Rita Reader says: “The date is wrong: it was Monday.”');
  });
});

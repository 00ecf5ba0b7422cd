import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment, EditorialComment } from '@copydesk/protocol';
import { eventually, startTestServer, type TestServer } from '../../test/harness.ts';
import { startRedisServer, type RedisServer } from '../../cluster/processes.ts';
import { connect, ok, publishedArticle, record, type ClientSocket } from './test-helpers.ts';

/** Comments with the Redis driver and two instances: live delivery crosses instances through the Socket.IO adapter. */
let redis: RedisServer;
let a: TestServer;
let b: TestServer;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const prefix = `comments-${randomUUID()}:`;
  a = await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'comments-a' });
  b = await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'comments-b' });
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await a?.stop();
  await b?.stop();
  await redis?.destroy();
});

async function socket(server: TestServer, cookie?: string) {
  const s = await connect(server, cookie);
  sockets.push(s);
  return s;
}

describe('comments across instances (Redis)', () => {
  it('a comment posted on one instance reaches readers on the other; moderation and mentions too', async () => {
    const [alice, lead, bob, rita] = await Promise.all([a.login('alice'), b.login('lead'), b.login('bob'), a.login('rita')]);
    const article = await publishedArticle(a, alice, lead);
    const reader = await socket(a);
    const readerSeen = record(reader);
    await ok(reader, 'comments:subscribe', { articleId: article.id });

    const { comment } = await ok<{ comment: Comment }>(await socket(b, bob), 'comment:post', { articleId: article.id, body: 'Posted on instance B' });
    await eventually(() => readerSeen.of('comment:created').some((c) => c.id === comment.id), 5000, 'cross-instance delivery');
    await eventually(() => readerSeen.of('comments:count').at(-1)?.count === 1, 5000, 'count');

    // Held on A, approved on B, delivered on A.
    await b.request('/api/moderation/banned-words', { method: 'PUT', cookie: lead, json: { words: ['scam'] } });
    const held = await a.request(`/api/articles/${article.id}/comments`, { method: 'POST', cookie: rita, json: { body: 'a scam' } });
    const pending = (await held.json()) as Comment;
    expect(pending.status).toBe('pending');
    expect((await b.request(`/api/moderation/comments/${pending.id}/approve`, { method: 'POST', cookie: lead })).status).toBe(200);
    await eventually(() => readerSeen.of('comment:created').some((c) => c.id === pending.id && c.status === 'published'), 5000, 'approval delivered');

    // A mention made on A reaches Bob on B.
    const bobOnB = await socket(b, bob);
    const bobSeen = record(bobOnB);
    await ok<{ comment: EditorialComment }>(await socket(a, alice), 'editorial:post', { articleId: article.id, body: '@bob please check' });
    await eventually(() => bobSeen.of('notification:created').length === 1, 5000, 'mention across instances');
    expect((await (await b.request(`/api/articles/${article.id}/comments`)).json()).comments).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';

let server: TestServer;
let alice: string;
let rita: string;
beforeAll(async () => {
  server = await startTestServer();
  [alice, rita] = await Promise.all([server.login('alice'), server.login('rita')]);
});
afterAll(() => server.stop());

describe('articles', () => {
  it('a writer creates a draft: 201 with the article', async () => {
    const res = await server.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: '  Tram strike called off  ' } });
    expect(res.status).toBe(201);
    const article = await res.json();
    expect(article).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      headline: 'Tram strike called off',
      dek: '',
      status: 'draft',
      slug: 'tram-strike-called-off',
      section: 'News',
      tags: [],
      byline: [{ id: expect.any(String), displayName: 'Alice Moreau' }],
      assignees: [{ id: expect.any(String), displayName: 'Alice Moreau' }],
      deadline: null,
      wordCount: 0,
      createdBy: article.byline[0].id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      publishedAt: null,
    });
    const fetched = await server.request(`/api/articles/${article.id}`, { cookie: alice });
    expect(fetched.status).toBe(200);
    // The detail adds the approval the status rests on (none for a draft).
    expect(await fetched.json()).toEqual({ ...article, approval: null, changedSinceApproval: false });
    const list = await (await server.request('/api/articles', { cookie: alice })).json();
    expect(list.articles.map((a: { id: string }) => a.id)).toContain(article.id);
  });

  it('refuses a missing or empty headline with 400 naming the field, and stores nothing', async () => {
    const before = (await (await server.request('/api/articles', { cookie: alice })).json()).articles.length;
    for (const json of [{}, { headline: '   ' }, { headline: 'x'.repeat(301) }, { headline: 7 }]) {
      const res = await server.request('/api/articles', { method: 'POST', cookie: alice, json });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toContain('headline');
    }
    const after = (await (await server.request('/api/articles', { cookie: alice })).json()).articles.length;
    expect(after).toBe(before);
  });

  it('needs a session to list or create (401) and a writer role to create (403)', async () => {
    expect((await server.request('/api/articles')).status).toBe(401);
    const anonymous = await server.request('/api/articles', { method: 'POST', json: { headline: 'x' } });
    expect(anonymous.status).toBe(401);
    const reader = await server.request('/api/articles', { method: 'POST', cookie: rita, json: { headline: 'x' } });
    expect(reader.status).toBe(403);
    expect((await reader.json()).error.code).toBe('forbidden');
  });

  it('a reader can neither list nor fetch drafts', async () => {
    const list = await (await server.request('/api/articles', { cookie: rita })).json();
    expect(list.articles).toEqual([]);
    const draft = (await (await server.request('/api/articles', { cookie: alice })).json()).articles[0];
    const res = await server.request(`/api/articles/${draft.id}`, { cookie: rita });
    expect(res.status).toBe(403);
    expect((await server.request(`/api/articles/${draft.id}`)).status).toBe(403);
  });

  it('answers an unknown or malformed id with 404 not_found', async () => {
    for (const id of ['does-not-exist', '..%2F..%2Fetc', 'x'.repeat(80)]) {
      const res = await server.request(`/api/articles/${id}`, { cookie: alice });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { ArticleStatus, ClientToServerEvents, ServerToClientEvents } from '@copydesk/protocol';
import { closeCodeOf, connectClient, eventually, rawSocket, startTestServer, waitForSync, type TestServer } from '../test/harness.ts';

/**
 * The authorisation matrix walked on all three channels (REST, /collab, Socket.IO).
 * Expectations are written out by hand here, not derived from auth/permissions.ts.
 */
type Who = 'anonymous' | 'rita' | 'alice' | 'lead';
const STATUSES: ArticleStatus[] = ['draft', 'filed', 'editing', 'approved', 'scheduled', 'published', 'spiked', 'killed'];
const WHO: Who[] = ['anonymous', 'rita', 'alice', 'lead'];

/** REST read: staff read everything; readers and the public only published stories. */
const canRead = (who: Who, status: ArticleStatus) => who === 'alice' || who === 'lead' || status === 'published';
/** /collab: anonymous 4401, readers 4403 (never working copies), staff open; writers read-only once approved. */
const collabOutcome = (who: Who, status: ArticleStatus): 4401 | 4403 | 'edit' | 'read-only' => {
  if (who === 'anonymous') return 4401;
  if (who === 'rita') return 4403;
  if (who === 'lead') return 'edit';
  return ['draft', 'filed', 'editing'].includes(status) ? 'edit' : 'read-only';
};
/** Socket.IO editorial feed of one article. */
const subscribeOutcome = (who: Who): 'ok' | 'unauthenticated' | 'forbidden' => (who === 'anonymous' ? 'unauthenticated' : who === 'rita' ? 'forbidden' : 'ok');

let server: TestServer;
const cookies: Partial<Record<Who, string>> = {};
const articles = {} as Record<ArticleStatus, string>;

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['rita', 'alice', 'lead'] as const) cookies[who] = await server.login(who);
  for (const status of STATUSES) {
    const res = await server.request('/api/articles', { method: 'POST', cookie: cookies.alice, json: { headline: `A ${status} story` } });
    const { id } = (await res.json()) as { id: string };
    // Put each article straight into its status (the workflow itself is tested elsewhere).
    await server.ctx.store.articles.update(id, { status });
    articles[status] = id;
  }
});
afterAll(() => server.stop());

describe('authorisation matrix', () => {
  for (const who of WHO) {
    for (const status of STATUSES) {
      it(`REST: ${who} ${canRead(who, status) ? 'can' : 'cannot'} read a ${status} article`, async () => {
        const res = await server.request(`/api/articles/${articles[status]}`, { cookie: cookies[who] });
        expect(res.status).toBe(canRead(who, status) ? 200 : 403);
      });

      it(`/collab: ${who} on a ${status} article → ${collabOutcome(who, status)}`, async () => {
        const expected = collabOutcome(who, status);
        if (typeof expected === 'number') {
          expect(await closeCodeOf(rawSocket(`${server.wsUrl}/${articles[status]}`, cookies[who]))).toBe(expected);
          return;
        }
        const client = connectClient(server.wsUrl, articles[status], cookies[who]);
        try {
          await waitForSync(client);
          const marker = `${who}-${status}-${Math.random()}`;
          client.doc.getText('matrix').insert(0, marker);
          if (expected === 'edit') {
            await eventually(() => server.collab.liveDoc(articles[status])?.doc.getText('matrix').toString().includes(marker) ?? false, 5000, 'edit applied');
          } else {
            // The refused edit never reaches the server doc, while the connection stays open.
            const probe = connectClient(server.wsUrl, articles[status], cookies.lead);
            await waitForSync(probe);
            probe.doc.getText('probe').insert(0, 'x');
            await eventually(() => client.doc.getText('probe').toString() === 'x', 5000, 'read-only client still receives');
            expect(server.collab.liveDoc(articles[status])!.doc.getText('matrix').toString()).not.toContain(marker);
            expect(client.closes).toEqual([]);
            probe.destroy();
          }
        } finally {
          client.destroy();
        }
      });

      it(`Socket.IO: ${who} following a ${status} article → ${subscribeOutcome(who)}`, async () => {
        const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(server.url, {
          transports: ['websocket'],
          extraHeaders: cookies[who] ? { cookie: cookies[who]! } : {},
        });
        try {
          const result = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
            socket.emit('article:subscribe', { articleId: articles[status] }, resolve),
          );
          const expected = subscribeOutcome(who);
          if (expected === 'ok') expect(result.ok).toBe(true);
          else expect(result).toMatchObject({ ok: false, error: { code: expected } });
        } finally {
          socket.disconnect();
        }
      });
    }
  }

  it('a writer cannot publish or approve, on REST', async () => {
    for (const to of ['approved', 'published'] as const) {
      const res = await server.request(`/api/articles/${articles.editing}/transitions`, { method: 'POST', cookie: cookies.alice, json: { to } });
      expect([403, 409]).toContain(res.status);
    }
    const publish = await server.request(`/api/articles/${articles.approved}/publish`, { method: 'POST', cookie: cookies.alice, json: {} });
    expect(publish.status).toBe(403);
    expect((await publish.json()).error.code).toBe('forbidden_transition');
  });

  it('logged out, only published pages are served', async () => {
    expect((await server.request('/api/articles')).status).toBe(401);
    expect((await server.request(`/api/articles/${articles.draft}/versions`)).status).toBe(401);
    const slug = (await (await server.request(`/api/articles/${articles.published}`)).json()).slug;
    // Not yet rendered (status set directly), so no page: nothing leaks from the draft either.
    expect((await server.request(`/news/${slug}`)).status).toBe(404);
  });
});

import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBody } from '@copydesk/article-doc';
import type { ApiError, Article, ArticleDetail, Transition } from '@copydesk/protocol';
import { connectClient, eventually, loginAt, spawnServerProcess, startTestServer, tempDir, waitForSync, type TestServer } from '../../test/harness.ts';
import { cleanupAfterEach, privateRedis } from '../../test/hooks.ts';

/** Scheduled publishing: the approved version goes out at its time, once, whatever happens in between. */
const cleanup = cleanupAfterEach();

type Call = (path: string, init?: { method?: string; json?: unknown; cookie?: string }) => Promise<Response>;

function caller(baseUrl: string): Call {
  return (path, init = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), origin: baseUrl },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
}

/** An article taken through the workflow to approved by the lead. */
async function approvedArticle(call: Call, alice: string, lead: string, headline: string): Promise<Article> {
  const created = (await (await call('/api/articles', { json: { headline }, cookie: alice })).json()) as Article;
  for (const to of ['filed', 'editing', 'approved']) {
    const res = await call(`/api/articles/${created.id}/transitions`, { json: { to }, cookie: lead });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  return created;
}

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function transitionsOf(call: Call, id: string, cookie: string): Promise<Transition[]> {
  return ((await (await call(`/api/articles/${id}/transitions`, { cookie })).json()) as { transitions: Transition[] }).transitions;
}

describe('scheduled publishing (one instance)', () => {
  let server: TestServer;
  let call: Call;
  let alice: string;
  let lead: string;
  beforeAll(async () => {
    server = await startTestServer({ SCHEDULE_POLL_MS: '100' });
    call = caller(server.url);
    [alice, lead] = await Promise.all([server.login('alice'), server.login('lead')]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('publishes the approved version at its time, once; the reader page is 404 until then', async () => {
    const article = await approvedArticle(call, alice, lead, 'Embargoed results');
    const scheduled = await call(`/api/articles/${article.id}/schedule`, { json: { publishAt: inMs(1_500) }, cookie: lead });
    expect(scheduled.status, await scheduled.clone().text()).toBe(200);
    const body = (await scheduled.json()) as Article;
    expect(body).toMatchObject({ status: 'scheduled', scheduledFor: expect.any(String) });
    expect((await server.request(`/news/${body.slug}`)).status).toBe(404);

    // An edit after scheduling stays in the working copy: the approved version is what goes out.
    const editor = connectClient(server.wsUrl, article.id, lead);
    cleanup.push(() => editor.destroy());
    await waitForSync(editor);
    writeBody(editor.doc, [{ type: 'paragraph', text: 'Late addition, not approved.' }]);

    await eventually(async () => ((await (await call(`/api/articles/${article.id}`, { cookie: lead })).json()) as Article).status === 'published', 10_000, 'published');
    const page = await server.request(`/news/${body.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Embargoed results');
    expect(html).not.toContain('Late addition');
    const published = (await transitionsOf(call, article.id, lead)).filter((t) => t.to === 'published');
    expect(published).toEqual([expect.objectContaining({ from: 'scheduled', note: 'Published as scheduled', by: expect.objectContaining({ displayName: 'Lena Desk' }) })]);
    // The working copy now differs from what was published and approved.
    expect(((await (await call(`/api/articles/${article.id}`, { cookie: lead })).json()) as ArticleDetail).changedSinceApproval).toBe(true);
  });

  it('cancels a schedule back to approved, and nothing is published', async () => {
    const article = await approvedArticle(call, alice, lead, 'Held back');
    expect((await call(`/api/articles/${article.id}/schedule`, { json: { publishAt: inMs(800) }, cookie: lead })).status).toBe(200);
    const cancelled = await call(`/api/articles/${article.id}/schedule`, { method: 'DELETE', cookie: lead });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as Article).status).toBe('approved');
    expect(await server.ctx.store.schedules.get(article.id)).toBeNull();
    expect((await call(`/api/articles/${article.id}/schedule`, { method: 'DELETE', cookie: lead })).status).toBe(409);
  });

  it('refuses what no desk should do, and changes nothing', async () => {
    const article = await approvedArticle(call, alice, lead, 'Not like this');
    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(((await res.json()) as ApiError).error.code).toBe(code);
    };
    await expectError(await call(`/api/articles/${article.id}/schedule`, { json: { publishAt: inMs(-60_000) }, cookie: lead }), 400, 'invalid_request');
    await expectError(await call(`/api/articles/${article.id}/schedule`, { json: { publishAt: 'tomorrow' }, cookie: lead }), 400, 'invalid_request');
    await expectError(await call(`/api/articles/${article.id}/schedule`, { json: { publishAt: inMs(60_000) }, cookie: alice }), 403, 'forbidden_transition');
    await expectError(await call(`/api/articles/${article.id}/transitions`, { json: { to: 'scheduled' }, cookie: lead }), 400, 'invalid_request');
    await expectError(await call(`/api/articles/${article.id}/schedule`, { json: { publishAt: inMs(60_000) } }), 401, 'unauthenticated');
    const draft = (await (await call('/api/articles', { json: { headline: 'Only a draft' }, cookie: alice })).json()) as Article;
    await expectError(await call(`/api/articles/${draft.id}/schedule`, { json: { publishAt: inMs(60_000) }, cookie: lead }), 409, 'invalid_transition');
    expect(((await (await call(`/api/articles/${article.id}`, { cookie: lead })).json()) as Article).status).toBe('approved');
    expect(await server.ctx.store.schedules.get(article.id)).toBeNull();
  });
});

describe('scheduled publishing across a restart', () => {
  it('publishes once when the time passed while the server was down', async () => {
    const dataDir = tempDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, SEED_DEMO: 'true', SCHEDULE_POLL_MS: '100' };
    let proc = await spawnServerProcess(env);
    cleanup.push(() => proc.child.exitCode === null && proc.stop('SIGKILL'));
    let call = caller(proc.url);
    const [alice, lead] = await Promise.all([loginAt(proc.url, 'alice'), loginAt(proc.url, 'lead')]);
    const article = await approvedArticle(call, alice, lead, 'Published while we were down');
    const publishAt = inMs(1_000);
    expect((await call(`/api/articles/${article.id}/schedule`, { json: { publishAt }, cookie: lead })).status).toBe(200);
    expect(await proc.stop()).toBe(0);
    // Down past the publish time.
    await eventually(() => Date.now() > Date.parse(publishAt) + 300, 5_000, 'time passes');

    proc = await spawnServerProcess(env);
    call = caller(proc.url);
    const lead2 = await loginAt(proc.url, 'lead');
    await eventually(async () => ((await (await call(`/api/articles/${article.id}`, { cookie: lead2 })).json()) as Article).status === 'published', 10_000, 'published after restart');
    expect((await transitionsOf(call, article.id, lead2)).filter((t) => t.to === 'published')).toHaveLength(1);
    expect(await proc.stop()).toBe(0);
  });
});

describe('scheduled publishing with two instances', () => {
  const redis = privateRedis();

  it('publishes exactly once while both instances race for it', async () => {
    const prefix = `test-${randomUUID()}:`;
    const [a, b] = await Promise.all(['a', 'b'].map((id) => startTestServer({ REDIS_URL: redis.server.url, REDIS_PREFIX: prefix, INSTANCE_ID: `sched-${id}`, SCHEDULE_POLL_MS: '100' })));
    cleanup.push(() => a!.stop(), () => b!.stop());
    const call = caller(a!.url);
    const [alice, lead] = await Promise.all([a!.login('alice'), a!.login('lead')]);
    const articles = await Promise.all([1, 2, 3].map((n) => approvedArticle(call, alice, lead, `Race ${n}`)));
    for (const article of articles) expect((await call(`/api/articles/${article.id}/schedule`, { json: { publishAt: inMs(700) }, cookie: lead })).status).toBe(200);
    for (const article of articles) {
      await eventually(async () => ((await (await call(`/api/articles/${article.id}`, { cookie: lead })).json()) as Article).status === 'published', 10_000, 'published');
    }
    // Both instances kept polling meanwhile: still one publish each.
    await eventually(async () => (await a!.ctx.store.schedules.due(Date.now() + 60_000)).length === 0, 5_000, 'schedules gone');
    for (const article of articles) expect((await transitionsOf(call, article.id, lead)).filter((t) => t.to === 'published')).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getBody, getMetaText, readHeadline, renderBodyText, writeBody } from '@copydesk/article-doc';
import type { ApiError, Article, ArticleDetail } from '@copydesk/protocol';
import { connectClient, eventually, startTestServer, waitForSync, type TestClient, type TestServer } from '../../test/harness.ts';

let server: TestServer;
const cookies: Record<string, string> = {};
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['alice', 'bob', 'rita', 'lead']) cookies[name] = await server.login(name);
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await server.stop();
});

const as = (name: string) => cookies[name]!;
async function create(headline: string, by = 'alice'): Promise<Article> {
  const res = await server.request('/api/articles', { method: 'POST', cookie: as(by), json: { headline } });
  expect(res.status).toBe(201);
  return res.json();
}
const move = (id: string, by: string, to: string, note?: string) =>
  server.request(`/api/articles/${id}/transitions`, { method: 'POST', cookie: as(by), json: note === undefined ? { to } : { to, note } });

async function moveOk(id: string, by: string, to: string, note?: string): Promise<Article> {
  const res = await move(id, by, to, note);
  expect(res.status, `${by}: → ${to}: ${await res.clone().text()}`).toBe(200);
  return res.json();
}

function client(id: string, who: string): TestClient {
  const c = connectClient(server.wsUrl, id, as(who));
  clients.push(c);
  return c;
}

describe('workflow over REST', () => {
  it('takes an article from draft to published with the right people, and records every step', async () => {
    const article = await create('Budget passes');
    expect((await move(article.id, 'bob', 'filed')).status).toBe(403); // not Bob's article
    expect((await moveOk(article.id, 'alice', 'filed')).status).toBe('filed');
    expect((await moveOk(article.id, 'alice', 'draft')).status).toBe('draft'); // pull back
    await moveOk(article.id, 'alice', 'filed');
    const editing = await move(article.id, 'alice', 'editing');
    expect(editing.status).toBe(403);
    expect((await editing.json()).error.code).toBe('forbidden_transition');
    await moveOk(article.id, 'lead', 'editing', 'Taking this one');
    await moveOk(article.id, 'lead', 'approved');
    const byWriter = await server.request(`/api/articles/${article.id}/publish`, { method: 'POST', cookie: as('alice'), json: {} });
    expect(byWriter.status).toBe(403);
    const published = await server.request(`/api/articles/${article.id}/publish`, { method: 'POST', cookie: as('lead'), json: {} });
    expect(published.status).toBe(200);
    expect((await published.json()).publishedAt).toEqual(expect.any(String));

    const timeline = await (await server.request(`/api/articles/${article.id}/transitions`, { cookie: as('alice') })).json();
    expect(timeline.transitions.map((t: { from: string; to: string }) => `${t.from}→${t.to}`)).toEqual([
      'draft→filed',
      'filed→draft',
      'draft→filed',
      'filed→editing',
      'editing→approved',
      'approved→published',
    ]);
    expect(timeline.transitions[3]).toMatchObject({ note: 'Taking this one', by: { displayName: 'Lena Desk' }, at: expect.any(String) });
  });

  it('answers a move the state machine does not allow with 409 invalid_transition and changes nothing', async () => {
    const article = await create('Skipping steps');
    const res = await move(article.id, 'lead', 'published');
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('invalid_transition');
    const after = await (await server.request(`/api/articles/${article.id}`, { cookie: as('alice') })).json();
    expect(after.status).toBe('draft');
    const timeline = await (await server.request(`/api/articles/${article.id}/transitions`, { cookie: as('alice') })).json();
    expect(timeline.transitions).toEqual([]);
  });

  it('refuses bad transition bodies with 400 and unknown articles with 404', async () => {
    const article = await create('Bad bodies');
    for (const json of [{}, { to: 'nonsense' }, { to: 'filed', note: 5 }, { to: 'filed', extra: true }]) {
      const res = await server.request(`/api/articles/${article.id}/transitions`, { method: 'POST', cookie: as('alice'), json });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    }
    expect((await move('missing-article', 'lead', 'filed')).status).toBe(404);
    expect((await move(article.id, 'rita', 'filed')).status).toBe(404); // readers cannot even see drafts
  });

  it('kills a published article with a reason and needs one', async () => {
    const article = await create('To be withdrawn');
    for (const to of ['filed', 'editing', 'approved', 'published']) await moveOk(article.id, 'lead', to);
    const noReason = await move(article.id, 'lead', 'killed');
    expect(noReason.status).toBe(400);
    await moveOk(article.id, 'lead', 'killed', 'Legal complaint');
    const page = await server.request(`/news/${article.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('This article has been withdrawn');
    expect(html).toContain('Legal complaint');
    expect(html).not.toContain('To be withdrawn</h1>');
  });
});

describe('live permissions', () => {
  it("switches a writer's open connection to read-only when approved, and back when a lead reopens it", async () => {
    const article = await create('Live lock');
    const writer = client(article.id, 'alice');
    const leadClient = client(article.id, 'lead');
    await Promise.all([waitForSync(writer), waitForSync(leadClient)]);
    await moveOk(article.id, 'alice', 'filed');
    await moveOk(article.id, 'lead', 'editing');
    await moveOk(article.id, 'lead', 'approved');
    await eventually(() => server.collab.connections(article.id).find((c) => c.user.username === 'alice')?.readOnly === true, 5000, 'read-only');

    writer.doc.getText('trace').insert(0, 'sneaky');
    leadClient.doc.getText('trace').insert(0, 'lead edit');
    await eventually(() => writer.doc.getText('trace').toString().includes('lead edit'), 5000, 'writer still receives');
    await server.persistence.flushAll();
    expect(server.collab.liveDoc(article.id)!.doc.getText('trace').toString()).toBe('lead edit');
    expect(writer.closes).toEqual([]); // no reconnect

    await moveOk(article.id, 'lead', 'editing');
    expect(server.collab.connections(article.id).find((c) => c.user.username === 'alice')?.readOnly).toBe(false);
  });
});

describe('publishing and the reader page', () => {
  it('renders the published version, inert, and later edits do not change it until the next publish', async () => {
    const article = await create('Council <script>alert("x")</script> vote');
    const writer = client(article.id, 'alice');
    await waitForSync(writer);
    const body = getBody(writer.doc);
    writer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      p.insert(0, [text]);
      body.insert(0, [p]);
      // Inserting after integration: a preliminary XmlText has length 0 until it is in the doc.
      text.insert(0, 'Read <img src=x onerror=alert(1)> and ');
      text.insert(text.length, 'this link', { link: { href: 'javascript:alert(1)' } });
      text.insert(text.length, ' and ');
      text.insert(text.length, 'the source', { link: { href: 'https://example.org/report' } });
      getMetaText(writer.doc, 'dek')!.insert(0, 'A "dek" with <b>tags</b>');
    });
    await eventually(() => renderBodyText(server.collab.liveDoc(article.id)!.doc).includes('the source'), 5000, 'server has the body');
    for (const to of ['filed', 'editing', 'approved', 'published']) await moveOk(article.id, 'lead', to);
    const refreshed = await (await server.request(`/api/articles/${article.id}`, { cookie: as('lead') })).json();

    const res = await server.request(`/news/${refreshed.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<title>Council &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; vote — Copydesk News</title>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('Read &lt;img src=x onerror=alert(1)&gt; and this link and');
    expect(html).toContain('<a href="https://example.org/report" rel="noopener noreferrer nofollow">the source</a>');
    expect(html).toContain('<meta name="description" content="A &quot;dek&quot; with &lt;b&gt;tags&lt;/b&gt;">');
    expect(html).toContain('<meta property="og:title"');
    expect(html).toContain('By Alice Moreau');

    // Editing the draft (a lead: writers are read-only now) does not change the reader page…
    const editor = client(article.id, 'lead');
    await waitForSync(editor);
    writeBody(editor.doc, [{ type: 'paragraph', text: 'Unpublished addition.' }]);
    await eventually(() => renderBodyText(server.collab.liveDoc(article.id)!.doc).includes('Unpublished addition.'), 5000, 'edit applied');
    expect(await (await server.request(`/news/${refreshed.slug}`)).text()).not.toContain('Unpublished addition.');
    // The text changed since it was approved: publishing it needs a re-approval in the same step…
    const detail = (await (await server.request(`/api/articles/${article.id}`, { cookie: as('lead') })).json()) as ArticleDetail;
    expect(detail.changedSinceApproval).toBe(true);
    const refused = await move(article.id, 'lead', 'published', 'An earlier version misnamed the council.');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ApiError).error.code).toBe('changed_since_approval');
    expect(await (await server.request(`/news/${refreshed.slug}`)).text()).not.toContain('Unpublished addition.');
    // …then the correction is published, and shows its public note.
    const reapproved = await server.request(`/api/articles/${article.id}/transitions`, {
      method: 'POST',
      cookie: as('lead'),
      json: { to: 'published', note: 'An earlier version misnamed the council.', reapprove: true },
    });
    expect(reapproved.status).toBe(200);
    const after = (await (await server.request(`/api/articles/${article.id}`, { cookie: as('lead') })).json()) as ArticleDetail;
    expect(after.changedSinceApproval).toBe(false);
    expect(after.approval).toMatchObject({ by: { displayName: 'Lena Desk' } });
    expect(after.approval!.versionId).not.toBe(detail.approval!.versionId);
    const corrected = await (await server.request(`/news/${refreshed.slug}`)).text();
    expect(corrected).toContain('Unpublished addition.');
    expect(corrected).toContain('An earlier version misnamed the council.');

    const index = await (await server.request('/news')).text();
    expect(index).toContain(`/news/${refreshed.slug}`);
    expect((await server.request('/news/no-such-story')).status).toBe(404);
  });

  it('binds an approval to the exact version approved: unchanged text publishes, a change needs re-approval, editing withdraws it', async () => {
    const article = await create('Approved as is');
    const detailOf = async () => (await (await server.request(`/api/articles/${article.id}`, { cookie: as('lead') })).json()) as ArticleDetail;
    for (const to of ['filed', 'editing']) await moveOk(article.id, 'lead', to);
    expect((await detailOf()).approval).toBeNull();
    await moveOk(article.id, 'lead', 'approved');
    const approved = await detailOf();
    expect(approved.approval).toMatchObject({ by: { displayName: 'Lena Desk' }, at: expect.any(String) });
    expect(approved.changedSinceApproval).toBe(false);
    // The approval is a version, with the approved text.
    const version = await (await server.request(`/api/articles/${article.id}/versions/${approved.approval!.versionId}`, { cookie: as('lead') })).json();
    expect(version).toMatchObject({ cause: 'approval', headline: 'Approved as is' });

    // A lead's edit after approval shows on the article at once…
    const editor = client(article.id, 'lead');
    await waitForSync(editor);
    writeBody(editor.doc, [{ type: 'paragraph', text: 'Added after sign-off.' }]);
    await eventually(async () => (await detailOf()).changedSinceApproval, 5000, 'changed since approval');
    // …and moving back to editing withdraws the approval; approving again binds the new text.
    await moveOk(article.id, 'lead', 'editing');
    expect((await detailOf()).approval).toBeNull();
    await moveOk(article.id, 'lead', 'approved');
    expect((await detailOf()).changedSinceApproval).toBe(false);
    await moveOk(article.id, 'lead', 'published');
    expect((await (await server.request(`/news/${(await detailOf()).slug}`)).text())).toContain('Added after sign-off.');
  });

  it('keeps slugs unique and stable once published', async () => {
    const first = await create('Same headline');
    const second = await create('Same headline');
    expect(first.slug).toBe('same-headline');
    expect(second.slug).toBe('same-headline-2');
    for (const to of ['filed', 'editing', 'approved', 'published']) await moveOk(first.id, 'lead', to);
    await moveOk(first.id, 'lead', 'editing');
    const writer = client(first.id, 'lead');
    await waitForSync(writer);
    const headline = getMetaText(writer.doc, 'headline')!;
    writer.doc.transact(() => {
      headline.delete(0, headline.length);
      headline.insert(0, 'A different headline now');
    });
    await eventually(async () => (await (await server.request(`/api/articles/${first.id}`, { cookie: as('lead') })).json()).headline === 'A different headline now', 5000, 'headline synced');
    expect((await (await server.request(`/api/articles/${first.id}`, { cookie: as('lead') })).json()).slug).toBe('same-headline');
    expect((await server.request('/news/same-headline')).status).toBe(200);
  });
});

describe('versions', () => {
  it('lists, shows, diffs and restores versions while two writers are connected', async () => {
    const article = await create('Versioned story');
    const alice = client(article.id, 'alice');
    const bob = client(article.id, 'bob');
    await Promise.all([waitForSync(alice), waitForSync(bob)]);
    writeBody(alice.doc, [{ type: 'paragraph', text: 'The first draft says ten people.' }]);
    await eventually(() => renderBodyText(bob.doc).includes('ten people'), 5000, 'bob sees draft');
    await eventually(() => renderBodyText(server.collab.liveDoc(article.id)!.doc).includes('ten people'), 5000, 'server has draft');

    const saved = await server.request(`/api/articles/${article.id}/versions`, { method: 'POST', cookie: as('alice'), json: { label: 'First draft' } });
    expect(saved.status).toBe(201);
    const version = await saved.json();
    expect(version).toMatchObject({ label: 'First draft', cause: 'manual', author: { displayName: 'Alice Moreau' }, wordCount: 6 });
    expect((await server.request(`/api/articles/${article.id}/versions`, { method: 'POST', cookie: as('alice'), json: { label: '' } })).status).toBe(400);

    // Bob rewrites the paragraph.
    const paragraphText = (getBody(bob.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    bob.doc.transact(() => {
      paragraphText.delete(paragraphText.toString().indexOf('ten'), 3);
      paragraphText.insert(paragraphText.toString().indexOf(' people'), 'twelve');
    });
    await eventually(() => renderBodyText(alice.doc).includes('twelve'), 5000, 'alice sees rewrite');
    await moveOk(article.id, 'alice', 'filed');

    const list = await (await server.request(`/api/articles/${article.id}/versions`, { cookie: as('lead') })).json();
    expect(list.versions.map((v: { cause: string; label: string }) => `${v.cause}:${v.label}`)).toEqual(['transition:Filed', 'manual:First draft']);

    const detail = await (await server.request(`/api/articles/${article.id}/versions/${version.id}`, { cookie: as('lead') })).json();
    expect(detail.text).toBe('The first draft says ten people.');
    expect(detail.html).toBe('<p>The first draft says ten people.</p>');
    expect(detail.headline).toBe('Versioned story');

    const diff = await (await server.request(`/api/articles/${article.id}/versions/${version.id}/diff?against=current`, { cookie: as('lead') })).json();
    expect(diff.parts.filter((p: { removed: boolean }) => p.removed).map((p: { value: string }) => p.value.trim())).toEqual(['ten']);
    expect(diff.parts.filter((p: { added: boolean }) => p.added).map((p: { value: string }) => p.value.trim())).toEqual(['twelve']);
    expect((await server.request(`/api/articles/${article.id}/versions/${version.id}/diff?against=published`, { cookie: as('lead') })).status).toBe(404);
    expect((await server.request(`/api/articles/${article.id}/versions/${version.id}/diff?against=x`, { cookie: as('lead') })).status).toBe(400);
    expect((await server.request(`/api/articles/${article.id}/versions/not-a-uuid`, { cookie: as('lead') })).status).toBe(404);
    expect((await server.request(`/api/articles/${article.id}/versions`, { cookie: as('rita') })).status).toBe(403);

    // Any two versions compare: the first draft against a later one saved now.
    const later = await (await server.request(`/api/articles/${article.id}/versions`, { method: 'POST', cookie: as('lead'), json: { label: 'Later' } })).json();
    const between = await (await server.request(`/api/articles/${article.id}/versions/${version.id}/diff?against=${later.id}`, { cookie: as('lead') })).json();
    expect(between.against).toBe(later.id);
    expect(between.parts.filter((p: { added: boolean }) => p.added).map((p: { value: string }) => p.value.trim())).toEqual(['twelve']);
    const unknownVersion = '00000000-0000-4000-8000-000000000000';
    expect((await server.request(`/api/articles/${article.id}/versions/${version.id}/diff?against=${unknownVersion}`, { cookie: as('lead') })).status).toBe(404);

    // Restore while both are connected: both end with the old text, and keep editing.
    const restore = await server.request(`/api/articles/${article.id}/versions/${version.id}/restore`, { method: 'POST', cookie: as('lead') });
    expect(restore.status).toBe(200);
    for (const c of [alice, bob]) await eventually(() => renderBodyText(c.doc) === 'The first draft says ten people.', 5000, 'restored everywhere');
    expect(readHeadline(alice.doc)).toBe('Versioned story');
    writeBody(bob.doc, [{ type: 'paragraph', text: 'Added after the restore.' }]);
    await eventually(() => renderBodyText(alice.doc).endsWith('Added after the restore.'), 5000, 'editing continues');

    const timeline = await (await server.request(`/api/articles/${article.id}/transitions`, { cookie: as('lead') })).json();
    expect(timeline.transitions.at(-1)).toMatchObject({ note: 'Restored “First draft”', by: { displayName: 'Lena Desk' } });
    const after = await (await server.request(`/api/articles/${article.id}/versions`, { cookie: as('lead') })).json();
    expect(after.versions.slice(0, 2).map((v: { label: string }) => v.label)).toEqual(['Restored “First draft”', 'Before restoring “First draft”']);
  });
});

describe('article metadata', () => {
  it('edits section, tags, byline and deadline; only leads reassign', async () => {
    const article = await create('Metadata');
    const users = await (await server.request('/api/me', { cookie: as('bob') })).json();
    const res = await server.request(`/api/articles/${article.id}`, {
      method: 'PATCH',
      cookie: as('alice'),
      json: { section: 'Politics', tags: ['council', 'budget'], byline: [article.createdBy, users.user.id], deadline: '2026-12-01T18:00:00.000Z' },
    });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated).toMatchObject({ section: 'Politics', tags: ['council', 'budget'], deadline: '2026-12-01T18:00:00.000Z' });
    expect(updated.byline.map((p: { displayName: string }) => p.displayName)).toEqual(['Alice Moreau', 'Bob Okafor']);
    const reassign = await server.request(`/api/articles/${article.id}`, { method: 'PATCH', cookie: as('alice'), json: { assignees: [users.user.id] } });
    expect(reassign.status).toBe(403);
    const byLead = await server.request(`/api/articles/${article.id}`, { method: 'PATCH', cookie: as('lead'), json: { assignees: [users.user.id] } });
    expect(byLead.status).toBe(200);
    for (const json of [{ section: 'Gossip' }, { deadline: 'tomorrow' }, { byline: [] }, { byline: ['no-such-user'] }, { status: 'published' }]) {
      const bad = await server.request(`/api/articles/${article.id}`, { method: 'PATCH', cookie: as('lead'), json });
      expect(bad.status, JSON.stringify(json)).toBe(400);
    }
  });
});

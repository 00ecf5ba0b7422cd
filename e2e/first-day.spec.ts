import { request as playwrightRequest } from '@playwright/test';
import { colorForUser } from '@copydesk/protocol';
import { test as base, expect, type Actor } from './fixtures/actors.ts';
import { startAppServer, type AppServer } from './fixtures/server.ts';

/** The bugs and risks a first day of use turned up (issue 20), one test each. */
const test = base;

/** Creates an article as `writer` (REST) and moves it to `approved` as `lead`; returns its id. */
async function approvedArticle(writer: Actor, lead: Actor, headline: string): Promise<string> {
  const created = await writer.page.request.post('/api/articles', { data: { headline } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  for (const to of ['filed', 'editing', 'approved']) {
    expect((await lead.page.request.post(`/api/articles/${id}/transitions`, { data: { to } })).status()).toBe(200);
  }
  return id;
}

/** Selects `text` in the article body, the way a mouse drag would. */
async function selectInBody(actor: Actor, text: string) {
  await actor.body().click();
  await actor.page.evaluate((needle) => {
    const root = document.getElementById('article-body')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      return;
    }
    throw new Error(`"${needle}" is not in the body`);
  }, text);
}

const linkTexts = (actor: Actor) => actor.body().locator('a').allInnerTexts();

test('text typed right after a link stays out of the link, and links are added in an inline popover', async ({ actor }) => {
  const alice = await actor('alice');
  await alice.createArticle('Report on the harbour');
  await alice.typeInBody('Read the report before the vote');

  await selectInBody(alice, 'the report');
  await alice.page.getByRole('button', { name: 'Link' }).click();
  const popover = alice.page.getByRole('dialog', { name: 'Add link' });
  await expect(popover).toBeVisible();
  const address = popover.getByLabel('Link address');
  await expect(address).toBeFocused();
  await address.fill('javascript:alert(1)');
  await address.press('Enter');
  await expect(popover.getByRole('alert')).toContainText('web addresses');
  await address.fill('example.org/report');
  await address.press('Enter');
  await expect(popover).toHaveCount(0);
  await expect(alice.body().locator('a')).toHaveAttribute('href', 'https://example.org/report');

  // The caret sits at the end of the link: what is typed next is plain text.
  await alice.page.keyboard.press('ArrowRight'); // collapses the selection to the link's end
  await alice.page.keyboard.type(' now', { delay: 15 });
  await expect.poll(() => alice.bodyText()).toBe('Read the report now before the vote');
  expect(await linkTexts(alice)).toEqual(['the report']);

  // An autolinked address does not swallow the words typed after it either.
  await alice.page.keyboard.press('ControlOrMeta+End');
  await alice.page.keyboard.type('. See https://example.com ', { delay: 15 });
  await expect(alice.body().locator('a', { hasText: 'example.com' })).toHaveAttribute('href', 'https://example.com');
  await alice.page.keyboard.press('Backspace');
  await alice.page.keyboard.type(', said the mayor', { delay: 15 });
  await expect.poll(() => alice.bodyText()).toContain('See https://example.com, said the mayor');
  expect(await linkTexts(alice)).toEqual(['the report', 'https://example.com']);

  // Ctrl+K on a link opens the same popover to edit or remove it.
  await selectInBody(alice, 'the report');
  await alice.page.keyboard.press('ControlOrMeta+k');
  const edit = alice.page.getByRole('dialog', { name: 'Edit link' });
  await expect(edit.getByLabel('Link address')).toHaveValue('https://example.org/report');
  await edit.getByRole('button', { name: 'Remove link' }).click();
  await expect.poll(() => linkTexts(alice)).toEqual(['https://example.com']);
});

test('the word-count footer never covers the line being typed, and the bars are opaque', async ({ actor }) => {
  const alice = await actor('alice');
  await alice.createArticle('A long story');
  await alice.body().click();
  for (let i = 1; i <= 30; i++) await alice.page.keyboard.type(`Paragraph ${i}${i < 30 ? '\n' : ''}`);
  await expect.poll(() => alice.bodyText()).toContain('Paragraph 30');

  const geometry = () =>
    alice.page.evaluate(() => {
      const caret = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
      const footer = document.querySelector('.editor-footer')!.getBoundingClientRect();
      return { caretBottom: caret.bottom, footerTop: footer.top };
    });
  await expect.poll(async () => {
    const { caretBottom, footerTop } = await geometry();
    return caretBottom <= footerTop;
  }).toBe(true);
  for (const selector of ['.editor-footer', '.editor-bar']) {
    expect(await alice.page.locator(selector).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 255, 255)');
  }
});

test('only the empty story shows “Start writing the story…”, never an empty list item', async ({ actor }) => {
  const alice = await actor('alice');
  await alice.createArticle('Lists');
  const placeholder = (selector: string) => alice.body().locator(selector).first().evaluate((el) => getComputedStyle(el, '::before').content);
  await expect.poll(() => placeholder('p')).toBe('"Start writing the story…"');

  await alice.typeInBody('Three things to know:');
  await alice.page.keyboard.press('Enter');
  await alice.page.getByRole('button', { name: 'Bullet list' }).click();
  await expect(alice.body().locator('li')).toHaveCount(1);
  await expect.poll(() => placeholder('li p')).toBe('none');
});

test('opening the notifications bell marks them read', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const created = await alice.page.request.post('/api/articles', { data: { headline: 'Bridge inspection' } });
  const { id } = (await created.json()) as { id: string };
  expect((await alice.page.request.post(`/api/articles/${id}/editorial-comments`, { data: { body: '@bob can you check the date?' } })).status()).toBe(201);

  await bob.page.goto('/');
  const badge = bob.page.getByTestId('notification-badge');
  await expect(badge).toHaveText('1');
  await bob.page.getByRole('button', { name: /Notifications, 1 unread/ }).click();
  await expect(bob.page.getByRole('region', { name: 'Notifications' })).toContainText('can you check the date?');
  await expect(badge).toHaveCount(0);
  await bob.page.reload();
  await expect(bob.page.getByRole('button', { name: 'Notifications' })).toBeVisible();
  await expect(badge).toHaveCount(0);
});

test('the desk’s story count follows the filters', async ({ actor }) => {
  const lead = await actor('lead');
  await lead.page.goto('/');
  const subtitle = lead.page.locator('.desk__subtitle');
  await expect(subtitle).toContainText(/^\d+ stories/);
  const total = Number(/^(\d+)/.exec((await subtitle.innerText()).trim())![1]);
  await lead.page.getByRole('group', { name: 'Filter and sort stories' }).getByRole('combobox').first().selectOption('killed');
  await expect(lead.page.getByText('No stories match these filters')).toBeVisible();
  await expect(subtitle).toContainText(`0 of ${total} stories`);
});

test('a reader who signs in lands on the news pages, not the staff desk', async ({ actor }) => {
  const rita = await actor('rita');
  await expect(rita.page).toHaveURL(/\/news$/);
  await expect(rita.page.getByText(/ask the desk lead/i)).toHaveCount(0);
  await expect(rita.page.getByText(/403/)).toHaveCount(0);
});

test('publishing asks for confirmation in an accessible dialog', async ({ actor }) => {
  const alice = await actor('alice');
  const lead = await actor('lead');
  const id = await approvedArticle(alice, lead, 'Ferry timetable changes');
  await lead.open(id);
  await lead.waitUntilLive();
  await lead.page.getByRole('tab', { name: 'Workflow' }).click();

  await lead.page.getByRole('button', { name: 'Publish' }).click();
  const dialog = lead.page.getByRole('dialog', { name: 'Publish this story?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Ferry timetable changes');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await lead.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  const status = async () => ((await (await lead.page.request.get(`/api/articles/${id}`)).json()) as { status: string }).status;
  expect(await status()).toBe('approved');

  await lead.page.getByRole('button', { name: 'Publish' }).click();
  await lead.page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Publish now' })).toBeFocused();
  await lead.page.keyboard.press('Enter');
  await expect(lead.page.getByRole('link', { name: /View on site/ })).toBeVisible();
  expect(await status()).toBe('published');
});

test('removing a reader comment asks first', async ({ actor }) => {
  const alice = await actor('alice');
  const lead = await actor('lead');
  const id = await approvedArticle(alice, lead, 'Library opening hours');
  const published = await lead.page.request.post(`/api/articles/${id}/publish`, { data: {} });
  const { slug } = (await published.json()) as { slug: string };
  const rita = await actor('rita');
  expect((await rita.page.request.post(`/api/articles/${id}/comments`, { data: { body: 'Open on Sundays too, please.' } })).status()).toBe(201);

  await lead.page.goto(`/news/${slug}`);
  const comment = lead.page.getByRole('article', { name: 'Comment by Rita Reader' });
  await expect(comment).toContainText('Open on Sundays too, please.');
  await comment.getByRole('button', { name: 'Remove' }).click();
  const confirm = comment.getByRole('group', { name: 'Confirm removal' });
  await expect(confirm).toContainText('Readers will no longer see it');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(comment).toContainText('Open on Sundays too, please.');

  await comment.getByRole('button', { name: 'Remove' }).click();
  await comment.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Remove' }).click();
  await expect(lead.page.getByText('Open on Sundays too, please.')).toHaveCount(0);
});

test('removing a reported comment from the moderation queue asks first', async ({ actor }) => {
  const alice = await actor('alice');
  const lead = await actor('lead');
  const id = await approvedArticle(alice, lead, 'Market day moves');
  expect((await lead.page.request.post(`/api/articles/${id}/publish`, { data: {} })).status()).toBe(200);
  const rita = await actor('rita');
  const posted = await rita.page.request.post(`/api/articles/${id}/comments`, { data: { body: 'Total nonsense from start to end.' } });
  const comment = (await posted.json()) as { id: string };
  expect((await alice.page.request.post(`/api/articles/${id}/comments/${comment.id}/report`, { data: { reason: 'rude' } })).status()).toBeLessThan(300);

  await lead.page.goto('/moderation');
  const item = lead.page.getByTestId('moderation-item').filter({ hasText: 'Total nonsense' });
  await item.getByRole('button', { name: 'Remove' }).click();
  const dialog = lead.page.getByRole('dialog', { name: 'Remove this comment?' });
  await expect(dialog).toContainText('Rita Reader’s comment comes off “Market day moves”');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await lead.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: 'Remove' }).click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(item).toHaveCount(0);
});

test('a writer whose story turns read-only sees a sticky notice saying why and who can reopen it, and typing is visibly refused', async ({ actor }) => {
  const alice = await actor('alice');
  const lead = await actor('lead');
  const id = await alice.createArticle('Tram line extension');
  await alice.typeInBody('The tram line will reach the airport by 2028.');
  for (const to of ['filed', 'editing', 'approved']) {
    expect((await lead.page.request.post(`/api/articles/${id}/transitions`, { data: { to } })).status()).toBe(200);
  }
  const notice = alice.page.getByTestId('read-only-banner');
  await expect(notice).toContainText('approved');
  await expect(notice).toContainText('A desk lead can reopen it');
  expect(await notice.evaluate((el) => getComputedStyle(el).position)).toBe('sticky');
  await expect(alice.body()).toHaveAttribute('title', /Read-only/);

  await alice.body().click();
  await alice.page.keyboard.type('Extra words');
  await expect(alice.page.getByTestId('typing-blocked')).toContainText('Your typing was not added');
  await expect.poll(() => alice.bodyText()).toBe('The tram line will reach the airport by 2028.');
  await alice.headline().click();
  await alice.page.keyboard.type('!');
  await expect(alice.headline()).toHaveValue('Tram line extension');
  await expect(alice.page.getByTestId('typing-blocked')).toBeVisible();
});

test('on a 390 px phone the editor shows the connection and Saved, and the panel tabs are near', async ({ actor }) => {
  const alice = await actor('alice');
  await alice.page.setViewportSize({ width: 390, height: 844 });
  await alice.createArticle('Phone story');
  await alice.typeInBody('Filed from the scene.');
  await expect(alice.page.getByTestId('connection-status')).toBeVisible();
  await expect(alice.page.getByTestId('save-status')).toHaveText('Saved');
  await expect(alice.page.getByTestId('save-status')).toBeVisible();
  const tab = alice.page.getByRole('tab', { name: 'Workflow' });
  // The tabs follow the story closely: no screen-tall gap before them.
  const gap = await tab.evaluate((el) => el.getBoundingClientRect().top - document.getElementById('article-body')!.getBoundingClientRect().bottom);
  expect(gap).toBeLessThan(200);
  // Nothing in the bar spills past the screen's edge.
  const overflow = await alice.page.locator('.editor-bar').evaluate((bar) => bar.scrollWidth - bar.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

/**
 * Demo users get random ids, so whether two usual colours clash is chance: start servers until
 * two of lead, alice and bob share one (28% per server), so the test shows the de-duplication.
 */
const clashing = base.extend<{ server: AppServer }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    let server = await startAppServer();
    for (let attempt = 1; attempt < 15; attempt++) {
      const api = await playwrightRequest.newContext({ baseURL: server.url });
      await api.post('/api/auth/login', { data: { username: 'lead', password: 'copydesk' } });
      const { users } = (await (await api.get('/api/users')).json()) as { users: Array<{ id: string; username: string }> };
      await api.dispose();
      const colors = users.filter((u) => ['lead', 'alice', 'bob'].includes(u.username)).map((u) => colorForUser(u.id));
      if (new Set(colors).size < colors.length) break;
      await server.stop();
      server = await startAppServer();
    }
    await use(server);
    await server.stop();
  },
});

clashing('three people in one story get three different colours, and keep theirs when they come back', async ({ actor }) => {
  const lead = await actor('lead');
  const alice = await actor('alice');
  const bob = await actor('bob');
  const id = await alice.createArticle('Colours on the desk');
  for (const person of [lead, bob]) {
    await person.open(id);
    await person.waitUntilLive();
  }
  const avatarColors = (person: Actor) =>
    person.page.getByTestId('presence-avatar').evaluateAll((items) =>
      items.map((li) => getComputedStyle(li.querySelector('.avatar')!).getPropertyValue('--avatar-color').trim().toLowerCase()),
    );
  await expect.poll(async () => (await avatarColors(lead)).length).toBe(3);
  const colors = await avatarColors(lead);
  expect(new Set(colors).size).toBe(3);

  // Carets carry the same colours: bob's caret in alice's editor is bob's avatar colour.
  await bob.typeInBody('Bob was here.');
  const bobsColor = (await avatarColors(bob))[0]!; // their own avatar comes first
  await expect
    .poll(() => alice.page.locator('.collaboration-carets__label', { hasText: 'Bob Okafor' }).evaluate((el) => getComputedStyle(el).backgroundColor))
    .toBe(hexToRgb(bobsColor));

  // Bob leaves and comes back: same colour.
  await bob.page.goto('/');
  await expect.poll(async () => (await avatarColors(lead)).length).toBe(2);
  await bob.open(id);
  await bob.waitUntilLive();
  await expect.poll(async () => (await avatarColors(bob))[0]).toBe(bobsColor);
});

function hexToRgb(hex: string): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

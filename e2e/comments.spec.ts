import type { Page } from '@playwright/test';
import { test, expect, type Actor } from './fixtures/actors.ts';

/** Creates an article as `writer` (REST, their session) and publishes it as `lead`; returns its id and slug. */
async function publishedArticle(writer: Actor, lead: Actor, headline: string): Promise<{ id: string; slug: string }> {
  const created = await writer.page.request.post('/api/articles', { data: { headline } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  for (const to of ['filed', 'editing', 'approved']) {
    expect((await lead.page.request.post(`/api/articles/${id}/transitions`, { data: { to } })).status()).toBe(200);
  }
  const published = await lead.page.request.post(`/api/articles/${id}/publish`, { data: {} });
  expect(published.status()).toBe(200);
  return { id, slug: ((await published.json()) as { slug: string }).slug };
}

/** The reader page's comments section, live (the script has taken over the server-rendered list). */
async function openReaderPage(actor: Actor, slug: string) {
  await actor.page.goto(`/news/${slug}`);
  const section = actor.page.locator('#comments');
  await expect(section.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  return section;
}

async function postReaderComment(actor: Actor, text: string) {
  const section = actor.page.locator('#comments');
  await section.getByRole('textbox', { name: 'Add a comment' }).fill(text);
  await section.getByRole('button', { name: 'Post comment' }).click();
}

/** Selects `text` in the article body, the way a mouse drag would. */
async function selectInBody(page: Page, text: string) {
  await page.getByLabel('Article body').click();
  await page.evaluate((needle) => {
    const root = document.getElementById('article-body')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${needle}" is not in the body`);
  }, text);
}

/** The text under the editorial highlights (a highlight may be split into several spans). */
function highlightedText(page: Page): Promise<string> {
  return page.locator('.editorial-highlight').evaluateAll((spans) => spans.map((s) => s.textContent ?? '').join(''));
}

test('a reader on the article page sees another reader’s comment appear without reloading', async ({ actor }) => {
  const alice = await actor('alice');
  const lead = await actor('lead');
  const { slug } = await publishedArticle(alice, lead, 'Flood defences hold on the river');
  const rita = await actor('rita');
  const bob = await actor('bob');

  const ritaSection = await openReaderPage(rita, slug);
  await expect(ritaSection.getByTestId('comment-count')).toHaveText('0');
  await openReaderPage(bob, slug);
  await postReaderComment(bob, 'The barrier at Eastgate was raised at 6am. <b>not bold</b> https://example.com/tides');

  const comment = ritaSection.getByRole('article', { name: 'Comment by Bob Okafor' });
  await expect(comment).toContainText('The barrier at Eastgate was raised at 6am.');
  // Plain text: the markup shows as typed, the address is a nofollow link.
  await expect(comment).toContainText('<b>not bold</b>');
  await expect(comment.locator('b')).toHaveCount(0);
  await expect(comment.getByRole('link', { name: 'https://example.com/tides' })).toHaveAttribute('rel', 'nofollow ugc noopener');
  await expect(ritaSection.getByTestId('comment-count')).toHaveText('1');

  // Rita replies; Bob sees the reply under his comment, live too.
  await comment.getByRole('button', { name: 'Reply' }).click();
  await ritaSection.getByRole('textbox', { name: 'Reply to Bob Okafor' }).fill('Thanks, that matches what I saw.');
  await ritaSection.getByRole('button', { name: 'Reply', exact: true }).last().click();
  await expect(bob.page.getByRole('list', { name: 'Replies to Bob Okafor' })).toContainText('Thanks, that matches what I saw.');
  await expect(bob.page.locator('#comments').getByTestId('comment-count')).toHaveText('2');
});

test('the lead rejects a pending comment and it disappears from its author’s page', async ({ actor }) => {
  const alice = await actor('alice');
  const lead = await actor('lead');
  const { id, slug } = await publishedArticle(alice, lead, 'Budget vote delayed again');
  expect((await lead.page.request.put(`/api/articles/${id}/comment-settings`, { data: { mode: 'premod' } })).status()).toBe(200);
  const rita = await actor('rita');
  const bob = await actor('bob');

  const ritaSection = await openReaderPage(rita, slug);
  await expect(ritaSection.getByText('reviewed by the newsroom before they appear')).toBeVisible();
  const bobSection = await openReaderPage(bob, slug);
  await postReaderComment(rita, 'The councillors are all crooks.');
  const pending = ritaSection.getByRole('article', { name: 'Comment by Rita Reader' });
  await expect(pending).toContainText('The councillors are all crooks.');
  await expect(pending.getByTestId('awaiting-review')).toHaveText('Awaiting review');
  await expect(ritaSection.getByTestId('comment-count')).toHaveText('0');

  // The queue shows it live to the lead; nobody else sees the comment.
  await lead.page.goto('/moderation');
  const item = lead.page.getByTestId('moderation-item').filter({ hasText: 'The councillors are all crooks.' });
  await expect(item).toContainText('Pre-moderated article');
  await expect(item).toContainText('Budget vote delayed again');
  await expect(bobSection.getByText('The councillors are all crooks.')).toHaveCount(0);

  await item.getByRole('button', { name: 'Reject' }).click();
  await expect(item).toHaveCount(0);
  await expect(lead.page.getByText('All caught up')).toBeVisible();
  await expect(pending).toHaveCount(0);
  await expect(ritaSection.getByText('Your comment was not published')).toBeVisible();
  // A reload shows the same: the comment is gone for good.
  await rita.page.reload();
  await expect(rita.page.locator('#comments').getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(rita.page.getByText('The councillors are all crooks.')).toHaveCount(0);
});

test('alice anchors a comment on a sentence, bob types before it, and the highlight stays on that sentence for both', async ({ actor }) => {
  const sentence = 'The council approved the budget on Tuesday.';
  const alice = await actor('alice');
  const bob = await actor('bob');
  const articleId = await alice.createArticle('Council budget');
  await alice.typeInBody(`Officials met at dawn. ${sentence} Schools stay closed.`);
  await bob.open(articleId);
  await bob.waitUntilLive();
  await expect.poll(() => bob.bodyText()).toContain(sentence);

  await selectInBody(alice.page, sentence);
  await alice.page.getByRole('button', { name: 'Comment on the selected text' }).click();
  const form = alice.page.getByRole('form', { name: 'New comment' });
  await expect(form).toContainText(sentence);
  await form.getByRole('combobox', { name: 'Your comment' }).fill('Which Tuesday? @bob can you check?');
  await form.getByRole('button', { name: 'Comment' }).click();

  await expect.poll(() => highlightedText(alice.page)).toBe(sentence);
  await expect.poll(() => highlightedText(bob.page)).toBe(sentence);
  // Bob was mentioned: his bell counts it, live.
  await expect(bob.page.getByTestId('notification-badge')).toHaveText('1');

  // Bob types at the very start of the body, before the anchored sentence.
  await bob.body().click();
  await bob.page.keyboard.press('ControlOrMeta+Home');
  await bob.page.keyboard.type('UPDATE: ', { delay: 15 });
  await expect.poll(() => alice.bodyText()).toContain(`UPDATE: Officials met at dawn. ${sentence}`);
  for (const person of [alice, bob]) await expect.poll(() => highlightedText(person.page)).toBe(sentence);

  // And types inside the paragraph right after the sentence: the highlight does not grow.
  await selectInBody(bob.page, 'Schools');
  await bob.page.keyboard.press('ArrowLeft');
  await bob.page.keyboard.type('Meanwhile, ', { delay: 15 });
  await expect.poll(() => alice.bodyText()).toContain(`${sentence} Meanwhile, Schools`);
  for (const person of [alice, bob]) await expect.poll(() => highlightedText(person.page)).toBe(sentence);

  // Bob finds the thread in his Comments tab by clicking the highlight.
  await bob.page.locator('.editorial-highlight').first().click();
  const thread = bob.page.getByTestId('editorial-thread');
  await expect(thread).toContainText('Which Tuesday?');
  await expect(thread).toContainText(`“${sentence}”`);
});

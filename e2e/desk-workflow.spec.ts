import { test, expect } from './fixtures/actors.ts';

test('alice files, the lead approves and publishes, alice goes read-only at once, and a reader sees the story', async ({ actor, server, browser }) => {
  const alice = await actor('alice');
  const articleId = await alice.createArticle('Harbour bridge reopens');
  await alice.typeInBody('The bridge reopened to traffic at dawn after six weeks of repairs.');

  await alice.page.getByRole('tab', { name: 'Workflow' }).click();
  await alice.page.getByRole('button', { name: 'File to the desk' }).click();
  await expect(alice.page.getByTestId('timeline')).toContainText('from draft');

  const lead = await actor('lead');
  await lead.open(articleId);
  await lead.waitUntilLive();
  await lead.page.getByRole('tab', { name: 'Workflow' }).click();
  await lead.page.getByRole('button', { name: 'Take for editing' }).click();
  await lead.page.getByRole('button', { name: 'Approve' }).click();

  // Alice's open editor turns read-only on the spot, with the reason, without reloading.
  await expect(alice.page.getByTestId('read-only-banner')).toContainText('approved');
  await expect(alice.body()).toHaveAttribute('contenteditable', 'false');
  await expect(alice.headline()).toHaveAttribute('readonly', '');

  await lead.page.getByRole('button', { name: 'Publish' }).click();
  await lead.page.getByRole('dialog', { name: 'Publish this story?' }).getByRole('button', { name: 'Publish now' }).click();
  await expect(lead.page.getByRole('link', { name: /View on site/ })).toBeVisible();
  await expect(alice.page.getByTestId('read-only-banner')).toContainText('published');

  // A logged-out reader opens the public page.
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  const slug = 'harbour-bridge-reopens';
  await reader.goto(`${server.url}/news/${slug}`);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Harbour bridge reopens');
  await expect(reader.locator('.story-body')).toContainText('The bridge reopened to traffic at dawn after six weeks of repairs.');
  await expect(reader.locator('.byline')).toContainText('Alice Moreau');
  await expect(reader).toHaveTitle('Harbour bridge reopens — Copydesk News');
  await reader.goto(`${server.url}/news`);
  await expect(reader.getByRole('link', { name: 'Harbour bridge reopens' })).toBeVisible();
  await readerContext.close();
});

test('the lead restores an earlier version while bob is in the article, and both see the same result', async ({ actor }) => {
  const bob = await actor('bob');
  const articleId = await bob.createArticle('Stadium vote delayed');
  await bob.typeInBody('Councillors will vote on the stadium next week.');

  const lead = await actor('lead');
  await lead.open(articleId);
  await lead.waitUntilLive();
  await expect.poll(() => lead.bodyText()).toContain('next week');
  await lead.page.getByRole('tab', { name: 'History' }).click();
  await lead.page.getByLabel('Version label').fill('Before the rewrite');
  await lead.page.getByRole('button', { name: 'Save version' }).click();
  const versions = lead.page.getByRole('list', { name: 'Versions' });
  await expect(versions).toContainText('Before the rewrite');

  // Bob keeps writing after the version was saved.
  await bob.typeInBody(' The mayor opposes the plan.');
  await expect.poll(() => lead.bodyText()).toContain('The mayor opposes the plan.');

  await versions.getByRole('button', { name: /Before the rewrite/ }).click();
  await expect(lead.page.getByTestId('version-diff').locator('ins')).toContainText('The mayor opposes the plan.');
  await lead.page.getByRole('button', { name: 'Restore this version' }).click();

  for (const person of [lead, bob]) {
    await expect.poll(() => person.bodyText()).toBe('Councillors will vote on the stadium next week.');
  }
  await expect(versions).toContainText('Restored “Before the rewrite”');
  // Bob keeps working after the restore, and the lead sees it.
  await bob.typeInBody(' Updated.');
  await expect.poll(() => lead.bodyText()).toBe('Councillors will vote on the stadium next week. Updated.');
});

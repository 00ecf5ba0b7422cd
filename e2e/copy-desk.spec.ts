import { test, expect } from './fixtures/actors.ts';

/** `datetime-local` value for a moment `ms` from now, in the browser's (= this machine's) time zone. */
function localInputValue(ms: number): string {
  const at = new Date(Date.now() + ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

test('alice files, the lead approves and schedules the story, and the reader page appears on time', async ({ actor, server, browser }) => {
  const alice = await actor('alice');
  const articleId = await alice.createArticle('Night tram trial begins');
  await alice.typeInBody('Trams will run all night on the river line for a month.');
  await alice.page.getByRole('tab', { name: 'Workflow' }).click();
  await alice.page.getByRole('button', { name: 'File to the desk' }).click();
  await expect(alice.page.getByTestId('timeline')).toContainText('from draft');

  const lead = await actor('lead');
  await lead.open(articleId);
  await lead.waitUntilLive();
  await lead.page.getByRole('tab', { name: 'Workflow' }).click();
  await lead.page.getByRole('button', { name: 'Take for editing' }).click();
  await lead.page.getByRole('button', { name: 'Approve' }).click();

  // Scheduled a few seconds ahead: until then the reader page does not exist.
  await lead.page.getByRole('button', { name: 'Schedule…' }).click();
  await lead.page.getByLabel('Publish at').fill(localInputValue(5_000));
  await lead.page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(lead.page.getByTestId('status-badge').first()).toHaveText('Scheduled');
  await expect(lead.page.getByTestId('scheduled-for')).toBeVisible();
  await expect(alice.page.getByTestId('read-only-banner')).toContainText('scheduled');
  await lead.page.screenshot({ path: 'test-results/copy-desk-scheduled.png' });

  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  const page = `${server.url}/news/night-tram-trial-begins`;
  expect((await reader.goto(page))!.status()).toBe(404);

  // The desk shows it with its time.
  await lead.page.goto(`${server.url}/`);
  await expect(lead.page.locator(`[data-article-id="${articleId}"]`).getByTestId('scheduled-for')).toBeVisible();

  // On time, the server publishes it (nobody clicks anything).
  await expect.poll(async () => (await reader.goto(page))!.status(), { timeout: 20_000 }).toBe(200);
  await expect(reader.locator('.story-body')).toContainText('Trams will run all night on the river line for a month.');
  await expect(lead.page.locator(`[data-article-id="${articleId}"]`).getByTestId('status-badge')).toHaveText('Published');
  await readerContext.close();
});

test('a lead editing a published story sees "Unpublished changes" until it is published again', async ({ actor }) => {
  const lead = await actor('lead');
  const articleId = await lead.createArticle('Budget passes');
  await lead.typeInBody('The council passed the budget.');
  await lead.page.getByRole('tab', { name: 'Workflow' }).click();
  for (const step of ['File to the desk', 'Take for editing', 'Approve']) {
    await lead.page.getByRole('button', { name: step, exact: true }).click();
    await expect(lead.page.getByTestId('timeline')).toContainText(step === 'Approve' ? 'from editing' : 'from');
  }
  await lead.page.getByRole('button', { name: 'Publish', exact: true }).click();
  await lead.page.getByRole('dialog', { name: 'Publish this story?' }).getByRole('button', { name: 'Publish now' }).click();
  await expect(lead.page.getByRole('link', { name: /View on site/ })).toBeVisible();
  await expect(lead.page.getByTestId('changed-since-approval')).toHaveCount(0);

  await lead.typeInBody(' By nine votes to four.');
  await expect(lead.page.getByTestId('changed-since-approval')).toContainText('Unpublished changes');

  // A correction of changed text is refused until the lead approves the current text in the same step.
  await lead.page.getByRole('button', { name: 'Publish correction' }).click();
  await lead.page.getByLabel('Public correction note').fill('Adds the vote count.');
  await lead.page.getByRole('button', { name: 'Confirm: Publish correction' }).click();
  await expect(lead.page.getByRole('alert')).toContainText('changed since it was approved');
  await lead.page.getByRole('button', { name: 'Approve the current text and publish' }).click();
  await expect(lead.page.getByTestId('changed-since-approval')).toHaveCount(0);
  const page = await lead.page.request.get(`/news/budget-passes`);
  expect(await page.text()).toContain('By nine votes to four.');
  expect(articleId).toMatch(/^[A-Za-z0-9_-]+$/);
});

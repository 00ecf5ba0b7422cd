import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, type Actor } from './fixtures/actors.ts';

/**
 * Screenshots of the desk, the editor, the presence board and the reader page at 1280 and 390 px
 * wide, written to e2e/screenshots/<page>-<width>.png (run with `npm run screenshots`).
 */
const OUT = join(import.meta.dirname, 'screenshots');
const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const;

async function shoot(page: Page, name: string) {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    // Let layout settle at the new width (fonts, sticky bars) before capturing.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: join(OUT, `${name}-${size.width}.png`), animations: 'disabled', caret: 'hide' });
  }
}

async function publish(writer: Actor, lead: Actor, headline: string, body: string): Promise<{ id: string; slug: string }> {
  const created = await writer.page.request.post('/api/articles', { data: { headline } });
  const { id } = (await created.json()) as { id: string };
  await writer.open(id);
  await writer.waitUntilLive();
  await writer.typeInBody(body);
  await expect(writer.page.getByTestId('save-status')).toHaveText('Saved');
  for (const to of ['filed', 'editing', 'approved']) await lead.page.request.post(`/api/articles/${id}/transitions`, { data: { to } });
  const published = await lead.page.request.post(`/api/articles/${id}/publish`, { data: {} });
  return { id, slug: ((await published.json()) as { slug: string }).slug };
}

async function publishReady(writer: Actor, lead: Actor, headline: string): Promise<string> {
  const created = await writer.page.request.post('/api/articles', { data: { headline } });
  const { id } = (await created.json()) as { id: string };
  for (const to of ['filed', 'editing', 'approved']) await lead.page.request.post(`/api/articles/${id}/transitions`, { data: { to } });
  return id;
}

test('screenshots of the desk, editor, board and reader page', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const lead = await actor('lead');
  const { slug } = await publish(
    alice,
    lead,
    'Harbour bridge reopens after six weeks',
    'The bridge reopened to traffic at dawn after six weeks of repairs. Commuters said the detour had added an hour to their day.',
  );

  const id = await alice.createArticle('Council delays the stadium vote');
  await alice.page.getByLabel('Dek').fill('Councillors want an independent cost review before they decide.');
  await alice.typeInBody('Councillors voted on Tuesday to delay the decision on the new stadium until an independent review of its costs is complete.');
  await bob.open(id);
  await bob.waitUntilLive();
  await bob.typeInBody(' The review is expected in March.');
  await expect.poll(() => alice.bodyText()).toContain('expected in March');
  await expect(alice.page.getByTestId('save-status')).toHaveText('Saved');

  // The inline link popover, on a selected phrase.
  await alice.page.getByLabel('Article body').click();
  await alice.page.evaluate(() => {
    const root = document.getElementById('article-body')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf('independent review');
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 'independent review'.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      return;
    }
  });
  await alice.page.getByRole('button', { name: 'Link' }).click();
  await alice.page.getByLabel('Link address').fill('https://example.org/review');
  await alice.page.screenshot({ path: join(OUT, 'editor-link-popover-1280.png'), animations: 'disabled' });
  await alice.page.keyboard.press('Escape');

  // The publish confirmation, as the lead sees it.
  const ready = await publishReady(alice, lead, 'Ferry timetable changes');
  await lead.open(ready);
  await lead.waitUntilLive();
  await lead.page.getByRole('tab', { name: 'Workflow' }).click();
  await lead.page.getByRole('button', { name: 'Publish' }).click();
  await expect(lead.page.getByRole('dialog', { name: 'Publish this story?' })).toBeVisible();
  await lead.page.screenshot({ path: join(OUT, 'publish-dialog-1280.png'), animations: 'disabled' });
  await lead.page.keyboard.press('Escape');

  // A writer's read-only notice.
  await alice.open(ready);
  await alice.waitUntilLive();
  await alice.body().click();
  await alice.page.keyboard.type('x');
  await expect(alice.page.getByTestId('typing-blocked')).toBeVisible();
  await alice.page.screenshot({ path: join(OUT, 'editor-read-only-1280.png'), animations: 'disabled' });
  await alice.open(id);
  await alice.waitUntilLive();

  await lead.page.goto('/');
  await expect(lead.page.getByTestId('desk-live')).toBeVisible();
  await shoot(lead.page, 'desk');

  await shoot(alice.page, 'editor');

  await lead.page.goto('/board');
  await expect(lead.page.getByText('Council delays the stadium vote').first()).toBeVisible();
  await shoot(lead.page, 'board');

  await alice.page.goto(`/news/${slug}`);
  await expect(alice.page.locator('#comments').getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await shoot(alice.page, 'reader');
});

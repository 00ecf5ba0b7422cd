import { test, expect, type Actor } from './fixtures/actors.ts';

/** A workflow step through the REST API, as the actor (their cookies, our own Origin). */
async function transition(actor: Actor, articleId: string, to: string): Promise<void> {
  const res = await actor.page.request.post(`/api/articles/${articleId}/transitions`, {
    data: { to },
    headers: { origin: new URL(actor.page.url()).origin },
  });
  expect(res.status(), await res.text()).toBe(200);
}

test('offline edits to a story approved meanwhile are not applied, not lost, and not resent forever', async ({ actor }) => {
  const alice = await actor('alice');
  const articleId = await alice.createArticle('Approved while away');
  await alice.typeInBody('Filed copy.');
  await expect(alice.page.getByTestId('save-status')).toHaveText('Saved');
  await transition(alice, articleId, 'filed');

  // Alice goes offline and keeps typing; the desk approves the story meanwhile.
  await alice.context.setOffline(true);
  await expect(alice.page.getByTestId('connection-status')).toHaveText('Offline — changes kept on this device');
  await alice.typeInBody(' Written on the train.');
  const lead = await actor('lead');
  await transition(lead, articleId, 'editing');
  await transition(lead, articleId, 'approved');

  // Back online: the server refuses what she typed, and the editor says so instead of "Saved".
  await alice.context.setOffline(false);
  await expect(alice.page.getByTestId('connection-status')).toHaveText('Live', { timeout: 20_000 });
  const notice = alice.page.getByTestId('not-applied');
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('heading')).toHaveText('Not applied: This article is approved: only desk leads can edit it now.');
  await expect(alice.page.getByTestId('save-status')).toHaveText('Not applied');
  await expect(notice.getByLabel('Your version of the story')).toHaveValue(/Filed copy\. Written on the train\./);
  await alice.page.screenshot({ path: 'test-results/not-applied.png' });

  // Her text goes to the desk as an editorial comment; the lead sees it in the comments panel.
  await notice.getByRole('button', { name: 'Send to the desk as a comment' }).click();
  await expect(notice.getByRole('status')).toHaveText('Sent to the desk as an editorial comment.');
  await lead.open(articleId);
  await lead.page.getByRole('tab', { name: /Comments/ }).click();
  await expect(lead.page.getByText(/My changes were not applied\. My version of the story:/)).toBeVisible();

  // Discarding starts again from the story as approved; nothing is resent.
  await notice.getByRole('button', { name: 'Discard my changes' }).click();
  await expect(alice.page.getByTestId('read-only-banner')).toBeVisible({ timeout: 20_000 });
  await expect(alice.page.getByTestId('not-applied')).toHaveCount(0);
  await expect.poll(() => alice.bodyText()).toBe('Filed copy.');
  await expect(alice.page.getByTestId('save-status')).toHaveText('Saved');
  await expect.poll(() => lead.bodyText()).toBe('Filed copy.');
});

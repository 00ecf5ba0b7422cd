import { test, expect, type Actor } from './fixtures/actors.ts';

/** The counts cell of one person on one article card of the lead's board, as "+ins −del". */
function boardRow(lead: Actor, headline: string, name: string) {
  const card = lead.page.getByTestId('board-article').filter({ has: lead.page.getByRole('link', { name: headline }) });
  return { card, row: card.getByTestId('board-person').filter({ hasText: name }) };
}

async function inserted(lead: Actor, headline: string, name: string): Promise<number> {
  const text = await boardRow(lead, headline, name).row.getByTestId('board-counts').innerText();
  return Number(/\+(\d+)/.exec(text)?.[1] ?? -1);
}

/** Opens the people list in the editor bar (if it is not open yet) and returns it. */
async function peopleList(actor: Actor) {
  const list = actor.page.getByTestId('presence-list');
  if (!(await list.isVisible())) await actor.page.getByRole('button', { name: /^People in this article/ }).click();
  await expect(list).toBeVisible();
  return list;
}

test('the lead watches two writers collide in one paragraph on the live presence board, and one leave', async ({ actor }) => {
  const lead = await actor('lead');
  await lead.page.goto('/board');
  await expect(lead.page.getByRole('heading', { name: 'Presence board' })).toBeVisible();
  await expect(lead.page.getByTestId('board-live')).toBeVisible();

  const alice = await actor('alice');
  const bob = await actor('bob');
  const headline = 'Harbour flooding';
  const articleId = await alice.createArticle(headline);
  await bob.open(articleId);
  await bob.waitUntilLive();

  // Both type in the same (first and only) paragraph.
  await alice.typeInBody('Water rose over the quay');
  await expect.poll(() => bob.bodyText()).toContain('Water rose over the quay');
  await bob.typeInBody(' before dawn');
  await alice.typeInBody(', cutting the road');

  const aliceRow = boardRow(lead, headline, alice.displayName);
  const bobRow = boardRow(lead, headline, bob.displayName);
  await expect(aliceRow.row).toBeVisible();
  await expect(bobRow.row).toBeVisible();
  await expect(aliceRow.row.getByTestId('board-section')).toHaveText('¶ 1');
  await expect(bobRow.row.getByTestId('board-section')).toHaveText('¶ 1');
  await expect(aliceRow.row).toHaveAttribute('data-state', 'active');
  await expect(aliceRow.card.getByTestId('collision-flag')).toContainText('Collision in ¶ 1');

  // Counts come from what the server applied, and rise as they type.
  await expect.poll(() => inserted(lead, headline, bob.displayName)).toBeGreaterThanOrEqual(' before dawn'.length);
  const before = await inserted(lead, headline, bob.displayName);
  await bob.page.keyboard.type(' on Sunday', { delay: 15 });
  await expect.poll(() => inserted(lead, headline, bob.displayName)).toBe(before + ' on Sunday'.length);

  // Alice's own list shows Bob and where he is.
  const list = await peopleList(alice);
  const bobInList = list.getByTestId('presence-row').filter({ hasText: bob.displayName });
  await expect(bobInList).toBeVisible();
  await expect(bobInList.getByTestId('presence-section')).toContainText('¶ 1');
  await alice.page.screenshot({ path: test.info().outputPath('alice-people-list.png') });
  await lead.page.screenshot({ path: test.info().outputPath('lead-board.png'), fullPage: true });

  // Bob closes his tab: gone from the board and from Alice's list within seconds.
  await bob.page.close();
  await expect(bobRow.row).toHaveCount(0, { timeout: 5000 });
  await expect(bobInList).toHaveCount(0, { timeout: 5000 });
  await expect(aliceRow.row).toBeVisible();
  await expect(aliceRow.card.getByTestId('collision-flag')).toHaveCount(0);
});

test('the same writer in two tabs shows once with a "2 tabs" hint, and author colours mark who wrote what', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const articleId = await alice.createArticle('Council budget');
  await alice.typeInBody('The council met on Tuesday.');
  await bob.open(articleId);
  await bob.waitUntilLive();
  await bob.typeInBody(' It voted nine to two.');

  const second = await bob.context.newPage();
  await second.goto(`/articles/${articleId}`);
  await expect(second.getByTestId('connection-status')).toHaveText('Live');

  const list = await peopleList(alice);
  const bobRow = list.getByTestId('presence-row').filter({ hasText: bob.displayName });
  await expect(bobRow).toHaveCount(1);
  await expect(bobRow).toContainText('2 tabs');
  await second.close();
  await expect(bobRow).not.toContainText('tabs');
  await alice.page.keyboard.press('Escape');

  await alice.page.getByRole('button', { name: 'Authors' }).click();
  await expect(alice.page.getByRole('button', { name: 'Authors' })).toHaveAttribute('aria-pressed', 'true');
  const legend = alice.page.getByTestId('author-legend');
  await expect(legend).toContainText(alice.displayName);
  await expect(legend).toContainText(bob.displayName);
  const runs = alice.body().locator('.author-run');
  await expect(runs.filter({ hasText: 'The council met on Tuesday.' })).toHaveAttribute('title', alice.displayName);
  await expect(runs.filter({ hasText: 'It voted nine to two.' })).toHaveAttribute('title', bob.displayName);
  await alice.page.screenshot({ path: test.info().outputPath('author-colours.png') });

  await alice.page.getByRole('button', { name: 'Authors' }).click();
  await expect(runs).toHaveCount(0);
});

test('writers cannot open the presence board', async ({ actor }) => {
  const alice = await actor('alice');
  await alice.page.goto('/board');
  await expect(alice.page.getByRole('heading', { name: 'The presence board is for desk leads' })).toBeVisible();
  await expect(alice.page.getByRole('link', { name: 'Presence board' })).toHaveCount(0);
});

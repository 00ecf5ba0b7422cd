import { test, expect } from './fixtures/actors.ts';

test('the editor says "Saved" only once the server has stored what was typed, and nothing while offline', async ({ actor, server }) => {
  const alice = await actor('alice');
  const articleId = await alice.createArticle('Saving honestly');
  const save = alice.page.getByTestId('save-status');
  await expect(save).toHaveText('Saved');

  await alice.typeInBody('Every keystroke is stored before we say so.');
  await expect(save).toHaveText('Saved');
  await expect(alice.page.getByTestId('connection-status')).toHaveText('Live');
  await alice.page.screenshot({ path: 'test-results/save-status-saved.png' });

  // Server restarting: the connection pill says where the changes are; no save claim is shown.
  const restarting = server.restart();
  await expect(alice.page.getByTestId('connection-status')).toHaveText('Offline — changes kept on this device');
  await expect(save).toHaveCount(0);
  await alice.typeInBody(' Typed offline.');

  await restarting;
  await expect(alice.page.getByTestId('connection-status')).toHaveText('Live', { timeout: 20_000 });
  await expect(save).toHaveText('Saved');

  // A fresh reader of the article gets what was typed, from the store.
  const bob = await actor('bob');
  await bob.open(articleId);
  await bob.waitUntilLive();
  await expect.poll(() => bob.bodyText()).toContain('Every keystroke is stored before we say so. Typed offline.');
});

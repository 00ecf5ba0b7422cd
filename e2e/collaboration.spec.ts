import { test, expect } from './fixtures/actors.ts';

test('two writers co-edit the body and headline live, and it survives a reload and a server restart', async ({ actor, server }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const articleId = await alice.createArticle('Storm damage');
  await bob.open(articleId);
  await bob.waitUntilLive();

  // Type at the same time, in different fields: first Alice in the body while Bob types in the
  // headline, then Bob in the body while Alice adds to the headline.
  await Promise.all([alice.typeInBody('Trees fell across the ring road overnight.'), bob.typeInHeadline(' shuts ring')]);
  await expect.poll(() => bob.bodyText()).toContain('Trees fell across the ring road overnight.');
  await Promise.all([
    (async () => {
      await bob.body().click();
      await bob.page.keyboard.press('ControlOrMeta+End');
      await bob.page.keyboard.press('Enter');
      await bob.page.keyboard.type('Crews worked until dawn.', { delay: 15 });
    })(),
    alice.typeInHeadline(' road'),
  ]);

  for (const person of [alice, bob]) {
    await expect.poll(() => person.bodyText()).toContain('Trees fell across the ring road overnight.');
    await expect.poll(() => person.bodyText()).toContain('Crews worked until dawn.');
    await expect.poll(() => person.headlineText()).toBe('Storm damage shuts ring road');
  }
  // With both in the body, each sees a caret labelled with the other's name.
  await alice.body().click();
  await alice.page.keyboard.press('ControlOrMeta+Home');
  await expect.poll(() => alice.caretLabels()).toContain(bob.displayName);
  await expect.poll(() => bob.caretLabels()).toContain(alice.displayName);
  const finalBody = await alice.bodyText();

  await alice.page.reload();
  await alice.waitUntilLive();
  await expect.poll(() => alice.bodyText()).toBe(finalBody);
  await expect.poll(() => alice.headlineText()).toBe('Storm damage shuts ring road');

  await server.restart();
  for (const person of [alice, bob]) {
    await person.open(articleId);
    await person.waitUntilLive();
    await expect.poll(() => person.bodyText()).toBe(finalBody);
    await expect.poll(() => person.headlineText()).toBe('Storm damage shuts ring road');
  }
  // The desk shows the new headline too.
  await alice.page.goto('/');
  await expect(alice.page.getByRole('link', { name: 'Storm damage shuts ring road' })).toBeVisible();
});

test('a reader gets a clear "you cannot edit this article" page instead of the editor', async ({ actor }) => {
  const alice = await actor('alice');
  const articleId = await alice.createArticle('Embargoed investigation');
  const rita = await actor('rita');
  await rita.open(articleId);
  await expect(rita.page.getByRole('heading', { name: 'You cannot edit this article' })).toBeVisible();
  await expect(rita.body()).toHaveCount(0);
});

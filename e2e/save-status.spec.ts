import { test, expect } from './fixtures/actors.ts';
import { startAppServer } from './fixtures/server.ts';
import { startRedisServer, type RedisServer } from '../server/src/cluster/processes.ts';

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

test('leaving with changes the server has not stored asks first; leaving when everything is saved does not', async ({ actor }) => {
  const alice = await actor('alice');
  await alice.createArticle('Leaving early');
  await alice.typeInBody('Stored.');
  await expect(alice.page.getByTestId('save-status')).toHaveText('Saved');
  const dialogs: string[] = [];
  alice.page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss(); // stay on the page
  });

  // Everything saved: a reload goes through without a question.
  await alice.page.reload();
  await alice.waitUntilLive();
  expect(dialogs).toEqual([]);

  // Typed offline: the browser asks before the tab goes.
  await alice.context.setOffline(true);
  await expect(alice.page.getByTestId('connection-status')).toHaveText('Offline — changes kept on this device');
  await alice.typeInBody(' Typed offline.');
  await alice.page.close({ runBeforeUnload: true });
  await expect.poll(() => dialogs).toEqual(['beforeunload']);
  expect(alice.page.isClosed()).toBe(false);
});

/** The same newsroom in Redis mode on a private redis-server that the test stops and starts. */
const redisTest = test.extend<{ redis: RedisServer }>({
  // eslint-disable-next-line no-empty-pattern
  redis: async ({}, use) => {
    const redis = await startRedisServer();
    await use(redis);
    await redis.destroy();
  },
  server: async ({ redis }, use) => {
    const server = await startAppServer({ REDIS_URL: redis.url, REDIS_PREFIX: 'e2e-save:' });
    await use(server);
    await server.stop();
  },
});

redisTest('the editor says "Not saved yet" while server storage is down, and "Saved" once it is back', async ({ actor, redis }) => {
  const alice = await actor('alice');
  const articleId = await alice.createArticle('Storage outage');
  const save = alice.page.getByTestId('save-status');
  await alice.typeInBody('Stored before the outage.');
  await expect(save).toHaveText('Saved');

  await redis.stop();
  await alice.typeInBody(' Typed while storage is down.');
  await expect(save).toHaveText('Not saved yet — server storage unavailable');
  // Still live: the co-editing goes on, only the save claim changes.
  await expect(alice.page.getByTestId('connection-status')).toHaveText('Live');
  await alice.page.screenshot({ path: 'test-results/save-status-unavailable.png' });

  await redis.start();
  await expect(save).toHaveText('Saved', { timeout: 20_000 });
  const bob = await actor('bob');
  await bob.open(articleId);
  await bob.waitUntilLive();
  await expect.poll(() => bob.bodyText()).toBe('Stored before the outage. Typed while storage is down.');
});

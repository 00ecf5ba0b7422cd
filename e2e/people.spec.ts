import { test, expect } from './fixtures/actors.ts';

test('a desk lead adds a writer on the People page and deactivates them: they can no longer sign in', async ({ actor, server }) => {
  const lead = await actor('lead');
  await lead.page.goto('/people');
  const add = lead.page.getByRole('form', { name: 'Add a person' });
  await add.getByLabel('Name', { exact: true }).fill('Nina Night');
  await add.getByLabel('Username', { exact: true }).fill('nina');
  await add.getByLabel('Role of the new person').selectOption('writer');
  await add.getByLabel(/First password/).fill('night desk 2026');
  await add.getByRole('button', { name: 'Add person' }).click();
  const row = lead.page.getByRole('row', { name: 'Nina Night' });
  await expect(row).toContainText('Active');

  const signIn = (password: string) => fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nina', password }) });
  expect((await signIn('night desk 2026')).status).toBe(200);

  await row.getByRole('button', { name: 'Deactivate Nina Night' }).click();
  await expect(row).toContainText('Deactivated');
  expect((await signIn('night desk 2026')).status).toBe(403);
});

import { test, expect } from './fixtures/actors.ts';

test('a visitor creates a reader account on the article page and comments at once', async ({ actor, browser, server }) => {
  const lead = await actor('lead');
  const created = await lead.page.request.post('/api/articles', { data: { headline: 'Harbour ferry returns' } });
  const { id } = (await created.json()) as { id: string };
  for (const to of ['filed', 'editing', 'approved']) await lead.page.request.post(`/api/articles/${id}/transitions`, { data: { to } });
  const { slug } = (await (await lead.page.request.post(`/api/articles/${id}/publish`, { data: {} })).json()) as { slug: string };

  const visitor = await browser.newContext({ baseURL: server.url });
  const page = await visitor.newPage();
  await page.goto(`/news/${slug}`);
  const comments = page.locator('#comments');
  await comments.getByRole('button', { name: 'Create an account' }).click();
  const form = comments.getByRole('form', { name: 'Create an account' });
  await form.getByLabel('Username').fill('ferry.fan');
  await form.getByLabel('Name shown with your comments').fill('Ferry Fan');
  await form.getByLabel(/^Password/).fill('password123');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(form.getByRole('alert')).toContainText('common');

  await form.getByLabel(/^Password/).fill('tides turn twice daily');
  await form.getByRole('button', { name: 'Create account' }).click();
  await comments.getByRole('textbox', { name: 'Add a comment' }).fill('Glad to have it back.');
  await comments.getByRole('button', { name: 'Post comment' }).click();
  await expect(comments.getByText('Glad to have it back.')).toBeVisible();
  await expect(comments.getByText('Ferry Fan').first()).toBeVisible();
  await visitor.close();
});

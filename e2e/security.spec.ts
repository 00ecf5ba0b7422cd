import { test, expect } from './fixtures/actors.ts';
import type { Page } from '@playwright/test';

/** A selection of the OWASP XSS filter-evasion cheat sheet, each trying to set window.__xss or open a dialog. */
const XSS = [
  '<script>window.__xss=1;alert(1)</script>',
  '<img src=x onerror="window.__xss=1;alert(1)">',
  '<svg/onload=window.__xss=1>',
  '"><script>window.__xss=1</script>',
  "'';!--\"<XSS>=&{()}",
  '<a href="javascript:window.__xss=1">x</a>',
  '<IMG SRC=JaVaScRiPt:window.__xss=1>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<body onload=window.__xss=1>',
  '<div style="background-image: url(javascript:window.__xss=1)">',
  '<<SCRIPT>window.__xss=1;//<</SCRIPT>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
];
const PAYLOAD = XSS.join(' ');

/** Fails the test on any dialog, CSP violation or script that ran. */
function guard(page: Page, problems: string[]) {
  page.on('dialog', async (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) problems.push(`csp: ${message.text()}`);
  });
}

test('hostile strings in every field stay inert in the editor, the desk, history and the reader page; no CSP violations', async ({ actor, server, browser }) => {
  const problems: string[] = [];
  const lead = await actor('lead');
  guard(lead.page, problems);
  const articleId = await lead.createArticle(`Headline ${XSS[0]}`);
  await lead.typeInHeadline(` ${XSS[1]}`);
  await lead.page.getByLabel('Dek').click();
  await lead.page.keyboard.type(XSS.slice(2, 6).join(' '), { delay: 2 });
  await lead.typeInBody(PAYLOAD);

  await lead.page.getByRole('tab', { name: 'Details' }).click();
  await lead.page.getByLabel('Add a tag').fill(XSS[1]!.slice(0, 40));
  await lead.page.getByLabel('Add a tag').press('Enter');
  await lead.page.getByRole('tab', { name: 'History' }).click();
  await lead.page.getByLabel('Version label').fill(XSS[0]!.slice(0, 100));
  await lead.page.getByRole('button', { name: 'Save version' }).click();
  await lead.page.getByRole('list', { name: 'Versions' }).getByRole('button').first().click();
  await lead.page.getByRole('button', { name: 'Version', exact: true }).click();
  await expect(lead.page.locator('.version-view__content')).toContainText('window.__xss');

  await lead.page.getByRole('tab', { name: 'Workflow' }).click();
  for (const step of ['Take for editing', 'Approve', 'Publish']) {
    if (step === 'Take for editing') {
      // A lead's own draft: file it first.
      await lead.page.getByRole('button', { name: 'File to the desk' }).click();
    }
    await lead.page.getByRole('button', { name: step }).click();
  }
  await lead.page.getByRole('dialog', { name: 'Publish this story?' }).getByRole('button', { name: 'Publish now' }).click();
  await expect(lead.page.getByRole('link', { name: /View on site/ })).toBeVisible();
  await lead.page.goto('/');
  await expect(lead.page.getByTestId('article-row').filter({ hasText: 'Headline <script>' })).toBeVisible();

  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  guard(reader, problems);
  const slug = (await (await lead.page.request.get(`${server.url}/api/articles/${articleId}`)).json()).slug as string;
  await reader.goto(`${server.url}/news/${slug}`);
  await expect(reader.locator('.story-body')).toContainText('<img src=x onerror=');
  await expect(reader.locator('h1')).toContainText('<script>');
  await reader.goto(`${server.url}/news`);

  for (const page of [lead.page, reader]) expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await reader.locator('.story-body script, .story-body img, .story-body iframe, .story-body svg').count()).toBe(0);
  expect(problems).toEqual([]);
  await readerContext.close();
});

// The public help center in Chromium: a reader searches with suggestions as they type and picks
// one with the keyboard, votes on the article, and the whole way works without JavaScript too.
// The strict Content-Security-Policy reports no violation and no inline script runs (an XSS
// attempt in an article stays text). The app runs in-process on a real port, so the test writes
// the articles straight to its database. SCREENSHOT_DIR=/tmp/shots saves what the tests saw.
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../apps/server/src/core/db/tenant.js';
import { sessionFor, startTestApp, type TestApp } from '../apps/server/test/helpers.js';
import { recordSearch } from '../apps/server/src/features/kb/feedback.js';
import { setupHelpCenter } from '../apps/server/test/support/help-center.js';
import { makeArticle } from '../apps/server/test/support/kb-content.js';
import { launchBrowser } from './browser.js';

let t: TestApp;
let browser: Browser;
let base = '';
let site: Awaited<ReturnType<typeof setupHelpCenter>>;

const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `help-center-${name}.png`), fullPage: true });
};

/** A page that records every CSP violation and page error Chromium reports. */
async function readerPage(javaScript = true): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light', javaScriptEnabled: javaScript });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, problems, close: () => context.close() };
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  site = await setupHelpCenter(t, 'Acme Bikes');
  await makeArticle(t.ctx.db, site.accountId, {
    title: 'Lights and reflectors <img src=x onerror="window.__xss=1">',
    sectionId: site.returns,
    body: 'Front and rear lights come with every bike. <script>window.__xss=1</script> [safe?](javascript:window.__xss=1)',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('help center in a browser', () => {
  it('suggests articles as a reader types, picked with the keyboard, and takes a vote', async () => {
    const { page, problems, close } = await readerPage();
    await page.goto(`${base}/help/${site.slug}/en/`);
    await expect(page.getByRole('heading', { level: 1, name: 'How can we help?' }).isVisible()).resolves.toBe(true);
    await shot(page, 'home');

    // The first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');

    const box = page.getByRole('combobox', { name: 'Search the help center' });
    await box.click();
    await box.pressSequentially('money bak', { delay: 30 });
    const options = page.getByRole('option');
    await options.first().waitFor();
    await expect(options.first().textContent()).resolves.toBe('Refunds');
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');
    await shot(page, 'suggestions');
    await page.keyboard.press('ArrowDown');
    await expect(options.first().getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/articles\/[0-9a-f-]{36}-refunds$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Refunds');
    await shot(page, 'article');

    await page.getByLabel('Anything we should add or fix? (optional)').fill('Clear, thanks');
    await page.getByRole('button', { name: 'Yes, it helped' }).click();
    await page.waitForURL(/feedback=yes#feedback$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Thank you for your feedback');
    await shot(page, 'voted');

    // Escape closes the suggestions; Enter then submits the search form itself.
    const header = page.getByRole('combobox', { name: 'Search the help center' });
    await header.fill('');
    await header.pressSequentially('lights', { delay: 30 });
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('listbox').isVisible()).resolves.toBe(false);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=lights$/);
    await expect(page.locator('mark').first().textContent()).resolves.toBe('Lights');
    await shot(page, 'results');

    // The XSS attempt in the article is text; nothing ran, and the policy reported nothing.
    await page.getByRole('link', { name: /Lights and reflectors/ }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('<img src=x onerror="window.__xss=1">');
    await expect(page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).resolves.toBeUndefined();
    expect(problems).toEqual([]);
    const votes = await scoped(t.ctx.db, site.accountId).selectFrom('kb_votes').select(['helpful', 'comment']).execute();
    expect(votes).toEqual([{ helpful: true, comment: 'Clear, thanks' }]);
    await close();
  });

  it('works without JavaScript: search, results, an article and a vote', async () => {
    const { page, close } = await readerPage(false);
    await page.goto(`${base}/help/${site.slug}/en/`);
    await page.getByRole('combobox', { name: 'Search the help center' }).fill('do you repair skateboards');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('No articles match');
    await shot(page, 'no-results');
    await page.getByRole('combobox', { name: 'Search the help center' }).fill('return label');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=return\+label/);
    await page.getByRole('link', { name: 'Return labels' }).first().click();
    await page.getByRole('button', { name: 'No' }).click();
    await page.waitForURL(/feedback=no#feedback$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Thank you for your feedback');
    await page.goto(`${base}/help/${site.slug}/de/`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
    await shot(page, 'german-home');
    await close();
  });

  it('lets an admin change the look, add synonyms and see the searches that found nothing in the agent app', async () => {
    await recordSearch(t.ctx.db, site.accountId, { q: 'gift wrapping', locale: 'en', source: 'help_center', results: 0 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme: 'light' });
    const cookie = (await sessionFor(t, site.owner.id, site.accountId)).cookie!.split('=');
    await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: base }]);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/settings/help-center`);
    const form = page.getByRole('form', { name: 'Help center settings' });
    await form.getByLabel('Name').waitFor();
    await expect(form.getByLabel('Name').inputValue()).resolves.toBe('Acme Bikes');
    await expect(page.getByRole('table', { name: 'Searches that found nothing' }).textContent()).resolves.toContain('gift wrapping');
    await shot(page, 'settings');

    await form.getByLabel('Brand colour').fill('#0f766e');
    await form.getByLabel('Logo').fill('http://not-https.example/logo.png');
    await form.getByRole('button', { name: 'Save help center' }).click();
    await expect(form.getByText('An https:// address', { exact: true }).isVisible()).resolves.toBe(true);
    await form.getByLabel('Logo').fill('');
    await form.getByRole('button', { name: 'Save help center' }).click();
    await page.getByText('Help center saved').waitFor();
    const css = await (await fetch(`${base}/help/${site.slug}/theme.css`)).text();
    expect(css).toContain('--hc-primary:#0f766e');

    const terms = page.getByPlaceholder('refund, money back, reimbursement');
    await terms.fill('gift wrap');
    await page.keyboard.press('Enter');
    await terms.fill('present');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('button', { name: 'Remove the group gift wrap, present' }).waitFor();
    await shot(page, 'settings-saved');
    await context.close();
  });
});

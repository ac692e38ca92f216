// Search in the agent app against the real server: "/" focuses the header's search, suggestions
// come as one types with the words marked (and markup in a message stays text), Enter opens the
// results page with its tabs and filters, and an empty search says so. In the inbox, the current
// filters are saved as a view shared with the team, and applying it sets the list's filters again;
// Export CSV downloads the list with formula-like cells neutralised. Desktop and phone widths.
// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, for a person to look at.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let page: Page;
let closePage: () => Promise<void>;
let inboxId = '';
let written = 0;

const shot = async (name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `search-${name}.png`) });
};

/** A customer starts a conversation through the API inbox. */
async function customerWrites(name: string, email: string, subject: string, content: string): Promise<string> {
  const res = await owner.call<{ conversation: { id: string } }>('POST', '/conversations', { inbox_id: inboxId, subject, contact: { name, email }, message: { content }, idempotency_key: `e2e-search-${++written}` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.conversation.id;
}

beforeAll(async () => {
  // The API inbox needs a webhook for agents' replies; none are sent here.
  server = await startServer(undefined, { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'localhost' });
  browser = await launchBrowser();
  owner = await apiSession(server);
  const inbox = await owner.call<{ id: string }>('POST', '/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://localhost:9/replies' });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  await customerWrites('Ada Lovelace', 'ada@example.com', 'Broken kettle', 'My blue kettle stopped working after a week.');
  await customerWrites('Grace Hopper', 'grace@example.com', 'Refund please', 'Please refund the kettle <img src=x onerror="window.__xss=1"> I sent back.');
  const formula = await customerWrites('=HYPERLINK("http://evil.example","click")', 'mallory@example.com', '@SUM(1+1)', '-2+3 kettles');
  expect((await owner.call('PATCH', `/conversations/${formula}`, { status: 'pending' })).status).toBe(200);
  const opened = await newPage(browser, server.url);
  page = opened.page;
  closePage = () => opened.context.close();
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
  // A server start and a browser on a busy machine can take longer than the default.
}, 180_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await server?.stop();
});

describe('search', () => {
  it('"/" focuses the search box; suggestions come as one types, with the words marked and markup kept as text', async () => {
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    await page.keyboard.press('/');
    const box = page.getByRole('textbox', { name: 'Search', exact: true });
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.pressSequentially('kett', { delay: 40 });
    const suggestions = page.getByRole('listbox', { name: 'Search suggestions' });
    await suggestions.getByRole('option', { name: /Refund please/ }).waitFor();
    await suggestions.getByRole('option', { name: /Broken kettle/ }).waitFor();
    expect(await suggestions.locator('mark').first().innerText()).toMatch(/^kettle/i);
    // The message's markup shows as text; nothing of it runs.
    await suggestions.getByText(/<img src=x onerror=/).waitFor();
    expect(await suggestions.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await shot('01-suggestions');
    // Picking a suggestion opens its conversation.
    await suggestions.getByRole('option', { name: /Broken kettle/ }).click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Broken kettle' }).first().waitFor();
  });

  it('Ctrl+K and Enter open every result, by tab, with filters and an empty state', async () => {
    await page.keyboard.press('Control+k');
    const box = page.getByRole('textbox', { name: 'Search', exact: true });
    await box.fill('kettle');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=kettle$/);
    await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
    const results = page.getByRole('region', { name: 'Results' });
    await results.getByRole('link').nth(2).waitFor();
    expect(await results.getByRole('link').count()).toBe(3);
    await shot('02-results');

    await page.getByRole('tab', { name: 'Messages' }).click();
    await page.waitForURL(/type=messages/);
    await results.getByText('My blue kettle stopped working after a week.').waitFor();

    await page.getByRole('textbox', { name: 'Search for' }).fill('grace');
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.waitForURL(/q=grace.*type=contacts|type=contacts.*q=grace/);
    await results.getByText('grace@example.com', { exact: false }).waitFor();
    expect(await results.locator('mark').first().innerText()).toBe('Grace');

    await page.getByRole('tab', { name: 'Conversations' }).click();
    await page.getByRole('textbox', { name: 'Search for' }).fill('kettle');
    await results.getByRole('link').nth(2).waitFor();
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Pending' }).click();
    await page.waitForURL(/status=pending/);
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Results"] a').length === 1);
    await results.getByText('@SUM(1+1)').waitFor();

    await page.getByRole('textbox', { name: 'Search for' }).fill('zebra');
    await page.getByText('Nothing found').waitFor();
    await page.getByText('No results with these filters; try clearing them.').waitFor();
    await shot('03-empty');
  });

  it('the search page fits a phone, opened from the header button', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    try {
      await page.goto('/inbox');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/search$/);
      await page.getByRole('textbox', { name: 'Search for' }).fill('refund');
      await page.getByRole('region', { name: 'Results' }).getByRole('link', { name: /Refund please/ }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await shot('04-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});

describe('saved views and export', () => {
  it('saves the filters as a view shared with the team, and applying it sets them again', async () => {
    await page.goto('/inbox?status=pending');
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByText('No saved views yet. Set the filters, then save them here.').waitFor();
    await page.getByRole('menuitem', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save view' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Give the view a name').waitFor();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Waiting on us');
    await dialog.getByRole('checkbox', { name: 'Share with the whole team' }).check();
    await shot('05-save-view');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('View “Waiting on us” saved').waitFor();
    const views = await owner.call<{ data: Array<{ name: string; shared: boolean; filters: Record<string, string> }> }>('GET', '/saved-views');
    expect(views.body.data).toMatchObject([{ name: 'Waiting on us', shared: true, filters: { status: 'pending' } }]);

    await page.goto('/inbox?status=resolved');
    await page.getByRole('button', { name: 'Saved views' }).click();
    await shot('06-views-menu');
    await page.getByRole('menuitem', { name: 'Waiting on us' }).click();
    await page.waitForURL(/\/inbox\?status=pending$/);
    await page.getByRole('button', { name: 'Saved views (Waiting on us on)' }).waitFor();
  });

  it('Export CSV downloads the filtered list with formula-like cells neutralised', async () => {
    await page.getByRole('button', { name: /Saved views/ }).click();
    const link = page.getByRole('menuitem', { name: 'Export CSV' });
    const href = await link.getAttribute('href');
    expect(href).toBe('/api/v1/conversations/export.csv?status=pending');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^conversations-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    const rows = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"'@SUM(1+1)"`);
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(rows[1]).toContain(`"'-2+3 kettles"`);
  });
});

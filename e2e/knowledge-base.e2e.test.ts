// The knowledge base in the real app: an agent starts from the empty state, writes an article
// in the Markdown editor (the preview is the help center's rendering, with markup in the text
// shown as text), publishes it, revises it, restores the first version from the history, adds a
// German draft translation, finds it in the list, and inserts it into a reply from the composer,
// as a link and as text, with the keyboard. SCREENSHOT_DIR=/tmp/shots saves each screen.
import { createHmac, randomUUID } from 'node:crypto';
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
let conversationId = '';

const shot = async (name: string) => {
  if (!process.env.SCREENSHOT_DIR) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `kb-${name}.png`), fullPage: true });
};

const FIRST = '## Steps\n\n1. Shift to the smallest sprocket.\n2. Open the quick link with pliers.\n\n> [!TIP]\n> A worn chain wears the cassette too.\n\n<img src=x onerror="document.title=\'pwned\'">';
const SECOND = '## Steps\n\nTake it to a workshop.';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  owner = await apiSession(server);
  const inbox = await owner.call<{ id: string; widget_key: string }>('POST', '/inboxes', { channel: 'webchat', name: 'Website', allowed_origins: ['https://shop.example'] });
  expect(inbox.status).toBe(201);
  const secret = (await owner.call<{ identity_secret: string }>('GET', `/inboxes/${inbox.body.id}`)).body.identity_secret;
  const user = { id: `cust-${randomUUID().slice(0, 6)}`, name: 'Ana López', email: 'ana@customer.example' };
  const session = await fetch(`${server.url}/api/v1/widget/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ widget_key: inbox.body.widget_key, identity: { ...user, hash: createHmac('sha256', secret).update(user.id).digest('hex') } }),
  });
  const token = ((await session.json()) as { visitor_token: string }).visitor_token;
  const sent = await fetch(`${server.url}/api/v1/widget/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-visitor-token': token }, body: JSON.stringify({ content: 'My chain keeps slipping, how do I replace it?', client_message_id: randomUUID() }) });
  expect(sent.status).toBeLessThan(300);
  const list = await owner.call<{ data: Array<{ id: string }> }>('GET', '/conversations');
  conversationId = list.body.data[0]!.id;

  const opened = await newPage(browser, server.url);
  page = opened.page;
  closePage = () => opened.context.close();
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
}, 240_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await server?.stop();
});

describe('knowledge base', () => {
  it('writes, publishes, revises and restores an article', async () => {
    await page.getByRole('link', { name: 'Knowledge base' }).first().click();
    await page.getByRole('heading', { name: 'No articles yet' }).waitFor();
    await shot('empty');
    await page.getByRole('button', { name: 'Write the first article' }).click();
    await page.waitForURL(/\/knowledge-base\/new$/);
    await expect(page.getByTestId('kb-status').textContent()).resolves.toBe('Not saved yet');

    await page.getByLabel('Title').fill('Replacing a bike chain');
    await page.getByLabel('Article body (Markdown)').fill(FIRST);
    const preview = page.getByTestId('kb-preview');
    await preview.locator('aside.callout-tip').waitFor();
    // The markup typed into the body is shown as text: no image element, no handler run.
    expect(await preview.locator('img').count()).toBe(0);
    expect(await preview.textContent()).toContain('<img src=x onerror=');
    await page.getByRole('combobox', { name: 'Keywords' }).fill('chain');
    await page.keyboard.press('Enter');
    await shot('editor');

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/knowledge-base\/[0-9a-f-]{36}$/);
    await page.getByTestId('kb-status').getByText('Published').waitFor();
    await page.getByRole('link', { name: 'Open in the help center' }).waitFor();
    expect(await page.title()).not.toBe('pwned');

    await page.getByLabel('Article body (Markdown)').fill(SECOND);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('kb-saved').getByText(/^Saved and still published/).waitFor();

    await page.getByRole('button', { name: 'History' }).click();
    await expect.poll(() => page.getByTestId('kb-revision').count()).toBe(2);
    await shot('history');
    await page.getByTestId('kb-revision').nth(1).getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.getByLabel('Article body (Markdown)').inputValue()).toBe(FIRST);
    await page.getByRole('button', { name: 'History' }).click();
    // Restoring wrote a third revision; the first two are still there.
    await expect.poll(() => page.getByTestId('kb-revision').count()).toBe(3);
    await page.keyboard.press('Escape');

    // A German translation, saved as a draft beside the published English one.
    await page.getByRole('button', { name: 'Language: en' }).click();
    await page.getByRole('menuitem', { name: 'Add translation' }).click();
    await page.getByRole('dialog', { name: 'Add a translation' }).getByLabel('Language').fill('de');
    await page.getByRole('button', { name: 'Add translation' }).click();
    await page.getByLabel('Title').fill('Fahrradkette wechseln');
    await expect.poll(() => page.getByLabel('Article body (Markdown)').inputValue()).toBe(FIRST);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('kb-status').getByText('Draft').waitFor();
    await page.getByRole('button', { name: 'Language: de' }).click();
    await page.getByRole('menuitem', { name: /^en/ }).click();
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Replacing a bike chain');
    await page.getByTestId('kb-status').getByText('Published').waitFor();

    await page.getByRole('link', { name: 'Knowledge base' }).first().click();
    const row = page.getByRole('row', { name: /Replacing a bike chain/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Published');
    expect(await row.textContent()).toContain('Draft');
    await shot('list');
  }, 120_000);

  it('finds the article from the composer and inserts it as a link or as text', async () => {
    await page.goto(`${server.url}/inbox/${conversationId}`);
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.waitFor();
    await page.getByRole('button', { name: 'Insert a knowledge base article' }).click();
    const search = page.getByRole('combobox', { name: 'Search articles' });
    await search.fill('chain');
    await page.getByRole('option', { name: /Replacing a bike chain/ }).waitFor();
    await shot('composer-picker');
    await search.press('Enter');
    await expect.poll(() => reply.inputValue()).toMatch(/^Replacing a bike chain: http:\/\/[^ ]+\/help\/[a-z0-9-]+\/en\/articles\/[0-9a-f-]{36}-replacing-a-bike-chain$/);

    await page.getByRole('button', { name: 'Insert a knowledge base article' }).click();
    await search.fill('chain');
    await page.getByRole('option', { name: /Replacing a bike chain/ }).waitFor();
    await search.press('Shift+Enter');
    await expect.poll(() => reply.inputValue()).toContain('1. Shift to the smallest sprocket.');
    await shot('composer-inserted');
  }, 120_000);
});

// Self-service in the website chat widget and the answer bot, in Chromium: a visitor searches the
// help articles, opens one inside the widget, says it did not answer the question and lands in the
// chat with the question already written; the bot answers a question with a cited article and
// hands over to a person on "No"; an article's markup stays inert.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebchatInbox, hostPage, ownerApi, startSite, type Api, type Site, type WebchatInbox } from '../apps/widget/tools/fixture.js';
import { loadConfig } from '../apps/server/src/core/config.js';
import { openDatabase } from '../apps/server/src/core/db/index.js';
import { scoped, unscoped } from '../apps/server/src/core/db/tenant.js';
import { startFakeOpenAi, type FakeOpenAi } from '../apps/server/test/support/fake-openai.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let api: Api;
let inbox: WebchatInbox;
let site: Site;
let fake: FakeOpenAi;
const dataDir = mkdtempSync(join(tmpdir(), 'rapport-e2e-bot-'));

interface Seed {
  title: string;
  body: string;
}
const ARTICLES: Seed[] = [
  { title: 'Resetting the bike lock', body: 'To reset the combination lock, hold the **reset button** for five seconds until the light blinks green.\n\nThen set your new combination and press the button once more.' },
  { title: 'Frame warranty', body: 'Our warranty covers the frame for ten years. <img src=x onerror="window.__xss=1"> [Claim it](javascript:window.__xss=2) or read [the terms](https://northwind.example/terms).' },
];

/**
 * Publishes the articles. Through the knowledge base API when the server has it; otherwise written
 * straight into the (embedded) database while the server is stopped.
 */
async function publishArticles(): Promise<void> {
  const probe = await fetch(`${server.url}/api/v1/kb/articles`, { headers: { authorization: `Bearer ${api.token}` } });
  if (probe.status !== 404) {
    for (const a of ARTICLES) await api.call('POST', '/api/v1/kb/articles', { title: a.title, body: a.body, locale: 'en', status: 'published' });
    return;
  }
  if (process.env.TEST_DATABASE_URL) throw new Error('this server has no knowledge base API; seeding PostgreSQL directly is not supported here');
  await server.restart(async () => {
    const handle = await openDatabase(loadConfig({ RAPPORT_DATA_DIR: dataDir }));
    try {
      const account = await unscoped(handle.db).selectFrom('accounts').select('id').executeTakeFirstOrThrow();
      for (const a of ARTICLES) {
        const row = await scoped(handle.db, account.id).insertInto('kb_articles', { visibility: 'public' }).returning('id').executeTakeFirstOrThrow();
        const slug = a.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
        await scoped(handle.db, account.id).insertInto('kb_article_translations', { article_id: row.id, locale: 'en', title: a.title, slug, body: a.body, status: 'published', published_at: new Date() }).execute();
      }
    } finally {
      await handle.close();
    }
  });
}

async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `answer-bot-${name}.png`) });
}

beforeAll(async () => {
  if (!existsSync(new URL('../dist/widget/widget.js', import.meta.url))) throw new Error('dist/widget is missing: run `npm run build` first');
  fake = await startFakeOpenAi();
  // The model server of this test runs on this machine: allow-listed as a self-hoster would.
  server = await startServer(undefined, { RAPPORT_DATA_DIR: dataDir, AI_ALLOW_PRIVATE_HOSTS: '127.0.0.1' });
  browser = await launchBrowser();
  api = await ownerApi(server.url, server.owner.email, server.owner.password);
  site = await startSite();
  inbox = await createWebchatInbox(api, { name: 'Northwind Support', allowed_origins: [site.origin] });
  site.html = hostPage(inbox.snippet);
  await publishArticles();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await fake?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openChat(): Promise<{ context: BrowserContext; page: Page; chat: FrameLocator }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // Nothing an article says may run: no dialog, no script.
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await page.goto(site.origin);
  const chat = page.frameLocator('iframe[title="Chat"]');
  await chat.getByRole('button', { name: 'Open chat' }).click();
  await chat.getByRole('heading', { name: 'Northwind Support' }).waitFor();
  return { context, page, chat };
}

describe('self-service and the answer bot', () => {
  it('a visitor searches, opens an article, says no, and lands in the chat with the question filled', async () => {
    const { context, page, chat } = await openChat();
    const search = chat.getByRole('searchbox', { name: 'Search help articles' });
    await search.waitFor();
    await shot(page, 'empty');
    await search.fill('teleporter calibration');
    await chat.getByText('No articles found. Write to us below.').waitFor();
    await shot(page, 'no-results');
    await search.fill('reset lock');
    const results = chat.getByRole('list', { name: 'Help articles' });
    const result = results.getByRole('button', { name: /Resetting the bike lock/ });
    await result.waitFor();
    await shot(page, 'suggestions');

    // Keyboard: the result is a button that Enter opens; focus moves to the article's title.
    await result.focus();
    await result.press('Enter');
    const title = chat.getByRole('heading', { name: 'Resetting the bike lock' });
    await title.waitFor();
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    await chat.getByText('reset button').waitFor();
    expect(await chat.locator('.rp-article strong').textContent()).toBe('reset button');
    const full = chat.getByRole('link', { name: 'Open in the help center' });
    expect(await full.getAttribute('target')).toBe('_blank');
    expect(await full.getAttribute('href')).toMatch(/\/help\/[^/]+\/en\/articles\/[0-9a-f-]+-resetting-the-bike-lock$/);
    await chat.getByText('Did this answer your question?').waitFor();
    await shot(page, 'article');

    await chat.getByRole('button', { name: 'No, chat with us' }).click();
    const input = chat.getByLabel('Message', { exact: true });
    await expect.poll(() => input.inputValue()).toBe('reset lock');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    // The visitor chose a person: no more suggestions in the way.
    expect(await chat.getByRole('searchbox', { name: 'Search help articles' }).count()).toBe(0);
    await shot(page, 'question-filled');
    await context.close();
  });

  it('"yes" thanks the visitor and counts a deflection; an article’s markup stays inert', async () => {
    const { context, page, chat } = await openChat();
    await chat.getByRole('searchbox', { name: 'Search help articles' }).fill('frame warranty');
    await chat.getByRole('button', { name: /Frame warranty/ }).click();
    await chat.getByText('Our warranty covers the frame for ten years.').waitFor();
    // The img and the javascript: link are shown as text, never as elements that run.
    expect(await chat.locator('.rp-article img').count()).toBe(0);
    expect(await chat.locator('.rp-article a[href^="javascript:"]').count()).toBe(0);
    await chat.getByRole('link', { name: 'the terms' }).waitFor();
    expect(await chat.getByRole('link', { name: 'the terms' }).getAttribute('rel')).toContain('noopener');
    await chat.getByRole('button', { name: 'Yes, thanks' }).click();
    await chat.getByText('Thanks! Glad it helped.').waitFor();
    const frame = page.frames().find((f) => f.url().includes('/widget/frame'))!;
    expect(await frame.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await context.close();
  });

  it('the bot answers a question with a citation and hands over to a person on "No"', async () => {
    await api.call('PUT', `/api/v1/inboxes/${inbox.id}/answer-bot`, { enabled: true, threshold: 0.01, bot_name: 'Northwind helper' });
    const { context, page, chat } = await openChat();
    const input = chat.getByLabel('Message', { exact: true });
    await input.fill('How do I reset my bike lock?');
    // Suggestions come as the question is typed.
    await chat.getByRole('heading', { name: 'Articles that may help' }).waitFor();
    await chat.getByRole('button', { name: /Resetting the bike lock/ }).waitFor();
    await shot(page, 'typing-suggestions');
    await input.press('Enter');

    const log = chat.getByRole('log');
    await log.getByText(/hold the reset button for five seconds/).waitFor({ timeout: 20_000 });
    await log.getByText('Northwind helper').first().waitFor();
    const citation = log.getByRole('link', { name: /\/articles\/.*resetting-the-bike-lock/ });
    await citation.waitFor();
    expect(await citation.getAttribute('target')).toBe('_blank');
    const quick = chat.getByRole('group', { name: 'Quick replies' });
    await quick.getByRole('button', { name: 'Yes, thanks' }).waitFor();
    await shot(page, 'bot-answer');

    await quick.getByRole('button', { name: 'No, I need a person' }).click();
    await log.getByText(/I'll get a person from the team/).waitFor();
    // The buttons belong to the answer, which is no longer the latest message.
    await expect.poll(() => chat.getByRole('group', { name: 'Quick replies' }).count()).toBe(0);
    await shot(page, 'handed-over');

    // The agent sees the whole exchange in the thread, and why the bot handed over.
    const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
    const id = list.data.find((c) => c.inbox.id === inbox.id)!.id;
    const thread = await api.call<{ data: { content: string; kind: string }[] }>('GET', `/api/v1/conversations/${id}/messages`);
    const texts = thread.data.map((m) => m.content);
    expect(texts).toContain('How do I reset my bike lock?');
    expect(texts.some((t) => t.includes('hold the reset button for five seconds'))).toBe(true);
    expect(texts).toContain('No, I need a person');
    expect(texts.some((t) => /handed the conversation to the team: the customer asked for a person/.test(t))).toBe(true);
    await context.close();
  });

  it('an admin sets up the answer bot and AI assist; an agent gets a draft and a summary', async () => {
    const { context, page } = await newPage(browser, server.url);
    // Wide enough for the customer sidebar beside the thread.
    await page.setViewportSize({ width: 1600, height: 900 });
    await signIn(page, server.owner.email, server.owner.password);
    await page.getByRole('navigation', { name: 'Main' }).or(page.getByRole('banner')).first().waitFor();

    // Settings → AI assist: a model endpoint, tested.
    await page.goto('/settings/ai-assist');
    await page.getByRole('heading', { name: 'AI assist' }).waitFor();
    await page.getByLabel('Base URL').fill('https://169.254.169.254/v1');
    await page.getByLabel('Model').fill('test-model');
    await page.getByLabel('Use AI assist in this workspace').check({ force: true });
    await page.getByRole('button', { name: 'Save AI assist' }).click();
    await page.getByText(/points at the address 169\.254\.169\.254 \(a link-local address/).waitFor();
    await shot(page, 'ai-settings-refused');
    await page.getByLabel('Base URL').fill(fake.baseUrl);
    await page.getByLabel('API key').fill('sk-e2e-key');
    await page.getByRole('button', { name: 'Save AI assist' }).click();
    await page.getByText('A key is stored; it is never shown.').waitFor();
    fake.answer({ content: 'ready' });
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The model answered.').waitFor();
    await shot(page, 'ai-settings');

    // The inbox's Answer bot card shows what the bot does.
    await page.goto(`/settings/inboxes/${inbox.id}`);
    const card = page.getByRole('heading', { name: 'Answer bot' });
    await card.scrollIntoViewIfNeeded();
    await page.getByLabel('Answer customers first with the bot').waitFor();
    expect(await page.getByLabel('Answer customers first with the bot').isChecked()).toBe(true);
    await expect.poll(() => page.getByLabel('Bot name').inputValue()).toBe('Northwind helper');
    await shot(page, 'inbox-card');

    // The conversation the bot handed over: summary in the sidebar, a draft in the composer.
    const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
    const id = list.data.find((c) => c.inbox.id === inbox.id)!.id;
    await page.goto(`/inbox/${id}`);
    await page.getByText('Answer bot', { exact: true }).first().waitFor();
    fake.answer({ content: '- Wants to reset the bike lock\n- The bot’s article did not help\n- Open: walk them through the reset' });
    await page.getByRole('button', { name: 'Summarize' }).click();
    await page.getByText('- Wants to reset the bike lock').waitFor();
    fake.answer({ content: 'Hi! Let’s reset the lock together: hold the reset button for five seconds.' });
    await page.getByRole('button', { name: 'Draft reply' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('Hi! Let’s reset the lock together: hold the reset button for five seconds.');
    const sent = fake.received.at(-1)!;
    expect(sent.authorization).toBe('Bearer sk-e2e-key');
    expect(sent.body.messages[1].content).toContain('Customer: How do I reset my bike lock?');
    await shot(page, 'agent-assist');
    await context.close();
  });
});

// The website chat widget in Chromium: a customer's site on its own origin pastes the snippet, a
// visitor chats, an agent answers over the REST API, and sites not on the inbox's allowed
// origins get no widget.
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentReply, createWebchatInbox, hostPage, ownerApi, startSite, type Api, type Site, type WebchatInbox } from '../apps/widget/tools/fixture.js';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let api: Api;
let inbox: WebchatInbox;
let site: Site;
let stranger: Site;

const GREETING = 'Hi! Ask us anything about your order.';

beforeAll(async () => {
  if (!existsSync(new URL('../dist/widget/widget.js', import.meta.url))) throw new Error('dist/widget is missing: run `npm run build:widget` first');
  server = await startServer();
  browser = await launchBrowser();
  api = await ownerApi(server.url, server.owner.email, server.owner.password);
  site = await startSite();
  stranger = await startSite();
  inbox = await createWebchatInbox(api, { name: 'Acme Support', allowed_origins: [site.origin], greeting: GREETING });
  site.html = hostPage(inbox.snippet);
  stranger.html = hostPage(inbox.snippet, { title: 'Not Acme' });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await stranger?.close();
  await server?.stop();
});

async function visit(url: string, context?: BrowserContext): Promise<{ context: BrowserContext; page: Page; chat: FrameLocator }> {
  context ??= await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  return { context, page, chat: page.frameLocator('iframe[title="Chat"]') };
}

async function frameBox(page: Page) {
  return page.locator('iframe[title="Chat"]').boundingBox();
}

describe('chat widget', () => {
  it('serves the loader and a frame only the allowed site may embed', async () => {
    const loader = await fetch(`${server.url}/widget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('content-type')).toMatch(/javascript/);
    const frame = await fetch(`${server.url}/widget/frame?key=${inbox.widget_key}&origin=${encodeURIComponent(site.origin)}`);
    expect(frame.status).toBe(200);
    const csp = frame.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors ${site.origin}`);
    expect(csp).toContain("script-src 'self'");
    // No inline script in the frame page (the CSP would block it).
    expect(await frame.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('chats with an agent live, and keeps the conversation across reloads', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    // What the frame's socket receives: the agent's reply must come live, not from a later fetch.
    const pushed: string[] = [];
    context.on('page', (p) => p.on('websocket', (ws) => ws.on('framereceived', (f) => pushed.push(String(f.payload)))));
    const { page, chat } = await visit(site.origin, context);
    const launcher = chat.getByRole('button', { name: 'Open chat' });
    await launcher.waitFor();
    // Closed: only the launcher's corner of the page is covered.
    const closed = await frameBox(page);
    expect(closed!.width).toBeLessThanOrEqual(120);
    expect(closed!.height).toBeLessThanOrEqual(120);

    await launcher.click();
    await chat.getByRole('heading', { name: 'Acme Support' }).waitFor();
    const log = chat.getByRole('log');
    await log.getByText(GREETING).waitFor();
    await expect.poll(async () => (await frameBox(page))!.height).toBeGreaterThan(400);
    // Focus moves into the composer.
    await expect.poll(() => chat.getByLabel('Message', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);

    const input = chat.getByLabel('Message', { exact: true });
    await input.fill('Where is my order #1042?');
    await input.press('Enter');
    await log.getByText('Where is my order #1042?').waitFor();
    await log.getByText('Sent', { exact: true }).waitFor();
    await expect.poll(() => input.inputValue()).toBe('');

    // Shift+Enter is a new line, not a send.
    await input.press('Shift+Enter');
    expect(await input.inputValue()).toBe('\n');
    await input.fill('');

    // The frame opens its socket once the conversation exists (after the first message); a reply
    // sent before the socket is subscribed is fetched on connect instead, so wait for it first.
    await expect.poll(() => pushed.some((p) => p.includes('"type":"ready"')), { timeout: 10_000 }).toBe(true);
    // The agent answers over the API; the reply arrives live, with the agent's name.
    await agentReply(api, inbox.id, 'It ships today. <b>Not bold</b>');
    await log.getByText('It ships today. <b>Not bold</b>').waitFor();
    expect(await log.locator('b').count()).toBe(0);
    // Playwright reports socket frames a moment after the page has drawn them.
    await expect.poll(() => pushed.some((p) => p.includes('message.created') && p.includes('It ships today.'))).toBe(true);

    // Escape closes and gives focus back to the launcher.
    await input.press('Escape');
    await chat.getByRole('button', { name: 'Open chat' }).waitFor();
    await expect.poll(() => chat.getByRole('button', { name: 'Open chat' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(async () => (await frameBox(page))!.height).toBeLessThanOrEqual(120);

    // A reload (same visitor token in the frame's storage) shows the whole history once.
    await page.reload();
    await chat.getByRole('button', { name: 'Open chat' }).click();
    await log.getByText('It ships today. <b>Not bold</b>').waitFor();
    expect(await log.getByText('Where is my order #1042?').count()).toBe(1);
    expect(await log.getByText('It ships today. <b>Not bold</b>').count()).toBe(1);

    // The agent sees one conversation with the visitor's message.
    const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
    expect(list.data.filter((c) => c.inbox.id === inbox.id)).toHaveLength(1);
    await context.close();
  });

  it('queues what is typed offline and sends it once on reconnect', async () => {
    const { context, page, chat } = await visit(site.origin);
    await chat.getByRole('button', { name: 'Open chat' }).click();
    const log = chat.getByRole('log');
    await log.getByText(GREETING).waitFor();
    await chat.getByLabel('Message', { exact: true }).fill('warm up');
    await chat.getByLabel('Message', { exact: true }).press('Enter');
    await log.getByText('Sent', { exact: true }).waitFor();

    await context.setOffline(true);
    await chat.getByLabel('Message', { exact: true }).fill('Typed on the train');
    await chat.getByLabel('Message', { exact: true }).press('Enter');
    await log.getByText('Typed on the train').waitFor();
    await log.getByText('Not sent').waitFor();
    await context.setOffline(false);
    await expect.poll(() => log.getByText('Sent', { exact: true }).count(), { timeout: 30_000 }).toBe(2);

    const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
    const conversation = list.data.find((c) => c.inbox.id === inbox.id)!;
    const messages = await api.call<{ data: { content: string }[] }>('GET', `/api/v1/conversations/${conversation.id}/messages`);
    expect(messages.data.filter((m) => m.content === 'Typed on the train')).toHaveLength(1);
    await page.close();
    await context.close();
  });

  it("passes the site's signed-in user to Rapport as a verified identity", async () => {
    const hash = createHmac('sha256', inbox.identity_secret!).update('cust-42').digest('hex');
    const user = { id: 'cust-42', email: 'jane@shop.test', name: 'Jane Doe', hash };
    site.pages['/account'] = hostPage(inbox.snippet, { settings: `window.RapportSettings = { user: ${JSON.stringify(user)} };` });
    const { context, chat } = await visit(`${site.origin}/account`);
    await chat.getByRole('button', { name: 'Open chat' }).click();
    await chat.getByLabel('Message', { exact: true }).fill('Signed in and asking');
    await chat.getByLabel('Message', { exact: true }).press('Enter');
    await chat.getByRole('log').getByText('Sent', { exact: true }).waitFor();
    const list = await api.call<{ data: { contact: { name: string; email: string | null }; last_message_preview: string }[] }>('GET', '/api/v1/conversations?status=all');
    const mine = list.data.find((c) => c.last_message_preview === 'Signed in and asking');
    expect(mine?.contact).toMatchObject({ name: 'Jane Doe', email: 'jane@shop.test' });
    await context.close();
  });

  it('ignores messages that do not come from the Rapport frame', async () => {
    const { context, page, chat } = await visit(site.origin);
    await chat.getByRole('button', { name: 'Open chat' }).waitFor();
    // The host page (or anything else on it) cannot resize the frame by posting as if it were the frame.
    await page.evaluate(() => window.postMessage({ type: 'rapport:state', open: true }, '*'));
    await page.waitForTimeout(300);
    expect((await frameBox(page))!.height).toBeLessThanOrEqual(120);
    await context.close();
  });

  it('speaks German to German browsers and fills a phone screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 780 }, locale: 'de-DE', isMobile: true, hasTouch: true });
    const { page, chat } = await visit(site.origin, context);
    await chat.getByRole('button', { name: 'Chat öffnen' }).click();
    await chat.getByLabel('Nachricht', { exact: true }).waitFor();
    await expect.poll(async () => (await frameBox(page))!.width).toBe(390);
    await chat.getByRole('button', { name: 'Chat schließen' }).click();
    await chat.getByRole('button', { name: 'Chat öffnen' }).waitFor();
    await context.close();
  });

  it('gives a site that is not an allowed origin no widget', async () => {
    const { context, page } = await visit(stranger.origin);
    // The browser refuses the frame (frame-ancestors); the loader never shows it and removes it.
    await expect.poll(() => page.locator('iframe[title="Chat"]').count(), { timeout: 20_000 }).toBe(0);
    for (const frame of page.frames()) {
      expect(await frame.getByRole('button', { name: 'Open chat' }).count()).toBe(0);
    }
    await context.close();
  });
});

// The agent app facing a live customer in the widget: "is typing…", "Seen" receipts, and the
// opt-in desktop notification and chime for customer messages.
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebchatInbox, hostPage, ownerApi, startSite, type Api } from '../apps/widget/tools/fixture.js';
import { agentPage } from './agents.js';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let api: Api;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(new URL('../dist/widget/widget.js', import.meta.url))) throw new Error('dist/widget is missing: run `npm run build:widget` first');
  server = await startServer();
  browser = await launchBrowser();
  api = await ownerApi(server.url, server.owner.email, server.owner.password);
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A customer on their own site with the chat open, in an inbox of their own. */
async function customer(): Promise<{ inboxId: string; chat: FrameLocator; say: (text: string) => Promise<void> }> {
  const site = await startSite();
  const inbox = await createWebchatInbox(api, { name: `Shop ${contexts.length}`, allowed_origins: [site.origin] });
  site.html = hostPage(inbox.snippet);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  context.on('close', () => void site.close());
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(site.origin);
  const chat = page.frameLocator('iframe[title="Chat"]');
  await chat.getByRole('button', { name: 'Open chat' }).click();
  const input = chat.getByLabel('Message', { exact: true });
  await input.waitFor();
  const say = async (text: string) => {
    await input.fill(text);
    await input.press('Enter');
    await chat.getByRole('log').getByText(text).waitFor();
  };
  return { inboxId: inbox.id, chat, say };
}

async function conversationOf(inboxId: string): Promise<string> {
  const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
  const found = list.data.find((c) => c.inbox.id === inboxId);
  if (!found) throw new Error('no conversation in the inbox yet');
  return found.id;
}

const thread = (page: Page) => page.getByRole('list', { name: 'Messages' });

async function agent(init?: () => void): Promise<Page> {
  const { context, page } = await agentPage(browser, server, server.owner.email, server.owner.password);
  contexts.push(context);
  if (init) {
    await context.addInitScript(init);
    await page.reload();
  }
  await page.getByText('Live', { exact: true }).waitFor();
  return page;
}

describe('the agent app and a live customer', () => {
  it('shows the customer typing, and "Seen" once the customer has read the reply', async () => {
    const visitor = await customer();
    await visitor.say('Hello, is anyone there?');
    const id = await conversationOf(visitor.inboxId);
    const page = await agent();
    await page.goto(`/inbox/${id}`);
    await thread(page).getByText('Hello, is anyone there?').waitFor();

    await visitor.chat.getByLabel('Message', { exact: true }).pressSequentially('I need help with', { delay: 30 });
    const typing = page.getByRole('status').getByText(/ is typing…$/);
    await typing.waitFor();
    expect(await typing.textContent()).not.toContain('a note');
    await visitor.chat.getByLabel('Message', { exact: true }).fill('');
    await typing.waitFor({ state: 'detached' });

    // The customer has the chat open, so the reply is read at once and says so.
    await page.getByRole('textbox', { name: 'Reply' }).fill('Yes! How can I help?');
    await page.getByRole('textbox', { name: 'Reply' }).press('Enter');
    await visitor.chat.getByRole('log').getByText('Yes! How can I help?').waitFor();
    const reply = thread(page).getByRole('listitem').filter({ hasText: 'Yes! How can I help?' });
    await reply.getByText('Seen', { exact: true }).waitFor();
  });

  it('opening the conversation marks it read: the customer sees "Seen" and the unread count clears', async () => {
    const visitor = await customer();
    await visitor.say('Is my order shipped?');
    const log = visitor.chat.getByRole('log');
    await log.getByText('Sent', { exact: true }).waitFor();
    const id = await conversationOf(visitor.inboxId);
    const page = await agent();
    await page.getByRole('link', { name: /Is my order shipped\?/ }).getByLabel('1 unread').waitFor();
    await page.goto(`/inbox/${id}`);
    await thread(page).getByText('Is my order shipped?').waitFor();
    await log.getByText('Seen', { exact: true }).waitFor();
    await expect.poll(async () => (await api.call<{ unread_count: number }>('GET', `/api/v1/conversations/${id}`)).unread_count).toBe(0);

    // A message that comes in while the conversation is open is read at once too.
    await visitor.say('It was due yesterday.');
    await thread(page).getByText('It was due yesterday.').waitFor();
    await expect.poll(async () => (await api.call<{ data: { content: string; status: string }[] }>('GET', `/api/v1/conversations/${id}/messages`)).data.find((m) => m.content === 'It was due yesterday.')?.status).toBe('read');
    // "Seen" moves to the newest message the agents have read.
    await log.locator('.rp-row', { hasText: 'It was due yesterday.' }).getByText('Seen', { exact: true }).waitFor();
  });

  it('notifies and chimes for a customer message when its conversation is not open, if the agent opted in', async () => {
    const page = await agent(() => {
      // Record notices and tones instead of showing and playing them.
      const notices: Array<{ title: string; body?: string }> = [];
      let tones = 0;
      class FakeNotification {
        // Like a real grant, it outlives the page.
        static permission = sessionStorage.getItem('notification-permission') ?? 'default';
        static requestPermission = () => {
          sessionStorage.setItem('notification-permission', 'granted');
          return Promise.resolve((FakeNotification.permission = 'granted'));
        };
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          notices.push({ title, body: options?.body });
        }
        close() {}
      }
      const RealAudio = window.AudioContext;
      class CountingAudio extends RealAudio {
        createOscillator() {
          tones++;
          return super.createOscillator();
        }
      }
      Object.assign(window, { Notification: FakeNotification, AudioContext: CountingAudio, alerts: () => ({ notices, tones }) });
    });
    const alerts = () => page.evaluate(() => (window as unknown as { alerts: () => { notices: Array<{ title: string; body?: string }>; tones: number } }).alerts());

    await page.getByRole('button', { name: 'Notifications' }).click();
    await page.getByRole('switch', { name: 'Desktop notifications' }).click({ force: true });
    await expect.poll(() => page.getByRole('switch', { name: 'Desktop notifications' }).isChecked()).toBe(true);
    await page.getByRole('switch', { name: 'Sound' }).click({ force: true });
    await expect.poll(() => page.getByRole('switch', { name: 'Sound' }).isChecked()).toBe(true);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('rapport.alerts')))!)).toEqual({ desktop: true, sound: true });
    await page.keyboard.press('Escape');
    const tonesBefore = (await alerts()).tones;

    // No conversation open: a new conversation notifies.
    const visitor = await customer();
    await visitor.say('Do you ship to Norway?');
    await expect.poll(async () => (await alerts()).notices.at(-1)).toMatchObject({ title: expect.stringMatching(/^New conversation from /), body: 'Do you ship to Norway?' });
    expect((await alerts()).tones).toBeGreaterThan(tonesBefore);

    // With the conversation open and the tab visible, neither its messages nor my own reply notify.
    const id = await conversationOf(visitor.inboxId);
    await page.goto(`/inbox/${id}`);
    await thread(page).getByText('Do you ship to Norway?').waitFor();
    const seen = (await alerts()).notices.length;
    await visitor.say('And to Iceland?');
    await thread(page).getByText('And to Iceland?').waitFor();
    await page.getByRole('textbox', { name: 'Reply' }).fill('We ship to both.');
    await page.getByRole('textbox', { name: 'Reply' }).press('Enter');
    await visitor.chat.getByRole('log').getByText('We ship to both.').waitFor();
    await page.waitForTimeout(500);
    expect((await alerts()).notices.length).toBe(seen);

    // Another conversation open: the customer's next message notifies again.
    await page.goto('/inbox');
    await page.getByText('No conversation selected').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await visitor.say('Thanks!');
    await expect.poll(async () => (await alerts()).notices.at(-1)).toMatchObject({ title: expect.stringMatching(/^New message from /), body: 'Thanks!' });
  });
});

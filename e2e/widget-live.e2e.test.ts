// The chat widget's live-chat extras in Chromium, on a customer's site on its own origin: files
// both ways, refused files in the server's words, typing indicators both ways, "Seen" receipts
// both ways, and the emoji picker.
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebchatInbox, hostPage, ownerApi, startSite, type Api, type Site } from '../apps/widget/tools/fixture.js';
import { samplePdf, samplePng } from '../apps/widget/tools/sample-files.js';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

interface Attachment {
  id: string;
  file_name: string;
  content_type: string;
  byte_size: number;
  inline: boolean;
  url: string;
}
interface AgentMessage {
  id: string;
  seq: number;
  content: string;
  direction: string;
  status: string;
  client_message_id: string | null;
  attachments: Attachment[];
}
interface AgentEvent {
  type: string;
  event?: string;
  conversation_id?: string;
  data?: Record<string, unknown>;
}

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

/** A fresh inbox on a fresh site (each test its own visitor and conversation), and the widget opened on it. */
async function openChat(): Promise<{ site: Site; inboxId: string; page: Page; chat: FrameLocator }> {
  const site = await startSite();
  const inbox = await createWebchatInbox(api, { name: 'Acme Support', allowed_origins: [site.origin] });
  site.html = hostPage(inbox.snippet);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  contexts.push(context);
  context.on('close', () => void site.close());
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(site.origin);
  const chat = page.frameLocator('iframe[title="Chat"]');
  await chat.getByRole('button', { name: 'Open chat' }).click();
  await chat.getByLabel('Message', { exact: true }).waitFor();
  return { site, inboxId: inbox.id, page, chat };
}

async function conversationOf(inboxId: string): Promise<string> {
  const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
  const found = list.data.find((c) => c.inbox.id === inboxId);
  if (!found) throw new Error('no conversation in the inbox yet');
  return found.id;
}

const messagesOf = async (conversationId: string) => (await api.call<{ data: AgentMessage[] }>('GET', `/api/v1/conversations/${conversationId}/messages`)).data;

async function send(chat: FrameLocator, text: string): Promise<void> {
  const input = chat.getByLabel('Message', { exact: true });
  await input.fill(text);
  await input.press('Enter');
  await chat.getByRole('log').getByText(text).waitFor();
}

/** An agent's live socket (Bearer token), collecting every event it receives. */
async function agentSocket(): Promise<{ ws: WebSocket; events: AgentEvent[] }> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/realtime`, { headers: { authorization: `Bearer ${api.token}` } });
  const events: AgentEvent[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as AgentEvent;
      events.push(frame);
      if (frame.type === 'ready') resolve();
    });
    ws.on('error', reject);
  });
  return { ws, events };
}

async function uploadAsAgent(conversationId: string, name: string, bytes: Buffer, type: string): Promise<Attachment> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${server.url}/api/v1/conversations/${conversationId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${api.token}` }, body: form });
  if (res.status !== 201) throw new Error(`agent upload → ${res.status} ${await res.text()}`);
  return (await res.json()) as Attachment;
}

describe('chat widget, live chat', () => {
  it('sends a picture the agent can open, and shows an agent’s file as a download', async () => {
    const { inboxId, page, chat } = await openChat();
    const png = samplePng(320, 200);
    // The attach button opens the browser's file picker, limited to what the server accepts.
    const chooser = page.waitForEvent('filechooser');
    await chat.getByRole('button', { name: 'Attach a file' }).click();
    expect(await chat.locator('input[type=file]').getAttribute('accept')).toContain('image/png');
    await (await chooser).setFiles({ name: 'broken-strap.png', mimeType: 'image/png', buffer: png });

    const log = chat.getByRole('log');
    const picture = log.getByRole('img', { name: 'broken-strap.png' });
    await picture.waitFor();
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    await log.getByText('Sent', { exact: true }).waitFor();

    // The agent's REST list has it, with a link that serves the same bytes, never sniffed.
    const conversationId = await conversationOf(inboxId);
    const [message] = (await messagesOf(conversationId)).filter((m) => m.attachments?.length);
    expect(message.content).toBe('');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]).toMatchObject({ file_name: 'broken-strap.png', content_type: 'image/png', byte_size: png.length, inline: true });
    const file = await fetch(`${server.url}${message.attachments[0].url}`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);

    // The agent answers with a PDF: a download link with its name and size, the name as text.
    const pdf = samplePdf();
    const upload = await uploadAsAgent(conversationId, 'invoice <1042>.pdf', pdf, 'application/pdf');
    await api.call('POST', `/api/v1/conversations/${conversationId}/messages`, { content: 'Here is your invoice.', attachment_ids: [upload.id] });
    const link = log.getByRole('link', { name: /invoice <1042>\.pdf/ });
    await link.waitFor();
    expect(await link.textContent()).toMatch(/\d+ B$/);
    expect(await link.getAttribute('download')).toBe('invoice <1042>.pdf');
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith(`${server.url}/api/v1/widget/attachments/`)).toBe(true);
    const download = await fetch(href);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await log.locator('b, script').count()).toBe(0);
  });

  it('refuses an HTML file that claims to be an image, in the server’s words', async () => {
    const { chat } = await openChat();
    await chat.locator('input[type=file]').setInputFiles({ name: 'cute-cat.png', mimeType: 'image/png', buffer: Buffer.from('<html><body><script>alert(document.domain)</script></body></html>') });
    const alert = chat.getByRole('alert').filter({ hasText: 'This kind of file cannot be sent.' });
    await alert.waitFor();
    await expect.poll(() => chat.getByRole('log').getByText('cute-cat.png').count()).toBe(1);
    // Not retried by itself, and the visitor can put it away.
    expect(await chat.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await chat.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => chat.getByRole('log').getByText('cute-cat.png').count()).toBe(0);
  });

  it('sends a file message once when its answer is lost, and says uploads need a connection', async () => {
    const { inboxId, page, chat } = await openChat();
    // The server stores the message, but the answer never reaches the widget: it sends again with the same client id.
    let lost = 0;
    await page.route('**/api/v1/widget/messages', async (route) => {
      if (route.request().method() !== 'POST' || lost++ > 0) return route.continue();
      await route.fetch();
      await route.abort('failed');
    });
    await chat.locator('input[type=file]').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: samplePng(60, 40) });
    const log = chat.getByRole('log');
    await log.getByRole('img', { name: 'receipt.png' }).waitFor();
    await expect.poll(() => log.getByText('Sent', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    expect(lost).toBeGreaterThanOrEqual(2);
    const conversationId = await conversationOf(inboxId);
    expect((await messagesOf(conversationId)).filter((m) => m.attachments?.some((a) => a.file_name === 'receipt.png'))).toHaveLength(1);

    // Offline, a file cannot go: the widget says so instead of opening the picker.
    await page.context().setOffline(true);
    await chat.getByRole('button', { name: 'Attach a file' }).click();
    await chat.getByRole('alert').filter({ hasText: 'You are offline. Files can be sent when the connection is back.' }).waitFor();
    await page.context().setOffline(false);
  });

  it('shows typing both ways', async () => {
    const { inboxId, chat } = await openChat();
    await send(chat, 'Hello, anyone there?');
    await chat.getByRole('log').getByText('Sent', { exact: true }).waitFor();
    const conversationId = await conversationOf(inboxId);
    const agent = await agentSocket();
    try {
      // The visitor types: the agents hear it, once per burst, and hear when the box is cleared.
      const input = chat.getByLabel('Message', { exact: true });
      await input.pressSequentially('I have a question', { delay: 20 });
      const typing = () => agent.events.filter((e) => e.event === 'conversation.typing' && e.conversation_id === conversationId);
      await expect.poll(() => typing().some((e) => e.data?.typing === true && (e.data?.contact as { name?: string } | null) !== null)).toBe(true);
      expect(typing().filter((e) => e.data?.typing === true).length).toBeLessThanOrEqual(2);
      await input.fill('');
      await expect.poll(() => typing().some((e) => e.data?.typing === false)).toBe(true);

      // The agent types a public reply: the visitor sees who, until they stop.
      agent.ws.send(JSON.stringify({ type: 'typing', conversation_id: conversationId, private: false }));
      const indicator = chat.getByText(/ is typing…$/);
      await indicator.waitFor();
      agent.ws.send(JSON.stringify({ type: 'typing', conversation_id: conversationId, typing: false }));
      await indicator.waitFor({ state: 'detached' });
      // A private note being typed stays with the team.
      agent.ws.send(JSON.stringify({ type: 'typing', conversation_id: conversationId, private: true }));
      await new Promise((r) => setTimeout(r, 800));
      expect(await indicator.count()).toBe(0);
      // An agent who stops without saying so: the indicator goes by itself.
      agent.ws.send(JSON.stringify({ type: 'typing', conversation_id: conversationId, private: false }));
      await indicator.waitFor();
      await indicator.waitFor({ state: 'detached', timeout: 9_000 });
    } finally {
      agent.ws.close();
    }
  });

  it('says "Seen" when the agent has read, and tells the agent what the visitor has seen', async () => {
    const { inboxId, page, chat } = await openChat();
    await send(chat, 'My parcel never arrived.');
    const log = chat.getByRole('log');
    await log.getByText('Sent', { exact: true }).waitFor();
    const conversationId = await conversationOf(inboxId);
    const agent = await agentSocket();
    try {
      await api.call('POST', `/api/v1/conversations/${conversationId}/read`);
      await log.getByText('Seen', { exact: true }).waitFor();

      // The agent answers while the visitor has the chat open: the reply turns "read" for the agent.
      await api.call('POST', `/api/v1/conversations/${conversationId}/messages`, { content: 'Sorry! Let me check with the courier.' });
      await log.getByText('Sorry! Let me check with the courier.').waitFor();
      await expect.poll(() => agent.events.some((e) => e.event === 'messages.read' && e.conversation_id === conversationId && e.data?.reader === 'contact')).toBe(true);
      await expect.poll(async () => (await messagesOf(conversationId)).find((m) => m.direction === 'outgoing')?.status).toBe('read');
    } finally {
      agent.ws.close();
    }

    // After a reload the receipt comes from the history (the message's status).
    await page.reload();
    await chat.getByRole('button', { name: 'Open chat' }).click();
    await log.getByText('My parcel never arrived.').waitFor();
    await log.getByText('Seen', { exact: true }).waitFor();
  });

  it('inserts an emoji at the caret, by mouse and by keyboard', async () => {
    const { page, chat } = await openChat();
    const input = chat.getByLabel('Message', { exact: true });
    await input.fill('Thanks  for the help');
    await input.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(7, 7));
    await chat.getByRole('button', { name: 'Emoji' }).click();
    const picker = chat.getByRole('dialog', { name: 'Emoji' });
    await picker.getByRole('button', { name: 'Thumbs up' }).click();
    await expect.poll(() => input.inputValue()).toBe('Thanks 👍 for the help');
    expect(await picker.count()).toBe(0);
    expect(await input.evaluate((el: HTMLTextAreaElement) => [el === document.activeElement, el.selectionStart])).toEqual([true, 7 + '👍'.length]);

    // Keyboard: the grid takes focus, arrows move, Enter picks; Escape closes the picker, not the chat.
    await chat.getByRole('button', { name: 'Emoji' }).focus();
    await chat.getByRole('button', { name: 'Emoji' }).press('Enter');
    await expect.poll(() => picker.getByRole('button', { name: 'Grinning face' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('Thanks 👍😂 for the help');
    await chat.getByRole('button', { name: 'Emoji' }).click();
    await picker.waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await chat.getByRole('log').count()).toBe(1);
    await expect.poll(() => chat.getByRole('button', { name: 'Emoji' }).evaluate((el) => el === document.activeElement)).toBe(true);
  });
});

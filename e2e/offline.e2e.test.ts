// SECURITY 37: a visitor's widget offline for ten minutes queues 20 messages while an agent sends
// 5 replies, then reconnects — also across a server restart — and both sides show all 25 once
// each, in order.
//
// The visitor is on a customer's site (its own origin) with the chat in Rapport's frame, as in
// widget.e2e.test.ts. "Offline" is the browser's: context.setOffline(true) fails every request,
// and the frame's WebSocket (which Chromium's offline emulation leaves open) is cut by the test
// through routeWebSocket, which also refuses new sockets until the network is back.
//
// Ten minutes are not waited in real time. What ten minutes could break is what lives in the
// frame and on the server: the frame's queue and visitor token (localStorage), and the frame's
// timers (retry backoff up to 30 s, the socket's 25 s ping and 10 s pong deadline, the 8 s notice).
// The frame runs on Playwright's fake clock, and `clock.fastForward('10:00')` jumps it ten minutes
// ahead while offline, firing every due timer — a laptop lid closed for ten minutes — after
// which the queue must still hold all 20 messages. On the server a visitor token does not expire,
// and nothing else is timed except the widget's rate limit (20 messages per visitor per 30 s):
// ten real minutes would have reset its window, the test's seconds do not. Both visitors therefore
// open their conversations first, in beforeAll, so the second scenario reconnects after its
// window has closed; the first reconnects within it, so its 21st message in 30 s meets a 429 and
// goes after Retry-After — the widget's ordinary handling, which must neither reorder nor repeat
// anything.
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, FrameLocator, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebchatInbox, hostPage, ownerApi, startSite, type Api, type Site, type WebchatInbox } from '../apps/widget/tools/fixture.js';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let api: Api;
let site: Site;
let first: { v: Visitor; conversationId: string };
let second: { v: Visitor; conversationId: string };

const GREETING = 'Hello from the shoe shop.';

beforeAll(async () => {
  if (!existsSync(new URL('../dist/widget/widget.js', import.meta.url))) throw new Error('dist/widget is missing: run `npm run build:widget` first');
  server = await startServer();
  browser = await launchBrowser();
  api = await ownerApi(server.url, server.owner.email, server.owner.password);
  site = await startSite();
  [first, second] = await Promise.all(
    [
      ['/offline', script('A').opener],
      ['/restart', script('B').opener],
    ].map(async ([path, opener]) => {
      const v = await visitor(path);
      return { v, conversationId: await openConversation(v, opener) };
    }),
  );
});

afterAll(async () => {
  await first?.v.context.close();
  await second?.v.context.close();
  await browser?.close();
  await site?.close();
  await server?.stop();
});

interface Visitor {
  context: BrowserContext;
  page: Page;
  chat: FrameLocator;
  inbox: WebchatInbox;
  /** The frame's live sockets (through the test's WebSocket route): the page's side and the server's. */
  sockets: Map<WebSocketRoute, WebSocketRoute>;
  offline: boolean;
}

interface ApiMessage {
  id: string;
  seq: number;
  kind: string;
  private: boolean;
  direction: 'incoming' | 'outgoing';
  content: string;
  client_message_id: string | null;
}

/** A visitor on its own page of the site, with its own inbox (so its conversation is easy to find). */
async function visitor(path: string): Promise<Visitor> {
  const inbox = await createWebchatInbox(api, { name: `Offline ${path}`, allowed_origins: [site.origin], greeting: GREETING });
  site.pages[path] = hostPage(inbox.snippet);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const v: Visitor = { context, page: undefined as unknown as Page, chat: undefined as unknown as FrameLocator, inbox, sockets: new Map(), offline: false };
  await context.clock.install();
  await context.routeWebSocket(/\/api\/v1\/widget\/realtime$/, (ws) => {
    if (v.offline) {
      // No network: the socket never opens.
      void ws.close({ code: 1006, reason: 'offline' }).catch(() => undefined);
      return;
    }
    v.sockets.set(ws, ws.connectToServer());
    ws.onClose(() => v.sockets.delete(ws));
  });
  v.page = await context.newPage();
  v.page.setDefaultTimeout(15_000);
  await v.page.goto(`${site.origin}${path}`);
  v.chat = v.page.frameLocator('iframe[title="Chat"]');
  await v.chat.getByRole('button', { name: 'Open chat' }).click();
  await v.chat.getByRole('log').getByText(GREETING).waitFor();
  return v;
}

async function goOffline(v: Visitor): Promise<void> {
  v.offline = true;
  await v.context.setOffline(true);
  // Both ends go: the frame sees its socket drop, the server its connection end.
  for (const [page, toServer] of [...v.sockets]) {
    await toServer.close({ code: 1001, reason: 'network lost' }).catch(() => undefined);
    await page.close({ code: 1006, reason: 'network lost' }).catch(() => undefined);
  }
  v.sockets.clear();
}

async function goOnline(v: Visitor): Promise<void> {
  v.offline = false;
  await v.context.setOffline(false);
}

async function type(v: Visitor, text: string): Promise<void> {
  const input = v.chat.getByLabel('Message', { exact: true });
  await input.fill(text);
  await input.press('Enter');
  await v.chat.getByRole('log').getByText(text).waitFor();
}

/** The bubbles of the widget's list, in order, without the greeting and the screen-reader prefix. */
function widgetContents(v: Visitor): Promise<string[]> {
  return v.chat.locator('.rp-log .rp-bubble').evaluateAll((els, greeting) =>
    els
      .map((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelector('.rp-sr')?.remove();
        return (copy.textContent ?? '').trim();
      })
      .filter((t) => t !== greeting),
  GREETING);
}

/** The delivery states shown under the visitor's own messages ("Sent", "Sending…", "Not sent…"). */
function widgetStates(v: Visitor): Promise<string[]> {
  return v.chat.locator('.rp-log .rp-mine .rp-state').allInnerTexts();
}

/** The frame's persisted queue of unacknowledged messages. */
function storedQueue(v: Visitor): Promise<{ client_message_id: string; content: string }[]> {
  const frame = v.page.frames().find((f) => f.url().includes('/widget/frame'));
  if (!frame) throw new Error('no chat frame');
  return frame.evaluate((key) => JSON.parse(localStorage.getItem(`rapport:${key}:queue`) ?? '[]') as { client_message_id: string; content: string }[], v.inbox.widget_key);
}

async function conversationOf(v: Visitor): Promise<string> {
  const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
  const mine = list.data.filter((c) => c.inbox.id === v.inbox.id);
  expect(mine).toHaveLength(1);
  return mine[0].id;
}

/** What the agent's app lists: the conversation's text messages, not private notes or system events. */
async function agentMessages(conversationId: string): Promise<ApiMessage[]> {
  const page = await api.call<{ data: ApiMessage[]; next_cursor: string | null }>('GET', `/api/v1/conversations/${conversationId}/messages`);
  expect(page.next_cursor).toBeNull();
  return page.data.filter((m) => m.kind === 'text' && !m.private);
}

const reply = (conversationId: string, content: string) => api.call('POST', `/api/v1/conversations/${conversationId}/messages`, { content });

/** v01 … v20 typed by the visitor, a1 … a5 sent by the agent (unique per scenario). */
function script(tag: string) {
  return {
    opener: `${tag}: my parcel has not arrived`,
    visitor: Array.from({ length: 20 }, (_, i) => `${tag} visitor ${String(i + 1).padStart(2, '0')}`),
    agent: Array.from({ length: 5 }, (_, i) => `${tag} agent ${i + 1}`),
  };
}

/** The visitor is online with a conversation, the frame's socket is live. */
async function openConversation(v: Visitor, opener: string): Promise<string> {
  await type(v, opener);
  await v.chat.getByRole('log').getByText('Sent', { exact: true }).waitFor();
  // (beforeAll has no expect.poll)
  for (let i = 0; i < 100 && v.sockets.size !== 1; i++) await v.page.waitForTimeout(100);
  if (v.sockets.size !== 1) throw new Error(`the frame holds ${v.sockets.size} sockets, not 1`);
  return conversationOf(v);
}

/** While offline: nothing typed reached the server, nothing the agent sent reached the frame. */
async function expectNothingCrossed(v: Visitor, conversationId: string, s: ReturnType<typeof script>, agentSent: number, visitorTyped: number): Promise<void> {
  const onServer = (await agentMessages(conversationId)).map((m) => m.content);
  expect(onServer).toEqual([s.opener, ...s.agent.slice(0, agentSent)]);
  const shown = await widgetContents(v);
  expect(shown).toEqual([s.opener, ...s.visitor.slice(0, visitorTyped)]);
  expect((await storedQueue(v)).map((q) => q.content)).toEqual(s.visitor.slice(0, visitorTyped));
}

/** After reconnecting: 25 (+ the opener) once each, in the same order on both sides. */
async function expectAllOnceInOrder(v: Visitor, conversationId: string, s: ReturnType<typeof script>): Promise<void> {
  // The agent's replies were stored before the visitor's queued messages reached the server.
  const expected = [s.opener, ...s.agent, ...s.visitor];
  await expect.poll(() => widgetContents(v), { timeout: 45_000, interval: 250 }).toEqual(expected);
  await expect.poll(() => widgetStates(v), { timeout: 40_000, interval: 250 }).toEqual(Array(21).fill('Sent'));
  expect(await storedQueue(v)).toEqual([]);

  const stored = await agentMessages(conversationId);
  expect(stored.map((m) => m.content)).toEqual(expected);
  // Sequence numbers strictly increase (the list is in the server's order), one row per typed message.
  expect(stored.every((m, i) => i === 0 || m.seq > stored[i - 1].seq)).toBe(true);
  const fromVisitor = stored.filter((m) => m.direction === 'incoming');
  expect(fromVisitor).toHaveLength(21);
  expect(new Set(fromVisitor.map((m) => m.client_message_id)).size).toBe(21);
  expect(stored.filter((m) => m.direction === 'outgoing').map((m) => m.content)).toEqual(s.agent);

  // Nothing settles differently later (a late retry, a late push), and a reload shows the same list.
  await v.page.waitForTimeout(1000);
  expect(await widgetContents(v)).toEqual(expected);
  expect((await agentMessages(conversationId)).map((m) => m.content)).toEqual(expected);
  await v.page.reload();
  await v.chat.getByRole('button', { name: 'Open chat' }).click();
  await expect.poll(() => widgetContents(v)).toEqual(expected);
}

describe('a widget offline for ten minutes (SECURITY 37)', () => {
  it('queues 20 messages while the agent sends 5, and shows all 25 once each, in order, on both sides after reconnecting', async () => {
    const s = script('A');
    const { v, conversationId } = first;
    await goOffline(v);

    for (const text of s.visitor.slice(0, 10)) await type(v, text);
    for (const text of s.agent.slice(0, 2)) await reply(conversationId, text);
    for (const text of s.visitor.slice(10)) await type(v, text);
    for (const text of s.agent.slice(2)) await reply(conversationId, text);
    await expectNothingCrossed(v, conversationId, s, 5, 20);

    // Ten minutes with the lid closed: every retry timer of the frame fires (and fails) meanwhile.
    await v.context.clock.fastForward('10:00');
    await v.page.waitForTimeout(300);
    await expectNothingCrossed(v, conversationId, s, 5, 20);
    expect(v.sockets.size).toBe(0);

    await goOnline(v);
    await expectAllOnceInOrder(v, conversationId, s);
    // Live again: the next reply arrives over the socket, without a reload.
    await reply(conversationId, 'A: back online?');
    await v.chat.getByRole('log').getByText('A: back online?').waitFor({ timeout: 10_000 });
  });

  it('does the same across a server restart while the visitor is offline', async () => {
    const s = script('B');
    const { v, conversationId } = second;
    await goOffline(v);

    for (const text of s.visitor.slice(0, 10)) await type(v, text);
    for (const text of s.agent.slice(0, 2)) await reply(conversationId, text);
    // The server stops and starts again on the same data and port; the visitor keeps typing.
    await server.restart(async () => {
      for (const text of s.visitor.slice(10)) await type(v, text);
    });
    for (const text of s.agent.slice(2)) await reply(conversationId, text);
    await expectNothingCrossed(v, conversationId, s, 5, 20);

    await v.context.clock.fastForward('10:00');
    await v.page.waitForTimeout(300);
    await expectNothingCrossed(v, conversationId, s, 5, 20);

    await goOnline(v);
    await expectAllOnceInOrder(v, conversationId, s);
    await reply(conversationId, 'B: back online?');
    await v.chat.getByRole('log').getByText('B: back online?').waitFor({ timeout: 10_000 });
    // Typically 20–30 s; the restart boots a server, which a loaded machine can slow a lot.
  }, 90_000);
});

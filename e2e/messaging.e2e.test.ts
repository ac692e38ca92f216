// Messaging channels in the agent app, against the real server and a local fake of the Telegram
// Bot API (apps/server/test/support/fake-telegram.ts, which follows https://core.telegram.org/bots/api):
// an admin sets up a Telegram inbox through the guided form built from GET /channels (the field's
// own pattern check, the connection test in Telegram's words, the webhook Rapport registered), a
// customer's message posted to that webhook appears live in the inbox, and the agent's reply goes
// from "Sending…" to "Sent" once Telegram takes it. Reply windows (WhatsApp's 24 hours) and a Meta
// inbox's generated verify token are checked with the browser's view changed in flight
// (page.route): this file runs no fake of Meta's API, and the server refuses templates on Telegram.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../apps/server/test/support/fake-telegram.js';
import { apiSession, type ApiSession } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let telegram: FakeTelegram;
/** Between the server and the fake: holds Telegram's send calls while `holdSends` is on, so "Sending…" can be seen. */
let gate: http.Server;
let holdSends = false;
const heldSends: Array<() => void> = [];
const wrongToken = '987654321:AAEwrongwrongwrongwrongwrongwrongwr';

/** E2E_SHOTS=<folder> keeps a PNG of each screen this file visits, for a person to look at. */
async function snap(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, `${name}.png`) });
  // And at phone width, then back.
  const size = page.viewportSize();
  if (!size) return;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, `${name}-phone.png`) });
  await page.setViewportSize(size);
}

function releaseSends(): void {
  holdSends = false;
  for (const send of heldSends.splice(0)) send();
}

beforeAll(async () => {
  telegram = await startFakeTelegram();
  const upstream = new URL(telegram.url);
  gate = http.createServer((req, res) => {
    const forward = () => {
      const call = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      call.on('error', () => res.writeHead(502).end());
      req.pipe(call);
    };
    if (holdSends && /\/send(Message|Photo|Document)$/.test(req.url ?? '')) heldSends.push(forward);
    else forward();
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', () => resolve()));
  const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
  server = await startServer(undefined, { TELEGRAM_API_URL: gateUrl, WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1' });
  browser = await launchBrowser();
  owner = await apiSession(server);
});

afterAll(async () => {
  releaseSends();
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => (gate ? gate.close(() => resolve()) : resolve()));
  await telegram?.close();
});

async function signedIn(): Promise<{ page: Page; close: () => Promise<void> }> {
  const { context, page } = await newPage(browser, server.url);
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
  return { page, close: () => context.close() };
}

interface InboxJson {
  id: string;
  name: string;
  inbound_webhook_url: string | null;
  secrets_set: string[] | null;
  connection: { status: string };
}

/** Posts an update to the inbox's webhook the way Telegram does: JSON, with the secret token Rapport gave setWebhook. */
const deliver = (update: Record<string, unknown>, secret = telegram.webhook?.secret_token ?? '') =>
  fetch(telegram.webhook!.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });

describe('a Telegram inbox in the agent app', () => {
  let inboxId = '';
  let conversationId = '';

  it('is set up through the guided form: the field’s own check, the connection test in Telegram’s words, then the webhook Rapport registered', async () => {
    const { page, close } = await signedIn();
    await page.goto('/settings/inboxes');
    await page.getByRole('button', { name: 'New inbox' }).click();
    const choice = page.getByRole('dialog', { name: 'New inbox' });
    // The server's channels are offered beside the built-in ones.
    await choice.getByRole('radio', { name: 'Telegram' }).waitFor();
    expect(await choice.getByRole('radio').count()).toBeGreaterThanOrEqual(4);
    await snap(page, 'messaging-01-channel-choice');
    await choice.getByRole('radio', { name: 'Telegram' }).check();
    await choice.getByRole('button', { name: 'Continue' }).click();

    const dialog = page.getByRole('dialog', { name: 'New Telegram inbox' });
    await dialog.getByLabel('Name').fill('Shop bot');
    const token = dialog.getByLabel('Bot token');
    expect(await token.getAttribute('type')).toBe('password');
    // The generated webhook secret is made by Rapport, never typed.
    expect(await dialog.getByLabel('Webhook secret').count()).toBe(0);
    await dialog.getByText('Made by Rapport when you save').waitFor();

    // The field's pattern, with the provider's sentence, before anything is asked of Telegram.
    await token.fill('not a token');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Must be the token @BotFather gave you', { exact: false }).waitFor();
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    await snap(page, 'messaging-02-pattern-error');

    // A well-formed token Telegram does not know: the server's sentence.
    await token.fill(wrongToken);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByRole('status', { name: 'Connection test' });
    await result.getByText('Connection failed').waitFor();
    expect(await result.innerText()).toContain('Telegram refused the bot token');
    await snap(page, 'messaging-03-test-failed');

    await token.fill(telegram.token);
    // An answer about other settings is not shown for these.
    await result.getByText('Connection failed').waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await result.getByText('Connection works').waitFor();
    await snap(page, 'messaging-04-test-ok');

    await dialog.getByRole('button', { name: 'Create inbox' }).click();
    await page.waitForURL(/\/settings\/inboxes\/[0-9a-f-]{36}$/);
    inboxId = /inboxes\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await page.getByRole('heading', { name: 'Shop bot' }).waitFor();

    // Rapport registered its webhook with Telegram on saving; the page shows that same URL, to copy.
    expect(telegram.webhook?.url).toMatch(/\/webhooks\/telegram\/in_/);
    expect(await page.getByLabel('Webhook URL').inputValue()).toBe(telegram.webhook!.url);
    await page.getByRole('button', { name: 'Copy' }).first().waitFor();
    await page.getByText('Nothing to paste: Rapport registers this webhook with Telegram itself').waitFor();
    await page.getByText('Working', { exact: true }).waitFor();
    await page.getByRole('link', { name: /core\.telegram\.org\/bots\/api#setwebhook/ }).waitFor();
    expect(await page.getByRole('link', { name: /core\.telegram\.org\/bots\/api#setwebhook/ }).getAttribute('target')).toBe('_blank');
    // The token is stored, never shown.
    await page.getByText('Stored', { exact: true }).first().waitFor();
    expect(await page.content()).not.toContain(telegram.token);
    await snap(page, 'messaging-05-inbox-page');

    // Editing: a blank secret keeps the stored one, and the page says so.
    await page.getByRole('button', { name: 'Edit settings' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Telegram inbox' });
    expect(await edit.getByLabel('Bot token').inputValue()).toBe('');
    expect(await edit.getByLabel('Bot token').getAttribute('placeholder')).toBe('•••••••• stored');
    await edit.getByText('Stored; leave blank to keep it.', { exact: false }).waitFor();
    // The saved token is tested when the field is left blank.
    await edit.getByRole('button', { name: 'Test connection' }).click();
    await edit.getByRole('status', { name: 'Connection test' }).getByText('Connection works').waitFor();
    await edit.getByLabel('Name').fill('Shop bot (Telegram)');
    await snap(page, 'messaging-06-edit');
    await edit.getByRole('button', { name: 'Save inbox' }).click();
    await page.getByRole('heading', { name: 'Shop bot (Telegram)' }).waitFor();
    const saved = await owner.call<InboxJson>('GET', `/inboxes/${inboxId}`);
    expect(saved.body.secrets_set).toContain('bot_token');
    expect(saved.body.connection.status).toBe('ok');
    await close();
  });

  it('a customer’s message appears live in the inbox; the reply shows “Sending…” until Telegram takes it, then “Sent”', async () => {
    expect(inboxId).not.toBe('');
    const { page, close } = await signedIn();

    // A post without Telegram's secret token is refused and leaves nothing behind.
    const forged = await deliver(telegram.update({ chatId: 4242, messageId: 1, text: 'Forged hello' }), 'not-the-secret');
    expect(forged.status).toBe(401);

    const posted = await deliver(telegram.update({ chatId: 4242, messageId: 2, text: 'Hi! Is my order on its way?', firstName: 'Mia', lastName: 'Lindqvist' }));
    expect(posted.status).toBe(200);
    const list = page.getByRole('navigation', { name: 'Conversations' });
    const row = list.getByRole('link').filter({ hasText: 'Mia Lindqvist' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Telegram');
    expect(await list.innerText()).not.toContain('Forged hello');
    await row.click();
    conversationId = /\/inbox\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.getByText('Telegram · Shop bot (Telegram)').waitFor();
    await page.getByRole('list', { name: 'Messages' }).getByText('Hi! Is my order on its way?').waitFor();
    await snap(page, 'messaging-07-conversation');

    holdSends = true;
    await page.getByRole('textbox', { name: 'Reply' }).fill('Yes, it left the warehouse this morning.');
    await page.getByRole('textbox', { name: 'Reply' }).press('Enter');
    const reply = page.getByRole('listitem').filter({ hasText: 'Yes, it left the warehouse this morning.' });
    const status = reply.locator('[data-delivery]');
    await status.getByText('Sending…').waitFor();
    expect(await status.getAttribute('data-delivery')).toBe('pending');
    expect(telegram.sent).toHaveLength(0);
    await snap(page, 'messaging-08-reply-pending');

    releaseSends();
    await status.getByText('Sent', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await status.getAttribute('data-delivery')).toBe('sent');
    expect(await status.getAttribute('title')).toBe('The provider took the reply');
    expect(telegram.sent).toEqual([expect.objectContaining({ method: 'sendMessage', chat_id: '4242', text: 'Yes, it left the warehouse this morning.' })]);
    await snap(page, 'messaging-09-reply-sent');
    await close();
  });

  it('a closed reply window says so and offers a template; a free-form reply refused anyway shows the server’s sentence', async () => {
    expect(conversationId).not.toBe('');
    const { page, close } = await signedIn();
    // This file has no fake of Meta's API: the browser is shown this Telegram conversation as a
    // WhatsApp one whose window is `window`, and the sends are answered here as the server would.
    let window: { closes_at: string | null; open: boolean; template_required: boolean } = { closes_at: new Date(Date.now() - 3_600_000).toISOString(), open: false, template_required: true };
    const posts: Array<Record<string, unknown>> = [];
    await page.route(`**/api/v1/channels`, async (route: Route) => {
      const answer = await route.fetch();
      const body = (await answer.json()) as { data: Array<Record<string, unknown>> };
      body.data = [...body.data.filter((c) => c.channel !== 'whatsapp'), { channel: 'whatsapp', label: 'WhatsApp', fields: [], address_kind: 'phone', reply_window_hours: 24, webhook_help: '', docs: [] }];
      await route.fulfill({ response: answer, json: body });
    });
    await page.route(`**/api/v1/conversations/${conversationId}`, async (route: Route) => {
      const answer = await route.fetch();
      await route.fulfill({ response: answer, json: { ...((await answer.json()) as object), channel: 'whatsapp', reply_window: window } });
    });
    await page.route(`**/api/v1/conversations/${conversationId}/messages`, async (route: Route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const body = route.request().postDataJSON() as Record<string, unknown>;
      posts.push(body);
      if (!body.template) {
        return route.fulfill({
          status: 422,
          json: { error: { code: 'reply_window_closed', message: "WhatsApp takes free-form replies only within 24 hours of the customer's last message; send an approved template instead (it reopens the conversation when the customer answers)." } },
        });
      }
      return route.fulfill({
        status: 201,
        json: {
          id: '00000000-0000-4000-8000-000000000001', conversation_id: conversationId, seq: 900, kind: 'text', direction: 'outgoing', private: false,
          content: body.content, status: 'pending', client_message_id: body.client_message_id, attachments: [], email: null, delivery_error: null,
          author: { type: 'user', id: '00000000-0000-4000-8000-000000000002', name: 'Owner', avatar_url: null }, created_at: new Date().toISOString(),
        },
      });
    });

    await page.goto(`/inbox/${conversationId}`);
    const composer = page.getByRole('form', { name: 'Write a message' });
    const closed = composer.getByRole('alert').filter({ hasText: 'The WhatsApp window is closed' });
    await closed.waitFor();
    expect(await closed.innerText()).toContain('WhatsApp takes free-form replies only within 24 hours of the customer’s last message');
    await snap(page, 'messaging-10-window-closed');

    // A free-form reply sent anyway: the server's refusal, in its words, at the reply box.
    await composer.getByRole('textbox', { name: 'Reply' }).fill('Are you still there?');
    await composer.getByRole('textbox', { name: 'Reply' }).press('Enter');
    await composer.getByText('send an approved template instead (it reopens the conversation when the customer answers)', { exact: false }).waitFor();
    expect(await composer.getByRole('textbox', { name: 'Reply' }).getAttribute('aria-invalid')).toBe('true');
    await snap(page, 'messaging-11-free-form-refused');

    await closed.getByRole('button', { name: 'Send a template' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a template' });
    await dialog.getByRole('button', { name: 'Send template' }).click();
    await dialog.getByText('Enter the template’s name').waitFor();
    await dialog.getByText('Enter its language code, such as en_US').waitFor();
    await dialog.getByLabel('Template name').fill('Order Update');
    await dialog.getByLabel('Language code').fill('en_US');
    await dialog.getByRole('button', { name: 'Send template' }).click();
    await dialog.getByText('The name as approved', { exact: false }).waitFor();
    await dialog.getByLabel('Template name').fill('order_update');
    await dialog.getByRole('button', { name: 'Add parameter' }).click();
    await dialog.getByLabel('Parameter {{1}}').fill('A-1042');
    await dialog.getByRole('button', { name: 'Add parameter' }).click();
    await dialog.getByLabel('Parameter {{2}}').fill('Thursday');
    await snap(page, 'messaging-12-template-form');
    const before = posts.length;
    await dialog.getByRole('button', { name: 'Send template' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('list', { name: 'Messages' }).getByText('Template “order_update” (en_US): A-1042 · Thursday').waitFor();
    // The refusal of the free-form reply is done with once the template went.
    expect(await composer.getByRole('textbox', { name: 'Reply' }).getAttribute('aria-invalid')).not.toBe('true');
    // One post, the template's: the reply box's text is not sent along with it.
    expect(posts.slice(before)).toHaveLength(1);
    expect(posts[before]).toEqual({
      content: 'Template “order_update” (en_US): A-1042 · Thursday',
      private: false,
      client_message_id: expect.any(String),
      template: { name: 'order_update', language: 'en_US', parameters: ['A-1042', 'Thursday'] },
    });

    // An open window is a quiet note of how long is left.
    window = { closes_at: new Date(Date.now() + 3 * 3_600_000 - 60_000).toISOString(), open: true, template_required: false };
    await page.reload();
    await composer.getByText('WhatsApp window closes in 3 h').waitFor();
    expect(await composer.getByRole('alert').filter({ hasText: 'window is closed' }).count()).toBe(0);
    await snap(page, 'messaging-13-window-open');
    await close();
  });

  it('a token Telegram refuses on saving shows on the inbox page and above every teammate’s conversations', async () => {
    const { page, close } = await signedIn();
    await page.goto(`/settings/inboxes/${inboxId}`);
    await page.getByRole('button', { name: 'Edit settings' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Telegram inbox' });
    await edit.getByLabel('Bot token').fill(wrongToken);
    await edit.getByRole('button', { name: 'Save inbox' }).click();
    await edit.waitFor({ state: 'detached' });
    // Saving registers the webhook again; Telegram refuses the token, and the page says so in its words.
    const alert = page.getByRole('alert').filter({ hasText: 'This inbox cannot reach Telegram' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Telegram refused the bot token');
    await page.getByText('Failing', { exact: true }).waitFor();
    await snap(page, 'messaging-14-inbox-failing');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'Shop bot (Telegram) cannot reach Telegram: Telegram refused the bot token' });
    await banner.waitFor();
    await snap(page, 'messaging-15-inbox-banner');
    await banner.getByRole('link', { name: 'Settings → Inboxes' }).click();
    await page.waitForURL(new RegExp(`/settings/inboxes/${inboxId}$`));

    // The right token again: the alert goes.
    const fixed = await owner.call<InboxJson>('PATCH', `/inboxes/${inboxId}`, { settings: { bot_token: telegram.token } });
    expect(fixed.body.connection.status).toBe('ok');
    await page.reload();
    await page.getByText('Working', { exact: true }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'This inbox cannot reach Telegram' }).count()).toBe(0);
    await close();
  });

  it('the channel choice says when the server’s channel list cannot be loaded, and Retry brings it', async () => {
    const { page, close } = await signedIn();
    let failing = true;
    await page.route('**/api/v1/channels', (route: Route) =>
      failing ? route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'The server is starting; try again in a moment.' } } }) : route.fallback(),
    );
    await page.goto('/settings/inboxes');
    await page.getByRole('button', { name: 'New inbox' }).click();
    const choice = page.getByRole('dialog', { name: 'New inbox' });
    const problem = choice.getByRole('alert').filter({ hasText: 'Could not load the messaging channels' });
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.innerText()).toContain('The server is starting; try again in a moment.');
    // The built-in channels stay available meanwhile.
    await choice.getByRole('radio', { name: 'Email' }).waitFor();
    await snap(page, 'messaging-16-channels-error');
    failing = false;
    await problem.getByRole('button', { name: 'Retry' }).click();
    await choice.getByRole('radio', { name: 'Telegram' }).waitFor();
    // By keyboard: Space picks a channel, Enter on Continue opens its form.
    await choice.getByRole('radio', { name: 'Telegram' }).focus();
    await page.keyboard.press('Space');
    await choice.getByRole('button', { name: 'Continue' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'New Telegram inbox' }).getByLabel('Bot token').waitFor();
    await close();
  });

  it('a provider’s generated value (Meta’s verify token) is shown to copy; its secrets only as stored', async () => {
    // No fake of Meta's API here: the browser is given a WhatsApp channel and inbox as the API describes them.
    const { page, close } = await signedIn();
    const id = '00000000-0000-4000-8000-0000000000aa';
    const fields = [
      { name: 'access_token', label: 'Access token', secret: true, optional: false, generated: false, pattern: null, problem: null, placeholder: null, help: 'A system user’s permanent token.' },
      { name: 'phone_number_id', label: 'Phone number ID', secret: false, optional: false, generated: false, pattern: '^\\d+$', problem: 'is the number Meta shows', placeholder: null, help: 'In WhatsApp → API setup.' },
      { name: 'verify_token', label: 'Verify token', secret: false, optional: false, generated: true, pattern: null, problem: null, placeholder: null, help: 'Paste it beside the callback URL.' },
    ];
    await page.route('**/api/v1/channels', async (route: Route) => {
      const answer = await route.fetch();
      const body = (await answer.json()) as { data: Array<Record<string, unknown>> };
      body.data = body.data.filter((c) => c.channel !== 'whatsapp');
      body.data.push({ channel: 'whatsapp', label: 'WhatsApp (Meta)', fields, address_kind: 'phone', reply_window_hours: 24, webhook_help: 'Paste this as the callback URL in your Meta app, with the verify token below.', docs: ['https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks', 'javascript:alert(1)'] });
      await route.fulfill({ response: answer, json: body });
    });
    const inbox = (await owner.call<Record<string, unknown>>('GET', `/inboxes/${inboxId}`)).body;
    await page.route(`**/api/v1/inboxes/${id}`, (route: Route) =>
      route.fulfill({
        json: { ...inbox, id, name: 'WhatsApp support', channel: 'whatsapp', provider_settings: { phone_number_id: '1065', verify_token: 'vt_9f2c1e' }, secrets_set: ['access_token'], inbound_webhook_url: `${server.url}/webhooks/whatsapp/in_demo`, connection: { status: 'unknown', error: null, part: null, checked_at: null } },
      }),
    );
    await page.goto(`/settings/inboxes/${id}`);
    await page.getByRole('heading', { name: 'WhatsApp (Meta) settings' }).waitFor();
    expect(await page.getByLabel('Verify token').inputValue()).toBe('vt_9f2c1e');
    expect(await page.getByLabel('Webhook URL').inputValue()).toBe(`${server.url}/webhooks/whatsapp/in_demo`);
    await page.getByText('Paste this as the callback URL in your Meta app').waitFor();
    await page.getByText('1065', { exact: true }).waitFor();
    await page.getByText('Stored', { exact: true }).waitFor();
    await page.getByText('Not checked yet', { exact: true }).waitFor();
    // Only web addresses become links.
    await page.getByRole('link', { name: /developers\.facebook\.com/ }).waitFor();
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await snap(page, 'messaging-17-generated-values');

    // Its form asks for the typed fields only, the secret as stored.
    await page.getByRole('button', { name: 'Edit settings' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit WhatsApp (Meta) inbox' });
    expect(await edit.getByLabel('Phone number ID').inputValue()).toBe('1065');
    expect(await edit.getByLabel('Access token').getAttribute('placeholder')).toBe('•••••••• stored');
    expect(await edit.getByLabel('Verify token').count()).toBe(0);
    await edit.getByLabel('Phone number ID').fill('+49 30');
    await edit.getByRole('button', { name: 'Save inbox' }).click();
    await edit.getByText('Is the number Meta shows').waitFor();
    await snap(page, 'messaging-18-generated-edit');
    await close();
  });
});

// Settings → Webhooks against the real server: an admin subscribes a receiver this file runs to
// message.created (a private address is refused with the server's sentence at the field), pings
// it and sees the delivery in the log, and a customer's message reaches it signed with the secret
// the page shows, also after rotating it. A receiver answering 500 leaves the delivery pending,
// the log refreshing itself until a retry gets through; one answering 410 Gone fails it and gets
// the webhook switched off with its reason; switched on again, Redeliver sends it with the same
// delivery id. Also: the loading and error states, a long log, deletion, and agents kept out.
// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, for a person to look at.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

interface Delivery {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let page: Page;
let closePage: () => Promise<void>;
let receiver: http.Server;
let receiverPort = 0;
/** What the receiver answers next. */
let answer = 200;
const received: Delivery[] = [];
let inboxId = '';
let webhookId = '';

/** The page as it is; `full` grows the viewport to the whole page first. */
const shot = async (name: string, full = false) => {
  if (!process.env.SCREENSHOT_DIR) return;
  const path = join(process.env.SCREENSHOT_DIR, `webhooks-${name}.png`);
  const viewport = page.viewportSize()!;
  if (full) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path });
  if (full) await page.setViewportSize(viewport);
};

beforeAll(async () => {
  // The server may reach this receiver because WEBHOOK_ALLOW_PRIVATE_HOSTS names localhost (not 127.0.0.1, still refused).
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = req.url === '/events' ? answer : 204;
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: status });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  receiverPort = (receiver.address() as AddressInfo).port;
  server = await startServer(undefined, { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'localhost' });
  browser = await launchBrowser();
  owner = await apiSession(server);
  // Customers write through an API inbox (its own webhook, for agents' replies, is not the one tested here).
  const inbox = await owner.call<{ id: string }>('POST', '/inboxes', { channel: 'api', name: 'Shop app', webhook_url: `http://localhost:${receiverPort}/api-inbox` });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  const opened = await newPage(browser, server.url);
  page = opened.page;
  closePage = () => opened.context.close();
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const signatureOf = (secret: string, d: Delivery) =>
  `sha256=${createHmac('sha256', secret).update(`${String(d.headers['x-rapport-delivery'])}.${String(d.headers['x-rapport-timestamp'])}.${d.body}`).digest('hex')}`;

let written = 0;

/** A customer writes to the API inbox: a new conversation with their message. */
async function customerWrites(content: string): Promise<void> {
  const res = await owner.call('POST', '/conversations', {
    inbox_id: inboxId,
    contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
    message: { content },
    idempotency_key: `e2e-message-${++written}`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const eventsTo = (event: string, text?: string) => () => received.find((d) => d.path === '/events' && d.headers['x-rapport-event'] === event && (!text || d.body.includes(text)));
const log = () => page.getByRole('table', { name: 'Deliveries' });
const logRows = () => log().locator('tbody tr');
const secretField = () => page.getByRole('textbox', { name: 'Webhook signing secret' });

describe('Settings → Webhooks', () => {
  it('explains webhooks when there are none; the form refuses a private URL at the field, then creates the webhook', async () => {
    await page.goto('/settings/profile');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhooks yet').waitFor();
    await page.getByText(/Rapport POSTs an event to its URL when a conversation starts or changes/).waitFor();
    await shot('01-empty');

    await page.getByRole('button', { name: 'Create the first webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    const created = dialog.getByRole('checkbox', { name: 'message.created' });
    await created.waitFor();
    // Each event says what it is.
    expect(await created.getAttribute('aria-describedby')).toBeTruthy();
    await dialog.getByText('A message or private note was added (private notes say private: true)').waitFor();
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.getByText('Enter the URL that receives the events').waitFor();
    await dialog.getByText('Pick at least one event').waitFor();

    const url = dialog.getByRole('textbox', { name: 'URL' });
    await url.fill('https://127.0.0.1/hook');
    // Keyboard: Space ticks the focused checkbox.
    await created.focus();
    await page.keyboard.press('Space');
    expect(await created.isChecked()).toBe(true);
    await dialog.getByRole('textbox', { name: 'Description' }).fill('CRM sync');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    const refusal = dialog.getByText('The URL points at the address 127.0.0.1 (a loopback address): webhooks only go to public internet addresses.');
    await refusal.waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.getAttribute('aria-describedby')).toContain(await refusal.getAttribute('id'));
    await shot('02-form-refused');

    const target = `http://localhost:${receiverPort}/events`;
    await url.fill(target);
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await page.waitForURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
    webhookId = /webhooks\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await page.getByRole('heading', { name: 'CRM sync', level: 1 }).waitFor();
    expect(await page.getByTestId('webhook-url').innerText()).toBe(target);
    await page.getByText('Nothing delivered yet').waitFor();
    expect(await page.getByTestId('verify-example').innerText()).toContain("createHmac('sha256'");
  });

  it('a test ping is delivered (HTTP 200) and shows in the log; a customer message arrives signed with the secret the page shows', async () => {
    // The secret is hidden until revealed, and is the one the API gives.
    expect(await secretField().inputValue()).toMatch(/^•+$/);
    await page.getByRole('button', { name: 'Reveal' }).click();
    const secret = await secretField().inputValue();
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    expect((await owner.call<{ secret: string }>('GET', `/webhooks/${webhookId}`)).body.secret).toBe(secret);

    await page.getByRole('button', { name: 'Send test ping' }).click();
    await page.getByText('Test ping sent: its outcome shows in the delivery log.').waitFor();
    const ping = await until('the ping to reach the receiver', eventsTo('ping'));
    expect(ping.headers['x-rapport-signature']).toBe(signatureOf(secret, ping));
    const pingRow = logRows().filter({ hasText: 'ping' });
    await pingRow.getByText('Delivered').waitFor();
    expect(await pingRow.locator('td').nth(2).innerText()).toBe('200');
    expect(await pingRow.locator('td').nth(3).innerText()).toBe('1');

    await customerWrites('Where is my order 1042?');
    const message = await until('the customer message to reach the receiver', eventsTo('message.created', 'Where is my order 1042?'));
    expect(message.headers['x-rapport-signature']).toBe(signatureOf(secret, message));
    const body = JSON.parse(message.body) as { id: string; event: string; data: { message: { content: string; direction: string } } };
    expect(body).toMatchObject({ id: message.headers['x-rapport-delivery'], event: 'message.created', data: { message: { content: 'Where is my order 1042?', direction: 'incoming' } } });
    // Without a reload: the log asks again by itself.
    await logRows().filter({ hasText: 'message.created' }).getByText('Delivered').waitFor({ timeout: 20_000 });
    await shot('03-detail', true);
  });

  it('after a rotation, with confirmation, deliveries are signed with the new secret only', async () => {
    // Still revealed from the test before.
    await page.getByRole('button', { name: 'Hide' }).waitFor();
    const first = await secretField().inputValue();
    await page.getByRole('button', { name: 'Generate new secret' }).click();
    const confirm = page.getByRole('dialog', { name: 'Generate a new signing secret?' });
    await confirm.getByText(/signed with the new secret only/).waitFor();
    await confirm.getByRole('button', { name: 'Generate new secret' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => secretField().inputValue()).not.toBe(first);
    const rotated = await secretField().inputValue();
    expect(rotated).toMatch(/^whsec_[\w-]{43}$/);
    expect((await owner.call<{ secret: string }>('GET', `/webhooks/${webhookId}`)).body.secret).toBe(rotated);

    await customerWrites('Can I change the address?');
    const message = await until('the next message', eventsTo('message.created', 'Can I change the address?'));
    expect(message.headers['x-rapport-signature']).toBe(signatureOf(rotated, message));
    expect(message.headers['x-rapport-signature']).not.toBe(signatureOf(first, message));
  });

  it('a receiver answering 500 leaves the delivery pending with its attempt logged; the log refreshes itself until a retry is delivered', async () => {
    answer = 500;
    await customerWrites('Is the shop open on Sunday?');
    await until('the first attempt', eventsTo('message.created', 'Is the shop open on Sunday?'));
    // The newest row (its error goes once it is delivered).
    const row = logRows().first();
    await row.getByText('The webhook receiver answered HTTP 500.').waitFor();
    await row.getByText('Pending').waitFor();
    expect(await row.locator('td').nth(2).innerText()).toBe('500');
    await page.getByText('Waiting for pending deliveries: the log refreshes by itself.').waitFor();
    await shot('04-pending');
    answer = 200;
    // The queue tries again after about ten seconds; the page shows it without a reload.
    await row.getByText('Delivered').waitFor({ timeout: 60_000 });
    expect(await row.locator('td').nth(3).innerText()).toBe('2');
  }, 90_000);

  it('a receiver answering 410 Gone fails the delivery and gets the webhook switched off with its reason; switched on, Redeliver sends it again', async () => {
    answer = 410;
    await customerWrites('My parcel never came.');
    const first = await until('the 410 attempt', eventsTo('message.created', 'My parcel never came.'));
    const alert = page.getByRole('alert').filter({ hasText: 'Rapport switched this webhook off' });
    await alert.getByText('The receiver answered 410 Gone, so the webhook was switched off.').waitFor({ timeout: 20_000 });
    const row = logRows().first();
    await row.getByText('The receiver answered 410 Gone.').waitFor();
    await row.getByText('Failed').waitFor();
    expect(await row.locator('td').nth(2).innerText()).toBe('410');
    const switchOn = page.getByRole('switch', { name: 'Send events to this URL' });
    expect(await switchOn.isChecked()).toBe(false);
    const redeliver = row.getByRole('button', { name: /^Redeliver message\.created/ });
    expect(await redeliver.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send test ping' }).isDisabled()).toBe(true);
    await shot('05-switched-off', true);

    // The list says so too.
    await page.getByRole('link', { name: 'All webhooks' }).click();
    const listed = page.getByRole('table', { name: 'Webhooks' }).getByRole('row').filter({ hasText: 'CRM sync' });
    await listed.getByText('Switched off', { exact: true }).waitFor();
    await listed.getByText('The receiver answered 410 Gone, so the webhook was switched off.').waitFor();
    await listed.locator('td').nth(1).getByText('message.created').waitFor();
    await shot('06-list-switched-off');
    await listed.getByRole('link', { name: /\/events$/ }).click();

    answer = 200;
    await switchOn.check();
    await page.getByText('Webhook switched on: the next events go to it.').waitFor();
    await alert.waitFor({ state: 'detached' });
    await redeliver.click();
    await row.getByText('Delivered').waitFor({ timeout: 20_000 });
    const again = received.filter((d) => d.headers['x-rapport-delivery'] === first.headers['x-rapport-delivery']);
    expect(again.map((d) => d.answered)).toEqual([410, 200]);
    expect(again[1].body).toBe(first.body);
    expect((await owner.call<{ enabled: boolean; disabled_reason: string | null }>('GET', `/webhooks/${webhookId}`)).body).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('the log of many deliveries shows the newest fifty, and the older ones on demand', async () => {
    const delivered = async () => (await owner.call<{ data: Array<{ status: string }> }>('GET', `/webhooks/${webhookId}/deliveries?limit=200`)).body.data.filter((d) => d.status === 'delivered').length;
    const before = await delivered();
    for (let i = 0; i < 50; i++) expect((await owner.call('POST', `/webhooks/${webhookId}/ping`)).status).toBe(202);
    await until('the pings to be delivered', async () => (await delivered()) >= before + 50, 75_000);
    await page.reload();
    await log().waitFor();
    expect(await logRows().count()).toBe(50);
    await page.getByRole('button', { name: 'Show older deliveries' }).click();
    await expect.poll(() => logRows().count()).toBeGreaterThan(50);
    await shot('07-long-log', true);
    // The phone layout, for a person to look at: the log scrolls sideways inside its card.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('10-phone-detail', true);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it('edits the events, then deletes the webhook after a confirmation', async () => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit webhook' });
    await dialog.getByRole('checkbox', { name: 'conversation.created' }).check();
    await dialog.getByRole('button', { name: 'Save webhook' }).click();
    await page.getByText('Webhook saved').waitFor();
    expect((await owner.call<{ events: string[] }>('GET', `/webhooks/${webhookId}`)).body.events.sort()).toEqual(['conversation.created', 'message.created']);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete webhook' });
    await confirm.getByText(/stops receiving events at once/).waitFor();
    await confirm.getByRole('button', { name: 'Delete webhook' }).click();
    await page.waitForURL(/\/settings\/webhooks$/);
    await page.getByText('No webhooks yet').waitFor();
    expect((await owner.call('GET', `/webhooks/${webhookId}`)).status).toBe(404);
  });

  it('shows placeholders while the list loads and the error with Retry when it fails', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/webhooks', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/settings/webhooks');
    await page.getByLabel('Loading').waitFor();
    await shot('08-loading');
    release();
    await page.getByText('No webhooks yet').waitFor();
    await page.unroute('**/api/v1/webhooks');

    await page.route('**/api/v1/webhooks', (route) => route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'The database is not reachable right now.' } } }));
    await page.reload();
    const failed = page.getByRole('alert').filter({ hasText: 'Could not load webhooks' });
    await failed.getByText('The database is not reachable right now.').waitFor({ timeout: 20_000 });
    await shot('09-error');
    await page.unroute('**/api/v1/webhooks');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No webhooks yet').waitFor();
  }, 60_000);

  it('agents see neither the page nor its nav entry', async () => {
    const agent = await owner.call('POST', '/users', { name: 'Riley Agent', email: 'riley.agent@e2e.test', password: 'agent-password-42', role: 'agent' });
    expect(agent.status).toBe(201);
    const { context, page: agentPage } = await newPage(browser, server.url);
    await signIn(agentPage, 'riley.agent@e2e.test', 'agent-password-42');
    await agentPage.waitForURL(/\/inbox$/);
    await agentPage.goto('/settings/webhooks');
    await agentPage.getByText('Admins only').waitFor();
    expect(await agentPage.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    expect(await agentPage.getByRole('button', { name: 'New webhook' }).count()).toBe(0);
    await context.close();
  });
});

// Settings → Inboxes for the API channel and contact forms, against the real demo server: an admin
// creates an API inbox through the form (a private webhook URL is refused with the server's sentence
// at the field), reads and rotates its signing secret, and a reply then reaches a webhook receiver
// this file runs, signed with the new secret; an admin publishes the contact form of the demo's
// email inbox, a customer sends it, and the message is a conversation in the inbox.
import { createHmac } from 'node:crypto';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startDemoServer, type RunningServer } from './harness.js';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let receiver: http.Server;
let receiverPort = 0;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  // A webhook receiver on this machine: the server may reach it because WEBHOOK_ALLOW_PRIVATE_HOSTS names localhost
  // (not 127.0.0.1, so a URL with that address is still refused).
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  receiverPort = (receiver.address() as AddressInfo).port;
  server = await startDemoServer({ WEBHOOK_ALLOW_PRIVATE_HOSTS: 'localhost' });
  browser = await launchBrowser();
  owner = await apiSession(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

async function signedIn(): Promise<{ page: Page; close: () => Promise<void> }> {
  const { context, page } = await newPage(browser, server.url);
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
  return { page, close: () => context.close() };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Whether this machine resolves public names (CI without network does not). */
const resolvesPublicNames = () => dns.lookup('example.com').then(() => true, () => false);

const signatureOf = (secret: string, d: Delivery) =>
  `sha256=${createHmac('sha256', secret).update(`${String(d.headers['x-rapport-delivery'])}.${String(d.headers['x-rapport-timestamp'])}.${d.body}`).digest('hex')}`;

interface InboxJson {
  id: string;
  name: string;
  webhook_url: string | null;
  webhook_secret?: string;
}

describe('API inboxes', () => {
  it('an admin creates one through the form, sees the refusal of a private URL at the field, reveals and rotates the secret', async () => {
    const { page, close } = await signedIn();
    await page.goto('/settings/inboxes');
    await page.getByRole('button', { name: 'New inbox' }).click();
    const choice = page.getByRole('dialog', { name: 'New inbox' });
    await choice.getByRole('radio', { name: 'API' }).check();
    await choice.getByRole('button', { name: 'Continue' }).click();

    const dialog = page.getByRole('dialog', { name: 'New API inbox' });
    await dialog.getByRole('button', { name: 'Create inbox' }).click();
    await dialog.getByText('Give the inbox a name').waitFor();
    await dialog.getByText('Enter the URL that receives your agents’ replies').waitFor();

    // A loopback address: the server says why, and the sentence is at the field.
    await dialog.getByLabel('Name').fill('Shop app');
    const url = dialog.getByRole('textbox', { name: 'Webhook URL' });
    await url.fill('https://127.0.0.1/hook');
    await dialog.getByRole('button', { name: 'Create inbox' }).click();
    const refusal = dialog.getByText('The webhook URL points at the address 127.0.0.1 (a loopback address): webhooks only go to public internet addresses.');
    await refusal.waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.getAttribute('aria-describedby')).toContain(await refusal.getAttribute('id'));

    // A public-looking name is resolved when saved; without outside DNS (as here, often) it is refused, saying so.
    if (!(await resolvesPublicNames())) {
      await url.fill('https://example.com/rapport-hook');
      await dialog.getByRole('button', { name: 'Create inbox' }).click();
      await dialog.getByText(/^The webhook URL cannot be reached: .*example\.com (does not resolve|could not be resolved)/).waitFor();
      expect(await url.getAttribute('aria-invalid')).toBe('true');
    }

    // The receiver this test runs, on a host the server was told to allow.
    const hook = `http://localhost:${receiverPort}/rapport-hook`;
    await url.fill(hook);
    await dialog.getByRole('button', { name: 'Create inbox' }).click();
    await page.waitForURL(/\/settings\/inboxes\/[0-9a-f-]{36}$/);
    const id = /inboxes\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await page.getByRole('heading', { name: 'Shop app' }).waitFor();
    await page.getByTestId('webhook-url').waitFor();
    expect(await page.getByTestId('webhook-url').innerText()).toBe(hook);
    expect(await page.getByTestId('curl-example').innerText()).toContain(`"inbox_id": "${id}"`);

    // The secret is hidden until revealed, and is the one the API gives admins.
    const secretField = page.getByRole('textbox', { name: 'Webhook signing secret' });
    expect(await secretField.inputValue()).toMatch(/^•+$/);
    await page.getByRole('button', { name: 'Reveal' }).click();
    const first = await secretField.inputValue();
    expect(first).toMatch(/^whsec_[\w-]{43}$/);
    expect((await owner.call<InboxJson>('GET', `/inboxes/${id}`)).body.webhook_secret).toBe(first);

    // Rotating asks first, then shows the new secret.
    await page.getByRole('button', { name: 'Generate new secret' }).click();
    const confirm = page.getByRole('dialog', { name: 'Generate a new signing secret?' });
    await confirm.getByText(/signed with the new secret only/).waitFor();
    await confirm.getByRole('button', { name: 'Generate new secret' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => secretField.inputValue()).not.toBe(first);
    const rotated = await secretField.inputValue();
    expect(rotated).toMatch(/^whsec_[\w-]{43}$/);
    expect((await owner.call<InboxJson>('GET', `/inboxes/${id}`)).body.webhook_secret).toBe(rotated);

    // What the page says to verify holds: a reply arrives signed over id.timestamp.body with the new secret.
    const started = await owner.call<{ conversation: { id: string } }>('POST', '/conversations', {
      inbox_id: id,
      contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
      message: { content: 'Where is my order 1042?' },
      idempotency_key: 'e2e-order-1042',
    });
    expect(started.status).toBe(201);
    const replied = await owner.call('POST', `/conversations/${started.body.conversation.id}/messages`, { content: 'It ships tomorrow.' });
    expect(replied.status).toBe(201);
    const delivery = await until('the reply to reach the webhook', async () => deliveries.find((d) => d.body.includes('It ships tomorrow.')));
    expect(delivery.headers['x-rapport-signature']).toBe(signatureOf(rotated, delivery));
    expect(delivery.headers['x-rapport-signature']).not.toBe(signatureOf(first, delivery));

    // The page learns that the webhook works.
    await expect.poll(async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Shop app' }).waitFor();
      return page.getByText('Working', { exact: true }).count();
    }, { timeout: 20_000 }).toBe(1);
    await close();
  });
});

describe('contact forms', () => {
  it('an admin publishes the email inbox’s form; a customer sends it and the message is a conversation in the inbox', async () => {
    const inboxes = await owner.call<{ data: InboxJson[] }>('GET', '/inboxes');
    const inbox = inboxes.body.data.find((i) => i.name === 'Support email')!;
    const { page, close } = await signedIn();
    await page.goto(`/settings/inboxes/${inbox.id}`);
    const card = page.getByRole('form', { name: 'Contact form' });
    await card.getByRole('button', { name: 'Save contact form' }).waitFor();
    await card.getByText('Not published', { exact: true }).waitFor();
    expect(await card.getByRole('textbox', { name: 'Page address' }).count()).toBe(0);

    await card.getByRole('switch', { name: 'Publish the form' }).check();
    await card.getByRole('textbox', { name: 'Title' }).fill('Write to Northwind');
    await card.getByRole('textbox', { name: 'Thank-you message' }).fill('Thanks! We write back within a day.');

    // Extra fields: the key follows the label until it is typed.
    await card.getByRole('button', { name: 'Add field' }).click();
    const orderField = card.getByRole('listitem', { name: /^Extra field 1/ });
    await orderField.getByRole('textbox', { name: 'Label' }).fill('Order number');
    expect(await orderField.getByRole('textbox', { name: 'Key' }).inputValue()).toBe('order_number');
    await orderField.getByRole('checkbox', { name: 'Required' }).check();

    await card.getByRole('button', { name: 'Add field' }).click();
    const topicField = card.getByRole('listitem', { name: /^Extra field 2/ });
    await topicField.getByRole('textbox', { name: 'Label' }).fill('Topic');
    await topicField.getByLabel('Type').click();
    await page.getByRole('option', { name: 'Choice (drop-down)' }).click();
    // A key of a built-in field, and a choice field without choices, are refused before asking the server.
    await topicField.getByRole('textbox', { name: 'Key' }).fill('email');
    await card.getByRole('button', { name: 'Save contact form' }).click();
    await topicField.getByText('“email” is taken by a built-in field').waitFor();
    await topicField.getByText('Add the choices, pressing Enter after each').waitFor();
    await topicField.getByRole('textbox', { name: 'Key' }).fill('topic');
    const choices = topicField.getByLabel('Choices');
    for (const option of ['Bikes', 'Repairs']) {
      await choices.fill(option);
      await choices.press('Enter');
    }

    // A field added and removed again leaves no trace.
    await card.getByRole('button', { name: 'Add field' }).click();
    await card.getByRole('listitem', { name: /^Extra field 3/ }).getByRole('textbox', { name: 'Label' }).fill('Scratch');
    await card.getByRole('button', { name: 'Remove Scratch' }).click();
    expect(await card.getByRole('listitem', { name: /^Extra field/ }).count()).toBe(2);

    await card.getByRole('button', { name: 'Save contact form' }).click();
    await page.getByText('Contact form published').waitFor();
    await card.getByText('Published', { exact: true }).waitFor();
    const address = await card.getByRole('textbox', { name: 'Page address' }).inputValue();
    expect(address).toMatch(new RegExp(`^${server.url.replace(/[.:/]/g, '\\$&')}/forms/fm_[\\w-]+$`));
    expect(await card.getByRole('textbox', { name: 'Embed snippet' }).inputValue()).toMatch(new RegExp(`^<iframe src="${address.replace(/[.:/]/g, '\\$&')}\\?embed=1"`));
    const stored = await owner.call<{ enabled: boolean; fields: unknown[] }>('GET', `/inboxes/${inbox.id}/form`);
    expect(stored.body.enabled).toBe(true);
    expect(stored.body.fields).toEqual([
      { key: 'order_number', label: 'Order number', type: 'text', required: true },
      { key: 'topic', label: 'Topic', type: 'select', required: false, options: ['Bikes', 'Repairs'] },
    ]);

    // "Open" shows the public page in a new tab.
    const open = card.getByRole('link', { name: 'Open' });
    expect(await open.getAttribute('href')).toBe(address);
    expect(await open.getAttribute('target')).toBe('_blank');
    const [form] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
    await form.getByRole('heading', { name: 'Write to Northwind' }).waitFor();
    const shownAt = Date.now();
    await form.getByLabel('Your name').fill('Grace Hopper');
    await form.getByLabel('Email').fill('grace@customer.example');
    await form.getByLabel('Subject').fill('Brake pads squeal');
    await form.getByLabel('Order number').fill('1042');
    await form.getByLabel('Topic').selectOption('Repairs');
    await form.getByLabel('Message').fill('My new brake pads squeal on every stop.');
    // A form sent within 2 s of being shown is a robot's, thanked and dropped: a person takes longer.
    await form.waitForTimeout(Math.max(0, 2_300 - (Date.now() - shownAt)));
    await form.getByRole('button', { name: 'Send' }).click();
    await form.getByRole('status').getByText('Thanks! We write back within a day.').waitFor();
    await form.close();

    // The message is a conversation in the inbox, with the extra fields' answers.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    const conversation = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Brake pads squeal/ });
    await conversation.waitFor({ timeout: 20_000 });
    await conversation.click();
    await page.getByRole('heading', { name: 'Brake pads squeal' }).waitFor();
    const thread = page.getByRole('list', { name: 'Messages' });
    await thread.getByText(/My new brake pads squeal on every stop\./).first().waitFor();
    await thread.getByText(/Order number: 1042/).first().waitFor();
    await thread.getByText(/Topic: Repairs/).first().waitFor();
    await close();
  });

  it('agents do not see the contact form card', async () => {
    const inboxes = await owner.call<{ data: InboxJson[] }>('GET', '/inboxes');
    const inbox = inboxes.body.data.find((i) => i.name === 'Support email')!;
    const agent = await owner.call<{ id: string }>('POST', '/users', { name: 'Riley Agent', email: 'riley.agent@e2e.test', password: 'agent-password-42', role: 'agent' });
    expect(agent.status).toBe(201);
    const members = (await owner.call<{ member_ids: string[] }>('GET', `/inboxes/${inbox.id}`)).body.member_ids;
    expect((await owner.call('PATCH', `/inboxes/${inbox.id}`, { member_ids: [...members, agent.body.id] })).status).toBe(200);

    const { context, page } = await newPage(browser, server.url);
    await signIn(page, 'riley.agent@e2e.test', 'agent-password-42');
    await page.waitForURL(/\/inbox$/);
    await page.goto(`/settings/inboxes/${inbox.id}`);
    await page.getByRole('heading', { name: 'Email settings' }).waitFor();
    await page.getByText('Only admins can change an inbox.').waitFor();
    expect(await page.getByRole('heading', { name: 'Contact form' }).count()).toBe(0);
    await context.close();
  });
});

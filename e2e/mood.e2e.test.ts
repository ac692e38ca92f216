// Mood in the agent app against the real server: a customer who turns angry gets a badge in the
// list and the header ("Mood: angry, getting worse"), a calm one none; "Upset customers first" puts
// them at the top and the mood filter keeps only them; the customer sidebar draws their mood over time; the rule editor offers
// "Customer mood is worse than".
// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, at desktop and phone width.
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

const shot = async (name: string) => {
  if (!process.env.SCREENSHOT_DIR) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `mood-${name}.png`) });
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `mood-${name}-phone.png`) });
  await page.setViewportSize(viewport);
};

const start = async (name: string, email: string, content: string) => {
  const res = await owner.call<{ conversation: { id: string } }>('POST', '/conversations', { inbox_id: inboxId, contact: { name, email }, message: { content }, idempotency_key: `mood-${email}-${content.length}` });
  expect(res.status).toBe(201);
  return res.body.conversation.id;
};
const write = async (id: string, content: string) => {
  const res = await owner.call('POST', `/conversations/${id}/incoming-messages`, { content, idempotency_key: `mood-${id}-${content.length}` });
  expect(res.status).toBe(201);
};

beforeAll(async () => {
  server = await startServer(undefined, { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'localhost' });
  browser = await launchBrowser();
  owner = await apiSession(server);
  const inbox = await owner.call<{ id: string }>('POST', '/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://localhost:9/api-inbox' });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  const opened = await newPage(browser, server.url);
  page = opened.page;
  closePage = () => opened.context.close();
  // Wide enough for the customer sidebar to sit beside the thread.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
}, 180_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await server?.stop();
});

describe('mood in the agent app', () => {
  let angry = '';
  let calm = '';

  it('badges a customer who gets angry, in the list and the header, and draws their mood over time', async () => {
    calm = await start('Grace Hopper', 'grace@example.com', 'Thanks so much, the replacement works perfectly!');
    angry = await start('Ada Lovelace', 'ada@example.com', 'Hi, could you tell me where my parcel is? Order 5521.');
    await write(angry, 'It has been two weeks and the tracking still has not moved. Getting annoying.');
    await write(angry, 'This is absolutely unacceptable!!! Refund me NOW or I go to my lawyer.');

    await page.goto(`/inbox/${angry}`);
    const list = page.getByRole('navigation', { name: 'Conversations' });
    const badge = list.getByRole('img', { name: 'Mood: angry, getting worse' });
    // The reactor reads the messages a moment after they are stored; the list hears the change live.
    await badge.waitFor({ timeout: 30_000 });
    expect(await list.getByRole('img', { name: /^Mood:/ }).count()).toBe(1);
    // The header of the open conversation says the same.
    await expect.poll(() => page.getByRole('img', { name: 'Mood: angry, getting worse' }).count(), { timeout: 15_000 }).toBe(2);

    const sidebar = page.getByRole('region', { name: 'Mood over time' });
    const chart = sidebar.getByRole('img', { name: /^Mood over 3 messages, from \w+ to angry/ });
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.locator('circle[data-mood]').count()).toBe(3);
    await sidebar.getByText('Latest:').waitFor();
    await shot('01-angry-badge-and-chart');
  }, 120_000);

  it('puts upset customers first when sorted by mood, and shows a calm customer no badge', async () => {
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Upset customers first' }).click();
    await page.waitForURL(/sort=mood/);
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await expect.poll(async () => (await list.getByRole('link').first().textContent()) ?? '', { timeout: 15_000 }).toContain('Ada Lovelace');
    await shot('02-sorted');

    // More filters → Mood: Upset keeps only Ada's conversation.
    await page.getByRole('button', { name: 'More filters' }).click();
    await page.getByRole('textbox', { name: 'Mood' }).or(page.getByRole('combobox', { name: 'Mood' })).first().click();
    await page.getByRole('option', { name: /^Upset/ }).click();
    await page.waitForURL(/mood=upset/);
    await expect.poll(() => list.getByRole('link').count(), { timeout: 15_000 }).toBe(1);
    expect(await list.getByRole('link').first().textContent()).toContain('Ada Lovelace');
    await shot('02b-filtered');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Remove the mood filter' }).click();
    await expect.poll(() => list.getByRole('link').count(), { timeout: 15_000 }).toBe(2);

    await page.goto(`/inbox/${calm}?sort=mood`);
    const sidebar = page.getByRole('region', { name: 'Mood over time' });
    await sidebar.getByRole('img', { name: /^Mood over one message, happy/ }).waitFor({ timeout: 30_000 });
    // Only Ada's row in the list carries a badge; Grace's header has none.
    expect(await page.getByRole('navigation', { name: 'Conversations' }).getByRole('img', { name: /^Mood:/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Mood:/ }).count()).toBe(1);
    await shot('03-calm');
  }, 120_000);

  it('offers "Customer mood is worse than" in the rule editor', async () => {
    await page.goto('/settings/automation/new');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    const row = page.getByRole('group', { name: 'Condition 1' });
    await row.getByLabel('Field', { exact: true }).click();
    await page.getByRole('option', { name: 'Customer mood' }).click();
    await expect.poll(() => row.getByLabel('Is', { exact: true }).inputValue()).toBe('is worse than');
    expect(await row.getByLabel('Mood', { exact: true }).inputValue()).toBe('Neutral');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    const trend = page.getByRole('group', { name: 'Condition 2' });
    await trend.getByLabel('Field', { exact: true }).click();
    await page.getByRole('option', { name: 'Mood trend' }).click();
    await trend.getByText('Getting worse').waitFor();
    await shot('04-rule-editor');
  }, 120_000);
});

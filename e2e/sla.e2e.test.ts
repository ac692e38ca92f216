// SLAs in the agent app against the real server: Settings → SLA policies explains SLAs when there
// are none; an admin creates a one-minute first-response policy in the editor (a warning after
// the due time is refused at its field); a customer's new conversation shows its countdown in the
// list and the header ("First response due in 1 minute"), and the badge turns red when the breach
// fires, live. Settings → Business hours adds a workspace default schedule, and gives a team hours
// of its own (a closing before the opening is refused at its day first).
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
  await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `sla-${name}.png`) });
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `sla-${name}-phone.png`) });
  await page.setViewportSize(viewport);
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
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
}, 180_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await server?.stop();
});

describe('SLAs in the agent app', () => {
  it('explains SLAs, refuses a warning after the due time, and creates a policy', async () => {
    await page.goto('/settings/profile');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'SLA policies' }).click();
    await page.getByRole('heading', { name: 'SLA policies', level: 1 }).waitFor();
    await page.getByText('No SLA policies yet').waitFor();
    await shot('01-empty');

    await page.getByRole('button', { name: 'Create the first policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'New SLA policy' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Fast lane');
    await dialog.getByRole('textbox', { name: 'First response' }).fill('1');
    await dialog.getByRole('textbox', { name: 'Resolution' }).fill('');
    await dialog.getByText('Minutes before').click();
    await dialog.getByRole('textbox', { name: 'Warn this many minutes before the due time' }).fill('5');
    // The switch sits at the foot of a scrolling dialog: flip it as a click on the input would.
    await dialog.getByRole('switch', { name: /Count business hours only/ }).evaluate((input) => (input as HTMLInputElement).click());
    expect(await dialog.getByRole('switch', { name: /Count business hours only/ }).isChecked()).toBe(false);
    await shot('02-editor');
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await dialog.getByText(/would warn before the clock starts/i).waitFor();

    await dialog.getByText('At a share of the time').click();
    await dialog.getByRole('textbox', { name: 'Warn when this % of the time is used' }).fill('50');
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const table = page.getByRole('table', { name: 'SLA policies' });
    await table.getByText('Fast lane').waitFor();
    await table.getByText('First response: 1 minute').waitFor();
    await shot('03-list');
  }, 120_000);

  it('shows the time left on a new conversation, and turns red when the first response is breached', async () => {
    const res = await owner.call<{ conversation: { id: string } }>('POST', '/conversations', { inbox_id: inboxId, contact: { name: 'Ada Lovelace', email: 'ada@example.com' }, message: { content: 'My parcel is lost' }, idempotency_key: 'sla-e2e-1' });
    expect(res.status).toBe(201);
    const id = res.body.conversation.id;
    await page.goto(`/inbox/${id}`);
    const list = page.getByRole('navigation', { name: 'Conversations' });
    const countdown = page.getByLabel(/^First response due in (1 minute|0 minutes)$/).first();
    await countdown.waitFor({ timeout: 30_000 });
    await expect.poll(() => list.getByLabel(/^First response due in/).count(), { timeout: 10_000 }).toBe(1);
    await shot('04-countdown');

    const overdue = page.locator('[data-sla="breached"]').first();
    await overdue.waitFor({ timeout: 120_000 });
    await page.getByLabel(/^First response overdue by/).first().waitFor();
    await page.getByText('First response SLA breached (policy “Fast lane”)').waitFor({ timeout: 30_000 });
    await shot('05-breached');

    // Replying meets the first response: the badge goes.
    await page.getByRole('textbox', { name: 'Reply' }).fill('We found it!');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-sla="breached"]').first().waitFor({ state: 'detached', timeout: 30_000 });
  }, 240_000);

  it('adds a workspace default schedule in Settings → Business hours', async () => {
    await page.goto('/settings/business-hours');
    await page.getByRole('heading', { name: 'Business hours', level: 1 }).waitFor();
    await page.getByText('No schedules yet').waitFor();
    await page.getByRole('button', { name: 'New schedule' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Office hours');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    await page.getByRole('heading', { name: 'Office hours' }).waitFor();
    await page.getByText('The workspace default: inboxes and teams without hours of their own follow it.').waitFor();
    await page.getByRole('table', { name: 'Schedules of inboxes and teams' }).getByText('Shop app').waitFor();
    await shot('06-business-hours');
  }, 120_000);

  it('gives a team hours of its own in Settings → Business hours', async () => {
    const team = await owner.call<{ id: string }>('POST', '/teams', { name: 'Night shift' });
    expect(team.status).toBe(201);
    await page.goto('/settings/business-hours');
    await page.getByRole('button', { name: 'Set own hours of Night shift' }).click();
    const card = page.getByRole('form', { name: 'Hours of the Night shift team' });
    const none = card.getByRole('switch', { name: 'No hours of its own' });
    await none.waitFor({ state: 'attached' });
    expect(await none.isChecked()).toBe(true);
    // Mantine draws the switch over a hidden checkbox: use it from the keyboard.
    await none.focus();
    await page.keyboard.press('Space');
    await card.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Ber');
    await page.getByRole('option', { name: 'Europe/Berlin' }).click();
    await card.getByLabel('Monday from').fill('22:00');
    await card.getByLabel('Monday to').fill('06:00');
    await card.getByRole('button', { name: 'Save team hours' }).click();
    await card.getByText('Monday: opens at 22:00 but closes at 06:00').waitFor();

    await card.getByLabel('Monday to').fill('00:00');
    await card.getByRole('button', { name: 'Save team hours' }).click();
    await page.getByText('Business hours saved').waitFor();
    await card.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Night shift/ });
    await row.getByText('Team · has its own hours').waitFor();
    const saved = await owner.call<{ teams: Array<{ id: string; own_hours: boolean; business_hours: { time_zone: string; days: Record<string, string[][]> } | null }> }>('GET', '/business-hours/assignments');
    expect(saved.body.teams.find((t) => t.id === team.body.id)).toMatchObject({ own_hours: true, business_hours: { time_zone: 'Europe/Berlin', days: { mon: [['22:00', '24:00']], tue: [['09:00', '17:00']] } } });

    // Opened again, the card shows what was saved.
    await row.getByRole('button', { name: 'Change own hours of Night shift' }).click();
    expect(await card.getByLabel('Monday from').inputValue()).toBe('22:00');
    await card.getByRole('switch', { name: 'No hours of its own' }).waitFor({ state: 'attached' });
    expect(await card.getByRole('switch', { name: 'No hours of its own' }).isChecked()).toBe(false);
    await card.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot('07-team-hours');
  }, 120_000);
});

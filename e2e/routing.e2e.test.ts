// Automatic assignment against the real server: an admin sets a live chat inbox to round robin in
// Settings → Inboxes (a bad answer from the server shows at its field), a visitor writes, and the
// conversation shows its assignee, the line in the thread saying why, and "Why this agent?" in
// the sidebar. Capacity and skills are set from Settings → Users, a team's rule from Settings → Teams.
// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, for a person to look at.
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
let widgetKey = '';
let ownerName = '';

const shot = async (name: string) => {
  if (!process.env.SCREENSHOT_DIR) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `routing-${name}.png`) });
};

/** A visitor opens the chat (their browser says German) and writes. */
async function visitorWrites(content: string): Promise<void> {
  const session = await fetch(`${server.url}/api/v1/widget/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ widget_key: widgetKey, context: { url: 'https://shop.example/bikes', language: 'de-DE' } }),
  });
  expect(session.status).toBe(200);
  const { visitor_token } = (await session.json()) as { visitor_token: string };
  const sent = await fetch(`${server.url}/api/v1/widget/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-visitor-token': visitor_token },
    body: JSON.stringify({ content, client_message_id: `routing-${Date.now()}` }),
  });
  expect(sent.status).toBe(201);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  owner = await apiSession(server);
  const me = await owner.call<{ user: { id: string; name: string } }>('GET', '/me');
  ownerName = me.body.user.name;
  const inbox = await owner.call<{ id: string; widget_key: string }>('POST', '/inboxes', { channel: 'webchat', name: 'Bike shop chat', member_ids: [me.body.user.id] });
  expect(inbox.status).toBe(201);
  ({ id: inboxId, widget_key: widgetKey } = inbox.body);
  const opened = await newPage(browser, server.url);
  page = opened.page;
  closePage = () => opened.context.close();
  await page.setViewportSize({ width: 1440, height: 900 });
  // Signed in with the app open: online, so routing may pick them.
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await server?.stop();
});

describe('routing in the agent app', () => {
  it('sets an inbox to round robin, and a visitor’s chat shows its agent and why', async () => {
    await page.goto(`/settings/inboxes/${inboxId}`);
    await page.getByRole('heading', { name: 'Assignment' }).waitFor();
    const manual = page.getByRole('radio', { name: /Manual/ });
    expect(await manual.isChecked()).toBe(true);
    const save = page.getByRole('button', { name: 'Save assignment' });
    expect(await save.isDisabled()).toBe(true);
    await page.getByRole('radio', { name: /Round robin/ }).check();
    await page.getByRole('switch', { name: /Hand on chats/ }).check();
    await shot('inbox-card');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Assignment' }).scrollIntoViewIfNeeded();
    await shot('inbox-card-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
    await save.click();
    await page.getByText('Assignment saved').waitFor();
    const stored = await owner.call<{ mode: string; hand_on_offline: boolean }>('GET', `/inboxes/${inboxId}/routing`);
    expect(stored.body).toMatchObject({ mode: 'round_robin', hand_on_offline: true });

    // The owner speaks German: their skill matches the visitor's language.
    const me = await owner.call<{ user: { id: string } }>('GET', '/me');
    expect((await owner.call('PUT', `/users/${me.body.user.id}/routing`, { skills: ['lang:de'] })).status).toBe(200);

    await visitorWrites('Hallo, habt ihr das Rad in Größe M?');
    const list = await owner.call<{ data: Array<{ id: string; subject: string | null }> }>('GET', '/conversations');
    const conversation = list.body.data.find((c) => c.subject?.includes('Größe M'));
    expect(conversation).toBeTruthy();
    await page.goto(`/inbox/${conversation!.id}`);
    await page.getByText(`Assigned to ${ownerName} by round robin: 0 of 3 chats; online; skill lang:de`).first().waitFor({ timeout: 15_000 });
    const sidebar = page.getByRole('complementary', { name: 'Customer' });
    const why = sidebar.getByRole('region', { name: 'Why this agent?' });
    await why.getByText(`Round robin picked ${ownerName}`).waitFor();
    await why.getByText('round robin: 0 of 3 chats; online; skill lang:de').waitFor();
    await shot('conversation');

    // A phone: the same reason in the customer drawer.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Customer' }).click();
    await page.getByRole('dialog', { name: 'Customer' }).getByRole('region', { name: 'Why this agent?' }).waitFor();
    await shot('conversation-phone');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('sets a person’s capacity and skills, refusing a bad skill at its field', async () => {
    await page.goto('/settings/users');
    await page.getByRole('button', { name: `Actions for ${ownerName}` }).click();
    await page.getByRole('menuitem', { name: 'Capacity and skills' }).click();
    const dialog = page.getByRole('dialog', { name: `Capacity and skills of ${ownerName}` });
    await dialog.getByRole('textbox', { name: 'Chats' }).fill('2');
    const skills = dialog.getByLabel('Skills', { exact: true });
    await skills.fill('bikes&more');
    await skills.press('Enter');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/"bikes&more" is not a skill/).first().waitFor();
    await shot('user-modal-error');
    // Backspace in the empty field takes the last skill off again.
    await skills.press('Backspace');
    await skills.fill('product:bikes');
    await skills.press('Enter');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Capacity and skills saved').waitFor();
    const me = await owner.call<{ user: { id: string } }>('GET', '/me');
    const stored = await owner.call<{ capacity: { chat: number | null }; skills: string[] }>('GET', `/users/${me.body.user.id}/routing`);
    expect(stored.body.capacity.chat).toBe(2);
    expect(stored.body.skills).toEqual(expect.arrayContaining(['product:bikes']));
    expect(stored.body.skills).not.toContain('bikes&more');
  });

  it('sets the workspace’s default capacity in Settings → Users, and shows a person their own load', async () => {
    await page.goto('/settings/users');
    await page.getByRole('heading', { name: 'Default capacity' }).waitFor();
    const save = page.getByRole('button', { name: 'Save default capacity' });
    expect(await save.isDisabled()).toBe(true);
    const emails = page.getByRole('textbox', { name: 'Emails' });
    expect(await emails.inputValue()).toBe('10');
    // An empty field is refused at the field, before anything is sent.
    await emails.fill('');
    await save.click();
    await page.getByText('Enter a number (0 takes none)').waitFor();
    await emails.fill('4');
    await save.click();
    await page.getByText('Default capacity saved').waitFor();
    await page.getByRole('heading', { name: 'Default capacity' }).scrollIntoViewIfNeeded();
    await shot('default-capacity');
    expect((await owner.call<{ capacity: Record<string, number> }>('GET', '/routing/defaults')).body.capacity).toEqual({ chat: 3, email: 4, messaging: 5, phone: 1 });

    // The chat routed to them earlier, against the 2 chats set on them; emails take the new default.
    await page.getByRole('button', { name: /^Account menu for / }).click();
    const load = page.getByRole('group', { name: 'Your conversations' });
    await load.getByText('1 of 2 chats, 0 of 4 emails, 0 of 5 messages, 0 of 1 calls').waitFor();
    await shot('own-load');
    await page.keyboard.press('Escape');
  });

  it('sets a team’s rule from Settings → Teams', async () => {
    const team = await owner.call<{ id: string }>('POST', '/teams', { name: 'Workshop' });
    expect(team.status).toBe(201);
    await page.goto('/settings/teams');
    await page.getByRole('button', { name: 'Actions for Workshop' }).click();
    await page.getByRole('menuitem', { name: 'Assignment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Assignment for Workshop' });
    await dialog.getByRole('radio', { name: /Least loaded/ }).check();
    await shot('team-modal');
    await dialog.getByRole('button', { name: 'Save assignment' }).click();
    await page.getByText('Team assignment saved').waitFor();
    expect((await owner.call<{ mode: string }>('GET', `/teams/${team.body.id}/routing`)).body.mode).toBe('least_loaded');
  });
});

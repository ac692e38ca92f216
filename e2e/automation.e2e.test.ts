// Automation against the real server: an admin builds a rule in Settings → Automation that tags
// and assigns chats containing "refund"; a visitor writes "refund" and the open conversation shows
// the tag and the assignee live; the rule's run log says what it did. In the reply box, "/" opens
// the canned responses, filtered as one types, and Enter inserts one filled in with the contact's
// name. A macro applies from the conversation's Macros menu. Also the empty states, and each
// screen at desktop and phone width (SCREENSHOT_DIR=/tmp/shots saves them).
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTeammate, apiSession, type ApiSession, type Teammate } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let page: Page;
let closePage: () => Promise<void>;
let sam: Teammate;
let widgetKey = '';
let identitySecret = '';

const shot = async (name: string) => {
  if (!process.env.SCREENSHOT_DIR) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `automation-${name}.png`), fullPage: true });
};
/** The same screen on a phone, then back to desktop. */
const phoneShot = async (name: string) => {
  if (!process.env.SCREENSHOT_DIR) return;
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(`${name}-phone`);
  await page.setViewportSize({ width: 1440, height: 900 });
};

/** A signed-in visitor of the web chat (so the contact has a name) who writes a message. */
async function visitorWrites(token: string | null, content: string, user = { id: `cust-${randomUUID().slice(0, 6)}`, name: 'Ana López', email: 'ana@customer.example' }): Promise<string> {
  let visitorToken = token;
  if (!visitorToken) {
    const hash = createHmac('sha256', identitySecret).update(user.id).digest('hex');
    const session = await fetch(`${server.url}/api/v1/widget/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ widget_key: widgetKey, identity: { ...user, hash } }) });
    expect(session.status).toBe(200);
    visitorToken = ((await session.json()) as { visitor_token: string }).visitor_token;
  }
  const sent = await fetch(`${server.url}/api/v1/widget/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-visitor-token': visitorToken }, body: JSON.stringify({ content, client_message_id: randomUUID() }) });
  expect(sent.status).toBeLessThan(300);
  return visitorToken;
}

/** Picks an option of a Mantine select, found by its label within a row of the editor. */
async function choose(row: string, label: string, option: string) {
  await page.getByRole('group', { name: row }).getByLabel(label, { exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  owner = await apiSession(server);
  const inbox = await owner.call<{ id: string; widget_key: string }>('POST', '/inboxes', { channel: 'webchat', name: 'Website', allowed_origins: ['https://shop.example'] });
  expect(inbox.status).toBe(201);
  widgetKey = inbox.body.widget_key;
  identitySecret = (await owner.call<{ identity_secret: string }>('GET', `/inboxes/${inbox.body.id}`)).body.identity_secret;
  sam = await addTeammate(owner, 'Sam Billing', 'sam@e2e.test');
  const opened = await newPage(browser, server.url);
  page = opened.page;
  closePage = () => opened.context.close();
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
  // The machine may be busy (several suites at once): starting the server takes its time then.
}, 240_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await server?.stop();
});

describe('automation', () => {
  it('builds a rule in the editor that tags and assigns chats containing "refund"; the tag shows live', async () => {
    await page.goto('/settings/automation');
    await page.getByText('No rules yet').waitFor();
    await shot('empty');
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.waitForURL(/\/settings\/automation\/new$/);
    await page.getByLabel('Name').fill('Refunds to billing');
    // A bad rule is refused with the field named (here: no tag to add).
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByRole('alert').getByText(/actions\[0\]\.tags/).waitFor();

    await page.getByRole('button', { name: 'Add a condition' }).click();
    const words = page.getByRole('group', { name: 'Condition 1' }).getByLabel('Words');
    await words.fill('refund');
    await words.press('Enter');
    const tags = page.getByRole('group', { name: 'Action 1' }).getByLabel('Tags');
    await tags.fill('refund');
    await tags.press('Enter');
    await page.getByRole('button', { name: 'Add an action' }).click();
    await choose('Action 2', 'Action', 'Assign to');
    await choose('Action 2', 'Teammate', sam.name);
    await shot('editor');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/settings\/automation\/[0-9a-f-]{36}$/);
    await page.getByText('No runs yet').waitFor();

    // The customer starts a chat; the agent has it open when they ask for a refund.
    const visitor = await visitorWrites(null, 'Hello there');
    await page.goto('/inbox');
    await page.getByText('Hello there').first().click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}/);
    const conversationUrl = page.url();
    const pill = page.locator('.mantine-TagsInput-pill', { hasText: 'refund' });
    expect(await pill.count()).toBe(0);
    await visitorWrites(visitor, 'Can I get a refund for order 42?');
    await pill.waitFor();
    await expect.poll(() => page.getByLabel('Assignee', { exact: true }).first().inputValue(), { timeout: 15_000 }).toBe(sam.name);
    await shot('conversation-tagged');

    // The run log says what the rule did.
    await page.goto('/settings/automation');
    await page.getByRole('table', { name: 'Automation rules' }).getByText('Refunds to billing').waitFor();
    await shot('rules');
    await phoneShot('rules');
    await page.getByRole('link', { name: 'Refunds to billing' }).click();
    const log = page.getByRole('table', { name: 'Run log' });
    await log.getByText('Done').waitFor();
    await log.getByText(/Add tags: added refund/).waitFor();
    // The first message, which the conditions passed over, left no run.
    expect(await log.getByText(/Conditions not met/).count()).toBe(0);
    await shot('rule-detail');
    await phoneShot('rule-detail');
    expect(conversationUrl).toContain('/inbox/');
  });

  it('inserts a canned response with the contact’s name from the "/" picker', async () => {
    await page.goto('/settings/canned-responses');
    await page.getByText('No canned responses yet').waitFor();
    await page.getByRole('button', { name: 'New response' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Shortcut').fill('thanks');
    await dialog.getByLabel('Title').fill('Thank you');
    await dialog.getByLabel('Response').fill('Thanks {{contact.first_name}}, {{agent.name}} is on it.');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('table', { name: 'Canned responses' }).getByText('/thanks').waitFor();
    await shot('canned');
    await phoneShot('canned');

    const list = await owner.call<{ data: Array<{ id: string; contact: { name: string } }> }>('GET', '/conversations');
    const conversation = list.body.data.find((c) => c.contact.name === 'Ana López')!;
    await page.goto(`/inbox/${conversation.id}`);
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('/th');
    const picker = page.getByRole('listbox', { name: 'Insert a canned response' });
    await picker.getByText('Thank you').waitFor();
    await shot('picker');
    await reply.press('Enter');
    expect(await reply.inputValue()).toBe(`Thanks Ana, ${await ownerName()} is on it.`);
    // Esc closes the list without sending; an unknown shortcut says so.
    await reply.fill('/nothing-like-this');
    await page.getByText('No canned response matches /nothing-like-this').waitFor();
    await reply.press('Escape');
    expect(await page.getByText('No canned response matches').count()).toBe(0);
  });

  it('applies a macro from the conversation’s Macros menu', async () => {
    const made = await owner.call('POST', '/macros', { name: 'Escalate', shared: true, actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'add_tags', tags: ['escalated'] }] });
    expect(made.status).toBe(201);
    await page.goto('/settings/macros');
    await page.getByRole('table', { name: 'Macros' }).getByText('Escalate').waitFor();
    await shot('macros');
    await phoneShot('macros');
    const list = await owner.call<{ data: Array<{ id: string; contact: { name: string } }> }>('GET', '/conversations');
    const conversation = list.body.data.find((c) => c.contact.name === 'Ana López')!;
    await page.goto(`/inbox/${conversation.id}`);
    await page.getByRole('textbox', { name: 'Reply' }).waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('m');
    await page.getByRole('menuitem', { name: 'Escalate' }).waitFor();
    await shot('macro-menu');
    await page.getByRole('menuitem', { name: 'Escalate' }).click();
    await page.locator('.mantine-TagsInput-pill', { hasText: 'escalated' }).waitFor();
    const after = await owner.call<{ priority: string; tags: string[] }>('GET', `/conversations/${conversation.id}`);
    expect(after.body).toMatchObject({ priority: 'urgent', tags: expect.arrayContaining(['refund', 'escalated']) });
    await phoneShot('conversation');
  });

  it('the audit log says who created the rule, the canned response and the macro', async () => {
    await page.goto('/settings/audit-log');
    const log = page.getByRole('table', { name: 'Audit log' });
    for (const [action, target] of [
      ['Created an automation rule', 'Refunds to billing'],
      ['Created a canned response', 'Thank you'],
      ['Created a macro', 'Escalate'],
    ])
      await log.getByRole('row').filter({ hasText: action }).filter({ hasText: target }).first().waitFor();
    await shot('audit-log');
    await phoneShot('audit-log');
  });
});

async function ownerName(): Promise<string> {
  return (await owner.call<{ user: { name: string } }>('GET', '/me')).body.user.name;
}

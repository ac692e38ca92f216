// One customer across channels, in Chromium: the sidebar suggests a likely duplicate contact and
// the agent merges it, and "Continue by email" moves a chat to the email inbox — or says why not.
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, conversationWith, type ApiSession } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startDemoServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;

// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, for a person to look at.
const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `${name}.png`) });
};

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  owner = await apiSession(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Inbox {
  id: string;
  channel: string;
  widget_key: string | null;
  identity_secret?: string;
}

/**
 * A visitor of the demo's website chat who writes once; with `user`, one the site signed in (a
 * verified identity, which makes a contact of its own). Answers the new conversation's id.
 */
async function chatVisitor(subject: string, user?: { id: string; name: string; email: string }): Promise<string> {
  const inboxes = await owner.call<{ data: Inbox[] }>('GET', '/inboxes');
  const chat = inboxes.body.data.find((i) => i.channel === 'webchat' && i.widget_key)!;
  const { body: detail } = await owner.call<Inbox>('GET', `/inboxes/${chat.id}`);
  const identity = user && { ...user, hash: createHmac('sha256', detail.identity_secret!).update(user.id).digest('hex') };
  const session = await fetch(`${server.url}/api/v1/widget/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ widget_key: chat.widget_key, context: { url: 'https://shop.example/orders' }, ...(identity ? { identity } : {}) }),
  });
  expect(session.status).toBe(200);
  const { visitor_token } = (await session.json()) as { visitor_token: string };
  const sent = await fetch(`${server.url}/api/v1/widget/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-visitor-token': visitor_token },
    body: JSON.stringify({ content: subject, client_message_id: randomUUID() }),
  });
  expect(sent.status).toBeLessThan(300);
  const list = await owner.call<{ data: Array<{ id: string; subject: string | null }> }>('GET', '/conversations?limit=100');
  const conversation = list.body.data.find((c) => c.subject === subject);
  expect(conversation).toBeTruthy();
  return conversation!.id;
}

/** Signed in as the demo's owner, on a screen wide enough for the customer sidebar (xl, 1408 px). */
async function ownerPage() {
  const opened = await newPage(browser, server.url);
  await opened.page.setViewportSize({ width: 1440, height: 900 });
  await signIn(opened.page, server.owner.email, server.owner.password);
  await opened.page.waitForURL(/\/inbox$/);
  return opened;
}

describe('one customer across channels', () => {
  let movedChat: string;

  it('suggests a likely duplicate in the sidebar, and merging it brings its conversation over', async () => {
    const natalieChat = await conversationWith(owner, 'Natalie Brooks');
    const { body: natalie } = await owner.call<{ contact: { id: string } }>('GET', `/conversations/${natalieChat}`);
    // Natalie signs in on the shop and writes again: the site's verified identity makes a second contact.
    movedChat = await chatVisitor('Has my order of the size 39 trail runners shipped?', { id: 'shop-user-3917', name: 'Natalie Brooks', email: 'natalie.brooks@example.com' });
    const { body: second } = await owner.call<{ contact: { id: string } }>('GET', `/conversations/${movedChat}`);
    expect(second.contact.id).not.toBe(natalie.contact.id);

    const { context, page } = await ownerPage();
    await page.goto(`/inbox/${natalieChat}`);
    const sidebar = page.getByRole('complementary', { name: 'Customer' });
    const duplicates = sidebar.getByRole('region', { name: 'Possible duplicates' });
    const candidate = duplicates.getByRole('listitem', { name: 'Natalie Brooks' });
    await candidate.getByText('Same email address · same name').waitFor();
    await candidate.getByText('natalie.brooks@example.com').waitFor();
    await sidebar.getByRole('region', { name: 'Other conversations' }).getByText('No other conversations with this customer.').waitFor();
    await shot(page, 'merge-01-suggested');

    // From the keyboard: the button opens the confirmation, which says what will happen.
    await candidate.getByRole('button', { name: 'Merge into this customer' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Merge into Natalie Brooks?' });
    await dialog
      .getByText('Their conversation, messages, files and identities move to Natalie Brooks; the other record (Natalie Brooks, natalie.brooks@example.com) is deleted. This cannot be undone.')
      .waitFor();
    await shot(page, 'merge-02-confirm');
    await dialog.getByRole('button', { name: 'Merge' }).click();

    await page.getByRole('alert').filter({ hasText: 'Contacts merged' }).waitFor();
    await expect.poll(() => duplicates.count()).toBe(0);
    const others = sidebar.getByRole('navigation', { name: 'Other conversations with this customer' });
    await others.getByRole('link', { name: /Has my order of the size 39 trail runners shipped\?/ }).waitFor();
    await shot(page, 'merge-03-merged');

    expect((await owner.call('GET', `/contacts/${second.contact.id}`)).status).toBe(404);
    const { body: moved } = await owner.call<{ contact: { id: string } }>('GET', `/conversations/${movedChat}`);
    expect(moved.contact.id).toBe(natalie.contact.id);
    await context.close();
  });

  it('shows a contact corrected elsewhere in the open sidebar at once', async () => {
    const chat = await conversationWith(owner, 'Natalie Brooks');
    const { body } = await owner.call<{ contact: { id: string } }>('GET', `/conversations/${chat}`);
    const { context, page } = await ownerPage();
    await page.goto(`/inbox/${chat}`);
    const sidebar = page.getByRole('complementary', { name: 'Customer' });
    await sidebar.getByText('Natalie Brooks').first().waitFor();
    // A teammate (or an integration) corrects the company; nobody reloads this page.
    const patched = await owner.call('PATCH', `/contacts/${body.contact.id}`, { company: 'Trailhead Outfitters' });
    expect(patched.status).toBe(200);
    await sidebar.getByText('Trailhead Outfitters').waitFor();
    await shot(page, 'contact-updated-live');
    await context.close();
  });

  it('“Continue by email” says why not when the customer has no email address', async () => {
    const anonymous = await chatVisitor('Hello? Is anyone there?');
    const { context, page } = await ownerPage();
    await page.goto(`/inbox/${anonymous}`);
    await page.getByRole('button', { name: 'Continue by email' }).click();
    await page.getByRole('menuitem', { name: /Support email/ }).click();
    await page.getByRole('alert').filter({ hasText: 'This customer has no email address to continue by email; add one to the contact first.' }).waitFor();
    await shot(page, 'move-01-no-email');
    // Nothing moved: still a chat, and the button stays to try again once there is an address.
    const { body } = await owner.call<{ channel: string }>('GET', `/conversations/${anonymous}`);
    expect(body.channel).toBe('webchat');
    await page.getByRole('button', { name: 'Continue by email' }).waitFor();
    await context.close();
  });

  it('“Continue by email” moves a chat to the email inbox, and the thread says who moved it', async () => {
    const { context, page } = await ownerPage();
    await page.goto(`/inbox/${movedChat}`);
    await page.getByRole('button', { name: 'Continue by email' }).click();
    await page.getByRole('menuitem', { name: /Support email/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Moved to Support email: replies now go by email to natalie.brooks@example.com' }).waitFor();
    await page.getByRole('list', { name: 'Messages' }).getByText(/moved the conversation from Website chat to Support email/).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Continue by email' }).count()).toBe(0);
    await shot(page, 'move-02-moved');
    const { body } = await owner.call<{ channel: string; inbox: { name: string } }>('GET', `/conversations/${movedChat}`);
    expect(body).toMatchObject({ channel: 'email', inbox: { name: 'Support email' } });
    await context.close();
  });
});

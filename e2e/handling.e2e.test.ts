// Conversation handling in Chromium against the real server: an agent merges a customer's second
// conversation into the first from the conversation's menu (the merged one then opens the
// target), splits a message out into a new conversation from the message's menu, and a
// teammate's bell counts a notification the moment a conversation is assigned to them, lists it
// and opens the conversation from it. Notification settings live in Profile.
// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, for a person to look at.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTeammate, agentPage, apiSession, type ApiSession, type Teammate } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let inboxId = '';
let teammate: Teammate;

const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `handling-${name}.png`) });
};

/** A customer's conversation through the API inbox; answers its id. */
async function customerConversation(email: string, content: string): Promise<string> {
  const res = await owner.call<{ conversation: { id: string } }>('POST', '/conversations', { inbox_id: inboxId, contact: { email, name: 'Rosa Diaz' }, message: { content }, idempotency_key: randomUUID() });
  expect(res.status).toBe(201);
  return res.body.conversation.id;
}

beforeAll(async () => {
  server = await startServer(undefined, { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'localhost' });
  browser = await launchBrowser();
  owner = await apiSession(server);
  const inbox = await owner.call<{ id: string }>('POST', '/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://localhost:9/replies' });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  teammate = await addTeammate(owner, 'Terry Jeffords', 'terry@e2e.test');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('conversation handling', () => {
  it('merges a conversation into another from the menu, and the merged one opens the target', async () => {
    const target = await customerConversation('rosa@customer.example', 'My parcel has not arrived');
    const source = await customerConversation('rosa@customer.example', 'Also, the invoice is wrong');
    const { page, context } = await newPage(browser, server.url);
    try {
      await signIn(page, server.owner.email, server.owner.password);
      await page.waitForURL(/\/inbox$/);
      await page.goto(`/inbox/${target}`);
      await page.getByRole('button', { name: 'More conversation actions' }).click();
      await page.getByRole('menuitem', { name: 'Merge…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Merge a conversation into this one' });
      await dialog.getByLabel('Search conversations').fill('invoice');
      await dialog.getByRole('radio', { name: /Also, the invoice is wrong/ }).check();
      await shot(page, 'merge-modal');
      await dialog.getByRole('button', { name: 'Merge into this conversation' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 30_000 });
      // The moved message follows the history line in the thread.
      await page.getByText(/merged “Also, the invoice is wrong”/).waitFor();
      await page.locator('li[data-kind="text"]', { hasText: 'Also, the invoice is wrong' }).waitFor();
      await shot(page, 'merged-thread');
      const merged = await owner.call<{ merged_into_id: string | null; status: string }>('GET', `/conversations/${source}`);
      expect(merged.body).toMatchObject({ merged_into_id: target, status: 'resolved' });
      // The merged conversation's address opens the target.
      await page.goto(`/inbox/${source}`);
      await page.waitForURL(new RegExp(`/inbox/${target}`));

      // Split the second message back out, from its own menu.
      await page.getByRole('button', { name: 'Message actions' }).last().click();
      await page.getByRole('menuitem', { name: 'Split from here…' }).click();
      const split = page.getByRole('dialog', { name: 'Split into a new conversation' });
      await split.getByRole('radio', { name: 'Only this message' }).check();
      await split.getByRole('button', { name: 'Split' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/inbox/') && !url.pathname.endsWith(target));
      await page.getByText(/split this out of/).waitFor();
      await page.setViewportSize({ width: 390, height: 780 });
      await page.getByRole('button', { name: 'More conversation actions' }).click();
      await shot(page, 'menu-phone');
      await page.keyboard.press('Escape');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('counts a notification on the teammate’s bell the moment they are assigned, and opens the conversation from it', async () => {
    const conversation = await customerConversation('gina@customer.example', 'Where do I change my address?');
    const { page, context } = await agentPage(browser, server, teammate.email, teammate.password);
    try {
      const bell = page.getByRole('button', { name: /^Notifications/ });
      await bell.waitFor();
      expect(await bell.getAttribute('aria-label')).toBe('Notifications');
      await bell.click();
      await page.getByText('Nothing new').waitFor();
      await shot(page, 'bell-empty');
      await page.keyboard.press('Escape');

      const assigned = await owner.call('PATCH', `/conversations/${conversation}`, { assignee_id: teammate.id });
      expect(assigned.status).toBe(200);
      await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 15_000 }).toBe('Notifications, 1 unread');
      // It also pops up as a notice, with a link; closed, it uncovers the bell.
      const notice = page.locator('.mantine-Notification-root', { hasText: 'assigned you a conversation' });
      await notice.getByRole('link', { name: 'Open the conversation' }).waitFor();
      await notice.locator('.mantine-Notification-closeButton').click();
      await notice.waitFor({ state: 'detached' });
      await bell.click();
      const panel = page.getByRole('dialog', { name: 'Notifications' });
      const item = panel.getByRole('button', { name: /Unread: .*assigned you a conversation/ });
      await item.waitFor();
      await shot(page, 'bell-panel');
      await page.setViewportSize({ width: 390, height: 780 });
      await shot(page, 'bell-panel-phone');
      await page.setViewportSize({ width: 1280, height: 800 });
      await item.click();
      await page.waitForURL(new RegExp(`/inbox/${conversation}`));
      await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 15_000 }).toBe('Notifications');

      // Settings → Profile: what to get in the app and by email (email is off on this server, and it says so).
      await page.goto('/settings/profile');
      await page.getByText('Email notifications are off on this server').waitFor();
      const row = page.getByRole('checkbox', { name: 'New messages in conversations I follow or am assigned to: in the app' });
      await row.uncheck();
      await page.getByText('Notification settings saved').waitFor();
      await shot(page, 'preferences');
      const prefs = await (await apiSession(server, teammate.email, teammate.password)).call<{ preferences: Array<{ kind: string; in_app: boolean }> }>('GET', '/me/notification-preferences');
      expect(prefs.body.preferences.find((p) => p.kind === 'message')?.in_app).toBe(false);
    } finally {
      await context.close();
    }
  }, 120_000);
});

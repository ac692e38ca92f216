// Inboxes in Settings and working a conversation in the inbox, on the demo workspace.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage as openPage, signIn } from './browser.js';
import { startDemoServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(): Promise<Awaited<ReturnType<typeof openPage>>> {
  const opened = await openPage(browser, server.url);
  await signIn(opened.page, server.owner.email, server.owner.password);
  await opened.page.waitForURL(/\/inbox$/);
  return opened;
}

const bubbleBackground = (page: Page, name: string) =>
  page
    .getByRole('listitem', { name })
    .last()
    .locator('[data-direction]')
    .evaluate((el) => getComputedStyle(el).backgroundColor);

describe('inboxes', () => {
  it('an admin creates a live chat inbox, sees the server’s verdict on each origin, and copies the snippet', async () => {
    const { context, page } = await signedIn();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Inboxes' }).click();
    await page.getByRole('heading', { name: 'Inboxes' }).waitFor();
    await page.getByRole('row', { name: /Website chat/ }).waitFor();

    await page.getByRole('button', { name: 'New inbox' }).click();
    // First the channel: live chat is the default choice.
    await page.getByRole('dialog', { name: 'New inbox' }).getByRole('radio', { name: 'Live chat' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    const dialog = page.getByRole('dialog', { name: 'New live chat inbox' });
    await dialog.getByLabel('Name').fill('Shop chat');
    const origins = dialog.getByLabel('Allowed origins');
    for (const origin of ['https://shop.example', 'ftp://files.example']) {
      await origins.fill(origin);
      await origins.press('Enter');
    }
    await dialog.getByLabel('Greeting').fill('Hi! How can we help?');
    await dialog.getByRole('button', { name: 'Create inbox' }).click();
    // The server refuses the second origin; the form says which one, beside the field.
    await dialog.getByText('“ftp://files.example” is not an origin like https://shop.example').waitFor();
    expect(await origins.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Remove ftp://files.example' }).click();
    await dialog.getByRole('button', { name: 'Create inbox' }).click();

    await page.waitForURL(/\/settings\/inboxes\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Shop chat' }).waitFor();
    const snippet = (await page.getByTestId('snippet').textContent()) ?? '';
    expect(snippet).toMatch(/^<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-inbox="wk_[\w-]+" async><\/script>$/);
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    expect(await page.getByRole('textbox', { name: 'Widget key' }).inputValue()).toBe(/data-inbox="([^"]+)"/.exec(snippet)?.[1]);

    // The identity secret stays hidden until revealed.
    const secret = page.getByRole('textbox', { name: 'Identity secret' });
    expect(await secret.inputValue()).toMatch(/^•+$/);
    await page.getByRole('button', { name: 'Reveal' }).click();
    expect(await secret.inputValue()).toMatch(/^[\w-]{30,}$/);
    await page.getByText(/HMAC-SHA256/).first().waitFor();

    await page.getByRole('link', { name: 'All inboxes' }).click();
    await page.getByRole('row', { name: /Shop chat.*Live chat/ }).waitFor();

    // Deleting asks first, and says the conversations go too.
    await page.getByRole('button', { name: 'Actions for Shop chat' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete inbox' });
    await confirm.getByText(/every conversation in it/).waitFor();
    await confirm.getByRole('button', { name: 'Delete inbox' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('row', { name: /Shop chat/ }).count()).toBe(0);
    await context.close();
  });
});

describe('working a conversation', () => {
  it('replies, adds a private note, assigns, resolves, and finds it under Mine', async () => {
    const { page, context } = await signedIn();
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await list.getByRole('link', { name: /Natalie Brooks/ }).click();
    await page.getByRole('heading', { name: 'Are the trail runners back in size 39?' }).waitFor();

    // A reply: Shift+Enter starts a new line, Enter sends.
    const composer = page.getByRole('form', { name: 'Write a message' });
    const reply = composer.getByRole('textbox', { name: 'Reply' });
    await reply.click();
    await page.keyboard.type('Good news, Natalie!');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Your loyalty discount applies.');
    await page.keyboard.press('Enter');
    const sent = page.getByRole('listitem', { name: 'Message from Ava Martin' }).filter({ hasText: 'Your loyalty discount applies.' });
    await sent.waitFor();
    expect(await sent.locator('[data-direction]').innerText()).toBe('Good news, Natalie!\nYour loyalty discount applies.');
    expect(await reply.inputValue()).toBe('');

    // A private note looks different before and after it is sent.
    await composer.getByText('Private note', { exact: true }).click();
    const note = composer.getByRole('textbox', { name: 'Private note' });
    expect(await note.getAttribute('placeholder')).toBe('Only your team sees notes');
    await note.fill('She has loyalty code NW-39.');
    await note.press('Enter');
    const noted = page.getByRole('listitem', { name: 'Private note by Ava Martin' });
    await noted.filter({ hasText: 'She has loyalty code NW-39.' }).waitFor();
    await noted.getByText('Private note', { exact: true }).waitFor();
    expect(await bubbleBackground(page, 'Private note by Ava Martin')).not.toBe(await bubbleBackground(page, 'Message from Ava Martin'));

    // Assign to me, then resolve: each change shows as an event line in the thread.
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText('Ava Martin assigned the conversation to themselves').waitFor();
    expect(await page.getByRole('combobox', { name: 'Assignee' }).inputValue()).toBe('Ava Martin (you)');
    await page.getByRole('button', { name: 'Resolved' }).click();
    await page.getByText('Ava Martin resolved the conversation').waitFor();
    expect(await page.getByRole('button', { name: 'Resolved' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('li[data-kind="system"]').count()).toBe(2);

    // Mine: filtered by the server, kept in the address so a reload keeps it.
    await page.getByRole('radiogroup', { name: 'Assigned to' }).getByText('Mine', { exact: true }).click();
    await page.waitForURL(/assignee=me/);
    await list.getByRole('link', { name: /Natalie Brooks/ }).waitFor();
    await expect.poll(() => list.getByRole('link', { name: /Tom Okafor/ }).count()).toBe(0);
    await page.reload();
    await list.getByRole('link', { name: /Natalie Brooks/ }).waitFor();
    expect(await list.getByRole('link', { name: /Tom Okafor/ }).count()).toBe(0);
    expect(await page.getByRole('radio', { name: 'Mine' }).isChecked()).toBe(true);
    await context.close();
  });

  it('suggests the tags already in use when tagging another conversation', async () => {
    const { page, context } = await signedIn();
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await list.getByRole('link', { name: /Tom Okafor/ }).click();
    await page.getByRole('heading', { name: 'Order 55812 arrived damaged' }).waitFor();
    const tags = page.getByRole('combobox', { name: 'Tags' });
    await tags.fill('damaged-goods');
    await tags.press('Enter');
    await expect.poll(async () => (await fetchTags()).get('damaged-goods')).toBe(1);

    await list.getByRole('link', { name: /Marcus Webb/ }).click();
    await page.getByRole('heading', { name: 'Invoice #20931 charged twice' }).waitFor();
    await page.getByRole('combobox', { name: 'Tags' }).fill('dam');
    await page.getByRole('option', { name: 'damaged-goods' }).click();
    // Picked from the suggestions: now on both conversations.
    await expect.poll(async () => (await fetchTags()).get('damaged-goods')).toBe(2);
    await context.close();

    async function fetchTags(): Promise<Map<string, number>> {
      const res = await page.request.get(`${server.url}/api/v1/tags`);
      return new Map(((await res.json()) as { data: Array<{ name: string; count: number }> }).data.map((t) => [t.name, t.count]));
    }
  });

  it('keyboard shortcuts move through the list, focus the composer and list themselves', async () => {
    const { page, context } = await signedIn();
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await list.getByRole('link').first().waitFor();
    const selected = () => list.locator('[aria-current="page"]').getAttribute('data-conversation-id');
    const ids = await list.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('data-conversation-id')));
    await page.keyboard.press('j');
    await expect.poll(selected).toBe(ids[0]);
    await page.keyboard.press('j');
    await expect.poll(selected).toBe(ids[1]);
    await page.keyboard.press('k');
    await expect.poll(selected).toBe(ids[0]);
    const first = page.url();
    expect(first).toContain(`/inbox/${ids[0]}`);

    await page.keyboard.press('n');
    const note = page.getByRole('textbox', { name: 'Private note' });
    await note.waitFor();
    expect(await note.evaluate((el) => el === document.activeElement)).toBe(true);
    // Typing in a field is never taken for a shortcut.
    await page.keyboard.type('jk?');
    expect(await note.inputValue()).toBe('jk?');
    expect(page.url()).toBe(first);
    await note.fill('');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Resolve the conversation').waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('a failed send keeps the text, shows the server’s message, and the retry reuses the message id', async () => {
    const { page, context } = await signedIn();
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Yuki Tanaka/ }).click();
    const ids: string[] = [];
    let failNext = true;
    await page.route('**/api/v1/conversations/*/messages', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      ids.push((route.request().postDataJSON() as { client_message_id: string }).client_message_id);
      if (!failNext) return route.continue();
      failNext = false;
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_ready', message: 'The server is not ready yet.' } }) });
    });
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('We are looking into a subscription.');
    await reply.press('Enter');
    await page.getByText('The server is not ready yet.').waitFor();
    expect(await reply.inputValue()).toBe('We are looking into a subscription.');
    expect(await reply.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('listitem', { name: 'Message from Ava Martin' }).filter({ hasText: 'We are looking into a subscription.' }).waitFor();
    expect(await reply.inputValue()).toBe('');
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    await context.close();
  });
});

describe('an agent', () => {
  it('sees only the inboxes they work in, read-only, without the identity secret', async () => {
    const owner = await signedIn();
    const headers = { origin: server.url };
    const agent = await owner.context.request.post('/api/v1/users', { headers, data: { name: 'Ada Agent', email: 'ada@e2e.test', password: 'agent-password-1', role: 'agent' } });
    expect(agent.status()).toBe(201);
    const agentId = ((await agent.json()) as { id: string }).id;
    const inboxes = (await (await owner.context.request.get('/api/v1/inboxes')).json()) as { data: { id: string; name: string; member_ids: string[] }[] };
    const chat = inboxes.data.find((i) => i.name === 'Website chat')!;
    const patched = await owner.context.request.patch(`/api/v1/inboxes/${chat.id}`, { headers, data: { member_ids: [...chat.member_ids, agentId] } });
    expect(patched.status()).toBe(200);
    await owner.context.close();

    const { page, context } = await openPage(browser, server.url);
    await signIn(page, 'ada@e2e.test', 'agent-password-1');
    await page.waitForURL(/\/inbox$/);
    await page.goto('/settings/inboxes');
    await page.getByRole('heading', { name: 'Inboxes' }).waitFor();
    await page.getByRole('link', { name: 'Website chat' }).click();
    await page.getByRole('heading', { name: 'Website chat' }).waitFor();
    await page.getByText('Only admins can change an inbox.').waitFor();
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await page.getByText('Identity verification').count()).toBe(0);
    await page.getByRole('link', { name: 'All inboxes' }).click();
    await page.getByRole('row', { name: /Website chat/ }).waitFor();
    expect(await page.getByRole('row', { name: /Support email/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New inbox' }).count()).toBe(0);
    await context.close();
  });
});

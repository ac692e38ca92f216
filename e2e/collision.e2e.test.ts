// Two agents at once: who is viewing and typing, @mentions in notes, and presence, on the demo workspace.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTeammate, agentPage, apiSession, conversationWith, type ApiSession, type Teammate } from './agents.js';
import { launchBrowser } from './browser.js';
import { startDemoServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let sam: Teammate;
const OWNER = 'Ava Martin';

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  owner = await apiSession(server);
  sam = await addTeammate(owner, 'Sam Carter', 'sam.carter@example.com');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Ava (the owner) and Sam, each in their own browser, both on the same conversation. */
async function bothOn(customer: string): Promise<{ ava: Page; samPage: Page; contexts: BrowserContext[]; id: string }> {
  const id = await conversationWith(owner, customer);
  const a = await agentPage(browser, server, server.owner.email, server.owner.password);
  const s = await agentPage(browser, server, sam.email, sam.password);
  for (const page of [a.page, s.page]) {
    await page.getByText('Live', { exact: true }).waitFor();
    await page.goto(`/inbox/${id}`);
    await page.getByRole('form', { name: 'Write a message' }).waitFor();
  }
  return { ava: a.page, samPage: s.page, contexts: [a.context, s.context], id };
}

const indicator = (page: Page) => page.getByRole('status').filter({ hasText: /viewing|typing/ });

describe('collision warnings', () => {
  it('each agent sees the other viewing and typing, and the typing stops when the text is cleared', async () => {
    const { ava, samPage, contexts } = await bothOn('Natalie Brooks');
    await indicator(ava).getByText('Sam Carter is viewing').waitFor();
    await indicator(samPage).getByText(`${OWNER} is viewing`).waitFor();
    expect(await indicator(ava).getAttribute('aria-live')).toBe('polite');

    await ava.getByRole('textbox', { name: 'Reply' }).fill('Let me check the stock');
    await indicator(samPage).getByText(`${OWNER} is typing…`).waitFor();
    // Never yourself.
    expect(await ava.getByText(`${OWNER} is typing…`).count()).toBe(0);
    await ava.getByRole('textbox', { name: 'Reply' }).fill('');
    await samPage.getByText(`${OWNER} is typing…`).waitFor({ state: 'detached' });

    await samPage.getByRole('form', { name: 'Write a message' }).getByText('Private note', { exact: true }).click();
    await samPage.getByRole('textbox', { name: 'Private note' }).fill('I think we have some');
    await indicator(ava).getByText('Sam Carter is typing a note…').waitFor();

    // Leaving the conversation ends "viewing" at once.
    await samPage.getByRole('link', { name: /Marcus Webb/ }).first().click();
    await ava.getByText('Sam Carter is viewing').waitFor({ state: 'detached' });
    for (const context of contexts) await context.close();
  });

  it('mentioning a teammate in a note notifies them, with a link to the conversation', async () => {
    const { ava, samPage, contexts, id } = await bothOn('Yuki Tanaka');
    await samPage.goto('/inbox');
    await ava.getByRole('form', { name: 'Write a message' }).getByText('Private note', { exact: true }).click();
    const note = ava.getByRole('textbox', { name: 'Private note' });
    await note.pressSequentially('@Sa');
    const list = ava.getByRole('listbox', { name: 'Mention a teammate' });
    await list.waitFor();
    // Arrow keys move through the suggestions, Enter picks one.
    const options = list.getByRole('option');
    const names = await options.allTextContents();
    const samAt = names.findIndex((n) => n.includes('Sam Carter'));
    expect(samAt).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < samAt; i++) await note.press('ArrowDown');
    expect(await options.nth(samAt).getAttribute('aria-selected')).toBe('true');
    await note.press('Enter');
    await list.waitFor({ state: 'detached' });
    await note.pressSequentially('could you look at this?');
    expect(await note.inputValue()).toBe('@Sam Carter could you look at this?');

    const sent = ava.waitForResponse((r) => r.url().endsWith(`/conversations/${id}/messages`) && r.request().method() === 'POST');
    await note.press('Enter');
    const response = await sent;
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toMatchObject({ private: true, mentions: [sam.id] });

    const notice = samPage.getByRole('alert').filter({ hasText: `${OWNER} mentioned you` });
    await notice.waitFor();
    // The notice names the conversation in its title and links to it.
    await notice.getByText('Idea: a repair-kit subscription', { exact: false }).waitFor();
    await notice.getByRole('link', { name: 'Open the conversation' }).click();
    await samPage.waitForURL(new RegExp(`/inbox/${id}$`));
    await samPage.getByText('@Sam Carter could you look at this?').waitFor();
    for (const context of contexts) await context.close();
  });

  it("an agent's status change shows on the other agent's assignee picker", async () => {
    const { ava, samPage, contexts } = await bothOn('Priya Patel');
    const assignee = ava.getByRole('combobox', { name: 'Assignee' });
    await assignee.click();
    await ava.getByRole('option', { name: 'Sam Carter (Online)' }).waitFor();
    await ava.keyboard.press('Escape');

    await samPage.getByRole('button', { name: /Account menu/ }).click();
    await samPage.getByRole('menuitem', { name: 'Away' }).click();
    await samPage.getByRole('button', { name: /Account menu/ }).getByText('Admin · Away').waitFor();

    await assignee.click();
    await ava.getByRole('option', { name: 'Sam Carter (Away)' }).waitFor();
    await ava.keyboard.press('Escape');

    // Closing the app makes Sam offline for the others.
    await contexts[1].close();
    await assignee.click();
    await ava.getByRole('option', { name: 'Sam Carter (Offline)' }).waitFor();
    await contexts[0].close();
  });

  it('an agent idle for five minutes turns away, and online again at the next keystroke', async () => {
    const id = await conversationWith(owner, 'Priya Patel');
    // Sam chose "Away" in the test before: back to online.
    expect((await (await apiSession(server, sam.email, sam.password)).call('PUT', '/me/presence', { status: 'online' })).status).toBe(200);
    const a = await agentPage(browser, server, server.owner.email, server.owner.password);
    const s = await agentPage(browser, server, sam.email, sam.password);
    // Sam's clock is under the test's control (installed before the app loads).
    await s.page.clock.install();
    await s.page.reload();
    await s.page.getByText('Live', { exact: true }).waitFor();
    await a.page.goto(`/inbox/${id}`);
    const assignee = a.page.getByRole('combobox', { name: 'Assignee' });
    await assignee.click();
    await a.page.getByRole('option', { name: 'Sam Carter (Online)' }).waitFor();
    await a.page.keyboard.press('Escape');

    await s.page.clock.fastForward('05:30');
    await s.page.getByRole('button', { name: /Account menu/ }).getByText('Admin · Away').waitFor();
    await assignee.click();
    await a.page.getByRole('option', { name: 'Sam Carter (Away)' }).waitFor();
    await a.page.keyboard.press('Escape');

    await s.page.keyboard.press('Shift');
    await s.page.getByRole('button', { name: /Account menu/ }).getByText('Admin · Online').waitFor();
    await assignee.click();
    await a.page.getByRole('option', { name: 'Sam Carter (Online)' }).waitFor();
    await a.context.close();
    await s.context.close();
  });
});

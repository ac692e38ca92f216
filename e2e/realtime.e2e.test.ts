// Live updates in the agent app: what a teammate writes appears without a reload.
import type { Browser } from 'playwright-core';
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

describe('realtime inbox', () => {
  it("shows a teammate's reply and status change live, and says it is live", async () => {
    const { context, page } = await openPage(browser, server.url);
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox/);
    await expect.poll(() => page.getByText('Live', { exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByRole('link', { name: /Natalie Brooks/ }).first().click();
    await page.getByText('Can I still use my loyalty discount on them?').waitFor();

    // A teammate (another session, through the API) answers and resolves.
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ email: server.owner.email, password: server.owner.password }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const conversations = (await (await fetch(`${server.url}/api/v1/conversations?limit=100`, { headers: { cookie } })).json()) as { data: Array<{ id: string; contact: { name: string } }> };
    const natalie = conversations.data.find((c) => c.contact.name === 'Natalie Brooks')!;
    const headers = { cookie, origin: server.url, 'content-type': 'application/json' };
    const reply = await fetch(`${server.url}/api/v1/conversations/${natalie.id}/messages`, { method: 'POST', headers, body: JSON.stringify({ content: 'Yes, the discount applies to them too.' }) });
    expect(reply.status).toBe(201);
    // In the open thread (the conversation list's preview shows it too).
    await page.getByRole('list', { name: 'Messages' }).getByText('Yes, the discount applies to them too.').waitFor({ timeout: 15_000 });
    await fetch(`${server.url}/api/v1/conversations/${natalie.id}`, { method: 'PATCH', headers, body: JSON.stringify({ status: 'resolved' }) });
    await page.getByText(/resolved the conversation/).waitFor({ timeout: 15_000 });
    await context.close();
  });
});

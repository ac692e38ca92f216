// The customer sidebar in the inbox: who the customer is, what the chat saw, and what they claimed.
import type { Browser, BrowserContext } from 'playwright-core';
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

/** The third pane needs a wide screen (Mantine's xl breakpoint, 1408 px). */
async function wideScreen(): Promise<Awaited<ReturnType<typeof openPage>>> {
  const opened = await openPage(browser, server.url);
  await opened.page.setViewportSize({ width: 1440, height: 900 });
  return opened;
}

const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** A visitor on the demo's web chat who says (unsigned) they are Eve, and writes once. */
async function unverifiedVisitor(context: BrowserContext, subject: string): Promise<string> {
  const login = await context.request.post('/api/v1/auth/login', { headers: { origin: server.url }, data: { email: server.owner.email, password: server.owner.password } });
  expect(login.status()).toBe(200);
  const inboxes = (await (await context.request.get('/api/v1/inboxes')).json()) as { data: { name: string; widget_key: string | null }[] };
  const widgetKey = inboxes.data.find((i) => i.widget_key)?.widget_key;
  expect(widgetKey).toBeTruthy();

  const session = await fetch(`${server.url}/api/v1/widget/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': CHROME_ON_LINUX },
    body: JSON.stringify({
      widget_key: widgetKey,
      context: { url: 'https://shop.example/shoes?ref=mail', referrer: 'https://news.example', language: 'de-DE' },
      identity: { id: 'cust-9', email: 'eve@example.com', name: 'Eve' },
    }),
  });
  expect(session.status).toBe(200);
  const { visitor_token } = (await session.json()) as { visitor_token: string };
  const sent = await fetch(`${server.url}/api/v1/widget/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-visitor-token': visitor_token },
    body: JSON.stringify({ content: subject, client_message_id: 'sidebar-e2e-1' }),
  });
  expect(sent.status).toBeLessThan(300);

  const list = (await (await context.request.get('/api/v1/conversations')).json()) as { data: { id: string; subject: string | null }[] };
  const conversation = list.data.find((c) => c.subject === subject);
  expect(conversation).toBeTruthy();
  return conversation!.id;
}

describe('the customer sidebar', () => {
  it('shows a visitor’s page, language and browser, and warns that their claimed identity is unverified', async () => {
    const { context, page } = await wideScreen();
    const id = await unverifiedVisitor(context, 'Do you have these shoes in size 38?');
    await page.goto(`/inbox/${id}`);

    const sidebar = page.getByRole('complementary', { name: 'Customer' });
    await sidebar.getByText('Unknown visitor').waitFor();
    const link = sidebar.getByRole('link', { name: /https:\/\/shop\.example\/shoes\?ref=mail/ });
    expect(await link.getAttribute('href')).toBe('https://shop.example/shoes?ref=mail');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await sidebar.getByText('de-DE', { exact: true }).waitFor();
    await sidebar.getByText('Chrome 156 on Linux').waitFor();
    const warning = sidebar.getByRole('alert');
    await warning.getByText(/Unverified: says they are Eve eve@example\.com \(id cust-9\) — the site did not sign this/).waitFor();
    // The claim is not one of the verified identities.
    expect(await sidebar.getByText('Verified', { exact: true }).count()).toBe(0);
    await context.close();
  });

  it('shows a demo customer’s details and other conversations, and opens in a drawer on a phone', async () => {
    const { context, page } = await wideScreen();
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Natalie Brooks/ }).click();

    const sidebar = page.getByRole('complementary', { name: 'Customer' });
    await sidebar.getByText('Natalie Brooks', { exact: true }).waitFor();
    await sidebar.getByText('natalie.brooks@example.com').first().waitFor();
    await sidebar.getByText('+44 20 7946 0321').waitFor();
    const others = sidebar.getByRole('region', { name: 'Other conversations' });
    await others.getByText('No other conversations with this customer.').waitFor();

    // A laptop: no third pane; a phone neither. The header's "Customer" button opens a drawer.
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => sidebar.count()).toBe(0);
    await page.getByRole('button', { name: 'Customer' }).waitFor();

    // A phone: no third pane; the header's "Customer" button opens the same details in a drawer.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => sidebar.count()).toBe(0);
    await page.getByRole('button', { name: 'Customer' }).click();
    const drawer = page.getByRole('dialog', { name: 'Customer' });
    await drawer.getByText('natalie.brooks@example.com').first().waitFor();
    await drawer.getByRole('region', { name: 'Other conversations' }).waitFor();
    await context.close();
  });
});

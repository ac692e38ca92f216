// Screenshots of the chat widget on a customer's page, for visual review:
//   npx tsx apps/widget/tools/screenshots.ts [outdir]     (after npm run build && npm run build:widget)
// Starts its own server (e2e harness), inbox and host site; prints the browser's console.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../../../e2e/browser.js';
import { startServer } from '../../../e2e/harness.js';
import { agentReply, createWebchatInbox, hostPage, ownerApi, startSite } from './fixture.js';

const outDir = process.argv[2] ?? 'screenshots/tmp/widget';

async function open(browser: Browser, url: string, opts: { width: number; height: number; locale: string; mobile?: boolean }): Promise<{ page: Page; chat: FrameLocator }> {
  const context = await browser.newContext({ viewport: { width: opts.width, height: opts.height }, locale: opts.locale, isMobile: opts.mobile, hasTouch: opts.mobile, deviceScaleFactor: opts.mobile ? 2 : 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => console.log(`[${opts.locale} ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  if (process.env.WIDGET_DEBUG) page.on('response', (r) => console.log(`[${r.status()}] ${r.request().method()} ${r.url()}`));
  await page.goto(url);
  return { page, chat: page.frameLocator('iframe[title="Chat"]') };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(450);
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path });
  console.log(`saved ${path}`);
}

const server = await startServer();
const site = await startSite();
const browser = await launchBrowser();
try {
  await mkdir(outDir, { recursive: true });
  const api = await ownerApi(server.url, server.owner.email, server.owner.password);
  const renamed = await fetch(`${server.url}/api/v1/me`, { method: 'PATCH', headers: { 'content-type': 'application/json', origin: server.url, cookie: api.cookie }, body: JSON.stringify({ name: 'Maria Lopez' }) });
  if (!renamed.ok) console.log(`renaming the owner failed: ${renamed.status} ${await renamed.text()}`);
  const inbox = await createWebchatInbox(api, { name: 'Acme Shoes Support', allowed_origins: [site.origin], greeting: 'Hi there! Questions about sizing, an order or a return? Ask away.' });
  site.html = hostPage(inbox.snippet);

  const desk = await open(browser, site.origin, { width: 1280, height: 800, locale: 'en-US' });
  await desk.chat.getByRole('button', { name: 'Open chat' }).waitFor();
  await shot(desk.page, '01-closed');
  await desk.chat.getByRole('button', { name: 'Open chat' }).click();
  await desk.chat.getByRole('log').getByText('Hi there!', { exact: false }).waitFor();
  await shot(desk.page, '02-open-greeting');

  const input = desk.chat.getByLabel('Message', { exact: true });
  await input.fill('Hello! Do the Oxfords run true to size? I am usually a 43.');
  await input.press('Enter');
  await desk.chat.getByText('Sent', { exact: true }).waitFor();
  await agentReply(api, inbox.id, 'Hi! They run slightly large, so most customers with a 43 take a 42.5.\nWe also offer free exchanges: https://acme.example/exchanges');
  await desk.chat.getByText('They run slightly large', { exact: false }).waitFor();
  await input.fill('Great, thanks. Can I still change the size on order #1042?');
  await input.press('Enter');
  await desk.page.waitForTimeout(300);
  await agentReply(api, inbox.id, 'Yes, it has not shipped yet. I changed it to 42.5 for you.');
  await desk.chat.getByText('I changed it', { exact: false }).waitFor();
  await shot(desk.page, '03-conversation');

  await desk.page.context().setOffline(true);
  await input.fill('Perfect, thank you!');
  await input.press('Enter');
  await desk.chat.getByText('Not sent', { exact: false }).waitFor();
  await shot(desk.page, '04-offline');
  await desk.page.context().setOffline(false);
  await desk.chat.getByRole('log').getByText('Sent', { exact: true }).last().waitFor();

  await desk.chat.getByLabel('Message', { exact: true }).press('Escape');
  await agentReply(api, inbox.id, 'You are welcome! Enjoy the shoes.');
  await desk.chat.getByRole('button', { name: 'Open chat' }).waitFor();
  await desk.page.waitForTimeout(800);
  await shot(desk.page, '05-closed-unread');

  const phone = await open(browser, site.origin, { width: 390, height: 844, locale: 'en-US', mobile: true });
  await shot(phone.page, '06-phone-closed');
  await phone.chat.getByRole('button', { name: 'Open chat' }).click();
  await phone.chat.getByRole('log').getByText('Hi there!', { exact: false }).waitFor();
  const phoneInput = phone.chat.getByLabel('Message', { exact: true });
  await phoneInput.fill('Hi, do you ship to Austria?');
  await phoneInput.press('Enter');
  await phone.chat.getByText('Sent', { exact: true }).waitFor();
  await agentReply(api, inbox.id, 'Hello! Yes, we ship to Austria. Delivery takes 2–3 working days.');
  await phone.chat.getByText('we ship to Austria', { exact: false }).waitFor();
  await phoneInput.evaluate((el) => el.blur());
  await shot(phone.page, '07-phone-open');

  const german = await open(browser, site.origin, { width: 1280, height: 800, locale: 'de-DE' });
  await german.chat.getByRole('button', { name: 'Chat öffnen' }).click();
  await german.chat.getByRole('log').getByText('Hi there!', { exact: false }).waitFor();
  await shot(german.page, '08-german');
} finally {
  await browser.close();
  await site.close();
  await server.stop();
}

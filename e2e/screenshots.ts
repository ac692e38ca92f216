// Saves a PNG of every screen of the web app, for visual review and the README.
//   BASE_URL=http://localhost:3000 EMAIL=... PASSWORD=... npx tsx e2e/screenshots.ts [outdir]
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
const email = process.env.EMAIL ?? '';
const password = process.env.PASSWORD ?? '';
const outDir = process.argv[2] ?? 'screenshots';
const readme = process.env.README_SHOT ?? 'docs/screenshot.png';

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  // Let skeletons resolve and transitions (menus, modals, notifications) finish.
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(400);
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await settle(page);
  const path = join(outDir, `${name}.png`);
  const viewport = page.viewportSize();
  if (fullPage && viewport) {
    // Grow the viewport instead of using fullPage, so the fixed app shell renders once, in place.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
    await page.waitForTimeout(300);
    await page.screenshot({ path });
    await page.setViewportSize(viewport);
  } else {
    await page.screenshot({ path });
  }
  console.log(`saved ${path}`);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${baseURL}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/inbox/);
}

async function openFirstConversation(page: Page): Promise<boolean> {
  await settle(page);
  const first = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link').first();
  if ((await first.count()) === 0) return false;
  await first.click();
  await settle(page);
  return true;
}

/** Photographs the desktop screens; answers the address of the inbox it created. */
async function desktop(ctx: BrowserContext): Promise<string> {
  const page = await ctx.newPage();
  await page.goto(`${baseURL}/login`);
  await shot(page, '01-login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('definitely-wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  await shot(page, '02-login-error');
  await page.goto(`${baseURL}/forgot-password`);
  await shot(page, '03-forgot-password');

  await signIn(page);
  await shot(page, '10-inbox');
  if (await openFirstConversation(page)) {
    // The README picture: a conversation with a reply being written.
    await page.getByRole('textbox', { name: 'Reply' }).fill('Yes! Your loyalty discount applies to the Ridgeback runners too. Shall I reserve a pair in size 39 for you?');
    await shot(page, '11-inbox-conversation');
    await page.screenshot({ path: readme });
    console.log(`saved ${readme}`);
    await page.getByRole('form', { name: 'Write a message' }).getByText('Private note', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Private note' }).fill('She asked about the loyalty discount last month too.');
    await shot(page, '15-inbox-note-mode');
    await page.getByRole('textbox', { name: 'Private note' }).fill('');
    await page.getByRole('button', { name: 'Snooze' }).click();
    await shot(page, '16-inbox-snooze-menu');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /More filters/ }).click();
    await shot(page, '17-inbox-more-filters');
    await page.keyboard.press('Escape');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('?');
    await shot(page, '18-inbox-shortcuts');
    await page.keyboard.press('Escape');
  }
  await page.goto(`${baseURL}/inbox?assignee=unassigned&status=resolved&tag=nothing-here`);
  await shot(page, '19-inbox-no-match');
  for (const [path, name] of [
    ['/contacts', '12-contacts'],
    ['/knowledge-base', '13-knowledge-base'],
    ['/reports', '14-reports'],
    ['/settings/profile', '20-settings-profile'],
    ['/settings/workspace', '21-settings-workspace'],
    ['/settings/users', '22-settings-users'],
    ['/settings/teams', '23-settings-teams'],
    ['/settings/inboxes', '27-settings-inboxes'],
    ['/settings/invitations', '24-settings-invitations'],
    ['/settings/tokens', '25-settings-tokens'],
    ['/settings/audit-log', '26-settings-audit-log'],
  ] as const) {
    await page.goto(`${baseURL}${path}`);
    await shot(page, name, name.startsWith('2'));
  }

  await page.goto(`${baseURL}/settings/users`);
  await settle(page);
  await page.getByRole('button', { name: 'Add teammate' }).click();
  await shot(page, '30-add-teammate-modal');
  await page.keyboard.press('Escape');

  await page.goto(`${baseURL}/settings/tokens`);
  await settle(page);
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill(`Screenshot ${Date.now().toString(36)}`);
  await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
  await page.getByText('This is the only time the token is shown').waitFor();
  await shot(page, '31-token-created-modal');
  await page.getByRole('button', { name: 'I have copied it' }).click();

  await page.goto(`${baseURL}/settings/inboxes`);
  await settle(page);
  await page.getByRole('button', { name: 'New inbox' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  const dialog = page.getByRole('dialog', { name: 'New live chat inbox' });
  await dialog.getByLabel('Name').fill('Storefront chat');
  for (const origin of ['https://shop.example', 'shop.example']) {
    await dialog.getByLabel('Allowed origins').fill(origin);
    await dialog.getByLabel('Allowed origins').press('Enter');
  }
  await dialog.getByLabel('Greeting').fill('Hi! Ask us anything about your order.');
  await dialog.getByRole('button', { name: 'Create inbox' }).click();
  await dialog.getByText(/is not an origin/).waitFor();
  await shot(page, '35-new-inbox-origin-error');
  await dialog.getByRole('button', { name: 'Remove shop.example' }).click();
  await dialog.getByRole('button', { name: 'Create inbox' }).click();
  await page.getByRole('button', { name: 'Copy snippet' }).waitFor();
  await shot(page, '36-inbox-detail', true);
  const inboxDetail = page.url();

  await page.goto(`${baseURL}/settings/profile`);
  await settle(page);
  await page.getByRole('button', { name: /Set up two-factor/ }).click().catch(() => undefined);
  await shot(page, '32-two-factor-setup', true);

  await page.getByRole('button', { name: /Account menu/ }).click();
  await shot(page, '33-user-menu');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /Switch workspace/ }).click();
  await shot(page, '34-workspace-menu');
  await page.keyboard.press('Escape');

  // Dark theme
  await page.goto(`${baseURL}/inbox`);
  await page.getByRole('button', { name: 'Toggle color scheme' }).click();
  await openFirstConversation(page);
  await shot(page, '40-dark-inbox');
  await page.getByRole('form', { name: 'Write a message' }).getByText('Private note', { exact: true }).click();
  await page.getByRole('textbox', { name: 'Private note' }).fill('Check the Leeds store before promising a pair.');
  await shot(page, '44-dark-inbox-note-mode');
  await page.goto(`${baseURL}/settings/users`);
  await shot(page, '41-dark-users');
  await page.goto(inboxDetail);
  await shot(page, '45-dark-inbox-detail', true);
  await page.goto(`${baseURL}/settings/profile`);
  await shot(page, '42-dark-profile');
  await page.goto(`${baseURL}/login`);
  await shot(page, '43-dark-login-redirect');
  await page.getByRole('button', { name: 'Toggle color scheme' }).click();
  await page.close();
  return inboxDetail;
}

async function phone(ctx: BrowserContext, inboxDetail: string): Promise<void> {
  const page = await ctx.newPage();
  await page.goto(`${baseURL}/login`);
  await shot(page, '50-phone-login');
  await signIn(page);
  await shot(page, '51-phone-inbox');
  if (await openFirstConversation(page)) {
    await shot(page, '52-phone-conversation');
    await page.getByRole('button', { name: /^Details/ }).click();
    await shot(page, '57-phone-conversation-details');
  }
  await page.goto(`${baseURL}/inbox`);
  await page.getByRole('button', { name: /More filters/ }).click();
  await shot(page, '58-phone-more-filters');
  await page.goto(`${baseURL}/settings/inboxes`);
  await shot(page, '59-phone-inboxes');
  await page.goto(inboxDetail);
  await shot(page, '60-phone-inbox-detail', true);
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await shot(page, '53-phone-navigation');
  await page.goto(`${baseURL}/settings/users`);
  await shot(page, '54-phone-users');
  await page.goto(`${baseURL}/contacts`);
  await shot(page, '55-phone-contacts');
  await page.goto(`${baseURL}/settings/profile`);
  await shot(page, '56-phone-profile', true);
  await page.close();
}

async function main(): Promise<void> {
  if (!email || !password) throw new Error('Set EMAIL and PASSWORD (and BASE_URL) for the account to photograph');
  await mkdir(outDir, { recursive: true });
  const browser = await launchBrowser();
  try {
    const wide = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    const inboxDetail = await desktop(wide);
    await wide.close();
    const narrow = await browser.newContext({
      baseURL,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
    });
    await phone(narrow, inboxDetail);
    await narrow.close();
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

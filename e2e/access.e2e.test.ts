// Invitations, API tokens and two-factor sign-in, through the agent app against the real server.
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage as openPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ email: 'boss@e2e.test', password: 'boss-password-123', workspace: 'Access Co' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const newPage = () => openPage(browser, server.url);

describe('workspace access', () => {
  it('an invitation link lets a new person join the workspace', async () => {
    const owner = await newPage();
    await signIn(owner.page, server.owner.email, server.owner.password);
    await owner.page.waitForURL(/\/inbox$/);
    await owner.page.goto('/settings/invitations');
    await owner.page.getByLabel('Email').fill('newbie@e2e.test');
    await owner.page.getByRole('button', { name: 'Create invitation' }).click();
    const link = owner.page.getByRole('textbox', { name: 'Invite link' });
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/invite\/[\w-]+$/);
    await owner.page.getByRole('row', { name: /newbie@e2e\.test/ }).waitFor();
    await owner.context.close();

    const guest = await newPage();
    await guest.page.goto(url);
    await guest.page.getByRole('heading', { name: 'Join Access Co' }).waitFor();
    await guest.page.getByLabel('Name').fill('Nina Newbie');
    await guest.page.getByLabel('Password').fill('newbie-password-1');
    await guest.page.getByRole('button', { name: 'Join workspace' }).click();
    await guest.page.waitForURL(/\/inbox$/);
    await guest.page.getByRole('button', { name: 'Account menu for Nina Newbie (Agent)' }).waitFor();
    await guest.context.close();
  });

  it('an API token is shown once and works against the API', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    await page.goto('/settings/tokens');
    await page.getByRole('button', { name: 'Create token' }).click();
    const form = page.getByRole('dialog', { name: 'Create API token' });
    await form.getByLabel('Name').fill('E2E script');
    await form.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    const token = await shown.getByRole('textbox', { name: 'API token' }).inputValue();
    expect(token.length).toBeGreaterThan(20);
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('row', { name: /E2E script/ }).waitFor();

    const res = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    await context.close();
  });

  it('two-factor authentication is set up in the profile and then asked for at sign-in', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    await page.goto('/settings/profile');
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByRole('img', { name: 'Two-factor QR code' }).waitFor();
    const secret = await page.getByRole('textbox', { name: 'Secret key' }).inputValue();
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    await page.getByLabel('Authentication code').fill(totp.generate());
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable two-factor' }).waitFor();
    await context.close();

    const again = await newPage();
    await signIn(again.page, server.owner.email, server.owner.password);
    const code = again.page.getByLabel('Authentication code');
    await code.waitFor();
    // The step just used to enable is spent (replay protection): use the next one, within the drift window.
    await code.fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await again.page.getByRole('button', { name: 'Sign in' }).click();
    await again.page.waitForURL(/\/inbox$/);
    await again.context.close();
  });
});

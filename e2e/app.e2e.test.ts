// The agent app in a real browser against the real built server.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage as openPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const newPage = () => openPage(browser, server.url);

describe('agent app', () => {
  it('redirects to sign-in and shows a wrong password inline', async () => {
    const { context, page } = await newPage();
    await page.goto('/settings/users');
    await page.waitForURL(/\/login\?next=/);
    await signIn(page, server.owner.email, 'not-the-password');
    const alert = page.getByRole('alert').filter({ hasText: 'Email or password is incorrect' });
    await alert.waitFor();
    expect(page.url()).toContain('/login');
    await context.close();
  });

  it('signs in to the app shell', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Inbox', 'Contacts', 'Knowledge base', 'Reports', 'Settings']) {
      await nav.getByRole('link', { name }).waitFor();
    }
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByText('No conversations yet').waitFor();
    await page.getByRole('button', { name: new RegExp(server.owner.workspace) }).waitFor();
    await context.close();
  });

  it('adds a teammate who then signs in as an agent without admin controls', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();

    await page.getByRole('button', { name: 'Add teammate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add teammate' });
    await dialog.getByLabel('Name').fill('Grace Agent');
    await dialog.getByLabel('Password').fill('agent-password-1');
    // The server's answer shows beside the field it is about.
    await dialog.getByLabel('Email').fill(server.owner.email);
    await dialog.getByRole('button', { name: 'Add teammate' }).click();
    await dialog.getByText(/already has a Rapport account/).waitFor();
    expect(await dialog.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Email').fill('grace@e2e.test');
    await dialog.getByRole('button', { name: 'Add teammate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Grace Agent/ }).waitFor();
    await page.getByRole('combobox', { name: 'Role for Grace Agent' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Role for Grace Agent' }).inputValue()).toBe('Agent');

    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);

    await signIn(page, 'grace@e2e.test', 'agent-password-1');
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('button', { name: 'Account menu for Grace Agent (Agent)' }).waitFor();

    await page.goto('/settings/users');
    await page.getByRole('row', { name: /Grace Agent/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Add teammate' }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: /^Role for/ }).count()).toBe(0);
    const settingsNav = page.getByRole('navigation', { name: 'Settings' });
    await settingsNav.getByRole('link', { name: 'Profile' }).waitFor();
    expect(await settingsNav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await settingsNav.getByRole('link', { name: 'Invitations' }).count()).toBe(0);

    await page.goto('/settings/audit-log');
    await page.getByText('Admins only').waitFor();
    await context.close();
  });

  it('creates a second workspace and switches between workspaces', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('button', { name: /Switch workspace/ }).click();
    await page.getByRole('menuitem', { name: 'Create workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create workspace' });
    await dialog.getByLabel('Workspace name').fill('Second Desk');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('button', { name: 'Workspace: Second Desk. Switch workspace' }).waitFor();

    await page.goto('/settings/users');
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('row', { name: /You/ }).waitFor();
    expect(await page.getByRole('row', { name: /Grace Agent/ }).count()).toBe(0);

    await page.getByRole('button', { name: /Switch workspace/ }).click();
    await page.getByRole('menuitem', { name: new RegExp(server.owner.workspace) }).click();
    await page.getByRole('button', { name: `Workspace: ${server.owner.workspace}. Switch workspace` }).waitFor();
    await context.close();
  });

  it('switches to the dark theme and remembers it', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    const scheme = () => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
    expect(await scheme()).toBe('light');
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
    await expect.poll(scheme).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgb(255, 255, 255)');
    await page.reload();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(await scheme()).toBe('dark');
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
    await expect.poll(scheme).toBe('light');
    await context.close();
  });
});

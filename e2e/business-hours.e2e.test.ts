// Business hours in Chromium: an admin sets an inbox's hours in Settings, and outside them the
// website chat says when the team is back (in the visitor's language and time) and takes an email.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebchatInbox, hostPage, ownerApi, startSite, type Api, type Site, type WebchatInbox } from '../apps/widget/tools/fixture.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let api: Api;
let site: Site;

// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, for a person to look at.
const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `${name}.png`) });
};
const spaces = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

interface Hours {
  time_zone: string;
  days: Record<string, string[][]>;
  holidays?: string[];
}

beforeAll(async () => {
  if (!existsSync(new URL('../dist/widget/widget.js', import.meta.url))) throw new Error('dist/widget is missing: run `npm run build` first');
  server = await startServer();
  browser = await launchBrowser();
  api = await ownerApi(server.url, server.owner.email, server.owner.password);
  site = await startSite();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

describe('business hours', () => {
  it('an admin sets an inbox’s hours in Settings, and is told what is wrong before it saves', async () => {
    const inbox = await createWebchatInbox(api, { name: 'Support desk', allowed_origins: [site.origin] });
    const { context, page } = await newPage(browser, server.url);
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    await page.goto(`/settings/inboxes/${inbox.id}`);
    const card = page.getByRole('form', { name: 'Business hours' });
    const always = card.getByRole('switch', { name: 'Always open' });
    // Mantine draws the switch over a hidden checkbox: use it from the keyboard.
    await always.waitFor({ state: 'attached' });
    expect(await always.isChecked()).toBe(true);
    await always.focus();
    await page.keyboard.press('Space');
    expect(await always.isChecked()).toBe(false);

    await card.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Ber');
    await page.getByRole('option', { name: 'Europe/Berlin' }).click();
    // Weekdays 9–5 by default; Monday entered the wrong way round.
    await card.getByLabel('Monday from').fill('17:00');
    await card.getByLabel('Monday to').fill('09:00');
    await card.getByLabel('Open on Saturday').check();
    await card.getByLabel('Saturday from').fill('10:00');
    await card.getByLabel('Saturday to').fill('14:00');
    await card.getByLabel('Holiday date').fill('2026-12-24');
    await card.getByRole('button', { name: 'Add holiday' }).click();
    await card.getByRole('button', { name: 'Save business hours' }).click();
    await card.getByText('Monday: opens at 17:00 but closes at 09:00').waitFor();
    await shot(page, 'business-hours-error');

    await card.getByLabel('Monday from').fill('08:30');
    await card.getByLabel('Monday to').fill('18:00');
    await card.getByRole('button', { name: 'Save business hours' }).click();
    await page.getByText('Business hours saved').waitFor();
    const saved = await api.call<{ business_hours: Hours }>('GET', `/api/v1/inboxes/${inbox.id}`);
    expect(saved.business_hours).toEqual({
      time_zone: 'Europe/Berlin',
      days: { mon: [['08:30', '18:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [['10:00', '14:00']], sun: [] },
      holidays: ['2026-12-24'],
    });
    await page.setViewportSize({ width: 1280, height: 1300 });
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'business-hours-settings');
    await context.close();
  });

  it('outside business hours the chat says when the team is back, in the visitor’s time, and takes an email', async () => {
    // Open only three days from now (Berlin), 09:00–17:00: closed now, back later this week.
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000);
    const day = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', weekday: 'short' }).format(inThreeDays).toLowerCase().slice(0, 3);
    const inbox: WebchatInbox = await createWebchatInbox(api, { name: 'Acme Support', allowed_origins: [site.origin] });
    await api.call('PATCH', `/api/v1/inboxes/${inbox.id}`, { business_hours: { time_zone: 'Europe/Berlin', days: { [day]: [['09:00', '17:00']] } } });
    site.html = hostPage(inbox.snippet);

    // The visitor is in New York: the opening is shown on their clock, not Berlin's.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(site.origin);
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByRole('button', { name: 'Open chat' }).click();
    const subtitle = chat.locator('#rp-subtitle');
    await subtitle.getByText('We’re away.').waitFor();

    const session = (await (await fetch(`${server.url}/api/v1/widget/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ widget_key: inbox.widget_key }) })).json()) as {
      inbox: { availability: { open: boolean; next_open_at: string } };
    };
    expect(session.inbox.availability.open).toBe(false);
    const back = new Date(session.inbox.availability.next_open_at);
    const ny = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', ...o }).format(back);
    expect(spaces(await subtitle.textContent())).toBe(spaces(`We’re away. Back ${ny({ weekday: 'long' })} at ${ny({ hour: 'numeric', minute: '2-digit' })}.`));

    const email = chat.getByLabel('Email');
    await chat.getByText('Leave your email and we’ll reply there.').waitFor();
    await shot(page, 'business-hours-widget-form');
    await email.fill('not an email');
    await chat.getByRole('button', { name: 'Save' }).click();
    await chat.getByRole('alert').getByText('That does not look like an email address.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await email.fill('visitor@example.com');
    await chat.getByRole('button', { name: 'Save' }).click();
    await chat.getByText('Thanks! We’ll reply to visitor@example.com.').waitFor();
    await shot(page, 'business-hours-widget');

    // The agent sees it on the visitor's contact, unverified; the contact's own email stays empty.
    const contacts = await api.call<{ data: Array<{ id: string }> }>('GET', '/api/v1/contacts?limit=5');
    const details = await Promise.all(contacts.data.map((c) => api.call<{ email: string | null; left_email: { email: string } | null }>('GET', `/api/v1/contacts/${c.id}`)));
    expect(details.find((d) => d.left_email)).toMatchObject({ email: null, left_email: { email: 'visitor@example.com' } });

    // After a reload the chat remembers, and German visitors read it in German.
    await page.reload();
    await chat.getByRole('button', { name: 'Open chat' }).click();
    await chat.getByText('Thanks! We’ll reply to visitor@example.com.').waitFor();
    await context.close();
    const german = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    const dePage = await german.newPage();
    await dePage.goto(site.origin);
    const deChat = dePage.frameLocator('iframe[title="Chat"]');
    await deChat.getByRole('button', { name: 'Chat öffnen' }).click();
    await deChat.locator('#rp-subtitle').getByText(/^Wir sind gerade nicht da\. Zurück am \w+ um 9:00\.$/).waitFor();
    await deChat.getByLabel('E-Mail').waitFor();
    await german.close();
  });
});

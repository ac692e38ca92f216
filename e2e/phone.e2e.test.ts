// The phone channel in Chromium, against the real server and a local fake of Twilio Voice: a
// voicemail's call entry with its recording in an audio player and its transcription, a call
// logged by hand through its dialog, and the web chat's "Request a callback" form with its error
// and its thanks.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilioVoice, type FakeTwilioVoice } from '../apps/server/test/support/fake-twilio-voice.js';
import { apiSession, type ApiSession } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

const HELPLINE = '+4930901820';
let server: RunningServer;
let browser: Browser;
let owner: ApiSession;
let twilio: FakeTwilioVoice;

// SCREENSHOT_DIR=/tmp/shots saves what the tests saw, for a person to look at.
const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `${name}.png`) });
};

beforeAll(async () => {
  twilio = await startFakeTwilioVoice({ phoneNumber: HELPLINE });
  server = await startServer(undefined, { TWILIO_API_URL: twilio.url, WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1' });
  browser = await launchBrowser();
  owner = await apiSession(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await twilio?.close();
});

describe('phone inbox', () => {
  it('shows a voicemail as a call entry with its recording to play and its transcription, and logs a callback by hand', async () => {
    const created = await owner.call<{ id: string; connection: { status: string } }>('POST', '/inboxes', {
      channel: 'phone',
      name: 'Helpline',
      settings: { account_sid: twilio.accountSid, auth_token: twilio.authToken, phone_number: HELPLINE },
    });
    expect(created.status).toBe(201);
    expect(created.body.connection.status).toBe('ok');

    // Nobody is forwarded to: the caller goes straight to voicemail.
    const caller = twilio.call('+4915123456789');
    expect((await caller.ring()).children.map((v) => v.name)).toEqual(['Say', 'Record']);
    await caller.recorded(7);
    await caller.transcribed('Hello, my e-bike battery will not charge. Please call me back.');
    await caller.ended('completed', 15);

    const list = await owner.call<{ data: Array<{ id: string; tags: string[] }> }>('GET', `/conversations?inbox_id=${created.body.id}`);
    const [conversation] = list.body.data;
    expect(conversation.tags).toEqual(['callback']);

    const { context, page } = await newPage(browser, server.url);
    await signIn(page, server.owner.email, server.owner.password);
    await page.waitForURL(/\/inbox$/);
    await page.goto(`/inbox/${conversation.id}`);
    const entry = page.locator('li[data-kind="call"]').first();
    await expect.poll(() => entry.getAttribute('data-call-status')).toBe('voicemail');
    await expect.poll(() => entry.innerText()).toContain('Hello, my e-bike battery will not charge. Please call me back.');
    expect(await entry.innerText()).toContain('0:07');
    expect(await page.getByText(/Call back \+4915123456789 \(voicemail at /).count()).toBe(1);

    // The recording plays from this server, with the agent's session.
    const audio = page.getByLabel('Voicemail recording from +4915123456789');
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1);
    const player = await audio.evaluate((a: HTMLAudioElement) => ({ controls: a.controls, src: a.currentSrc, duration: a.duration, error: a.error?.code ?? null }));
    expect(player).toMatchObject({ controls: true, error: null });
    expect(new URL(player.src).origin).toBe(server.url);
    expect(player.duration).toBeGreaterThan(0.5);
    await shot(page, 'phone-voicemail');

    // A phone conversation's composer starts as a private note (it carries no written replies);
    // a written reply, chosen anyway, is refused with what to do instead.
    await page.getByRole('textbox', { name: 'Private note' }).waitFor();
    await page.getByRole('form', { name: 'Write a message' }).getByText('Reply', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Reply' }).fill('We will call you');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByText('call the customer back and log the call', { exact: false }).count()).toBeGreaterThan(0);

    // The agent calls back from their own phone and logs it.
    await page.getByRole('button', { name: 'Log a call' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log a call' });
    await dialog.getByLabel('Duration').fill('2 minutes');
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await expect.poll(() => dialog.getByText('Duration: write minutes and seconds').count()).toBe(1);
    await dialog.getByLabel('Duration').fill('2:30');
    await dialog.getByLabel('Notes').fill('New charger sent today.');
    await shot(page, 'phone-log-call');
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const logged = page.locator('li[data-kind="call"]').last();
    await expect.poll(() => logged.innerText()).toContain('New charger sent today.');
    const text = await logged.innerText();
    expect(text).toContain('Call to +4915123456789');
    expect(text).toContain('2:30');
    expect(text).toMatch(/Logged by /);
    await shot(page, 'phone-thread');
    await context.close();
  });

  it('lets a website visitor ask for a callback: a wrong number is explained, then thanks', async () => {
    const site = await owner.call<{ id: string; widget_key: string }>('POST', '/inboxes', { channel: 'webchat', name: 'Website', allowed_origins: [server.url] });
    expect(site.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/widget/demo/${site.body.widget_key}`);
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByRole('button', { name: 'Open chat' }).click();
    await chat.getByRole('button', { name: 'Request a callback' }).click();
    const form = chat.getByRole('form', { name: 'Request a callback' });
    const phone = form.getByLabel('Your phone number');
    await phone.fill('call me');
    await form.getByRole('button', { name: 'Call me back' }).click();
    await expect.poll(() => form.getByRole('alert').innerText()).toContain('Write it with the country code');
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    expect(await phone.getAttribute('aria-describedby')).toBe('rp-callback-error');
    await shot(page, 'phone-widget-error');

    await phone.fill('+49 151 7654 3210');
    await form.getByLabel('At another time').check();
    await form.getByLabel('Which time suits you?').fill('Tomorrow after 5 pm');
    await form.getByRole('button', { name: 'Call me back' }).click();
    const thanks = chat.getByRole('status').filter({ hasText: 'Thanks!' });
    await expect.poll(() => thanks.innerText()).toBe('Thanks! We will call you at +4915176543210, Tomorrow after 5 pm.');
    await shot(page, 'phone-widget-thanks');

    const list = await owner.call<{ data: Array<{ id: string; tags: string[]; status: string }> }>('GET', `/conversations?inbox_id=${site.body.id}`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ tags: ['callback'], status: 'open' });
    const messages = await owner.call<{ data: Array<{ kind: string; call: { status: string; to: string; preferred_time: string } | null }> }>('GET', `/conversations/${list.body.data[0].id}/messages`);
    expect(messages.body.data.filter((m) => m.kind === 'call').map((m) => m.call)).toMatchObject([{ status: 'requested', to: '+4915176543210', preferred_time: 'Tomorrow after 5 pm' }]);
    await context.close();
  });
});

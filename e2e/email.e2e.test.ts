// The email channel in the agent app, against the real server: an admin connects a support address
// through the form and reads what the connection test says; mail delivered to a private Dovecot
// reaches the inbox and shows with its remote images blocked; a reply the SMTP server refuses says
// why and goes out on Retry. Outgoing mail goes to an SMTP server this file runs (smtp-server).
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../apps/server/test/support/dovecot.js';
import { apiSession, gradientPng, type ApiSession } from './agents.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let owner: ApiSession;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  owner = await apiSession(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A port on 127.0.0.1 that nothing listens on (taken and let go at once). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function signedIn(): Promise<{ page: Page; close: () => Promise<void> }> {
  const { context, page } = await newPage(browser, server.url);
  await signIn(page, server.owner.email, server.owner.password);
  await page.waitForURL(/\/inbox$/);
  return { page, close: () => context.close() };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface InboxJson {
  id: string;
  name: string;
  email: string | null;
  imap: { host: string; port: number; password_set: boolean } | null;
  smtp: { host: string; port: number; password_set: boolean } | null;
  connection: { status: string; error: string | null } | null;
}

describe('email inbox settings', () => {
  it('an admin creates an email inbox through the form and reads why each server failed the connection test', async () => {
    const [imapPort, smtpPort] = [await closedPort(), await closedPort()];
    const { page, close } = await signedIn();
    await page.goto('/settings/inboxes');
    await page.getByRole('button', { name: 'New inbox' }).click();
    const choice = page.getByRole('dialog', { name: 'New inbox' });
    await choice.getByRole('radio', { name: 'Email' }).check();
    await choice.getByRole('button', { name: 'Continue' }).click();

    const dialog = page.getByRole('dialog', { name: 'New email inbox' });
    // Nothing filled in: the form says what is missing before asking the server.
    await dialog.getByRole('button', { name: 'Create inbox' }).click();
    await dialog.getByText('Give the inbox a name').waitFor();
    await dialog.getByText('Enter the SMTP server, such as smtp.example.com').waitFor();

    await dialog.getByLabel('Name').fill('Shop support');
    await dialog.getByLabel('Support address').fill('support@shop.example');
    // The user names follow the address while they mirror it.
    expect(await dialog.getByLabel('SMTP user').inputValue()).toBe('support@shop.example');
    await dialog.getByLabel('IMAP server').fill('127.0.0.1');
    const tls = dialog.getByRole('switch', { name: 'Encrypted connection (TLS)' });
    await tls.first().uncheck();
    expect(await dialog.getByLabel('IMAP port').inputValue()).toBe('143');
    await dialog.getByLabel('IMAP port').fill(String(imapPort));
    await dialog.getByLabel('IMAP password').fill('imap-password');
    await dialog.getByLabel('SMTP server').fill('127.0.0.1');
    await tls.last().uncheck();
    expect(await dialog.getByLabel('SMTP port').inputValue()).toBe('587');
    await dialog.getByLabel('SMTP port').fill(String(smtpPort));
    await dialog.getByLabel('SMTP password').fill('smtp-password');

    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByRole('status', { name: 'Connection test' });
    await result.getByText('IMAP (fetching mail): failed').waitFor({ timeout: 45_000 });
    await result.getByText('SMTP (sending replies): failed').waitFor();
    // Each failure comes with the server's sentence for a person.
    const sentences = await result.locator('[data-result="failed"]').allInnerTexts();
    expect(sentences).toHaveLength(2);
    for (const s of sentences) expect(s.split('\n').slice(1).join(' ').trim().length).toBeGreaterThan(5);

    await dialog.getByRole('button', { name: 'Create inbox' }).click();
    await page.waitForURL(/\/settings\/inboxes\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Shop support' }).waitFor();
    await page.getByText(`127.0.0.1:${imapPort}`, { exact: true }).waitFor();
    await page.getByText(`127.0.0.1:${smtpPort}`, { exact: true }).waitFor();

    // Passwords never come back; the form says a saved one stays when left empty.
    const id = /inboxes\/([0-9a-f-]{36})$/.exec(page.url())![1];
    const stored = await owner.call<InboxJson>('GET', `/inboxes/${id}`);
    expect(stored.body.email).toBe('support@shop.example');
    expect(stored.body.imap?.password_set).toBe(true);
    expect(JSON.stringify(stored.body)).not.toMatch(/imap-password|smtp-password|"password"/);
    await page.getByRole('button', { name: 'Edit email settings' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit email inbox' });
    expect(await edit.getByLabel('SMTP password').getAttribute('placeholder')).toBe('Saved — leave empty to keep');
    await edit.getByRole('button', { name: 'Cancel' }).click();

    // The server soon finds nothing answering at the IMAP port: the page says so, with the server's sentence.
    const failing = page.getByRole('alert').filter({ hasText: 'This inbox cannot fetch or send mail' });
    await failing.waitFor({ timeout: 30_000 });
    expect(await failing.innerText()).toContain(`127.0.0.1:${imapPort}`);
    // And every teammate of the inbox sees it above their conversations.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'Shop support (support@shop.example) cannot fetch or send mail' });
    await banner.waitFor();
    await banner.getByRole('link', { name: 'Settings → Inboxes' }).click();
    await page.waitForURL(new RegExp(`/settings/inboxes/${id}$`));
    await close();
  });
});

// Inbound mail needs Debian's dovecot-imapd, which runs only as root (as in CI: .ci/run).
const canDeliver = existsSync('/usr/sbin/dovecot') && process.getuid?.() === 0;

describe.skipIf(!canDeliver)('email conversations', () => {
  // Another address than the first test's inbox: a workspace has one inbox per support address.
  const mailbox = { user: 'help@shop.example', password: 'mailbox-password' };
  let dovecot: Dovecot;
  let smtp: SMTPServer;
  let smtpPort = 0;
  /** Set to refuse every message with a permanent error, as a mail server that will not relay. */
  let refuse = false;
  const received: string[] = [];
  let inboxId = '';
  let conversationId = '';

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [mailbox] });
    smtp = new SMTPServer({
      secure: false,
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (refuse) return callback(Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 550 }));
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpPort = (smtp.server.address() as AddressInfo).port;

    const created = await owner.call<InboxJson>('POST', '/inboxes', {
      channel: 'email',
      name: 'Support',
      email: mailbox.user,
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: mailbox.user, password: mailbox.password, mailbox: 'INBOX' },
      smtp: { host: '127.0.0.1', port: smtpPort, secure: false, user: mailbox.user, password: 'smtp-password' },
    });
    if (created.status !== 201) throw new Error(`could not create the email inbox: ${created.status} ${JSON.stringify(created.body)}`);
    inboxId = created.body.id;

    await dovecot.deliver(mailbox.user, htmlEmail);
    conversationId = await until('the delivered email to become a conversation', async () => {
      const list = await owner.call<{ data: Array<{ id: string; subject: string | null; inbox: { id: string } }> }>('GET', '/conversations?limit=100');
      return list.body.data.find((c) => c.inbox.id === inboxId && c.subject?.includes('Bent wheel'))?.id;
    }, 90_000);
  }, 150_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await dovecot?.stop();
  });

  it('the connection test of the saved settings reaches both servers', async () => {
    const { page, close } = await signedIn();
    await page.goto(`/settings/inboxes/${inboxId}`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByRole('status', { name: 'Connection test' });
    await result.getByText('IMAP (fetching mail): connected').waitFor({ timeout: 30_000 });
    await result.getByText('SMTP (sending replies): connected').waitFor();
    await close();
  });

  it('an HTML email shows in a sandboxed frame with its remote image blocked until the agent asks', async () => {
    const { page, close } = await signedIn();
    // The remote image is answered here: nothing leaves the machine, and the test sees when it is asked for.
    const imageRequests: string[] = [];
    await page.context().route('https://images.example/**', async (route) => {
      imageRequests.push(route.request().url());
      await route.fulfill({ status: 200, contentType: 'image/png', body: gradientPng() });
    });
    await page.goto(`/inbox/${conversationId}`);
    const email = page.getByRole('listitem', { name: 'Email from Ana Customer' });
    await email.waitFor();
    await email.getByText('<ana@customer.example>').waitFor();
    await email.getByText('To: help@shop.example').waitFor();

    const frame = email.locator('iframe[title="Email from Ana Customer"]');
    expect(await frame.getAttribute('sandbox')).toBe('allow-same-origin');
    const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec((await frame.getAttribute('srcdoc')) ?? '')?.[1];
    expect(policy).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:");
    const body = page.frameLocator('iframe[title="Email from Ana Customer"]');
    await body.getByText('the front wheel is bent').waitFor();
    expect(await body.locator('img[data-remote-src]').count()).toBe(1);
    expect(await body.locator('img[src^="https:"]').count()).toBe(0);
    // The frame is as tall as the email: nothing in it scrolls.
    const heights = await frame.evaluate((el: HTMLIFrameElement) => ({ frame: el.clientHeight, content: el.contentDocument?.documentElement.scrollHeight ?? 0 }));
    expect(heights.frame).toBeGreaterThanOrEqual(heights.content);
    expect(imageRequests).toEqual([]);

    await email.getByRole('button', { name: 'Show remote images (1)' }).click();
    await body.locator('img[src="https://images.example/wheel.png"]').waitFor();
    await until('the remote image to load', async () => imageRequests.length > 0, 10_000);
    expect(/content="([^"]+)"/.exec((await frame.getAttribute('srcdoc')) ?? '')?.[1]).toContain('https:');

    // The quoted history is folded away until asked for.
    expect(await body.getByText('Your order 1042 has shipped').count()).toBe(0);
    await email.getByRole('button', { name: 'Show quoted text' }).click();
    await body.getByText('Your order 1042 has shipped').waitFor();
    await email.getByRole('button', { name: 'Hide quoted text' }).waitFor();
    await close();
  });

  it('a reply the SMTP server refuses says why, and Retry sends it once the server takes it', async () => {
    const { page, close } = await signedIn();
    await page.goto(`/inbox/${conversationId}`);
    await page.getByText('Reply goes by email to ana@customer.example').waitFor();
    refuse = true;
    const text = `A new wheel is on its way (${Date.now().toString(36)}).`;
    await page.getByRole('textbox', { name: 'Reply' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    // The reply is the newest message (its text may be inside the email's frame, so it is found by place).
    const reply = page.getByRole('list', { name: 'Messages' }).getByRole('listitem').last();
    await reply.getByText(text).or(reply.locator('iframe')).first().waitFor();
    const notSent = reply.getByRole('alert').filter({ hasText: /^Not sent: / });
    await notSent.waitFor({ timeout: 60_000 });
    expect(received.some((m) => m.includes(text))).toBe(false);

    refuse = false;
    await reply.getByRole('button', { name: 'Retry' }).click();
    await notSent.waitFor({ state: 'detached' });
    await until('the SMTP server to receive the reply', async () => received.some((m) => m.includes(text)), 60_000);
    await reply.getByText('Sending…').waitFor({ state: 'detached', timeout: 30_000 });
    await close();
  });
});

const htmlEmail = [
  'From: Ana Customer <ana@customer.example>',
  'To: help@shop.example',
  'Subject: Bent wheel on order 1042',
  'Message-ID: <bent-wheel-1@customer.example>',
  'Date: Tue, 01 Dec 2026 09:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello, the front wheel is bent. Photo: https://images.example/wheel.png',
  '',
  'On Mon, 30 Nov 2026, Shop Support <help@shop.example> wrote:',
  '> Your order 1042 has shipped.',
  '--alt',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<div dir="ltr"><p>Hello, the front wheel is bent.</p><p><img src="https://images.example/wheel.png" alt="Bent wheel" width="160" height="100"></p></div>',
  '<div class="gmail_quote"><div class="gmail_attr">On Mon, 30 Nov 2026, Shop Support &lt;help@shop.example&gt; wrote:</div>',
  '<blockquote class="gmail_quote"><p>Your order 1042 has shipped.</p></blockquote></div>',
  '--alt--',
  '',
].join('\r\n');

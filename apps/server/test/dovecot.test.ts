/** The Dovecot harness the email channel's tests stand on: a real IMAP server that imapflow reads. */
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from './support/dovecot.js';

const account = { user: 'support@shop.example', password: 'imap-test-password' };
const subject = 'Grüße — ihre Bestellung';
const body = 'Hallo, wo bleibt meine Bestellung 1042? Viele Grüße aus Köln';
const base64 = (text: string) => Buffer.from(text).toString('base64');

const plainMessage = [
  'From: Ana Customer <ana@customer.example>',
  'To: support@shop.example',
  'Subject: Where is my order?',
  'Message-ID: <plain-1@customer.example>',
  'Date: Mon, 03 Mar 2025 10:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello, order 1042 has not arrived yet.',
  '',
].join('\r\n');

const multipartMessage = [
  `From: =?UTF-8?B?${base64('Jürgen Kunde')}?= <juergen@kunde.example>`,
  'To: support@shop.example',
  `Subject: =?UTF-8?B?${base64(subject)}?=`,
  'Message-ID: <multi-1@kunde.example>',
  'Date: Mon, 03 Mar 2025 11:00:00 +0100',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  base64(body),
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  base64(`<p>${body}</p>`),
  '--b1--',
  '',
].join('\r\n');

describe('dovecot test server', () => {
  let dovecot: Dovecot;
  const connect = (pass = account.password) =>
    new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: account.user, pass }, logger: false });

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [account] });
    await dovecot.deliver(account.user, plainMessage);
    await dovecot.deliver(account.user, Buffer.from(multipartMessage));
    await dovecot.deliver(account.user, plainMessage, 'Archive');
  });
  afterAll(() => dovecot?.stop());

  it('serves delivered mail to imapflow, fetched by UID and decoded by mailparser', async () => {
    const client = connect();
    await client.connect();
    try {
      expect(client.capabilities.has('IDLE')).toBe(true);
      expect(await client.status('Archive', { messages: true })).toMatchObject({ messages: 1 });
      const lock = await client.getMailboxLock('INBOX');
      try {
        expect(client.mailbox).toMatchObject({ exists: 2 });
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        expect(uids).toHaveLength(2);
        const messages = await client.fetchAll(uids, { uid: true, source: true }, { uid: true });
        const [plain, multipart] = await Promise.all(messages.map((m) => simpleParser(m.source!)));
        expect(plain.subject).toBe('Where is my order?');
        expect(multipart.subject).toBe(subject);
        expect(multipart.from?.value[0]).toMatchObject({ name: 'Jürgen Kunde', address: 'juergen@kunde.example' });
        expect(multipart.text?.trim()).toBe(body);
        expect(multipart.html).toContain(body);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('refuses a wrong password', async () => {
    const client = connect('not-the-password');
    await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
    client.close();
  });
});

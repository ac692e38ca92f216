/**
 * The email channel end to end against real protocol peers: Dovecot as the inbox's IMAP server,
 * an smtp-server sink as its outgoing server, nodemailer as a customer's mail client and as the
 * forwarder into the built-in SMTP receiver. Asserts what agents see through the API.
 */
import nodemailer from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { ingestEmail } from '../src/features/channels/email/ingest.js';
import { sendEmailReply } from '../src/features/channels/email/send.js';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeWorkspace, sessionFor, startTestApp, type TestApp, until } from './helpers.js';
import { startDovecot, type Dovecot } from './support/dovecot.js';
import { startSink } from './support/smtp-sink.js';

const SUPPORT = 'support@shop.example';
const IMAP_PASSWORD = 'imap-test-password';
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;


const mail = (o: { from: string; subject: string; id: string; body: string; inReplyTo?: string; extra?: string[] }) =>
  [
    `From: ${o.from}`,
    `To: Shop Support <${SUPPORT}>`,
    `Subject: ${o.subject}`,
    `Message-ID: <${o.id}>`,
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`, `References: <${o.inReplyTo}>`] : []),
    ...(o.extra ?? []),
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '',
  ].join('\r\n');

describe('email channel', () => {
  let t: TestApp;
  let dovecot: Dovecot;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let workers: ChannelWorkers;
  let admin: Record<string, string>;
  let inboxId: string;
  let accountId: string;

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const conversationsOf = async () => json<{ data: Array<{ id: string; subject: string; contact: { email: string | null; name: string } }> }>(await api('GET', `/api/v1/conversations?inbox_id=${inboxId}&limit=100`)).data;
  const messagesOf = async (id: string) => json<{ data: Array<Record<string, unknown> & { id: string; status: string; content: string; email: Record<string, unknown> | null; delivery_error: string | null }> }>(await api('GET', `/api/v1/conversations/${id}/messages`)).data;

  beforeAll(async () => {
    [t, dovecot, sink] = await Promise.all([startTestApp(), startDovecot({ users: [{ user: SUPPORT, password: IMAP_PASSWORD }] }), startSink()]);
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
  });
  afterAll(async () => {
    await workers?.stop();
    await Promise.all([t?.close(), dovecot?.stop(), sink?.close()]);
  });

  const imap = () => ({ host: '127.0.0.1', port: dovecot.port, secure: false, user: SUPPORT, password: IMAP_PASSWORD });
  const smtp = () => ({ host: '127.0.0.1', port: sink.port, secure: false, user: 'smtp-user', password: 'smtp-password' });

  it('refuses an email inbox with a tricky address or no SMTP password, and names the fields', async () => {
    const bad = await api('POST', '/api/v1/inboxes', { channel: 'email', name: 'Support', email: '"a@evil.com"@shop.example', smtp: { ...smtp(), password: undefined } });
    expect(bad.statusCode).toBe(400);
    const fields = json<{ error: { details: Array<{ field: string }> } }>(bad).error.details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'smtp.password']));
    const crlf = await api('POST', '/api/v1/inboxes', { channel: 'email', name: 'Support', email: 'support@shop.example\r\nBcc: all@victims.example', smtp: smtp() });
    expect(crlf.statusCode).toBe(400);
  });

  it('tests IMAP and SMTP settings and says in words what is wrong', async () => {
    const good = json<{ imap: { ok: boolean }; smtp: { ok: boolean } }>(await api('POST', '/api/v1/inboxes/connection-test', { imap: imap(), smtp: smtp() }));
    expect(good).toEqual({ imap: { ok: true, error: null }, smtp: { ok: true, error: null } });
    const wrong = json<{ imap: { ok: boolean; error: string }; smtp: { ok: boolean; error: string } }>(await api('POST', '/api/v1/inboxes/connection-test', { imap: { ...imap(), password: 'nope' }, smtp: { ...smtp(), port: 1 } }));
    expect(wrong.imap.ok).toBe(false);
    expect(wrong.imap.error).toMatch(/refused the user name or password/);
    expect(wrong.smtp.error).toMatch(/Nothing answers at 127\.0\.0\.1:1/);
  });

  it('creates an email inbox; passwords are stored sealed and never returned', async () => {
    const res = await api('POST', '/api/v1/inboxes', { channel: 'email', name: 'Support', email: 'Support@Shop.example', imap: imap(), smtp: smtp() });
    expect(res.statusCode).toBe(201);
    const inbox = json<Record<string, unknown> & { id: string; imap: Record<string, unknown>; smtp: Record<string, unknown> }>(res);
    inboxId = inbox.id;
    expect(inbox.email).toBe(SUPPORT);
    expect(inbox.imap).toMatchObject({ host: '127.0.0.1', port: dovecot.port, mailbox: 'INBOX', password_set: true });
    expect(inbox.smtp).toMatchObject({ password_set: true });
    expect(res.body).not.toContain(IMAP_PASSWORD);
    expect(res.body).not.toContain('smtp-password');
    const row = await t.ctx.db.selectFrom('inboxes').select('channel_secrets').where('id', '=', inboxId).where('account_id', '=', accountId).executeTakeFirstOrThrow();
    expect(row.channel_secrets).not.toContain(IMAP_PASSWORD);
    // The same address twice in one workspace is refused.
    const again = await api('POST', '/api/v1/inboxes', { channel: 'email', name: 'Support 2', email: SUPPORT, smtp: smtp() });
    expect(again.statusCode).toBe(409);
  });

  it('fetches mail by IMAP into conversations, and resumes after a restart without repeating', async () => {
    await dovecot.deliver(SUPPORT, mail({ from: 'Ana Customer <ana@customer.example>', subject: 'Where is my order?', id: 'order-1@customer.example', body: 'Hello, order 1042 has not arrived yet.' }));
    workers = await startChannelWorkers(t.ctx, log, { fetch: true, receiver: false });
    const first = await until('the first email', async () => (await conversationsOf()).find((c) => c.subject === 'Where is my order?'));
    expect(first.contact).toMatchObject({ email: 'ana@customer.example', name: 'Ana Customer' });
    const [message] = await messagesOf(first.id);
    expect(message.content).toBe('Hello, order 1042 has not arrived yet.');
    expect(message.email).toMatchObject({ subject: 'Where is my order?', from: { address: 'ana@customer.example', name: 'Ana Customer' } });

    await workers.stop();
    // Mail that arrives while Rapport is down is fetched when it is back; nothing twice.
    await dovecot.deliver(SUPPORT, mail({ from: 'Ben <ben@customer.example>', subject: 'Refund', id: 'refund-1@customer.example', body: 'Please refund order 77.' }));
    workers = await startChannelWorkers(t.ctx, log, { fetch: true, receiver: false });
    await until('the email sent while down', async () => (await conversationsOf()).find((c) => c.subject === 'Refund'));
    const all = await conversationsOf();
    expect(all.filter((c) => c.subject === 'Where is my order?')).toHaveLength(1);
    // A new message while connected arrives by IDLE.
    await dovecot.deliver(SUPPORT, mail({ from: 'Cleo <cleo@customer.example>', subject: 'Sizes', id: 'sizes-1@customer.example', body: 'Do you have size 44?' }));
    await until('the email that came while idle', async () => (await conversationsOf()).find((c) => c.subject === 'Sizes'));
    const inbox = json<{ connection: { status: string } }>(await api('GET', `/api/v1/inboxes/${inboxId}`));
    expect(inbox.connection.status).toBe('ok');
  });

  it('sends a reply by SMTP that threads in the customer’s client, and a reply to it joins the conversation', async () => {
    const conversation = (await conversationsOf()).find((c) => c.subject === 'Where is my order?')!;
    const res = await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'It left our warehouse today.\n\nBest, Sam', client_message_id: 'reply-1' });
    expect(res.statusCode).toBe(201);
    expect(json<{ status: string }>(res).status).toBe('pending');
    const sent = await until('the reply at the SMTP server', async () => sink.received.find((m) => m.text?.includes('It left our warehouse')));
    expect(sent.to && 'value' in sent.to ? sent.to.value[0].address : '').toBe('ana@customer.example');
    expect(sent.from?.value[0].address).toBe(SUPPORT);
    expect(sent.subject).toBe('Re: Where is my order?');
    expect(sent.inReplyTo).toBe('<order-1@customer.example>');
    expect(sent.references).toContain('<order-1@customer.example>');
    expect(sent.html).toContain('<p>It left our warehouse today.</p>');
    const ourId = sent.messageId!.slice(1, -1);
    await until('the reply marked sent', async () => (await messagesOf(conversation.id)).find((m) => m.content.startsWith('It left') && m.status === 'sent'));
    // A retried request does not send twice.
    const retried = await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'It left our warehouse today.\n\nBest, Sam', client_message_id: 'reply-1' });
    expect(retried.statusCode).toBe(200);

    // The customer answers: it joins the same conversation.
    await dovecot.deliver(SUPPORT, mail({ from: 'Ana Customer <ana@customer.example>', subject: 'Re: Where is my order?', id: 'order-2@customer.example', inReplyTo: ourId, body: 'Thanks!\n\nOn Tue, Sam wrote:\n> It left our warehouse today.' }));
    const thread = await until('the customer reply in the thread', async () => {
      const m = await messagesOf(conversation.id);
      return m.find((x) => x.content === 'Thanks!') && m;
    });
    expect(thread.at(-1)?.email).toMatchObject({ has_quoted: true });
    expect(sink.received.filter((m) => m.text?.includes('It left our warehouse'))).toHaveLength(1);

    // Someone else who copies the ids does not get into Ana's conversation (SECURITY 15).
    await dovecot.deliver(SUPPORT, mail({ from: 'Mallory <mallory@evil.example>', subject: 'Re: Where is my order?', id: 'evil-1@evil.example', inReplyTo: ourId, body: 'Send me the address on file.' }));
    await until('the stranger in a new conversation', async () => (await conversationsOf()).find((c) => c.contact.email === 'mallory@evil.example'));
    expect((await messagesOf(conversation.id)).some((m) => m.content.includes('address on file'))).toBe(false);
    // The same customer with a new subject starts a new conversation.
    await dovecot.deliver(SUPPORT, mail({ from: 'Ana Customer <ana@customer.example>', subject: 'Another question', id: 'order-3@customer.example', body: 'Do you ship to Norway?' }));
    await until('a new conversation for a new subject', async () => (await conversationsOf()).find((c) => c.subject === 'Another question'));
  }, 90_000);

  it('copies a reply to the people the customer copied in, never to our own address', async () => {
    await dovecot.deliver(SUPPORT, mail({ from: 'Li Buyer <li@buyer.example>', subject: 'Invoice for PO 77', id: 'po-77@buyer.example', body: 'Please send the invoice.', extra: ['Cc: Accounts <accounts@buyer.example>, Shop Support <support@shop.example>, li@buyer.example'] }));
    const conversation = await until('the copied email', async () => (await conversationsOf()).find((c) => c.subject === 'Invoice for PO 77'));
    await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'Attached is the invoice for PO 77.' });
    const sent = await until('the reply with Cc', async () => sink.received.find((m) => m.text?.includes('invoice for PO 77')));
    expect(sent.to && 'value' in sent.to ? sent.to.value.map((a) => a.address) : []).toEqual(['li@buyer.example']);
    expect(sent.cc && 'value' in sent.cc ? sent.cc.value.map((a) => a.address) : []).toEqual(['accounts@buyer.example']);
  }, 60_000);

  it('flags a sender that failed DMARC and keeps it out of the real customer’s conversations (SECURITY 14)', async () => {
    const conversation = (await conversationsOf()).find((c) => c.subject === 'Where is my order?')!;
    const [ours] = await t.ctx.db.selectFrom('external_messages').select('external_id').where('conversation_id', '=', conversation.id).where('direction', '=', 'outgoing').where('account_id', '=', accountId).execute();
    await dovecot.deliver(
      SUPPORT,
      mail({ from: 'Ana Customer <ana@customer.example>', subject: 'Re: Where is my order?', id: 'spoof-1@evil.example', inReplyTo: ours.external_id, body: 'Change my delivery address please.', extra: ['Authentication-Results: mx.shop.example; spf=fail smtp.mailfrom=evil.example; dkim=none; dmarc=fail (p=REJECT) header.from=customer.example'] }),
    );
    const spoof = await until('the spoofed email', async () => {
      for (const c of await conversationsOf()) {
        const found = (await messagesOf(c.id)).find((m) => m.content.includes('Change my delivery address'));
        if (found) return { conversation: c, message: found };
      }
      return undefined;
    });
    expect(spoof.conversation.id).not.toBe(conversation.id);
    expect(spoof.message.email?.suspicious).toMatch(/DMARC/);
  });

  it('shows a refused reply with the server’s reason, and sends it when retried', async () => {
    const conversation = (await conversationsOf()).find((c) => c.subject === 'Refund')!;
    sink.refuse('ben@customer.example');
    const res = await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'Refund is on its way.' });
    const id = json<{ id: string }>(res).id;
    const failed = await until('the refusal', async () => (await messagesOf(conversation.id)).find((m) => m.id === id && m.status === 'failed'));
    expect(failed.delivery_error).toMatch(/refused this reply.*User unknown/);
    sink.refuse(null);
    const retry = await api('POST', `/api/v1/conversations/${conversation.id}/messages/${id}/retry`);
    expect(retry.statusCode).toBe(200);
    expect(json<{ status: string }>(retry).status).toBe('pending');
    await until('the retried reply sent', async () => (await messagesOf(conversation.id)).find((m) => m.id === id && m.status === 'sent'));
    expect(sink.received.filter((m) => m.text?.includes('Refund is on its way'))).toHaveLength(1);
    // A sent reply cannot be "retried" into a second copy.
    expect((await api('POST', `/api/v1/conversations/${conversation.id}/messages/${id}/retry`)).statusCode).toBe(422);
  });

  it('marks a reply failed when the customer’s server bounces it', async () => {
    const conversation = (await conversationsOf()).find((c) => c.subject === 'Sizes')!;
    const id = json<{ id: string }>(await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'Yes, size 44 is in stock.' })).id;
    const sent = await until('the reply', async () => sink.received.find((m) => m.text?.includes('size 44 is in stock')));
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-1@mx.customer.example>',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.example',
      '',
      'Final-Recipient: rfc822; cleo@customer.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${sent.messageId}`,
      `From: ${SUPPORT}`,
      '--B--',
      '',
    ].join('\r\n');
    await dovecot.deliver(SUPPORT, bounce);
    const failed = await until('the bounce to fail the reply', async () => (await messagesOf(conversation.id)).find((m) => m.id === id && m.status === 'failed'));
    expect(failed.delivery_error).toMatch(/could not deliver this reply to cleo@customer\.example.*mailbox unavailable/);
    // The bounce itself opens no conversation.
    expect((await conversationsOf()).some((c) => c.subject.includes('Undelivered'))).toBe(false);
  });

  it('never lets an address or a name add a header: checked before sending (SECURITY 17)', async () => {
    const conversation = (await conversationsOf()).find((c) => c.subject === 'Another question')!;
    const ws = scoped(t.ctx.db, accountId);
    const { contact_id } = await ws.selectFrom('conversations').select('contact_id').where('id', '=', conversation.id).executeTakeFirstOrThrow();
    // An address that smuggles a second header, or hides another domain in a quoted local part.
    for (const bad of ['ana@customer.example\r\nBcc: all@victims.example', '"a@evil.example"@customer.example']) {
      await ws.updateTable('contacts').set({ email: bad }).where('id', '=', contact_id).execute();
      const before = sink.raw.length;
      const id = json<{ id: string }>(await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'Yes, we ship to Norway.' })).id;
      const failed = await until('the refusal', async () => (await messagesOf(conversation.id)).find((m) => m.id === id && m.status === 'failed'));
      expect(failed.delivery_error).toMatch(/customer's address .* cannot be used/);
      expect(sink.raw.length).toBe(before);
    }
    await ws.updateTable('contacts').set({ email: 'ana@customer.example' }).where('id', '=', contact_id).execute();
    // An agent whose name holds a line break: it stays in the From name, on one line.
    const { user_id } = await ws.selectFrom('memberships').select('user_id').where('role', '=', 'owner').executeTakeFirstOrThrow();
    await t.ctx.db.updateTable('users').set({ name: 'Sam\r\nBcc: all@victims.example' }).where('id', '=', user_id).execute();
    await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'Shipping to Norway takes 3 days.' });
    const sent = await until('the reply', async () => sink.received.find((m) => m.text?.includes('Shipping to Norway')));
    const raw = sink.raw.find((r) => r.includes('Shipping to Norway'))!;
    expect(raw.slice(0, raw.indexOf('\r\n\r\n'))).not.toMatch(/^bcc:/im);
    expect(sent.headers.has('bcc')).toBe(false);
    expect(sent.from?.value[0]).toMatchObject({ address: SUPPORT, name: 'Sam Bcc: all@victims.example · Support' });
    await t.ctx.db.updateTable('users').set({ name: 'Sam' }).where('id', '=', user_id).execute();
  });

  it('sends a reply once, also when its job runs twice at the same time or after a worker died (SECURITY 33)', async () => {
    const conversation = (await conversationsOf()).find((c) => c.subject === 'Another question')!;
    // No worker: the reply is committed with its job, and nothing sends it yet (a dead worker).
    await workers.stop();
    const id = json<{ id: string }>(await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'Sent exactly once.' })).id;
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.received.some((m) => m.text?.includes('Sent exactly once'))).toBe(false);
    expect((await messagesOf(conversation.id)).find((m) => m.id === id)?.status).toBe('pending');
    // Two attempts of the job at once: one email.
    const job = { id, data: { accountId, messageId: id }, retryCount: 0, lastAttempt: false };
    await Promise.all([sendEmailReply(t.ctx, job), sendEmailReply(t.ctx, job), sendEmailReply(t.ctx, { ...job, id: 'another-attempt' })]);
    // And the worker, back, finds nothing left to send.
    workers = await startChannelWorkers(t.ctx, log, { fetch: true, receiver: false });
    await until('the reply sent', async () => (await messagesOf(conversation.id)).find((m) => m.id === id && m.status === 'sent'));
    await new Promise((r) => setTimeout(r, 1500));
    const copies = sink.received.filter((m) => m.text?.includes('Sent exactly once'));
    expect(copies).toHaveLength(1);
  });

  it('continues a chat by email: the conversation moves, and the next reply goes by email', async () => {
    const ws = scoped(t.ctx.db, accountId);
    const chat = await ws.insertInto('inboxes', { name: 'Website chat', channel: 'webchat', widget_key: `wk_${Date.now()}` }).returning('id').executeTakeFirstOrThrow();
    const visitor = await ws.insertInto('contacts', { name: 'Gus Visitor', email: null }).returning('id').executeTakeFirstOrThrow();
    const conversation = await ws.insertInto('conversations', { inbox_id: chat.id, contact_id: visitor.id, subject: 'Wheel sizes' }).returning('id').executeTakeFirstOrThrow();
    const move = () => api('POST', `/api/v1/conversations/${conversation.id}/move`, { inbox_id: inboxId });
    // Without an address there is no email to continue by.
    const refused = await move();
    expect(refused.statusCode).toBe(422);
    expect(json<{ error: { message: string } }>(refused).error.message).toMatch(/no email address/);
    await ws.updateTable('contacts').set({ email: 'gus@customer.example' }).where('id', '=', visitor.id).execute();
    const moved = await move();
    expect(moved.statusCode).toBe(200);
    expect(json<{ inbox: { id: string }; channel: string }>(moved)).toMatchObject({ inbox: { id: inboxId }, channel: 'email' });
    expect((await messagesOf(conversation.id)).at(-1)?.content).toMatch(/moved the conversation from Website chat to Support: replies now go by email to gus@customer\.example/);
    await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { content: 'Here are the wheel sizes you asked about.' });
    const sent = await until('the reply by email', async () => sink.received.find((m) => m.text?.includes('wheel sizes you asked')));
    expect(sent.subject).toBe('Re: Wheel sizes');
    expect(sent.to && 'value' in sent.to ? sent.to.value[0].address : '').toBe('gus@customer.example');
    // An answer from Gus (a participant now) joins the conversation.
    await dovecot.deliver(SUPPORT, mail({ from: 'Gus <gus@customer.example>', subject: 'Re: Wheel sizes', id: 'gus-1@customer.example', inReplyTo: sent.messageId!.slice(1, -1), body: 'Great, thanks.' }));
    await until('Gus answer in the moved conversation', async () => (await messagesOf(conversation.id)).find((m) => m.content === 'Great, thanks.'));
  });

  it('stores one message when the same email arrives twice at the same instant (SECURITY 36)', async () => {
    const inbox = { id: inboxId, account_id: accountId, email_address: SUPPORT };
    const raw = Buffer.from(mail({ from: 'Dora <dora@customer.example>', subject: 'Twice', id: 'twice-1@customer.example', body: 'Sent once, delivered twice.' }));
    const outcomes = (await Promise.all([ingestEmail(t.ctx, inbox, raw), ingestEmail(t.ctx, inbox, raw), ingestEmail(t.ctx, inbox, raw)])).map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    const twice = (await conversationsOf()).filter((c) => c.subject === 'Twice');
    expect(twice).toHaveLength(1);
    expect(await messagesOf(twice[0].id)).toHaveLength(1);
  });

  it('marks the inbox failing when the IMAP password stops working, with the reason', async () => {
    const res = await api('PATCH', `/api/v1/inboxes/${inboxId}`, { imap: { ...imap(), password: 'changed-by-someone' } });
    expect(res.statusCode).toBe(200);
    const failing = await until('the failing connection', async () => {
      const inbox = json<{ connection: { status: string; error: string | null } }>(await api('GET', `/api/v1/inboxes/${inboxId}`));
      return inbox.connection.status === 'failing' && inbox.connection;
    }, 20_000);
    expect(failing.error).toMatch(/IMAP server at 127\.0\.0\.1:\d+ refused the user name or password/);
    await api('PATCH', `/api/v1/inboxes/${inboxId}`, { imap: imap() });
  });

  it('receives forwarded mail at the inbox’s forwarding address and refuses other recipients', async () => {
    await workers.stop();
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: { port: 0, host: '127.0.0.1' } });
    const key = (await t.ctx.db.selectFrom('inboxes').select('forward_key').where('id', '=', inboxId).where('account_id', '=', accountId).executeTakeFirstOrThrow()).forward_key!;
    const forwarder = nodemailer.createTransport({ host: '127.0.0.1', port: workers.receiver!.port, secure: false, ignoreTLS: true });
    await forwarder.sendMail({ from: 'Eve Buyer <eve@customer.example>', to: `${key}@${t.ctx.config.emailForwardDomain}`, subject: 'Forwarded question', text: 'Is this forwarded?', messageId: '<fwd-1@customer.example>' });
    await until('the forwarded email', async () => (await conversationsOf()).find((c) => c.subject === 'Forwarded question'));
    await expect(forwarder.sendMail({ from: 'eve@customer.example', to: `inbox-000000000000000000000000@${t.ctx.config.emailForwardDomain}`, subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    forwarder.close();
  });

  it('keeps another workspace out of the inbox, its settings and its mail (SECURITY 1)', async () => {
    const other = await makeWorkspace(t, 'Other');
    const stranger = await sessionFor(t, other.owner.id, other.accountId);
    expect((await api('GET', `/api/v1/inboxes/${inboxId}`, undefined, stranger)).statusCode).toBe(404);
    expect((await api('PATCH', `/api/v1/inboxes/${inboxId}`, { smtp: smtp() }, stranger)).statusCode).toBe(404);
    expect((await api('POST', '/api/v1/inboxes/connection-test', { inbox_id: inboxId, imap: { ...imap(), password: undefined } }, stranger)).statusCode).toBe(404);
    const conversation = (await conversationsOf())[0];
    expect((await api('GET', `/api/v1/conversations/${conversation.id}/messages`, undefined, stranger)).statusCode).toBe(404);
  });
});

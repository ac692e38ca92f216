/**
 * Contact forms: the hosted page, a submission becoming a conversation answered by email with a
 * confirmation sent through the inbox's SMTP server, and the defences against robots and floods.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { createLimiter } from '../src/core/rate-limit.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { json, makeWorkspace, sessionFor, startTestApp, type TestApp } from './helpers.js';
import { startSink } from './support/smtp-sink.js';

const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

describe('contact forms', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let workers: ChannelWorkers;
  let admin: Record<string, string>;
  let accountId: string;
  let inboxId: string;
  let key: string;

  beforeAll(async () => {
    [t, sink] = await Promise.all([startTestApp(), startSink()]);
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
    const inbox = await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'email', name: 'Support', email: 'support@shop.example', smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'smtp-user', password: 'smtp-password' } } });
    inboxId = json<{ id: string }>(inbox).id;
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
  });
  afterAll(async () => {
    await workers?.stop();
    await Promise.all([t?.close(), sink?.close()]);
  });

  /** A stamp as the page would have given it `secondsAgo` ago. */
  const stamp = (secondsAgo: number) => {
    const at = String(Math.floor(Date.now() / 1000) - secondsAgo);
    const nonce = randomBytes(9).toString('base64url');
    return `${at}.${nonce}.${t.ctx.box.sign('form', `${key}:${at}:${nonce}`)}`;
  };
  const post = (fields: Record<string, string>, ip = '203.0.113.7') =>
    t.app.inject({ method: 'POST', url: `/forms/${key}`, remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ stamp: stamp(30), ...fields }).toString() });
  const conversationsWith = (subject: string) => scoped(t.ctx.db, accountId).selectFrom('conversations').select(['id', 'contact_id']).where('subject', '=', subject).execute();

  it('is off until an admin sets it up; then its page asks for the fields, labelled', async () => {
    const off = json<{ enabled: boolean; url: string | null }>(await t.app.inject({ method: 'GET', url: `/api/v1/inboxes/${inboxId}/form`, headers: admin }));
    expect(off).toMatchObject({ enabled: false, url: null });
    const bad = await t.app.inject({ method: 'PUT', url: `/api/v1/inboxes/${inboxId}/form`, headers: admin, payload: { enabled: true, title: 'Contact us', intro: '', fields: [{ key: 'email', label: 'Another email', type: 'email', required: false }], confirmation: true, thanks: 'Thanks!' } });
    expect(bad.statusCode).toBe(400);
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/inboxes/${inboxId}/form`,
      headers: admin,
      payload: { enabled: true, title: 'Write to Northwind', intro: 'We answer within a day.', fields: [{ key: 'order_number', label: 'Order number', type: 'text', required: false }], confirmation: true, thanks: 'Thank you, we got it.' },
    });
    expect(set.statusCode).toBe(200);
    const form = json<{ url: string; embed_snippet: string }>(set);
    key = form.url.split('/forms/')[1];
    expect(form.embed_snippet).toContain(`/forms/${key}?embed=1`);
    const page = await t.app.inject({ method: 'GET', url: `/forms/${key}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors *");
    for (const label of ['Your name', 'Email', 'Subject', 'Order number', 'Message']) expect(page.body).toContain(`>${label}`);
    expect(page.body).toMatch(/<label for="f-email">/);
  });

  it('a submission opens a conversation from the customer and emails a confirmation', async () => {
    const res = await post({ name: 'Priya Patel', email: 'Priya@Example.org', subject: 'Rack installation', order_number: 'A-1042', message: 'Can you install the rack on Saturday?', website: '' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Thank you, we got it.');
    const [conversation] = await conversationsWith('Rack installation');
    const messages = await scoped(t.ctx.db, accountId).selectFrom('messages').select(['content', 'direction', 'status']).where('conversation_id', '=', conversation.id).orderBy('seq').execute();
    expect(messages[0]).toMatchObject({ direction: 'incoming', content: 'Can you install the rack on Saturday?\n\nOrder number: A-1042' });
    const contact = await scoped(t.ctx.db, accountId).selectFrom('contacts').select(['name', 'email']).where('id', '=', conversation.contact_id).executeTakeFirstOrThrow();
    expect(contact).toEqual({ name: 'Priya Patel', email: 'priya@example.org' });
    const confirmation = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = sink.received.find((m) => m.subject === 'Re: Rack installation');
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no confirmation email');
    })();
    expect(confirmation.text).toContain('It has arrived');
    expect(confirmation.to && 'value' in confirmation.to ? confirmation.to.value[0].address : '').toBe('priya@example.org');
  });

  it('Send pressed twice is one conversation', async () => {
    const fields = { name: 'Dan', email: 'dan@example.org', subject: 'Twice', message: 'Once please', stamp: stamp(20) };
    const form = (f: Record<string, string>) => t.app.inject({ method: 'POST', url: `/forms/${key}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(f).toString() });
    await Promise.all([form(fields), form(fields)]);
    expect(await conversationsWith('Twice')).toHaveLength(1);
  });

  it('robots are thanked and nothing is stored: the hidden field filled, or sent faster than anyone types', async () => {
    const trapped = await post({ name: 'Bot', email: 'bot@spam.example', subject: 'Buy now', message: 'x', website: 'https://spam.example' });
    expect(trapped.body).toContain('Thank you, we got it.');
    const fast = await t.app.inject({ method: 'POST', url: `/forms/${key}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ name: 'Bot', email: 'bot@spam.example', subject: 'Buy fast', message: 'x', stamp: stamp(0) }).toString() });
    expect(fast.body).toContain('Thank you, we got it.');
    expect(await conversationsWith('Buy now')).toHaveLength(0);
    expect(await conversationsWith('Buy fast')).toHaveLength(0);
  });

  it('says what to fix, next to the field, keeping what was typed, escaped (SECURITY 11)', async () => {
    const res = await post({ name: '<script>alert(1)</script>', email: 'not an address', subject: '', message: 'Hello "there"' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('Enter an email address such as name@example.com.');
    expect(res.body).toContain('Fill in subject.');
    expect(res.body).toContain('aria-invalid="true" aria-describedby="f-email-error"');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    const forged = await t.app.inject({ method: 'POST', url: `/forms/${key}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ name: 'A', email: 'a@example.org', subject: 'S', message: 'M', stamp: '1.forged' }).toString() });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('The form had expired');
  });

  it('one address sending again and again is stopped, with a sentence (SECURITY 18)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post({ name: 'Flood', email: 'victim@example.org', subject: `Flood ${i}`, message: 'x' }, `198.51.100.${i}`)).statusCode);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
    const refused = await post({ name: 'Flood', email: 'victim@example.org', subject: 'Flood 9', message: 'x' }, '198.51.100.99');
    expect(refused.body).toContain('Too many messages from this address');
  });

  it('a script spread over many addresses and IPs is capped per form, and confirmations per workspace (SECURITY 18)', async () => {
    const { formsPerInbox, formConfirmationsPerWorkspace } = t.ctx.limiters;
    // The real caps are hundreds an hour; the same limiters with room for two, so the test stays short.
    t.ctx.limiters.formsPerInbox = createLimiter(`test-form-inbox-${Date.now()}`, 3, 3600);
    t.ctx.limiters.formConfirmationsPerWorkspace = createLimiter(`test-form-confirmation-${Date.now()}`, 2, 3600);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await post({ name: `Victim ${i}`, email: `victim${i}@spread.example`, subject: `Spread ${i}`, message: 'x' }, `192.0.2.${i}`)).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      // Three conversations, two confirmations: the third is stored, and says why none went out.
      const third = (await conversationsWith('Spread 2'))[0];
      const [message] = await scoped(t.ctx.db, accountId).selectFrom('messages').select(['content_attributes']).where('conversation_id', '=', third.id).orderBy('seq').execute();
      expect(message.content_attributes).toMatchObject({ confirmation_skipped: expect.stringContaining('none was sent') });
      expect(await conversationsWith('Spread 3')).toHaveLength(0);
      const spread = () => sink.received.map((m) => m.subject ?? '').filter((s) => s.startsWith('Re: Spread')).sort();
      for (let i = 0; i < 150 && spread().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1000)); // time for a third, which must not come
      expect(spread()).toEqual(['Re: Spread 0', 'Re: Spread 1']);
    } finally {
      Object.assign(t.ctx.limiters, { formsPerInbox, formConfirmationsPerWorkspace });
    }
  });

  it('a switched-off form, or an unknown key, shows a page that says so', async () => {
    await t.app.inject({ method: 'PUT', url: `/api/v1/inboxes/${inboxId}/form`, headers: admin, payload: { enabled: false, title: 'Write to Northwind', intro: '', fields: [], confirmation: true, thanks: 'Thanks' } });
    const closed = await t.app.inject({ method: 'GET', url: `/forms/${key}` });
    expect(closed.statusCode).toBe(404);
    expect(closed.body).toContain('This form is not available');
    expect((await t.app.inject({ method: 'GET', url: '/forms/fm_unknown' })).statusCode).toBe(404);
  });
});

/**
 * An SMS inbox over Twilio end to end, against a local fake of Twilio's REST API and webhooks:
 * the guided setup (fields, connection test, secrets never answered), webhooks verified by
 * X-Twilio-Signature before anything is stored (SECURITY 21), stored once per MessageSid, MMS
 * media fetched with the account's credentials from Twilio only, one contact per phone number
 * across channels, replies sent with their status callbacks moving them forward, refusals shown
 * with their reason, STOP noted, and workspaces kept apart.
 */
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../src/core/jobs.js';
import { scoped } from '../src/core/db/tenant.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp, until } from './helpers.js';
import { multipart, png } from './files.js';
import { signedForm, startFakeTwilio, twilioSid, type FakeTwilio, type SentMessage } from './support/fake-twilio.js';

QUEUES['messaging.send'] = { ...QUEUES['messaging.send'], retryLimit: 2, retryDelay: 1, retryBackoff: false };
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;


const SHOP_NUMBER = '+14155550100';
const SERVICE_SID = twilioSid('MG');
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

type InboxJson = { id: string; channel: string; inbound_webhook_url: string; provider_settings: Record<string, string>; secrets_set: string[]; connection: { status: string; error: string | null } };
type Conv = { id: string; channel: string; status: string; subject: string; contact: { id: string; name: string } };
type Msg = { id: string; kind: string; content: string; status: string; direction: string; delivery_error: string | null; attachments: Array<{ content_type: string; width: number | null }> };
type Details = { error: { code: string; message: string; details?: Array<{ field: string; message: string }> } };

describe('SMS inbox (Twilio)', () => {
  let t: TestApp;
  let tw: FakeTwilio;
  let workers: ChannelWorkers;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let inbox: InboxJson;
  let serviceInbox: InboxJson;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const hookPath = () => new URL(inbox.inbound_webhook_url).pathname;
  /** Posts a webhook the way Twilio does: form-encoded, signed for the URL it calls. */
  const deliver = (params: Array<[string, string]>, opts: { token?: string; signedUrl?: string; path?: string; headers?: Record<string, string> } = {}) => {
    const signed = signedForm(opts.token ?? tw.account.authToken, opts.signedUrl ?? inbox.inbound_webhook_url, params);
    return t.app.inject({ method: 'POST', url: opts.path ?? hookPath(), headers: { ...signed.headers, ...opts.headers }, payload: signed.payload });
  };
  const conversationsOf = async (headers = admin) => json<{ data: Conv[] }>(await call('GET', `/api/v1/conversations?inbox_id=${inbox.id}&status=all`, undefined, headers)).data;
  const messagesOf = async (id: string) => json<{ data: Msg[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;
  const conversationFrom = async (name: string) => (await conversationsOf()).find((c) => c.contact.name === name)!;
  const stored = async () => {
    const ws = scoped(t.ctx.db, accountId);
    const [messages, external] = await Promise.all([ws.selectFrom('messages').select('id').execute(), ws.selectFrom('external_messages').select('external_id').execute()]);
    return { messages: messages.length, external: external.length };
  };
  const reply = async (conversationId: string, content: string, extra: Record<string, unknown> = {}) => {
    const res = await call('POST', `/api/v1/conversations/${conversationId}/messages`, { content, ...extra }, agent);
    expect(res.statusCode, res.body).toBe(201);
    return json<Msg>(res);
  };
  const statusOf = async (conversationId: string, messageId: string) => (await messagesOf(conversationId)).find((m) => m.id === messageId)!;
  const sentTo = (to: string) => tw.sent.filter((s) => s.to === to);

  beforeAll(async () => {
    tw = await startFakeTwilio();
    tw.account.numbers.add(SHOP_NUMBER);
    tw.account.services.add(SERVICE_SID);
    t = await startTestApp({ twilioApiUrl: tw.url, webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, accountId);
    const person = await makeMember(t, accountId, 'agent');
    agent = await sessionFor(t, person.id, accountId);
    const res = await call('POST', '/api/v1/inboxes', { channel: 'sms', name: 'Shop SMS', settings: { account_sid: tw.account.sid, auth_token: tw.account.authToken, phone_number: SHOP_NUMBER }, member_ids: [ws.owner.id, person.id] });
    expect(res.statusCode, res.body).toBe(201);
    inbox = json<InboxJson>(res);
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await tw?.close();
  });

  it('is set up from its fields: tested against Twilio first, the auth token never answered', async () => {
    const channels = json<{ data: Array<{ channel: string; label: string; address_kind: string; fields: Array<{ name: string; secret: boolean; optional: boolean; pattern: string | null }> }> }>(await call('GET', '/api/v1/channels', undefined, agent)).data;
    const sms = channels.find((c) => c.channel === 'sms')!;
    expect(sms).toMatchObject({ label: 'SMS (Twilio)', address_kind: 'phone' });
    expect(sms.fields.map((f) => [f.name, f.secret, f.optional])).toEqual([
      ['account_sid', false, false],
      ['auth_token', true, false],
      ['phone_number', false, true],
      ['messaging_service_sid', false, true],
    ]);
    expect(sms.fields[0].pattern).toBe('^AC[0-9a-f]{32}$');

    const test = async (settings: Record<string, string>, inboxId?: string) => json<{ ok: boolean; error: string | null }>(await call('POST', '/api/v1/inboxes/channel-test', { channel: 'sms', settings, ...(inboxId ? { inbox_id: inboxId } : {}) }));
    expect(await test({ account_sid: tw.account.sid, auth_token: 'f'.repeat(32), phone_number: SHOP_NUMBER })).toEqual({ ok: false, error: expect.stringContaining('Twilio refused the account SID and auth token') });
    expect(await test({ account_sid: tw.account.sid, auth_token: tw.account.authToken, phone_number: '+14155550199' })).toEqual({ ok: false, error: '+14155550199 is not a number of this Twilio account; pick one under Phone Numbers → Active numbers in the Twilio console.' });
    expect(await test({ account_sid: tw.account.sid, auth_token: tw.account.authToken, phone_number: SHOP_NUMBER })).toEqual({ ok: true, error: null });
    // The stored token is used when the form leaves it out.
    expect(await test({}, inbox.id)).toEqual({ ok: true, error: null });
    tw.account.status = 'suspended';
    expect(await test({}, inbox.id)).toEqual({ ok: false, error: expect.stringContaining('The Twilio account is suspended') });
    tw.account.status = 'active';

    const bad = await call('POST', '/api/v1/inboxes', { channel: 'sms', name: 'Typo', settings: { account_sid: 'AC123', auth_token: tw.account.authToken } });
    expect(bad.statusCode).toBe(400);
    expect(json<Details>(bad).error.details).toEqual([
      { field: 'settings.account_sid', message: expect.stringContaining('AC and 32 hexadecimal characters') },
      { field: 'settings.phone_number', message: 'is required (or settings.messaging_service_sid)' },
    ]);
    const badNumber = await call('POST', '/api/v1/inboxes', { channel: 'sms', name: 'Typo', settings: { account_sid: tw.account.sid, auth_token: tw.account.authToken, phone_number: '415 555 0100' } });
    expect(json<Details>(badNumber).error.details).toEqual([{ field: 'settings.phone_number', message: expect.stringContaining('international form') }]);
    // A messaging service instead of a number will do.
    const service = await call('POST', '/api/v1/inboxes', { channel: 'sms', name: 'Service', settings: { account_sid: tw.account.sid, auth_token: tw.account.authToken, messaging_service_sid: SERVICE_SID } });
    expect(service.statusCode, service.body).toBe(201);
    serviceInbox = json<InboxJson>(service);

    expect(inbox.inbound_webhook_url).toMatch(/^http:\/\/localhost:3000\/webhooks\/sms\/in_[\w-]{24}$/);
    expect(inbox.secrets_set).toEqual(['auth_token']);
    expect(inbox.provider_settings).toEqual({ account_sid: tw.account.sid, phone_number: SHOP_NUMBER });
    const answered = `${(await call('GET', `/api/v1/inboxes/${inbox.id}`)).body}${(await call('GET', '/api/v1/inboxes')).body}`;
    expect(answered).not.toContain(tw.account.authToken);
    const row = await scoped(t.ctx.db, accountId).selectFrom('inboxes').select(['channel_secrets', 'channel_config']).where('id', '=', inbox.id).executeTakeFirstOrThrow();
    expect(`${row.channel_secrets}${JSON.stringify(row.channel_config)}`).not.toContain(tw.account.authToken);
  });

  it('refuses a webhook with a missing or wrong signature, or one signed for another URL, with 401 and stores nothing (SECURITY 21)', async () => {
    const before = await stored();
    const params = tw.incomingMessage({ from: '+4915100000001', to: SHOP_NUMBER, body: 'I am not Twilio' });
    const refused = [
      await deliver(params, { headers: { 'x-twilio-signature': '' } }),
      await deliver(params, { token: 'f'.repeat(32) }),
      await deliver(params, { signedUrl: `${inbox.inbound_webhook_url}x` }),
      await deliver(params, { signedUrl: inbox.inbound_webhook_url.replace('localhost:3000', 'evil.example') }),
      await deliver(params, { signedUrl: `${inbox.inbound_webhook_url}?status=1`, path: `${hookPath()}?status=1x` }),
    ];
    // The body changed after signing: one more parameter.
    const signed = signedForm(tw.account.authToken, inbox.inbound_webhook_url, params);
    refused.push(await t.app.inject({ method: 'POST', url: hookPath(), headers: signed.headers, payload: `${signed.payload}&Body=changed` }));
    for (const res of refused) {
      expect(res.statusCode).toBe(401);
      expect(json<Details>(res).error.code).toBe('invalid_signature');
    }
    expect(await stored()).toEqual(before);
    expect((await conversationsOf()).length).toBe(0);
    expect((await deliver(params, { path: '/webhooks/sms/in_unknownkeyunknownkeyunkn' })).statusCode).toBe(404);
  });

  it('refuses a message of another Twilio account, even signed with this inbox’s token', async () => {
    const before = await stored();
    const other = tw.addAccount();
    const params = tw.incomingMessage({ from: '+4915100000002', to: SHOP_NUMBER, body: 'From elsewhere', account: other });
    const res = await deliver(params);
    expect(res.statusCode).toBe(400);
    expect(json<Details>(res).error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining(`it is for the Twilio account ${other.sid}`) });
    expect((await deliver(params, { token: other.authToken })).statusCode).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it('turns a text into a conversation once, however often Twilio delivers it, and answers empty TwiML', async () => {
    const params = tw.incomingMessage({ from: '+4915112345678', to: SHOP_NUMBER, body: 'Where is my order 1042? 📦' });
    const [a, b] = await Promise.all([deliver(params), deliver(params)]);
    const c = await deliver(params);
    for (const res of [a, b, c]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      expect(res.body).toBe(TWIML);
    }
    const convs = (await conversationsOf()).filter((conv) => conv.contact.name === '+4915112345678');
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ channel: 'sms', status: 'open', subject: 'Where is my order 1042? 📦' });
    expect((await messagesOf(convs[0].id)).map((m) => [m.direction, m.content])).toEqual([['incoming', 'Where is my order 1042? 📦']]);

    await deliver(tw.incomingMessage({ from: '+4915112345678', to: SHOP_NUMBER, body: 'It was due Monday.' }));
    expect((await messagesOf(convs[0].id)).map((m) => m.content)).toEqual(['Where is my order 1042? 📦', 'It was due Monday.']);
  });

  it('downloads MMS media with the account’s credentials from Twilio, never handing them to the CDN or another host', async () => {
    const photo = tw.addMedia(tw.account, png(40, 30), 'image/png');
    const res = await deliver(tw.incomingMessage({ from: '+4915100000003', to: SHOP_NUMBER, body: 'The box was crushed', media: [{ url: photo, contentType: 'image/png' }] }));
    expect(res.statusCode).toBe(200);
    const conv = await conversationFrom('+4915100000003');
    const [message] = await messagesOf(conv.id);
    expect(message.content).toBe('The box was crushed');
    expect(message.attachments).toMatchObject([{ content_type: 'image/png', width: 40 }]);
    const basic = `Basic ${Buffer.from(`${tw.account.sid}:${tw.account.authToken}`).toString('base64')}`;
    expect(tw.mediaRequests.at(-1)).toEqual({ path: new URL(photo).pathname, authorization: basic });
    // Twilio redirected to its CDN, on another host: the credentials stayed behind.
    expect(tw.cdnRequests).toHaveLength(1);
    expect(tw.cdnRequests[0].authorization).toBeUndefined();

    // A media URL on a host that is not Twilio's is fetched, if at all, without them.
    await deliver(tw.incomingMessage({ from: '+4915100000003', to: SHOP_NUMBER, body: 'Again', media: [{ url: `${tw.cdnUrl}${tw.cdnRequests[0].path}`, contentType: 'image/png' }] }));
    expect(tw.cdnRequests).toHaveLength(2);
    expect(tw.cdnRequests[1].authorization).toBeUndefined();
    expect((await messagesOf(conv.id)).at(-1)).toMatchObject({ content: 'Again', attachments: [{ content_type: 'image/png' }] });
  });

  it('never fetches media from a private or link-local address; the text is kept and the reason shown', async () => {
    const before = tw.mediaRequests.length + tw.cdnRequests.length;
    const res = await deliver(
      tw.incomingMessage({
        from: '+4915100000004',
        to: SHOP_NUMBER,
        body: 'See the photos',
        media: [
          { url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', contentType: 'image/jpeg' },
          { url: 'http://10.0.0.1/internal.png', contentType: 'image/png' },
        ],
      }),
    );
    expect(res.statusCode).toBe(200);
    const conv = await conversationFrom('+4915100000004');
    const messages = await messagesOf(conv.id);
    expect(messages.map((m) => [m.kind, m.direction, m.attachments.length])).toEqual([
      ['text', 'incoming', 0],
      ['system', 'outgoing', 0],
      ['system', 'outgoing', 0],
    ]);
    expect(messages[0].content).toBe('See the photos');
    expect(messages[1].content).toMatch(/^A file the customer sent was not kept: sms-image-1\.jpg \(its address points at .*169\.254\.169\.254.*link-local.*, which Rapport never fetches from\)\.$/);
    expect(messages[2].content).toMatch(/^A file the customer sent was not kept: sms-image-2\.png \(its address points at .*10\.0\.0\.1.*private network.*\)\.$/);
    expect(tw.mediaRequests.length + tw.cdnRequests.length).toBe(before);
  });

  it('knows a phone number as one contact on SMS and on the API channel, whichever comes first', async () => {
    const created = await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://127.0.0.1:9/rapport' });
    expect(created.statusCode, created.body).toBe(201);
    const api = json<{ id: string }>(created);
    const start = (phone: string, key: string) => call('POST', '/api/v1/conversations', { inbox_id: api.id, contact: { phone }, message: { content: 'From the app' }, idempotency_key: key });

    // SMS first: the app's contact with that number (written another way) is the same person.
    const smsFirst = await conversationFrom('+4915112345678');
    const viaApi = await start('0049 151 1234 5678', 'same-phone-1');
    expect(viaApi.statusCode, viaApi.body).toBe(201);
    expect(json<{ conversation: { contact: { id: string } } }>(viaApi).conversation.contact.id).toBe(smsFirst.contact.id);

    // The app first: the customer's first text finds that contact.
    const appFirst = json<{ conversation: { contact: { id: string } } }>(await start('+44 7700 900123', 'same-phone-2')).conversation.contact.id;
    await deliver(tw.incomingMessage({ from: '+447700900123', to: SHOP_NUMBER, body: 'Texting now' }));
    const texted = (await conversationsOf()).filter((c) => c.contact.id === appFirst);
    expect(texted).toHaveLength(1);
    const ws = scoped(t.ctx.db, accountId);
    expect(await ws.selectFrom('contacts').select('id').where('phone', 'in', ['+4915112345678', '+447700900123']).execute()).toHaveLength(2);
  });

  it('sends a reply through the Messages API, and its status callbacks move it forward, never back', async () => {
    const conv = await conversationFrom('+4915112345678');
    const sent = await reply(conv.id, 'It ships today.');
    expect(sent.status).toBe('pending');
    await until('the reply sent', async () => (await statusOf(conv.id, sent.id)).status === 'sent');
    const [out] = sentTo('+4915112345678');
    expect(out).toMatchObject({
      accountSid: tw.account.sid,
      from: SHOP_NUMBER,
      messagingServiceSid: null,
      body: 'It ships today.',
      mediaUrls: [],
      statusCallback: inbox.inbound_webhook_url,
      authorization: `Basic ${Buffer.from(`${tw.account.sid}:${tw.account.authToken}`).toString('base64')}`,
    });

    const callback = (message: SentMessage, status: string, errorCode?: number) => deliver(tw.statusCallback(message, status, errorCode), { signedUrl: message.statusCallback! });
    for (const status of ['sent', 'delivered']) {
      const res = await callback(out, status);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(TWIML);
    }
    expect((await statusOf(conv.id, sent.id)).status).toBe('delivered');
    // A late "sent" (callbacks arrive out of order) does not move it back.
    await callback(out, 'sent');
    expect((await statusOf(conv.id, sent.id)).status).toBe('delivered');
    // A status callback needs the signature too.
    expect((await deliver(tw.statusCallback(out, 'undelivered', 30003), { token: 'f'.repeat(32) })).statusCode).toBe(401);
    expect((await statusOf(conv.id, sent.id)).status).toBe('delivered');

    // The phone was switched off: the reason in words, and a late "sent" does not revive it.
    const second = await reply(conv.id, 'Did it arrive?');
    await until('the second reply sent', async () => (await statusOf(conv.id, second.id)).status === 'sent');
    const out2 = sentTo('+4915112345678')[1];
    await callback(out2, 'undelivered', 30003);
    const failed = await statusOf(conv.id, second.id);
    expect(failed).toMatchObject({ status: 'failed', delivery_error: 'The customer’s phone could not be reached (switched off or out of coverage; Twilio error 30003).' });
    await callback(out2, 'sent');
    expect(await statusOf(conv.id, second.id)).toMatchObject({ status: 'failed', delivery_error: failed.delivery_error });

    // An error code without a sentence of ours names the code.
    const third = await reply(conv.id, 'Once more');
    await until('the third reply sent', async () => (await statusOf(conv.id, third.id)).status === 'sent');
    await callback(sentTo('+4915112345678')[2], 'failed', 30008);
    expect((await statusOf(conv.id, third.id)).delivery_error).toBe('Twilio could not deliver the reply (error 30008, https://www.twilio.com/docs/errors/30008).');
  });

  it('splits a reply longer than 1600 characters, and sends attachments by their public URL', async () => {
    const conv = await conversationFrom('+4915100000003');
    const long = `${'word '.repeat(500)}end`;
    const sent = await reply(conv.id, long);
    await until('the long reply sent', async () => (await statusOf(conv.id, sent.id)).status === 'sent');
    const parts = sentTo('+4915100000003');
    expect(parts.length).toBe(2);
    expect(parts.every((p) => (p.body ?? '').length <= 1600)).toBe(true);
    expect(parts.map((p) => p.body).join(' ')).toBe(long);

    // Twilio takes the first part and then has a bad moment: the reply is not sent again from the start.
    tw.failNext(5, undefined, 1);
    const broken = await reply(conv.id, `${'more '.repeat(500)}end`);
    const halfway = await until('the half-sent reply', async () => {
      const m = await statusOf(conv.id, broken.id);
      return m.status === 'failed' && m;
    });
    tw.failNext(0);
    expect(halfway.delivery_error).toBe('Twilio took 1 of the 2 messages of this reply, then could not take the next just then. Retrying sends the whole reply again.');
    expect(sentTo('+4915100000003').length).toBe(3);

    const body = multipart('label.png', png(8, 8), 'image/png');
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conv.id}/attachments`, headers: { ...agent, ...body.headers }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(201);
    const file = json<{ id: string }>(up);
    const withFile = await reply(conv.id, 'Your return label', { attachment_ids: [file.id] });
    await until('the reply with a file sent', async () => (await statusOf(conv.id, withFile.id)).status === 'sent');
    const mms = sentTo('+4915100000003').at(-1)!;
    expect(mms.body).toBe('Your return label');
    expect(mms.mediaUrls).toHaveLength(1);
    // The URL Twilio fetches serves the file without a session.
    const media = new URL(mms.mediaUrls[0]);
    expect(media.origin).toBe('http://localhost:3000');
    const fetched = await t.app.inject({ method: 'GET', url: `${media.pathname}${media.search}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.rawPayload.equals(png(8, 8))).toBe(true);
  });

  it('sends through a messaging service when the inbox has one instead of a number; the customer is the same contact there', async () => {
    const from = '+4915112345678';
    const params = tw.incomingMessage({ from, to: '+14155550142', body: 'Via the service' });
    const signed = signedForm(tw.account.authToken, serviceInbox.inbound_webhook_url, params);
    expect((await t.app.inject({ method: 'POST', url: new URL(serviceInbox.inbound_webhook_url).pathname, headers: signed.headers, payload: signed.payload })).statusCode).toBe(200);
    const convs = json<{ data: Conv[] }>(await call('GET', `/api/v1/conversations?inbox_id=${serviceInbox.id}&status=all`)).data;
    expect(convs).toHaveLength(1);
    expect(convs[0].contact.id).toBe((await conversationFrom(from)).contact.id);
    const before = sentTo(from).length;
    const sent = await call('POST', `/api/v1/conversations/${convs[0].id}/messages`, { content: 'Answered via the service' });
    expect(sent.statusCode).toBe(201);
    await until('the service reply sent', async () => (await statusOf(convs[0].id, json<Msg>(sent).id)).status === 'sent');
    expect(sentTo(from).slice(before)).toMatchObject([{ from: null, messagingServiceSid: SERVICE_SID, body: 'Answered via the service', statusCallback: serviceInbox.inbound_webhook_url }]);
  });

  it('shows a refused reply with Twilio’s reason, and retries one Twilio could not take just then', async () => {
    const conv = await conversationFrom('+4915100000004');
    tw.landlines.add('+4915100000004');
    const refused = await reply(conv.id, 'We will call you.');
    const failed = await until('the refused reply', async () => {
      const m = await statusOf(conv.id, refused.id);
      return m.status === 'failed' && m;
    });
    expect(failed.delivery_error).toBe('The customer’s number is not a mobile number and cannot receive SMS (Twilio error 21614).');
    expect(sentTo('+4915100000004')).toHaveLength(0);

    tw.landlines.delete('+4915100000004');
    tw.failNext(1);
    expect((await call('POST', `/api/v1/conversations/${conv.id}/messages/${refused.id}/retry`, undefined, agent)).statusCode).toBe(200);
    await until('the retried reply sent', async () => (await statusOf(conv.id, refused.id)).status === 'sent');
    expect(sentTo('+4915100000004').map((s) => s.body)).toEqual(['We will call you.']);
  });

  it('notes a STOP on the conversation; replies then fail with that sentence until the customer sends START', async () => {
    const from = '+4915100000005';
    await deliver(tw.incomingMessage({ from, to: SHOP_NUMBER, body: 'My parcel?' }));
    const conv = await conversationFrom(from);
    await deliver(tw.incomingMessage({ from, to: SHOP_NUMBER, body: 'Stop' }));
    expect((await messagesOf(conv.id)).map((m) => [m.kind, m.content])).toEqual([
      ['text', 'My parcel?'],
      ['text', 'Stop'],
      ['system', 'The customer unsubscribed from SMS; replies will fail until they send START.'],
    ]);
    const after = await reply(conv.id, 'Sorry to see you go.');
    const failed = await until('the reply after STOP', async () => {
      const m = await statusOf(conv.id, after.id);
      return m.status === 'failed' && m;
    });
    expect(failed.delivery_error).toBe('The customer unsubscribed from SMS; replies will fail until they send START.');
    expect(sentTo(from)).toHaveLength(0);

    await deliver(tw.incomingMessage({ from, to: SHOP_NUMBER, body: 'START' }));
    expect((await messagesOf(conv.id)).at(-1)).toMatchObject({ kind: 'system', content: 'The customer subscribed to SMS again (START); replies reach them again.' });
    expect((await call('POST', `/api/v1/conversations/${conv.id}/messages/${after.id}/retry`, undefined, agent)).statusCode).toBe(200);
    await until('the reply after START', async () => (await statusOf(conv.id, after.id)).status === 'sent');
  });

  it('marks the inbox failing when Twilio stops taking its credentials', async () => {
    const conv = await conversationFrom('+4915112345678');
    const token = tw.account.authToken;
    tw.account.authToken = 'e'.repeat(32);
    try {
      const refused = await reply(conv.id, 'Token rotated?');
      const failed = await until('the reply with old credentials', async () => {
        const m = await statusOf(conv.id, refused.id);
        return m.status === 'failed' && m;
      });
      expect(failed.delivery_error).toContain('Twilio refused the account SID and auth token');
      expect(json<InboxJson>(await call('GET', `/api/v1/inboxes/${inbox.id}`)).connection).toMatchObject({ status: 'failing', error: expect.stringContaining('Twilio refused the account SID and auth token') });
    } finally {
      tw.account.authToken = token;
    }
  });

  it('keeps another workspace out of the inbox, its settings and its conversations', async () => {
    const other = await makeWorkspace(t, 'Other');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    expect((await call('GET', `/api/v1/inboxes/${inbox.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { settings: { phone_number: '+14155550111' } }, outsider)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/inboxes/channel-test', { channel: 'sms', settings: {}, inbox_id: inbox.id }, outsider)).statusCode).toBe(404);
    const conv = await conversationFrom('+4915112345678');
    expect((await call('GET', `/api/v1/conversations/${conv.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/conversations/${conv.id}/messages`, undefined, outsider)).statusCode).toBe(404);
    expect(json<{ data: Conv[] }>(await call('GET', '/api/v1/conversations?status=all', undefined, outsider)).data).toEqual([]);
    const theirs = scoped(t.ctx.db, other.accountId);
    expect(await theirs.selectFrom('contacts').select('id').where('phone', '=', '+4915112345678').execute()).toEqual([]);
    // The inbox's webhook key does not work on another channel's path.
    expect((await deliver(tw.incomingMessage({ from: '+4915100000009', to: SHOP_NUMBER, body: 'x' }), { path: hookPath().replace('/sms/', '/telegram/') })).statusCode).toBe(404);
  });
});

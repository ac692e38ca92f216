/**
 * A WhatsApp Cloud API inbox end to end, against a local fake of Meta's Graph API: the guided
 * setup (fields, connection test, verify token shown, secrets never answered), Meta's subscription
 * check, webhooks verified by X-Hub-Signature-256 before anything is stored (SECURITY 21), stored
 * once per message id, media fetched by id and never from inside addresses, replies and their
 * statuses (only ever forward), refusals in words, the 24-hour window and templates, one contact
 * per phone number across channels, and workspaces kept apart.
 */
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../src/core/jobs.js';
import { scoped } from '../src/core/db/tenant.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp, tokenFor, until } from './helpers.js';
import { multipart, pdf, png } from './files.js';
import { startFakeMeta, type FakeMeta } from './support/fake-meta.js';

QUEUES['messaging.send'] = { ...QUEUES['messaging.send'], retryLimit: 2, retryDelay: 1, retryBackoff: false };
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;


type InboxJson = { id: string; channel: string; inbound_webhook_url: string; provider_settings: Record<string, string>; secrets_set: string[]; connection: { status: string; error: string | null } };
type Conv = { id: string; channel: string; status: string; subject: string; contact: { id: string; name: string }; reply_window: { closes_at: string | null; open: boolean; template_required: boolean } | null };
type Msg = { id: string; content: string; status: string; direction: string; delivery_error: string | null; attachments: Array<{ file_name: string; content_type: string; width: number | null }> };
type ErrorJson = { error: { code: string; message: string; details?: Array<{ field: string }> } };

const MIA = '4915123456789';
const MIA_E164 = `+${MIA}`;

describe('WhatsApp Cloud API inbox', () => {
  let t: TestApp;
  let meta: FakeMeta;
  let workers: ChannelWorkers;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let inbox: InboxJson;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const settings = (over: Record<string, string> = {}) => ({ phone_number_id: meta.whatsapp.phoneNumberId, business_account_id: meta.whatsapp.businessAccountId, access_token: meta.whatsapp.token, app_secret: meta.appSecret, ...over });
  const pathOf = (i: InboxJson) => new URL(i.inbound_webhook_url).pathname;
  /** Posts a webhook the way Meta does: JSON, signed over the exact bytes. */
  const deliver = (payload: unknown, opts: { signature?: string | null; path?: string; raw?: string } = {}) => {
    const raw = opts.raw ?? JSON.stringify(payload);
    const signature = opts.signature === undefined ? meta.sign(raw) : opts.signature;
    return t.app.inject({ method: 'POST', url: opts.path ?? pathOf(inbox), headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, payload: raw });
  };
  const conversationsOf = async (headers = admin) => json<{ data: Conv[] }>(await call('GET', `/api/v1/conversations?inbox_id=${inbox.id}&status=all`, undefined, headers)).data;
  const conversationOf = async (name: string) => (await conversationsOf()).find((c) => c.contact.name === name)!;
  const messagesOf = async (id: string) => json<{ data: Msg[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;
  const reply = async (conversationId: string, body: Record<string, unknown>) => {
    const res = await call('POST', `/api/v1/conversations/${conversationId}/messages`, body, agent);
    expect(res.statusCode, res.body).toBe(201);
    return json<Msg>(res);
  };
  const settled = (conversationId: string, id: string) => until('the reply settled', async () => (await messagesOf(conversationId)).find((m) => m.id === id && m.status !== 'pending'));
  const statusOf = async (conversationId: string, id: string) => (await messagesOf(conversationId)).find((m) => m.id === id)!.status;
  const backdate = (conversationId: string, hours: number) =>
    scoped(t.ctx.db, accountId).updateTable('conversations').set({ last_incoming_at: new Date(Date.now() - hours * 3600_000) }).where('id', '=', conversationId).execute();

  beforeAll(async () => {
    meta = await startFakeMeta();
    t = await startTestApp({ metaGraphUrl: meta.url, webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, accountId);
    const person = await makeMember(t, accountId, 'agent');
    agent = await sessionFor(t, person.id, accountId);
    const res = await call('POST', '/api/v1/inboxes', { channel: 'whatsapp', name: 'Shop WhatsApp', settings: settings(), member_ids: [ws.owner.id, person.id] });
    expect(res.statusCode, res.body).toBe(201);
    inbox = json<InboxJson>(res);
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await meta?.close();
  });

  it('is set up from its fields: tested first, the verify token shown to paste at Meta, the secrets never answered', async () => {
    const channels = json<{ data: Array<{ channel: string; address_kind: string; reply_window_hours: number | null; fields: Array<{ name: string; secret: boolean; generated: boolean; optional: boolean }> }> }>(await call('GET', '/api/v1/channels', undefined, agent)).data;
    const wa = channels.find((c) => c.channel === 'whatsapp')!;
    expect(wa).toMatchObject({ address_kind: 'phone', reply_window_hours: 24 });
    expect(wa.fields.map((f) => [f.name, f.secret, f.generated, f.optional])).toEqual([
      ['phone_number_id', false, false, false],
      ['business_account_id', false, false, true],
      ['access_token', true, false, false],
      ['app_secret', true, false, false],
      ['verify_token', false, true, false],
    ]);

    const test = async (over: Record<string, string>, inboxId?: string) => json<{ ok: boolean; error: string | null }>(await call('POST', '/api/v1/inboxes/channel-test', { channel: 'whatsapp', settings: over, ...(inboxId ? { inbox_id: inboxId } : {}) }));
    expect(await test(settings({ access_token: 'EAAGwrongwrongwrongwrongwrong' }))).toEqual({ ok: false, error: expect.stringContaining('WhatsApp refused the access token (Invalid OAuth access token') });
    expect(await test(settings({ app_secret: 'f'.repeat(32) }))).toEqual({ ok: false, error: expect.stringContaining('WhatsApp refused the app secret') });
    expect(await test(settings({ phone_number_id: '999999999' }))).toEqual({ ok: false, error: expect.stringContaining("Object with ID '999999999' does not exist") });
    expect(await test(settings())).toEqual({ ok: true, error: null });
    // The stored secrets are used when the form leaves them out.
    expect(await test({}, inbox.id)).toEqual({ ok: true, error: null });

    const bad = await call('POST', '/api/v1/inboxes', { channel: 'whatsapp', name: 'Typo', settings: { ...settings({ phone_number_id: '+1 555 0100', app_secret: 'secret' }), access_token: '' } });
    expect(bad.statusCode).toBe(400);
    expect(json<ErrorJson>(bad).error.details!.map((d) => d.field).sort()).toEqual(['settings.access_token', 'settings.app_secret', 'settings.phone_number_id']);

    expect(inbox.inbound_webhook_url).toMatch(/^http:\/\/localhost:3000\/webhooks\/whatsapp\/in_[\w-]{24}$/);
    expect(inbox.provider_settings).toEqual({ phone_number_id: meta.whatsapp.phoneNumberId, business_account_id: meta.whatsapp.businessAccountId, verify_token: expect.stringMatching(/^[\w-]{32}$/) });
    expect(inbox.secrets_set.sort()).toEqual(['access_token', 'app_secret']);
    expect(inbox.connection.status).toBe('ok');
    expect(meta.subscribed).toContainEqual({ id: meta.whatsapp.businessAccountId, fields: null });
    const answered = (await call('GET', `/api/v1/inboxes/${inbox.id}`)).body + (await call('GET', '/api/v1/inboxes')).body;
    expect(answered).not.toContain(meta.whatsapp.token);
    expect(answered).not.toContain(meta.appSecret);
    const row = await scoped(t.ctx.db, accountId).selectFrom('inboxes').select(['channel_secrets', 'channel_config']).where('id', '=', inbox.id).executeTakeFirstOrThrow();
    expect(`${row.channel_secrets}${JSON.stringify(row.channel_config)}`).not.toContain(meta.whatsapp.token);
  });

  it('answers Meta’s subscription check only with the inbox’s verify token', async () => {
    const check = (query: string) => t.app.inject({ method: 'GET', url: `${pathOf(inbox)}?${query}` });
    const token = inbox.provider_settings.verify_token;
    const right = await check(`hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    expect([right.statusCode, right.body]).toEqual([200, '1158201444']);
    for (const q of [`hub.mode=subscribe&hub.verify_token=${token}x&hub.challenge=1`, `hub.mode=unsubscribe&hub.verify_token=${token}&hub.challenge=1`, `hub.mode=subscribe&hub.challenge=1`, `hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=<script>`]) {
      const res = await check(q);
      expect(res.statusCode, q).toBe(401);
      expect(json<ErrorJson>(res).error.code).toBe('invalid_signature');
    }
    expect((await t.app.inject({ method: 'GET', url: `/webhooks/whatsapp/in_unknownkeyunknownkeyunkn?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1` })).statusCode).toBe(404);
  });

  it('refuses a webhook with a missing or wrong signature with 401, and stores nothing (SECURITY 21)', async () => {
    const payload = meta.wa.webhook({ contacts: [meta.wa.contact('4915000000001', 'Mallory')], messages: [meta.wa.text('4915000000001', 'I am not Meta')] });
    const raw = JSON.stringify(payload);
    const reserialised = JSON.stringify(payload, null, 2);
    for (const signature of [null, '', 'sha256=', meta.sign(raw, 'a'.repeat(32)), meta.sign(reserialised), `sha1=${meta.sign(raw).slice(7)}`, meta.sign(raw).slice(0, -2)]) {
      const res = await deliver(payload, { signature, raw });
      expect(res.statusCode, String(signature)).toBe(401);
      expect(json<ErrorJson>(res).error.code).toBe('invalid_signature');
    }
    expect((await deliver(payload, { path: '/webhooks/whatsapp/in_unknownkeyunknownkeyunkn' })).statusCode).toBe(404);
    expect(await conversationsOf()).toEqual([]);
    const stored = await scoped(t.ctx.db, accountId).selectFrom('contacts').select('id').where('name', '=', 'Mallory').execute();
    expect(stored).toEqual([]);
    // Signed right but not a WhatsApp webhook: said so, nothing stored.
    const wrong = await deliver({ object: 'page', entry: [] });
    expect(wrong.statusCode).toBe(400);
    expect(json<ErrorJson>(wrong).error.message).toContain('This is not a WhatsApp webhook');
  });

  it('turns a message into one conversation with the customer’s WhatsApp name, however often Meta delivers it', async () => {
    const message = meta.wa.text(MIA, 'Wo bleibt meine Bestellung 1042? 📦');
    const payload = meta.wa.webhook({ contacts: [meta.wa.contact(MIA, 'Mia Rossi')], messages: [message] });
    const [a, b] = await Promise.all([deliver(payload), deliver(payload)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect((await deliver(payload)).statusCode).toBe(200);
    const convs = (await conversationsOf()).filter((c) => c.contact.name === 'Mia Rossi');
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ channel: 'whatsapp', status: 'open', subject: 'Wo bleibt meine Bestellung 1042? 📦', reply_window: { open: true, template_required: false } });
    expect(new Date(convs[0].reply_window!.closes_at!).getTime()).toBeGreaterThan(Date.now() + 23.9 * 3600_000);
    expect((await messagesOf(convs[0].id)).map((m) => [m.direction, m.content])).toEqual([['incoming', 'Wo bleibt meine Bestellung 1042? 📦']]);
    const contact = await scoped(t.ctx.db, accountId).selectFrom('contacts').select(['phone']).where('id', '=', convs[0].contact.id).executeTakeFirstOrThrow();
    expect(contact.phone).toBe(MIA_E164);

    // A change for another phone number of the business account is not this inbox's.
    await deliver(meta.wa.webhook({ contacts: [meta.wa.contact('4915000000002', 'Elsewhere')], messages: [meta.wa.text('4915000000002', 'Hello other number')] }, '100000000000001'));
    expect((await conversationsOf()).some((c) => c.contact.name === 'Elsewhere')).toBe(false);
  });

  it('says in words what is not text: buttons, locations, contact cards, unsupported messages; reactions are not messages', async () => {
    const from = '4915111111111';
    await deliver(
      meta.wa.webhook({
        contacts: [meta.wa.contact(from, 'Ben')],
        messages: [
          meta.wa.message(from, 'interactive', { interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes, refund me' } } }),
          meta.wa.message(from, 'location', { location: { latitude: 52.52, longitude: 13.405, name: 'Shop', address: 'Alexanderplatz 1' } }),
          meta.wa.message(from, 'contacts', { contacts: [{ name: { formatted_name: 'Eva Meyer' }, phones: [{ phone: '+49 30 1234567', type: 'WORK' }] }] }),
          meta.wa.message(from, 'reaction', { reaction: { message_id: 'wamid.x', emoji: '👍' } }),
          meta.wa.message(from, 'unsupported', { errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }] }),
        ],
      }),
    );
    const ben = await conversationOf('Ben');
    expect((await messagesOf(ben.id)).map((m) => m.content)).toEqual([
      'Yes, refund me',
      'Shared a location: Shop, Alexanderplatz 1 (52.52, 13.405)',
      'Shared a contact: Eva Meyer +49 30 1234567',
      'Sent a message Rapport cannot show (Message type unknown (Message type is currently not supported)); it can be seen in WhatsApp on the phone.',
    ]);
  });

  it('fetches a photo and a document by their media ids with the token, and keeps them with the message', async () => {
    meta.media.set('media-photo', { bytes: png(40, 30), mimeType: 'image/png' });
    meta.media.set('media-pdf', { bytes: pdf(), mimeType: 'application/pdf' });
    const from = '4915222222222';
    await deliver(
      meta.wa.webhook({
        contacts: [meta.wa.contact(from, 'Ola')],
        messages: [meta.wa.media(from, 'image', 'media-photo', { caption: 'The box was crushed' }), meta.wa.media(from, 'document', 'media-pdf', { filename: 'invoice-1042.pdf', mime_type: 'application/pdf' })],
      }),
    );
    const ola = await conversationOf('Ola');
    const [photo, doc] = await messagesOf(ola.id);
    expect(photo.content).toBe('The box was crushed');
    expect(photo.attachments).toMatchObject([{ content_type: 'image/png', width: 40 }]);
    expect(doc.attachments).toMatchObject([{ file_name: 'invoice-1042.pdf', content_type: 'application/pdf' }]);
  });

  it('never fetches media Meta points at an inside address: the text is kept, the file refused with the reason', async () => {
    meta.media.set('media-metadata', { url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', mimeType: 'image/png' });
    const from = '4915333333333';
    await deliver(meta.wa.webhook({ contacts: [meta.wa.contact(from, 'Ivy')], messages: [meta.wa.media(from, 'image', 'media-metadata', { caption: 'See the photo' })] }));
    const ivy = await conversationOf('Ivy');
    const [message] = await messagesOf(ivy.id);
    expect(message).toMatchObject({ content: 'See the photo', attachments: [] });
    const stored = await scoped(t.ctx.db, accountId).selectFrom('messages').select('content_attributes').where('id', '=', message.id).executeTakeFirstOrThrow();
    expect(stored.content_attributes.blocked_attachments).toEqual([{ file_name: 'image.png', reason: expect.stringMatching(/169\.254\.169\.254.*link-local.*never fetches from/) }]);
  });

  it('sends a reply through the Cloud API, and its statuses move it forward only, whatever their order', async () => {
    const mia = await conversationOf('Mia Rossi');
    const sent = await reply(mia.id, { content: 'It ships today, Mia.' });
    expect(sent.status).toBe('pending');
    expect((await settled(mia.id, sent.id)).status).toBe('sent');
    const call = meta.sent.find((s) => (s.body.text as { body?: string } | undefined)?.body === 'It ships today, Mia.')!;
    expect(call).toMatchObject({ path: `${meta.whatsapp.phoneNumberId}/messages`, token: meta.whatsapp.token, body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: MIA, type: 'text', text: { body: 'It ships today, Mia.', preview_url: false } } });

    const status = (s: 'sent' | 'delivered' | 'read') => deliver(meta.wa.webhook({ statuses: [meta.wa.status(call.id, s, MIA)] }));
    await status('delivered');
    expect(await statusOf(mia.id, sent.id)).toBe('delivered');
    await status('read');
    expect(await statusOf(mia.id, sent.id)).toBe('read');
    // Late, out-of-order statuses never move it back.
    await status('delivered');
    await status('sent');
    await deliver(meta.wa.webhook({ statuses: [meta.wa.status(call.id, 'failed', MIA, [{ code: 131026, title: 'Message undeliverable' }])] }));
    expect(await statusOf(mia.id, sent.id)).toBe('read');
    // A status for a message Rapport never sent changes nothing.
    expect((await deliver(meta.wa.webhook({ statuses: [meta.wa.status('wamid.unknown', 'read', MIA)] }))).statusCode).toBe(200);
  });

  it('sends a file by its public link, and a reply Meta throttles once goes out once', async () => {
    const mia = await conversationOf('Mia Rossi');
    const upload = multipart('label.png', png(8, 8), 'image/png');
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${mia.id}/attachments`, headers: { ...agent, ...upload.headers }, payload: upload.payload });
    expect(up.statusCode, up.body).toBe(201);
    const withFile = await reply(mia.id, { content: 'Your label', attachment_ids: [json<{ id: string }>(up).id] });
    expect((await settled(mia.id, withFile.id)).status).toBe('sent');
    const image = meta.sent.find((s) => s.body.type === 'image')!;
    expect(image.body).toMatchObject({ to: MIA, image: { link: expect.stringMatching(/^http:\/\/localhost:3000\/.+/) } });

    meta.throttleNext(1);
    const once = await reply(mia.id, { content: 'Sent exactly once' });
    expect((await settled(mia.id, once.id)).status).toBe('sent');
    expect(meta.sent.filter((s) => (s.body.text as { body?: string } | undefined)?.body === 'Sent exactly once')).toHaveLength(1);
  });

  it('shows a refused reply with WhatsApp’s reason, and a failed status with its reason', async () => {
    const ola = await conversationOf('Ola');
    meta.refuse.set('4915222222222', { code: 131026, message: '(#131026) Message Undeliverable.', details: 'Message Undeliverable.' });
    const refused = await reply(ola.id, { content: 'We are sending a new one.' });
    const failed = await settled(ola.id, refused.id);
    expect(failed).toMatchObject({ status: 'failed', delivery_error: expect.stringContaining('WhatsApp could not deliver the reply: the number may not use WhatsApp') });
    meta.refuse.delete('4915222222222');

    const later = await reply(ola.id, { content: 'Did it arrive?' });
    expect((await settled(ola.id, later.id)).status).toBe('sent');
    const id = meta.sent.find((s) => (s.body.text as { body?: string } | undefined)?.body === 'Did it arrive?')!.id;
    await deliver(meta.wa.webhook({ statuses: [meta.wa.status(id, 'failed', '4915222222222', [{ code: 131049, title: 'Meta chose not to deliver.', details: 'This message was not delivered to maintain healthy ecosystem engagement.' }])] }));
    expect((await messagesOf(ola.id)).find((m) => m.id === later.id)).toMatchObject({ status: 'failed', delivery_error: expect.stringContaining('This message was not delivered to maintain healthy ecosystem engagement') });
  });

  it('holds the 24-hour window: a free-form reply after it is refused, a template goes out as a template', async () => {
    const ola = await conversationOf('Ola');
    await backdate(ola.id, 25);
    const closed = json<Conv>(await call('GET', `/api/v1/conversations/${ola.id}`));
    expect(closed.reply_window).toMatchObject({ open: false, template_required: true });

    const before = (await messagesOf(ola.id)).length;
    const refused = await call('POST', `/api/v1/conversations/${ola.id}/messages`, { content: 'Any news?' }, agent);
    expect(refused.statusCode).toBe(422);
    expect(json<ErrorJson>(refused).error).toMatchObject({ code: 'reply_window_closed', message: expect.stringContaining('send an approved template instead') });
    expect((await messagesOf(ola.id)).length).toBe(before);
    // A private note is not a reply: still possible.
    expect((await call('POST', `/api/v1/conversations/${ola.id}/messages`, { content: 'Customer silent for a day', private: true }, agent)).statusCode).toBe(201);

    const template = await reply(ola.id, { content: 'Your order 1042 has shipped.', template: { name: 'order_shipped', language: 'en_US', parameters: ['1042'] } });
    expect((await settled(ola.id, template.id)).status).toBe('sent');
    expect(meta.sent.at(-1)!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4915222222222',
      type: 'template',
      template: { name: 'order_shipped', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '1042' }] }] },
    });

    // If the clock ran out between queueing and sending, Meta's 131047 says what to do.
    meta.refuse.set('4915222222222', { code: 131047, message: '(#131047) Re-engagement message', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' });
    await backdate(ola.id, 1);
    const late = await reply(ola.id, { content: 'One more thing' });
    expect(await settled(ola.id, late.id)).toMatchObject({ status: 'failed', delivery_error: 'WhatsApp takes free-form replies only within 24 hours of the customer’s last message; send an approved template instead.' });
    meta.refuse.delete('4915222222222');

    // The customer writing again reopens the window.
    await backdate(ola.id, 30);
    await deliver(meta.wa.webhook({ contacts: [meta.wa.contact('4915222222222', 'Ola')], messages: [meta.wa.text('4915222222222', 'Thanks!')] }));
    expect(json<Conv>(await call('GET', `/api/v1/conversations/${ola.id}`)).reply_window).toMatchObject({ open: true, template_required: false });
  });

  it('knows the customer by phone number across channels: the same contact on WhatsApp and on an API inbox', async () => {
    const member = await makeMember(t, accountId, 'agent');
    const api = json<{ id: string }>(await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://127.0.0.1:9/hook', member_ids: [member.id] }));
    const source = await tokenFor(t, member.id, accountId, 'agent');
    const mia = await conversationOf('Mia Rossi');
    const started = await call('POST', '/api/v1/conversations', { inbox_id: api.id, contact: { phone: '+49 151 2345 6789' }, message: { content: 'Order 1042 from the app' }, idempotency_key: 'mia-app-1' }, source);
    expect(started.statusCode, started.body).toBe(201);
    expect(json<{ conversation: { contact: { id: string } } }>(started).conversation.contact.id).toBe(mia.contact.id);

    // And the other way round: a customer the API inbox knew first writes on WhatsApp.
    const first = json<{ conversation: { contact: { id: string } } }>(await call('POST', '/api/v1/conversations', { inbox_id: api.id, contact: { name: 'Noor', phone: '+44 7700 900123' }, message: { content: 'Hi' }, idempotency_key: 'noor-1' }, source));
    await deliver(meta.wa.webhook({ contacts: [meta.wa.contact('447700900123', 'Noor K.')], messages: [meta.wa.text('447700900123', 'Hi on WhatsApp')] }));
    const onWhatsApp = (await conversationsOf()).find((c) => c.subject === 'Hi on WhatsApp')!;
    expect(onWhatsApp.contact.id).toBe(first.conversation.contact.id);
  });

  it('keeps another workspace out: its admin sees nothing, its own inbox’s webhooks cannot touch this one’s replies', async () => {
    const other = await makeWorkspace(t, 'Other');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    expect((await call('GET', `/api/v1/inboxes/${inbox.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { settings: { access_token: meta.whatsapp.token } }, outsider)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/inboxes/channel-test', { channel: 'whatsapp', settings: {}, inbox_id: inbox.id }, outsider)).statusCode).toBe(404);
    const mia = await conversationOf('Mia Rossi');
    expect((await call('GET', `/api/v1/conversations/${mia.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/conversations/${mia.id}/messages`, { content: 'hi' }, outsider)).statusCode).toBe(404);

    // The other workspace connects the same number (its own inbox, its own verify token): a status
    // for this workspace's reply, delivered to the other inbox, finds nothing there.
    const theirs = json<InboxJson>(await call('POST', '/api/v1/inboxes', { channel: 'whatsapp', name: 'Copycat', settings: settings() }, outsider));
    const ours = await reply(mia.id, { content: 'Only ours' });
    expect((await settled(mia.id, ours.id)).status).toBe('sent');
    const id = meta.sent.at(-1)!.id;
    expect((await deliver(meta.wa.webhook({ statuses: [meta.wa.status(id, 'read', MIA)] }), { path: pathOf(theirs) })).statusCode).toBe(200);
    expect(await statusOf(mia.id, ours.id)).toBe('sent');
    expect(json<{ data: Conv[] }>(await call('GET', '/api/v1/conversations?status=all', undefined, outsider)).data).toEqual([]);
  });

  it('marks the inbox failing when Meta stops taking its token', async () => {
    meta.revoked.add(meta.whatsapp.token);
    const mia = await conversationOf('Mia Rossi');
    const refused = await reply(mia.id, { content: 'After the token was revoked' });
    expect(await settled(mia.id, refused.id)).toMatchObject({ status: 'failed', delivery_error: expect.stringContaining('WhatsApp refused the access token') });
    const now = json<InboxJson>(await call('GET', `/api/v1/inboxes/${inbox.id}`));
    expect(now.connection).toMatchObject({ status: 'failing', error: expect.stringContaining('make a new one in Meta') });
    meta.revoked.delete(meta.whatsapp.token);
  });
});

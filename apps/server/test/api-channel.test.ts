/**
 * The API channel end to end: a custom source starts conversations and sends the customer's
 * messages by API (idempotent, one contact across channels), and agents' replies reach a real
 * HTTP receiver on 127.0.0.1, signed, retried with the same delivery id, switched off by 410,
 * and never sent to a private address unless WEBHOOK_ALLOW_PRIVATE_HOSTS says so.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { QUEUES } from '../src/core/jobs.js';
import { scoped } from '../src/core/db/tenant.js';
import { postWebhook, webhookLimits } from '../src/features/channels/api/webhook-post.js';
import { allowListOf, checkWebhookUrl, resolveTarget, WebhookTargetRefused } from '../src/features/channels/api/webhook-target.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp, tokenFor, until } from './helpers.js';
import { RECEIVER_SECRET_TEXT, startWebhookReceiver, verifySignature, type WebhookReceiver } from './support/webhook-receiver.js';

// Short waits, so retries take a second or two: one retry, and a receiver that hangs is given up on after 0.4 s.
QUEUES['api.deliver'] = { ...QUEUES['api.deliver'], retryLimit: 1, retryDelay: 1 };
webhookLimits.timeoutMs = 400;

const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;


type Msg = { id: string; status: string; content: string; direction: string; delivery_error: string | null; author: { type: string; id: string } };
type Started = { conversation: { id: string; channel: string; subject: string; status: string; inbox: { id: string }; contact: { id: string; name: string; email: string | null } }; message: Msg };
type InboxJson = { id: string; webhook_url: string | null; webhook_secret?: string; webhook_disabled_at: string | null; connection: { status: string; error: string | null; part: string | null } };
type Details = { error: { code: string; details?: Array<{ field: string; message: string }> } };

describe('API channel', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let workers: ChannelWorkers;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let source: Record<string, string>;
  let inbox: InboxJson;
  let secret: string;
  let ana: Started;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const start = (body: Record<string, unknown>, headers = source) => call('POST', '/api/v1/conversations', { inbox_id: inbox.id, message: { content: 'Hello' }, ...body }, headers);
  const inboxNow = async () => json<InboxJson>(await call('GET', `/api/v1/inboxes/${inbox.id}`));
  const messageOf = async (conversationId: string, id: string) => json<{ data: Msg[] }>(await call('GET', `/api/v1/conversations/${conversationId}/messages`)).data.find((m) => m.id === id)!;
  const reply = async (content: string) => {
    const res = await call('POST', `/api/v1/conversations/${ana.conversation.id}/messages`, { content }, agent);
    expect(res.statusCode).toBe(201);
    return json<Msg>(res);
  };
  const settled = (m: Msg) => until(`reply ${m.content} settled`, async () => {
    const now = await messageOf(ana.conversation.id, m.id);
    return now.status !== 'pending' && now;
  });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({ webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, accountId);
    const person = await makeMember(t, accountId, 'agent');
    agent = await sessionFor(t, person.id, accountId);
    source = await tokenFor(t, person.id, accountId, 'agent');
    const res = await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: receiver.url, member_ids: [ws.owner.id, person.id] });
    expect(res.statusCode).toBe(201);
    inbox = json<InboxJson>(res);
    secret = inbox.webhook_secret!;
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await receiver?.close();
  });

  it('requires authentication', async () => {
    for (const url of ['/api/v1/conversations', `/api/v1/conversations/${inbox.id}/incoming-messages`, `/api/v1/inboxes/${inbox.id}/webhook-secret`]) {
      const res = await t.app.inject({ method: 'POST', url, payload: {} });
      expect(res.statusCode).toBe(401);
      expect(json<Details>(res).error.code).toBe('unauthenticated');
    }
  });

  it('creates an API inbox whose signing secret admins see, sealed at rest, and agents do not', async () => {
    expect(inbox).toMatchObject({ webhook_url: receiver.url, webhook_disabled_at: null, connection: { status: 'unknown', part: null } });
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    const row = await scoped(t.ctx.db, accountId).selectFrom('inboxes').select('channel_secrets').where('id', '=', inbox.id).executeTakeFirstOrThrow();
    expect(row.channel_secrets).not.toContain(secret);
    expect((await inboxNow()).webhook_secret).toBe(secret);
    const asAgent = json<InboxJson>(await call('GET', `/api/v1/inboxes/${inbox.id}`, undefined, agent));
    expect(asAgent.webhook_url).toBe(receiver.url);
    expect(asAgent).not.toHaveProperty('webhook_secret');
    expect((await call('GET', '/api/v1/inboxes')).body).not.toContain(secret);
  });

  it('refuses webhook URLs into private networks when saving, in every spelling (SECURITY 19)', async () => {
    t.ctx.config.webhookAllowPrivateHosts = [];
    try {
      const refused = ['http://127.0.0.1:8080/hook', 'https://127.0.0.1/hook', 'https://169.254.169.254/latest/meta-data/', 'https://2130706433/', 'https://0x7f000001/', 'https://017700000001/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://10.0.0.8/', 'https://172.16.5.4/', 'https://192.168.1.1/', 'https://100.64.1.1/', 'https://[fd12::1]/', 'https://[fe80::1]/', 'https://0.0.0.0/', 'https://localhost/hook'];
      for (const url of refused.concat(['ftp://hooks.example/', 'https://user:password@hooks.example/', 'not a url'])) {
        const res = await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Sneaky', webhook_url: url });
        expect(res.statusCode, url).toBe(422);
        expect(json<Details>(res).error).toMatchObject({ code: 'invalid_webhook_url', details: [{ field: 'webhook_url' }] });
      }
      const metadata = json<Details & { error: { message: string } }>(await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Sneaky', webhook_url: 'https://169.254.169.254/' }));
      expect(metadata.error.message).toMatch(/169\.254\.169\.254 \(a link-local address/);
      const numeric = json<Details & { error: { message: string } }>(await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Sneaky', webhook_url: 'https://2130706433/' }));
      expect(numeric.error.message).toMatch(/127\.0\.0\.1 \(a loopback address\)/);
      const patched = await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { webhook_url: 'https://[::1]/hook' });
      expect(patched.statusCode).toBe(422);
      expect((await inboxNow()).webhook_url).toBe(receiver.url);
    } finally {
      t.ctx.config.webhookAllowPrivateHosts = ['127.0.0.1'];
    }
    expect(await scoped(t.ctx.db, accountId).selectFrom('inboxes').select('id').where('name', '=', 'Sneaky').execute()).toEqual([]);
  });

  it('checks every address a name resolves to, so one private answer refuses it (DNS rebinding)', async () => {
    const none = allowListOf([]);
    const answers = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    await expect(resolveTarget('hooks.example', none, answers('93.184.216.34', '10.0.0.1'))).rejects.toThrow(WebhookTargetRefused);
    await expect(resolveTarget('hooks.example', none, answers('::ffff:169.254.169.254'))).rejects.toThrow(/link-local/);
    await expect(resolveTarget('hooks.example', none, answers('64:ff9b::7f00:1'))).rejects.toThrow(WebhookTargetRefused);
    expect(await resolveTarget('hooks.example', none, answers('93.184.216.34'))).toEqual([{ address: '93.184.216.34', family: 4 }]);

    // A name that was public when saved and points inward when connecting is refused then, before any request.
    let lookups = 0;
    const rebinding = async () => [{ address: lookups++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    const url = `https://rebind.test:${receiver.port}/hooks/rapport`;
    expect(await checkWebhookUrl(url, none, rebinding)).toMatchObject({ ok: true });
    const before = receiver.received.length;
    const refused = await postWebhook({ url, secret, id: 'delivery-1', body: '{}', allow: none, resolve: rebinding });
    expect(refused).toMatchObject({ kind: 'refused', blocked: true, reason: expect.stringMatching(/rebind\.test, which resolves to 127\.0\.0\.1/) });
    expect(receiver.received.length).toBe(before);
    // The connection goes to the address the check passed (the name is unknown to the system's DNS).
    const local = `http://rebind.test:${receiver.port}/hooks/rapport`;
    const pinned = await postWebhook({ url: local, secret, id: 'delivery-2', body: '{}', allow: allowListOf(['rebind.test']), resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(pinned).toEqual({ kind: 'delivered', status: 200 });
    expect(receiver.deliveriesOf('delivery-2')).toHaveLength(1);
  });

  it('starts a conversation by API; the same key answers the same conversation, a reused key is refused', async () => {
    const body = { contact: { name: 'Ana Customer', email: 'Ana@Customer.example', phone: '+49 151 2345 6789' }, message: { content: 'Where is my order 1042?' }, idempotency_key: 'shop-msg-1042-1' };
    const first = await start(body);
    expect(first.statusCode).toBe(201);
    ana = json<Started>(first);
    expect(ana.conversation).toMatchObject({ channel: 'api', subject: 'Where is my order 1042?', inbox: { id: inbox.id }, contact: { name: 'Ana Customer', email: 'ana@customer.example' } });
    expect(ana.message).toMatchObject({ direction: 'incoming', content: 'Where is my order 1042?', author: { type: 'contact', id: ana.conversation.contact.id } });
    const again = await start(body);
    expect(again.statusCode).toBe(200);
    expect(json<Started>(again)).toMatchObject({ conversation: { id: ana.conversation.id }, message: { id: ana.message.id } });
    const reused = await start({ ...body, message: { content: 'Something else' } });
    expect(reused.statusCode).toBe(409);
    expect(json<Details>(reused).error).toMatchObject({ code: 'idempotency_key_reused', details: [{ field: 'idempotency_key' }] });
  });

  it('makes one conversation and one contact of requests that arrive at the same instant (SECURITY 36)', async () => {
    const same = { contact: { email: 'cleo@customer.example' }, message: { content: 'Double click' }, idempotency_key: 'burst-1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => start(same)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => json<Started>(r).conversation.id)).size).toBe(1);
    const distinct = await Promise.all([1, 2, 3].map((n) => start({ contact: { email: 'dora@customer.example' }, message: { content: `Question ${n}` }, idempotency_key: `dora-${n}` })));
    expect(distinct.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(distinct.map((r) => json<Started>(r).conversation.contact.id)).size).toBe(1);
    const ws = scoped(t.ctx.db, accountId);
    expect(await ws.selectFrom('contacts').select('id').where('email', 'in', ['cleo@customer.example', 'dora@customer.example']).execute()).toHaveLength(2);
  });

  it('finds the contact an email already reached, and a contact by phone, across channels', async () => {
    const ws = scoped(t.ctx.db, accountId);
    // As email ingest leaves it: a contact with an unverified email identity.
    const ben = await ws.insertInto('contacts', { name: 'Ben', email: 'ben@customer.example' }).returning('id').executeTakeFirstOrThrow();
    await ws.insertInto('contact_identities', { contact_id: ben.id, kind: 'email', value: 'ben@customer.example', inbox_id: null }).execute();
    const byEmail = json<Started>(await start({ contact: { name: 'Benjamin', email: 'BEN@customer.example' }, idempotency_key: 'ben-1' }));
    expect(byEmail.conversation.contact).toEqual({ id: ben.id, name: 'Ben', email: 'ben@customer.example' });
    const byPhone = json<Started>(await start({ contact: { phone: '0049 151 2345-6789' }, idempotency_key: 'phone-1' }));
    expect(byPhone.conversation.contact.id).toBe(ana.conversation.contact.id);
  });

  it('refuses what it cannot use, naming the fields; only API inboxes the caller works in', async () => {
    const fields = async (res: Awaited<ReturnType<typeof start>>) => json<Details>(res).error.details?.map((d) => d.field);
    const nobody = await start({ contact: {}, idempotency_key: 'x-1' });
    expect(nobody.statusCode).toBe(400);
    expect(await fields(nobody)).toEqual(['contact']);
    const bad = await start({ contact: { email: '"a@evil.example"@customer.example', phone: '12' }, message: { content: '   ' }, idempotency_key: 'x-2' });
    expect(bad.statusCode).toBe(400);
    expect(await fields(bad)).toEqual(['contact.email', 'contact.phone', 'message.content']);
    expect((await start({ contact: { name: 'A' }, idempotency_key: 'has space' })).statusCode).toBe(400);
    expect((await start({ contact: { name: 'A' }, idempotency_key: 'x-3', account_id: accountId })).statusCode).toBe(400);
    const chat = json<{ id: string }>(await call('POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Chat' }));
    const wrongChannel = await start({ inbox_id: chat.id, contact: { name: 'A' }, idempotency_key: 'x-4' }, admin);
    expect(wrongChannel.statusCode).toBe(422);
    expect(json<Details>(wrongChannel).error.code).toBe('invalid_state');
    expect((await start({ inbox_id: '00000000-0000-4000-8000-000000000000', contact: { name: 'A' }, idempotency_key: 'x-5' })).statusCode).toBe(404);
    // An agent who does not work in the inbox learns nothing of it.
    const stranger = await makeMember(t, accountId, 'agent');
    expect((await start({ contact: { name: 'A' }, idempotency_key: 'x-6' }, await tokenFor(t, stranger.id, accountId, 'agent'))).statusCode).toBe(404);
  });

  it('adds the customer’s further messages once per key, reopening a resolved conversation', async () => {
    await call('PATCH', `/api/v1/conversations/${ana.conversation.id}`, { status: 'resolved' });
    const url = `/api/v1/conversations/${ana.conversation.id}/incoming-messages`;
    const first = await call('POST', url, { content: 'Any news? 🙏', idempotency_key: 'shop-msg-1042-2' }, source);
    expect(first.statusCode).toBe(201);
    const message = json<Msg>(first);
    expect(message).toMatchObject({ direction: 'incoming', content: 'Any news? 🙏', author: { type: 'contact', id: ana.conversation.contact.id } });
    const again = await call('POST', url, { content: 'Any news? 🙏', idempotency_key: 'shop-msg-1042-2' }, source);
    expect([again.statusCode, json<Msg>(again).id]).toEqual([200, message.id]);
    // The key that started the conversation names that request, not this one.
    expect((await call('POST', url, { content: 'Any news? 🙏', idempotency_key: 'shop-msg-1042-1' }, source)).statusCode).toBe(409);
    expect(json<{ status: string }>(await call('GET', `/api/v1/conversations/${ana.conversation.id}`)).status).toBe('open');
  });

  it('delivers an agent reply to the webhook, signed over a body with emoji (SECURITY 20, 21)', async () => {
    await call('POST', `/api/v1/conversations/${ana.conversation.id}/messages`, { content: 'Note: customer is VIP', private: true }, agent);
    const sent = await reply('Unterwegs 🚚 — Ankunft morgen ✓');
    expect(sent.status).toBe('pending');
    expect((await settled(sent)).status).toBe('sent');
    const [delivery] = receiver.deliveriesOf(sent.id);
    expect(delivery.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(verifySignature(delivery, secret)).toBe(true);
    expect(verifySignature({ ...delivery, raw: Buffer.concat([delivery.raw, Buffer.from(' ')]) }, secret)).toBe(false);
    const body = JSON.parse(delivery.raw.toString('utf8')) as { id: string; event: string; conversation: { id: string; contact: { email: string } }; message: Msg };
    expect(body).toMatchObject({ id: sent.id, event: 'message.created', conversation: { id: ana.conversation.id, contact: { email: 'ana@customer.example' } }, message: { id: sent.id, content: 'Unterwegs 🚚 — Ankunft morgen ✓', direction: 'outgoing' } });
    // A private note is never sent to the customer's side.
    expect(receiver.received.some((r) => r.raw.toString().includes('VIP'))).toBe(false);
    expect((await inboxNow()).connection).toMatchObject({ status: 'ok', part: null });
  });

  it('tries again after a 500, and after a receiver that hangs, with the same delivery id', async () => {
    receiver.plan('fail500');
    const afterError = await reply('Second try works');
    expect((await settled(afterError)).status).toBe('sent');
    const attempts = receiver.deliveriesOf(afterError.id);
    expect(attempts).toHaveLength(2);
    expect(attempts.every((a) => verifySignature(a, secret) && JSON.parse(a.raw.toString()).id === afterError.id)).toBe(true);

    receiver.plan('hang');
    const afterHang = await reply('Patience');
    expect((await settled(afterHang)).status).toBe('sent');
    const [hung, answered] = receiver.deliveriesOf(afterHang.id);
    expect(answered.headers['x-rapport-delivery']).toBe(hung.headers['x-rapport-delivery']);
    // An answer that never ends is read up to 64 KB, not waited for.
    receiver.plan('flood');
    const flooded = await reply('Big answer');
    expect((await settled(flooded)).status).toBe('sent');
    expect(receiver.deliveriesOf(flooded.id)).toHaveLength(1);
  });

  it('fails a refused reply with the status, never the receiver’s answer, and sends it when retried', async () => {
    receiver.plan('bad400');
    const refused = await reply('Refused once');
    const failed = await settled(refused);
    expect(failed).toMatchObject({ status: 'failed', delivery_error: expect.stringMatching(/refused this delivery \(HTTP 400\)/) });
    expect(receiver.deliveriesOf(refused.id)).toHaveLength(1);
    const shown = JSON.stringify([failed, await inboxNow()]);
    expect(shown).not.toContain(RECEIVER_SECRET_TEXT);
    expect((await inboxNow()).connection).toMatchObject({ status: 'failing', part: 'webhook' });
    expect((await call('POST', `/api/v1/conversations/${ana.conversation.id}/messages/${refused.id}/retry`, undefined, agent)).statusCode).toBe(200);
    expect((await settled(refused)).status).toBe('sent');
    expect(receiver.deliveriesOf(refused.id).map((r) => r.headers['x-rapport-delivery'])).toEqual([refused.id, refused.id]);
  });

  it('fails a reply after the last attempt, and switches off a webhook that keeps failing (SECURITY 22)', async () => {
    await scoped(t.ctx.db, accountId).updateTable('inboxes').set({ webhook_failures: 4 }).where('id', '=', inbox.id).execute();
    receiver.plan('fail500', 'fail500');
    const down = await reply('Nobody home');
    expect(await settled(down)).toMatchObject({ status: 'failed', delivery_error: expect.stringMatching(/after several tries: .*HTTP 500/) });
    expect(receiver.deliveriesOf(down.id)).toHaveLength(2);
    expect((await inboxNow()).connection.error).toMatch(/5 replies in a row could not be delivered/);
    expect((await inboxNow()).webhook_disabled_at).not.toBeNull();
    expect((await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { webhook_url: receiver.url })).statusCode).toBe(200);
  });

  it('410 Gone switches the webhook off until its URL is saved again; replies are still stored', async () => {
    receiver.plan('gone');
    const gone = await reply('Hello?');
    expect(await settled(gone)).toMatchObject({ status: 'failed', delivery_error: expect.stringMatching(/410 Gone/) });
    const off = await inboxNow();
    expect(off.webhook_disabled_at).not.toBeNull();
    expect(off.connection).toMatchObject({ status: 'failing', part: 'webhook', error: expect.stringMatching(/410 Gone/) });
    const before = receiver.received.length;
    const meanwhile = await reply('Stored anyway');
    expect(await settled(meanwhile)).toMatchObject({ status: 'failed', delivery_error: expect.stringMatching(/switched off/) });
    expect(receiver.received.length).toBe(before);
    const on = json<InboxJson>(await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { webhook_url: receiver.url }));
    expect(on).toMatchObject({ webhook_disabled_at: null, connection: { status: 'unknown' } });
    await call('POST', `/api/v1/conversations/${ana.conversation.id}/messages/${meanwhile.id}/retry`, undefined, agent);
    expect((await settled(meanwhile)).status).toBe('sent');
  });

  it('refuses at send time a target that became private (allow list changed, or DNS now points inward)', async () => {
    t.ctx.config.webhookAllowPrivateHosts = [];
    try {
      const before = receiver.received.length;
      const blocked = await reply('Not to localhost');
      expect(await settled(blocked)).toMatchObject({ status: 'failed', delivery_error: expect.stringMatching(/127\.0\.0\.1 \(a loopback address\)/) });
      expect(receiver.received.length).toBe(before);
      expect((await inboxNow()).connection).toMatchObject({ status: 'failing', part: 'webhook' });
    } finally {
      t.ctx.config.webhookAllowPrivateHosts = ['127.0.0.1'];
    }
  });

  it('rotates the webhook secret: audited, and the next delivery is signed with the new one', async () => {
    const res = await call('POST', `/api/v1/inboxes/${inbox.id}/webhook-secret`);
    expect(res.statusCode).toBe(200);
    const rotated = json<InboxJson>(res).webhook_secret!;
    expect(rotated).not.toBe(secret);
    const audit = await scoped(t.ctx.db, accountId).selectFrom('audit_events').select('target_id').where('action', '=', 'inbox.webhook_secret_rotated').execute();
    expect(audit).toEqual([{ target_id: inbox.id }]);
    const next = await reply('Signed anew');
    expect((await settled(next)).status).toBe('sent');
    const [delivery] = receiver.deliveriesOf(next.id);
    expect([verifySignature(delivery, rotated), verifySignature(delivery, secret)]).toEqual([true, false]);
    secret = rotated;
  });

  it('another workspace can neither see nor use the inbox or its conversations (SECURITY 1)', async () => {
    const other = await makeWorkspace(t, 'Other');
    const them = await sessionFor(t, other.owner.id, other.accountId);
    const token = await tokenFor(t, other.owner.id, other.accountId, 'admin');
    const before = await scoped(t.ctx.db, accountId).selectFrom('conversations').select('id').execute();
    expect((await call('GET', `/api/v1/inboxes/${inbox.id}`, undefined, them)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { webhook_url: 'https://hooks.other.example/' }, them)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/inboxes/${inbox.id}/webhook-secret`, undefined, them)).statusCode).toBe(404);
    expect((await start({ contact: { name: 'Intruder' }, idempotency_key: 'intrude-1' }, token)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/conversations/${ana.conversation.id}/incoming-messages`, { content: 'hi', idempotency_key: 'intrude-2' }, token)).statusCode).toBe(404);
    expect(await scoped(t.ctx.db, accountId).selectFrom('conversations').select('id').execute()).toEqual(before);
    expect((await inboxNow()).webhook_secret).toBe(secret);
  });
});

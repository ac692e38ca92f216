/**
 * Outgoing webhooks end to end, against a real HTTP receiver on 127.0.0.1: subscriptions per
 * event, deliveries signed with the secret the API shows (SECURITY 20) and carrying the same JSON
 * as the app, each event once per webhook (also with two dispatchers at once), retries with the
 * same delivery id, a log with status codes, 410 and repeated failures switching a webhook off
 * (SECURITY 22), private targets refused (SECURITY 19), and workspaces kept apart.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../src/core/jobs.js';
import { webhookLimits } from '../src/features/channels/api/webhook-post.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { dispatchWebhooks } from '../src/features/webhooks/dispatch.js';
import { json, makeWorkspace, sessionFor, startTestApp, type TestApp, tokenFor, until } from './helpers.js';
import { startWebhookReceiver, verifySignature, type Received, type WebhookReceiver } from './support/webhook-receiver.js';

QUEUES['webhook.deliver'] = { ...QUEUES['webhook.deliver'], retryLimit: 1, retryDelay: 1, retryBackoff: false };
webhookLimits.timeoutMs = 1000;
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;


type Hook = { id: string; url: string; events: string[]; enabled: boolean; disabled_reason: string | null; secret?: string };
type Delivery = { id: string; event: string; status: string; attempts: number; response_status: number | null; error: string | null };
type Body = { id: string; event: string; data: { conversation?: { id: string; status: string }; message?: { content: string; direction: string } } };

describe('outgoing webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let workers: ChannelWorkers;
  let admin: Record<string, string>;
  let source: Record<string, string>;
  let inboxId: string;
  let all: Hook;
  let updatesOnly: Hook;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  /** What the event webhooks received (the API inbox's reply deliveries go to the same receiver, without X-Rapport-Event). */
  const events = () => receiver.received.filter((r) => r.headers['x-rapport-event']);
  const bodyOf = (r: Received) => JSON.parse(r.raw.toString('utf8')) as Body;
  const forConversation = (id: string) => events().filter((r) => bodyOf(r).data.conversation?.id === id);
  const startConversation = async (content: string) => {
    const res = await call('POST', '/api/v1/conversations', { inbox_id: inboxId, contact: { email: `${content.length}-${Date.now()}@customer.example` }, message: { content }, idempotency_key: randomUUID() }, source);
    expect(res.statusCode, res.body).toBe(201);
    return json<{ conversation: { id: string } }>(res).conversation.id;
  };
  const deliveriesOf = async (hook: Hook) => json<{ data: Delivery[] }>(await call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).data;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({ webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
    source = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
    inboxId = json<{ id: string }>(await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: `${receiver.url}?inbox` })).id;
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await receiver?.close();
  });

  it('is created with events to receive and a public URL; says what is wrong otherwise (SECURITY 19)', async () => {
    const listed = json<{ data: Array<{ event: string }> }>(await call('GET', '/api/v1/webhooks/events')).data.map((e) => e.event);
    expect(listed).toEqual(['conversation.created', 'conversation.updated', 'message.created', 'message.updated', 'sla.warning', 'sla.breached', 'contact.updated']);

    const inward = await call('POST', '/api/v1/webhooks', { url: 'https://169.254.169.254/latest/meta-data', events: ['message.created'] });
    expect(inward.statusCode).toBe(422);
    expect(json<{ error: { code: string; message: string; details: Array<{ field: string }> } }>(inward).error).toMatchObject({ code: 'invalid_webhook_url', message: expect.stringContaining('link-local'), details: [{ field: 'url' }] });
    expect((await call('POST', '/api/v1/webhooks', { url: receiver.url, events: [] })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['message.deleted'] })).statusCode).toBe(400);

    const res = await call('POST', '/api/v1/webhooks', { url: `${receiver.url}?all`, events: ['conversation.created', 'conversation.updated', 'message.created', 'message.updated'], description: 'CRM sync' });
    expect(res.statusCode).toBe(201);
    all = json<Hook>(res);
    expect(all.secret).toMatch(/^whsec_[\w-]{43}$/);
    updatesOnly = json<Hook>(await call('POST', '/api/v1/webhooks', { url: `${receiver.url}?updates`, events: ['conversation.updated'] }));
    // The list leaves the secrets out.
    expect(json<{ data: Hook[] }>(await call('GET', '/api/v1/webhooks')).data.map((h) => h.secret)).toEqual([undefined, undefined]);
  });

  it('delivers each subscribed event once, signed with the secret the API shows, with the app’s JSON', async () => {
    const id = await startConversation('My bike arrived with a bent wheel');
    await until('created events', () => forConversation(id).length >= 2 && true);
    await call('POST', `/api/v1/conversations/${id}/messages`, { content: 'Sorry to hear that; a new wheel is on its way.' });
    await call('PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' });
    await until('all events', () => forConversation(id).length >= 6 && true);
    await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate, which must not come

    const got = forConversation(id);
    const toAll = got.filter((r) => receiverPath(r) === 'all');
    const kinds = toAll.map((r) => bodyOf(r).event);
    expect(kinds.filter((k) => k === 'conversation.created' || k === 'conversation.updated').sort()).toEqual(['conversation.created', 'conversation.updated']);
    // The customer's message, the reply, and the reply's update when the API inbox delivered it; each once.
    const messages = toAll.map(bodyOf).filter((b) => b.event === 'message.created').map((b) => b.data.message?.content);
    expect(messages.filter((c) => c === 'My bike arrived with a bent wheel' || c?.startsWith('Sorry to hear'))).toEqual(['My bike arrived with a bent wheel', 'Sorry to hear that; a new wheel is on its way.']);
    expect(kinds).toContain('message.updated');
    expect(new Set(toAll.map((r) => r.headers['x-rapport-delivery'])).size).toBe(toAll.length);
    const toUpdates = got.filter((r) => receiverPath(r) === 'updates');
    expect(toUpdates.map((r) => bodyOf(r).event)).toEqual(['conversation.updated']);
    expect(bodyOf(toUpdates[0]).data.conversation).toMatchObject({ id, status: 'resolved' });

    for (const r of toAll) {
      expect(verifySignature(r, all.secret!)).toBe(true);
      expect(verifySignature(r, updatesOnly.secret!)).toBe(false);
      expect(r.headers['x-rapport-event']).toBe(bodyOf(r).event);
      expect(bodyOf(r).id).toBe(r.headers['x-rapport-delivery']);
    }
    const created = toAll.map(bodyOf).find((b) => b.event === 'conversation.created')!;
    expect(created.data.message).toMatchObject({ content: 'My bike arrived with a bent wheel', direction: 'incoming' });
    const log = await deliveriesOf(all);
    expect(log.filter((d) => d.status === 'delivered').length).toBeGreaterThanOrEqual(5);
    expect(log[0]).toMatchObject({ response_status: 200, attempts: 1, error: null });
  });

  it('claims each event once when two dispatchers run at the same time', async () => {
    await workers.webhooks.stop();
    try {
      const id = await startConversation('Two dispatchers');
      await Promise.all([dispatchWebhooks(t.ctx), dispatchWebhooks(t.ctx), dispatchWebhooks(t.ctx)]);
      t.ctx.jobs.notify('webhook.deliver');
      await until('the events', () => forConversation(id).filter((r) => receiverPath(r) === 'all').length >= 2 && true);
      await new Promise((r) => setTimeout(r, 1500));
      expect(forConversation(id).filter((r) => receiverPath(r) === 'all').map((r) => bodyOf(r).event).sort()).toEqual(['conversation.created', 'message.created']);
    } finally {
      await workers.stop();
      workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
    }
  });

  it('tries a failing receiver again with the same delivery id, and logs each attempt', async () => {
    receiver.plan('fail500');
    const id = await startConversation('Retry me');
    const first = await until('the first attempt', () => forConversation(id).find((r) => receiverPath(r) === 'all'));
    const deliveryId = String(first.headers['x-rapport-delivery']);
    await until('the retry', () => receiver.deliveriesOf(deliveryId).length >= 2 && true);
    const entry = await until('the delivery logged as delivered', async () => (await deliveriesOf(all)).find((d) => d.id === deliveryId && d.status === 'delivered'));
    expect(entry).toMatchObject({ attempts: 2, response_status: 200 });
  });

  it('switches a webhook off when its receiver answers 410 Gone, says why, and on again when saved enabled', async () => {
    // Its own receiver, so the planned 410 goes to this webhook alone.
    const goneReceiver = await startWebhookReceiver();
    goneReceiver.plan('gone');
    const gone = json<Hook>(await call('POST', '/api/v1/webhooks', { url: `${goneReceiver.url}?gone`, events: ['message.created'] }));
    // Earlier events are not sent to a webhook made after them; the next one is.
    await startConversation('Gone away');
    await until('switched off', async () => !json<Hook>(await call('GET', `/api/v1/webhooks/${gone.id}`)).enabled && true);
    const off = json<Hook>(await call('GET', `/api/v1/webhooks/${gone.id}`));
    expect(off.disabled_reason).toContain('410 Gone');
    const [failed] = await deliveriesOf(gone);
    expect(failed).toMatchObject({ status: 'failed', response_status: 410 });
    // Switched off: later events are not delivered to it, and redelivery says why not.
    await startConversation('While off');
    expect((await call('POST', `/api/v1/webhooks/${gone.id}/deliveries/${failed.id}/redeliver`)).statusCode).toBe(422);
    const on = await call('PATCH', `/api/v1/webhooks/${gone.id}`, { enabled: true });
    expect(json<Hook>(on)).toMatchObject({ enabled: true, disabled_reason: null });
    expect((await call('POST', `/api/v1/webhooks/${gone.id}/deliveries/${failed.id}/redeliver`)).statusCode).toBe(202);
    await until('redelivered', async () => (await deliveriesOf(gone)).find((d) => d.id === failed.id && d.status === 'delivered'));
    expect(goneReceiver.deliveriesOf(failed.id).map(bodyOf).map((b) => b.data.message?.content)).toEqual(['Gone away', 'Gone away']);
    expect(goneReceiver.received.filter((r) => bodyOf(r).data.message?.content === 'While off')).toHaveLength(0);
    await goneReceiver.close();
  });

  it('pings on request; a rotated secret signs from then on', async () => {
    const rotated = json<Hook>(await call('POST', `/api/v1/webhooks/${updatesOnly.id}/secret`));
    expect(rotated.secret).not.toBe(updatesOnly.secret);
    const ping = json<Delivery>(await call('POST', `/api/v1/webhooks/${updatesOnly.id}/ping`));
    const got = await until('the ping', () => receiver.deliveriesOf(ping.id)[0]);
    expect(bodyOf(got).event).toBe('ping');
    expect(verifySignature(got, rotated.secret!)).toBe(true);
    expect(verifySignature(got, updatesOnly.secret!)).toBe(false);
  });

  it('keeps workspaces apart: another admin cannot see, change or ping a webhook, nor receive this workspace’s events', async () => {
    const other = await makeWorkspace(t, 'Other');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    for (const [method, url] of [
      ['GET', `/api/v1/webhooks/${all.id}`],
      ['PATCH', `/api/v1/webhooks/${all.id}`],
      ['POST', `/api/v1/webhooks/${all.id}/ping`],
      ['GET', `/api/v1/webhooks/${all.id}/deliveries`],
      ['DELETE', `/api/v1/webhooks/${all.id}`],
    ] as const)
      expect((await call(method, url, method === 'PATCH' ? { enabled: false } : undefined, outsider)).statusCode).toBe(404);
    expect(json<{ data: Hook[] }>(await call('GET', '/api/v1/webhooks', undefined, outsider)).data).toEqual([]);
    const theirs = json<Hook>(await call('POST', '/api/v1/webhooks', { url: `${receiver.url}?other`, events: ['message.created'] }, outsider));
    const id = await startConversation('Not for them');
    await until('our event', () => forConversation(id).length > 0 && true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(events().filter((r) => receiverPath(r) === 'other')).toHaveLength(0);
    expect(json<{ data: Delivery[] }>(await call('GET', `/api/v1/webhooks/${theirs.id}/deliveries`, undefined, outsider)).data).toEqual([]);
  });

  it('sends contact.updated, signed like the rest, when an agent corrects a contact, when contacts merge and when a contact gains an address', async () => {
    type ContactBody = { id: string; event: string; data: { contact: { id: string; name: string; email: string | null; phone: string | null; company: string | null }; changes: string[]; merged_contact_id?: string } };
    const hook = json<Hook>(await call('POST', '/api/v1/webhooks', { url: `${receiver.url}?contacts`, events: ['contact.updated'] }));
    const received = (contactId: string) => events().filter((r) => receiverPath(r) === 'contacts' && (bodyOf(r) as unknown as ContactBody).data.contact.id === contactId);
    const conversationId = await startConversation('Who am I to you?');
    const contactId = json<{ contact: { id: string } }>(await call('GET', `/api/v1/conversations/${conversationId}`)).contact.id;
    const patch = (body: Record<string, unknown>, headers = admin) => call('PATCH', `/api/v1/contacts/${contactId}`, body, headers);

    // Bad input names each field, and changes nothing.
    const bad = await patch({ email: 'not an address', phone: '12' });
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { code: string; details: Array<{ field: string }> } }>(bad).error).toMatchObject({ code: 'validation_failed', details: [{ field: 'email' }, { field: 'phone' }] });
    expect(json<{ error: { details: Array<{ field: string }> } }>(await patch({})).error.details[0].field).toBe('body');
    expect((await patch({ account_id: randomUUID() })).statusCode).toBe(400);
    expect((await patch({ name: { $ne: '' } })).statusCode).toBe(400);

    const res = await patch({ name: 'Ana López', company: 'Acme', phone: '+49 151 2345 6789' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ id: contactId, name: 'Ana López', company: 'Acme', phone: '+4915123456789' });
    // The same values again change nothing, and say nothing.
    expect((await patch({ company: 'Acme' })).statusCode).toBe(200);
    const first = await until('contact.updated', () => received(contactId)[0]);
    expect(verifySignature(first, hook.secret!)).toBe(true);
    expect(first.headers['x-rapport-event']).toBe('contact.updated');
    expect((bodyOf(first) as unknown as ContactBody).data).toEqual({
      contact: { id: contactId, name: 'Ana López', email: expect.stringContaining('@customer.example'), phone: '+4915123456789', company: 'Acme', created_at: expect.any(String) },
      changes: ['name', 'phone', 'company'],
    });

    // Another contact merged into this one: their address is now this contact's too.
    const otherConversation = await startConversation('Also me, from my other address');
    const otherId = json<{ contact: { id: string } }>(await call('GET', `/api/v1/conversations/${otherConversation}`)).contact.id;
    expect((await call('POST', `/api/v1/contacts/${contactId}/merge`, { contact_id: otherId })).statusCode).toBe(200);
    const merged = await until('the merge', () => received(contactId).map((r) => bodyOf(r) as unknown as ContactBody).find((b) => b.data.merged_contact_id));
    expect(merged.data).toMatchObject({ merged_contact_id: otherId, changes: expect.arrayContaining(['merged', 'identities']) });

    // The API names this customer with a number nobody has: it becomes theirs.
    const email = (bodyOf(first) as unknown as ContactBody).data.contact.email!;
    expect((await call('POST', '/api/v1/conversations', { inbox_id: inboxId, contact: { email, phone: '+4915199999999' }, message: { content: 'From the app' }, idempotency_key: randomUUID() }, source)).statusCode).toBe(201);
    const gained = await until('the new address', () => received(contactId).map((r) => bodyOf(r) as unknown as ContactBody).find((b) => b.data.changes.includes('identities') && !b.data.merged_contact_id));
    expect(gained.data.changes).toEqual(['identities']);

    await new Promise((r) => setTimeout(r, 1000)); // time for a duplicate, which must not come
    expect(received(contactId)).toHaveLength(3);
    expect(new Set(received(contactId).map((r) => r.headers['x-rapport-delivery'])).size).toBe(3);

    // Another workspace cannot change it, nor learn it exists.
    const other = await makeWorkspace(t, 'Contacts elsewhere');
    expect((await patch({ name: 'Taken over' }, await sessionFor(t, other.owner.id, other.accountId))).statusCode).toBe(404);
    expect(json<{ name: string }>(await call('GET', `/api/v1/contacts/${contactId}`)).name).toBe('Ana López');
  });

  it('keeps an event that waits for the dispatcher past the outbox’s hour', async () => {
    await workers.webhooks.stop();
    try {
      const id = await startConversation('Kept while away');
      // Published to the app long ago, as far as the purge can tell; not yet read for webhooks.
      await t.ctx.db.updateTable('outbox_events').set({ published_at: new Date(Date.now() - 2 * 3600_000) }).where('conversation_id', '=', id).where('account_id', 'is not', null).execute();
      await t.ctx.outbox.purge();
      await dispatchWebhooks(t.ctx);
      t.ctx.jobs.notify('webhook.deliver');
      await until('the kept event', () => forConversation(id).some((r) => receiverPath(r) === 'all') && true);
    } finally {
      await workers.stop();
      workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
    }
  });
});

/** Which webhook a request was for: the query string of its URL (?all, ?updates, …). */
function receiverPath(r: Received): string {
  return new URL(r.url, 'http://receiver').search.slice(1);
}

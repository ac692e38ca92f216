/**
 * Messenger and Instagram inboxes end to end, against a local fake of Meta's Graph API (the
 * Messenger Platform carries both): the guided setup, the subscription check, signed webhooks
 * (SECURITY 21), messages once per mid with echoes of our own sends ignored, attachments fetched
 * safely, replies and their delivery and read receipts (mids and watermarks, only ever forward),
 * Messenger's window (free-form for 24 hours, then tagged HUMAN_AGENT up to 7 days, then refused,
 * no templates), refusals in words, and workspaces kept apart.
 */
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../src/core/jobs.js';
import { scoped } from '../src/core/db/tenant.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp, until } from './helpers.js';
import { png } from './files.js';
import { startFakeMeta, type FakeMeta } from './support/fake-meta.js';

QUEUES['messaging.send'] = { ...QUEUES['messaging.send'], retryLimit: 2, retryDelay: 1, retryBackoff: false };
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;


type InboxJson = { id: string; channel: string; inbound_webhook_url: string; provider_settings: Record<string, string>; secrets_set: string[]; connection: { status: string; error: string | null } };
type Conv = { id: string; channel: string; status: string; subject: string; contact: { id: string; name: string }; reply_window: { closes_at: string | null; open: boolean; template_required: boolean } | null };
type Msg = { id: string; content: string; status: string; direction: string; delivery_error: string | null; attachments: Array<{ file_name: string; content_type: string; width: number | null }> };
type ErrorJson = { error: { code: string; message: string; details?: Array<{ field: string }> } };

describe('Messenger and Instagram inboxes', () => {
  let t: TestApp;
  let meta: FakeMeta;
  let workers: ChannelWorkers;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let page: InboxJson;
  let insta: InboxJson;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const pageSettings = (over: Record<string, string> = {}) => ({ page_id: meta.page.id, page_access_token: meta.page.token, app_secret: meta.appSecret, ...over });
  const instaSettings = (over: Record<string, string> = {}) => ({ instagram_account_id: meta.page.instagramId, page_access_token: meta.page.token, app_secret: meta.appSecret, ...over });
  const pathOf = (i: InboxJson) => new URL(i.inbound_webhook_url).pathname;
  const deliver = (to: InboxJson, payload: unknown, signature?: string | null) => {
    const raw = JSON.stringify(payload);
    const sig = signature === undefined ? meta.sign(raw) : signature;
    return t.app.inject({ method: 'POST', url: pathOf(to), headers: { 'content-type': 'application/json', ...(sig ? { 'x-hub-signature-256': sig } : {}) }, payload: raw });
  };
  /** Events as the Page's webhook carries them. */
  const onPage = (...events: unknown[]) => deliver(page, meta.pm.webhook('page', meta.page.id, events));
  const onInstagram = (...events: unknown[]) => deliver(insta, meta.pm.webhook('instagram', meta.page.instagramId, events));
  const conversationsOf = async (inbox: InboxJson, headers = admin) => json<{ data: Conv[] }>(await call('GET', `/api/v1/conversations?inbox_id=${inbox.id}&status=all`, undefined, headers)).data;
  const only = async (inbox: InboxJson, subject: string) => (await conversationsOf(inbox)).find((c) => c.subject === subject)!;
  const messagesOf = async (id: string) => json<{ data: Msg[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;
  const reply = async (conversationId: string, body: Record<string, unknown>) => {
    const res = await call('POST', `/api/v1/conversations/${conversationId}/messages`, body, agent);
    expect(res.statusCode, res.body).toBe(201);
    return json<Msg>(res);
  };
  const settled = (conversationId: string, id: string) => until('the reply settled', async () => (await messagesOf(conversationId)).find((m) => m.id === id && m.status !== 'pending'));
  const statusOf = async (conversationId: string, id: string) => (await messagesOf(conversationId)).find((m) => m.id === id)!.status;
  const sentWith = (text: string) => meta.sent.find((s) => (s.body.message as { text?: string } | undefined)?.text === text)!;
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
    const members = [ws.owner.id, person.id];
    const a = await call('POST', '/api/v1/inboxes', { channel: 'messenger', name: 'Shop page', settings: pageSettings(), member_ids: members });
    expect(a.statusCode, a.body).toBe(201);
    page = json<InboxJson>(a);
    const b = await call('POST', '/api/v1/inboxes', { channel: 'instagram', name: 'Shop Instagram', settings: instaSettings(), member_ids: members });
    expect(b.statusCode, b.body).toBe(201);
    insta = json<InboxJson>(b);
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await meta?.close();
  });

  it('sets both up from their fields: tested first, the Page subscribed, the verify token shown, the secrets never answered', async () => {
    const channels = json<{ data: Array<{ channel: string; address_kind: string; reply_window_hours: number | null; fields: Array<{ name: string; secret: boolean; generated: boolean }> }> }>(await call('GET', '/api/v1/channels', undefined, agent)).data;
    const fieldsOf = (channel: string) => channels.find((c) => c.channel === channel)!.fields.map((f) => [f.name, f.secret, f.generated]);
    const common = [['page_access_token', true, false], ['app_secret', true, false], ['verify_token', false, true]];
    expect(fieldsOf('messenger')).toEqual([['page_id', false, false], ...common]);
    expect(fieldsOf('instagram')).toEqual([['instagram_account_id', false, false], ...common]);
    expect(channels.find((c) => c.channel === 'messenger')).toMatchObject({ address_kind: 'handle', reply_window_hours: 168 });

    const test = async (channel: string, settings: Record<string, string>) => json<{ ok: boolean; error: string | null }>(await call('POST', '/api/v1/inboxes/channel-test', { channel, settings }));
    expect(await test('messenger', pageSettings({ page_access_token: 'EAAGwrongwrongwrongwrongwrong' }))).toEqual({ ok: false, error: expect.stringContaining('Messenger refused the access token') });
    expect(await test('messenger', pageSettings({ page_access_token: meta.otherPage.token }))).toEqual({ ok: false, error: expect.stringContaining(`This token is not the Page ${meta.page.id}'s (it is the token of Another page`) });
    expect(await test('messenger', pageSettings({ app_secret: '0'.repeat(32) }))).toEqual({ ok: false, error: expect.stringContaining('Messenger refused the app secret') });
    expect(await test('messenger', pageSettings())).toEqual({ ok: true, error: null });
    expect(await test('instagram', instaSettings({ instagram_account_id: '17841400000000999' }))).toEqual({ ok: false, error: `This Page's Instagram account is ${meta.page.instagramId}, not 17841400000000999; check the account ID.` });
    expect(await test('instagram', instaSettings({ page_access_token: meta.otherPage.token }))).toEqual({ ok: false, error: expect.stringContaining('has no Instagram professional account linked') });
    expect(await test('instagram', instaSettings())).toEqual({ ok: true, error: null });

    const bad = await call('POST', '/api/v1/inboxes', { channel: 'messenger', name: 'Typo', settings: { page_id: 'shop-page', page_access_token: 'short', app_secret: meta.appSecret } });
    expect(json<ErrorJson>(bad).error.details!.map((d) => d.field).sort()).toEqual(['settings.page_access_token', 'settings.page_id']);

    expect(meta.subscribed).toContainEqual({ id: meta.page.id, fields: 'messages,messaging_postbacks,message_deliveries,message_reads' });
    for (const inbox of [page, insta]) {
      expect(inbox.connection.status).toBe('ok');
      expect(inbox.secrets_set.sort()).toEqual(['app_secret', 'page_access_token']);
      expect(inbox.provider_settings.verify_token).toMatch(/^[\w-]{32}$/);
      const answered = (await call('GET', `/api/v1/inboxes/${inbox.id}`)).body;
      expect(answered).not.toContain(meta.page.token);
      expect(answered).not.toContain(meta.appSecret);
    }
    expect(page.provider_settings.verify_token).not.toBe(insta.provider_settings.verify_token);
  });

  it('answers the subscription check with the right verify token only', async () => {
    const check = (inbox: InboxJson, token: string) => t.app.inject({ method: 'GET', url: `${pathOf(inbox)}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=987654321` });
    expect((await check(page, page.provider_settings.verify_token)).body).toBe('987654321');
    expect((await check(insta, insta.provider_settings.verify_token)).body).toBe('987654321');
    // One inbox's token does not open another's.
    expect((await check(page, insta.provider_settings.verify_token)).statusCode).toBe(401);
    expect((await check(page, '')).statusCode).toBe(401);
  });

  it('refuses webhooks with a missing or wrong signature with 401, and stores nothing (SECURITY 21)', async () => {
    const payload = meta.pm.webhook('page', meta.page.id, [meta.pm.message('7001', meta.page.id, { text: 'Forged' })]);
    for (const sig of [null, meta.sign(JSON.stringify(payload), 'b'.repeat(32)), meta.sign(`${JSON.stringify(payload)} `)]) {
      expect((await deliver(page, payload, sig)).statusCode).toBe(401);
      expect((await deliver(insta, meta.pm.webhook('instagram', meta.page.instagramId, [meta.pm.message('8001', meta.page.instagramId, { text: 'Forged' })]), sig)).statusCode).toBe(401);
    }
    expect([...(await conversationsOf(page)), ...(await conversationsOf(insta))]).toEqual([]);
    // A Page webhook posted to the Instagram inbox is not Instagram's.
    expect((await deliver(insta, payload)).statusCode).toBe(400);
  });

  it('stores a Messenger message once however often it comes, and ignores echoes and other Pages', async () => {
    const event = meta.pm.message('7001', meta.page.id, { text: 'Is the blue one in stock? 💙' });
    const [a, b] = await Promise.all([onPage(event), onPage(event)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    await onPage(event);
    // What the Page itself sent comes back as an echo; another Page's entry is not this inbox's.
    await onPage(meta.pm.message(meta.page.id, '7001', { text: 'Echo of a reply', is_echo: true }));
    await deliver(page, meta.pm.webhook('page', meta.otherPage.id, [meta.pm.message('7009', meta.otherPage.id, { text: 'Other page' })]));
    const convs = await conversationsOf(page);
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ channel: 'messenger', subject: 'Is the blue one in stock? 💙', reply_window: { open: true, template_required: false } });
    expect((await messagesOf(convs[0].id)).map((m) => m.content)).toEqual(['Is the blue one in stock? 💙']);
    expect(new Date(convs[0].reply_window!.closes_at!).getTime()).toBeGreaterThan(Date.now() + 167 * 3600_000);
  });

  it('keeps an attachment from Meta’s CDN, and refuses one pointing inside while keeping the text', async () => {
    meta.cdnFiles.set('shoe.png', png(30, 20));
    await onPage(meta.pm.message('7002', meta.page.id, { text: 'This one', attachments: [{ type: 'image', payload: { url: meta.cdn('shoe.png') } }] }));
    const photo = await only(page, 'This one');
    expect((await messagesOf(photo.id))[0].attachments).toMatchObject([{ file_name: 'shoe.png', content_type: 'image/png', width: 30 }]);

    await onPage(meta.pm.message('7003', meta.page.id, { text: 'And this', attachments: [{ type: 'image', payload: { url: 'http://169.254.169.254/latest/meta-data/' } }] }));
    const inside = await only(page, 'And this');
    const [message] = await messagesOf(inside.id);
    expect(message).toMatchObject({ content: 'And this', attachments: [] });
    const stored = await scoped(t.ctx.db, accountId).selectFrom('messages').select('content_attributes').where('id', '=', message.id).executeTakeFirstOrThrow();
    expect(stored.content_attributes.blocked_attachments).toEqual([{ file_name: 'image', reason: expect.stringMatching(/link-local/) }]);
  });

  it('sends replies by the Send API; delivery mids and the read watermark move them forward only', async () => {
    const conv = await only(page, 'Is the blue one in stock? 💙');
    const first = await reply(conv.id, { content: 'Yes, in all sizes.' });
    expect((await settled(conv.id, first.id)).status).toBe('sent');
    const sent = sentWith('Yes, in all sizes.');
    expect(sent).toMatchObject({ path: 'me/messages', token: meta.page.token, body: { recipient: { id: '7001' }, messaging_type: 'RESPONSE', message: { text: 'Yes, in all sizes.' } } });
    expect(sent.body.tag).toBeUndefined();

    await onPage(meta.pm.delivery('7001', meta.page.id, [sent.id], Date.now()));
    expect(await statusOf(conv.id, first.id)).toBe('delivered');
    await onPage(meta.pm.read('7001', meta.page.id, { watermark: Date.now() }));
    expect(await statusOf(conv.id, first.id)).toBe('read');

    // A reply sent after the watermark is not read by it, and a late delivery never moves "read" back.
    const readAt = Date.now() - 1;
    const second = await reply(conv.id, { content: 'Shall I reserve one?' });
    expect((await settled(conv.id, second.id)).status).toBe('sent');
    await onPage(meta.pm.read('7001', meta.page.id, { watermark: readAt }));
    await onPage(meta.pm.delivery('7001', meta.page.id, [sent.id], readAt));
    expect(await statusOf(conv.id, second.id)).toBe('sent');
    expect(await statusOf(conv.id, first.id)).toBe('read');
    // A delivery watermark alone (no mids) marks what went before as delivered.
    await onPage(meta.pm.delivery('7001', meta.page.id, [], Date.now()));
    expect(await statusOf(conv.id, second.id)).toBe('delivered');
    // Another customer's watermark is not this one's.
    const third = await reply(conv.id, { content: 'Only for 7001' });
    expect((await settled(conv.id, third.id)).status).toBe('sent');
    await onPage(meta.pm.read('7002', meta.page.id, { watermark: Date.now() }));
    expect(await statusOf(conv.id, third.id)).toBe('sent');
  });

  it('tags a reply HUMAN_AGENT between 24 hours and 7 days, refuses one after, and offers no templates', async () => {
    const conv = await only(page, 'This one');
    await backdate(conv.id, 30);
    const window = json<Conv>(await call('GET', `/api/v1/conversations/${conv.id}`)).reply_window;
    expect(window).toMatchObject({ open: true, template_required: false });
    const tagged = await reply(conv.id, { content: 'Sorry for the wait, it is back in stock.' });
    expect((await settled(conv.id, tagged.id)).status).toBe('sent');
    expect(sentWith('Sorry for the wait, it is back in stock.').body).toMatchObject({ recipient: { id: '7002' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    await backdate(conv.id, 8 * 24);
    const closed = json<Conv>(await call('GET', `/api/v1/conversations/${conv.id}`)).reply_window;
    expect(closed).toMatchObject({ open: false, template_required: false });
    const refused = await call('POST', `/api/v1/conversations/${conv.id}/messages`, { content: 'Still there?' }, agent);
    expect(refused.statusCode).toBe(422);
    expect(json<ErrorJson>(refused).error).toMatchObject({ code: 'reply_window_closed', message: 'Messenger takes replies only within 7 days of the customer\'s last message; you can answer again once they write.' });
    const template = await call('POST', `/api/v1/conversations/${conv.id}/messages`, { content: 'x', template: { name: 'order_shipped', language: 'en_US' } }, agent);
    expect(template.statusCode).toBe(400);
    expect(json<ErrorJson>(template).error.details).toEqual([{ field: 'template', message: 'not on the messenger channel' }]);

    // The customer writing again reopens it, untagged.
    await onPage(meta.pm.message('7002', meta.page.id, { text: 'Hello again' }));
    const again = await reply(conv.id, { content: 'Welcome back!' });
    expect((await settled(conv.id, again.id)).status).toBe('sent');
    expect(sentWith('Welcome back!').body).toMatchObject({ messaging_type: 'RESPONSE' });
  });

  it('shows a refused reply with Meta’s reason in words', async () => {
    const conv = await only(page, 'And this');
    meta.refuse.set('7003', { code: 551, error_subcode: 1545041, message: "(#551) This person isn't available right now." });
    const refused = await reply(conv.id, { content: 'We could not fetch your photo.' });
    expect(await settled(conv.id, refused.id)).toMatchObject({ status: 'failed', delivery_error: 'Messenger could not deliver the reply: this person is not available right now (they may have blocked the account or left).' });
    meta.refuse.set('7003', { code: 10, error_subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' });
    const outside = await reply(conv.id, { content: 'Hello?' });
    expect(await settled(conv.id, outside.id)).toMatchObject({ status: 'failed', delivery_error: expect.stringContaining('takes replies only within 7 days') });
    meta.refuse.delete('7003');
  });

  it('carries Instagram direct messages the same way: once per mid, replies sent, read by mid', async () => {
    const event = meta.pm.message('8001', meta.page.instagramId, { text: 'Do you ship to Vienna?' });
    await Promise.all([onInstagram(event), onInstagram(event)]);
    await onInstagram(meta.pm.message(meta.page.instagramId, '8001', { text: 'echo', is_echo: true }));
    const convs = await conversationsOf(insta);
    expect(convs.map((c) => [c.channel, c.subject])).toEqual([['instagram', 'Do you ship to Vienna?']]);
    const answer = await reply(convs[0].id, { content: 'We do, in 3 days.' });
    expect((await settled(convs[0].id, answer.id)).status).toBe('sent');
    const sent = sentWith('We do, in 3 days.');
    expect(sent.body).toMatchObject({ recipient: { id: '8001' }, messaging_type: 'RESPONSE' });
    await onInstagram(meta.pm.read('8001', meta.page.instagramId, { mid: sent.id }));
    expect(await statusOf(convs[0].id, answer.id)).toBe('read');

    // The same page-scoped number on Messenger is another person: ids are per inbox.
    await onPage(meta.pm.message('8001', meta.page.id, { text: 'Same id, other app' }));
    expect((await only(page, 'Same id, other app')).contact.id).not.toBe(convs[0].contact.id);
  });

  it('keeps another workspace out of both inboxes and their conversations', async () => {
    const other = await makeWorkspace(t, 'Other');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    for (const inbox of [page, insta]) {
      expect((await call('GET', `/api/v1/inboxes/${inbox.id}`, undefined, outsider)).statusCode).toBe(404);
      expect((await call('POST', '/api/v1/inboxes/channel-test', { channel: inbox.channel, settings: {}, inbox_id: inbox.id }, outsider)).statusCode).toBe(404);
      const conv = (await conversationsOf(inbox))[0];
      expect((await call('GET', `/api/v1/conversations/${conv.id}`, undefined, outsider)).statusCode).toBe(404);
    }
    expect(json<{ data: Conv[] }>(await call('GET', '/api/v1/conversations?status=all', undefined, outsider)).data).toEqual([]);
  });
});

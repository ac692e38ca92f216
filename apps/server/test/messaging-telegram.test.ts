/**
 * A Telegram inbox end to end, against a local fake of the Telegram Bot API: the guided setup
 * (fields, connection test, the webhook registered by Rapport), updates verified by their secret
 * token before anything is stored (SECURITY 21), stored once per message id, files downloaded
 * safely, replies sent through the API with failures shown and retried, and workspaces kept apart.
 */
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../src/core/jobs.js';
import { scoped } from '../src/core/db/tenant.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { downloadMedia, MediaRefused } from '../src/features/channels/messaging/http.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp, until } from './helpers.js';
import { png } from './files.js';
import { startFakeTelegram, type FakeTelegram } from './support/fake-telegram.js';

QUEUES['messaging.send'] = { ...QUEUES['messaging.send'], retryLimit: 2, retryDelay: 1, retryBackoff: false };
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;


type InboxJson = { id: string; channel: string; inbound_webhook_url: string; provider_settings: Record<string, string>; secrets_set: string[]; connection: { status: string; error: string | null } };
type Conv = { id: string; channel: string; status: string; subject: string; contact: { id: string; name: string }; reply_window: unknown };
type Msg = { id: string; content: string; status: string; direction: string; delivery_error: string | null; attachments: Array<{ content_type: string; width: number | null }> };

describe('Telegram inbox', () => {
  let t: TestApp;
  let tg: FakeTelegram;
  let workers: ChannelWorkers;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let inbox: InboxJson;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const hookPath = () => new URL(inbox.inbound_webhook_url).pathname;
  /** Posts an update the way Telegram does: JSON, with the secret token of setWebhook. */
  const deliver = (update: Record<string, unknown>, secret = tg.webhook!.secret_token, path = hookPath()) =>
    t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, payload: JSON.stringify(update) });
  const conversationsOf = async (headers = admin) => json<{ data: Conv[] }>(await call('GET', `/api/v1/conversations?inbox_id=${inbox.id}&status=all`, undefined, headers)).data;
  const messagesOf = async (id: string) => json<{ data: Msg[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    t = await startTestApp({ telegramApiUrl: tg.url, webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, accountId);
    const person = await makeMember(t, accountId, 'agent');
    agent = await sessionFor(t, person.id, accountId);
    const res = await call('POST', '/api/v1/inboxes', { channel: 'telegram', name: 'Shop bot', settings: { bot_token: tg.token }, member_ids: [ws.owner.id, person.id] });
    expect(res.statusCode, res.body).toBe(201);
    inbox = json<InboxJson>(res);
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await tg?.close();
  });

  it('is set up from the provider’s fields: tested first, its webhook registered with Telegram, the token never answered', async () => {
    const channels = json<{ data: Array<{ channel: string; fields: Array<{ name: string; secret: boolean; generated: boolean }> }> }>(await call('GET', '/api/v1/channels', undefined, agent)).data;
    expect(channels.find((c) => c.channel === 'telegram')?.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'bot_token', secret: true, generated: false })]));

    const wrong = json<{ ok: boolean; error: string }>(await call('POST', '/api/v1/inboxes/channel-test', { channel: 'telegram', settings: { bot_token: '987654321:AAEwrongwrongwrongwrongwrongwrongwr' } }));
    expect(wrong).toEqual({ ok: false, error: expect.stringContaining('Telegram refused the bot token') });
    expect(json(await call('POST', '/api/v1/inboxes/channel-test', { channel: 'telegram', settings: {}, inbox_id: inbox.id }))).toEqual({ ok: true, error: null });

    const bad = await call('POST', '/api/v1/inboxes', { channel: 'telegram', name: 'Typo', settings: { bot_token: 'not a token', chat: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { details: Array<{ field: string }> } }>(bad).error.details.map((d) => d.field).sort()).toEqual(['settings.bot_token', 'settings.chat']);

    expect(inbox.inbound_webhook_url).toMatch(/^http:\/\/localhost:3000\/webhooks\/telegram\/in_[\w-]{24}$/);
    expect(tg.webhook).toEqual({ url: inbox.inbound_webhook_url, secret_token: expect.stringMatching(/^[\w-]{32}$/) });
    expect(inbox.secrets_set.sort()).toEqual(['bot_token', 'webhook_secret']);
    expect(inbox.connection.status).toBe('ok');
    const answered = (await call('GET', `/api/v1/inboxes/${inbox.id}`)).body;
    expect(answered).not.toContain(tg.token);
    expect(answered).not.toContain(tg.webhook!.secret_token);
    // Stored sealed, not in the clear.
    const row = await scoped(t.ctx.db, accountId).selectFrom('inboxes').select(['channel_secrets', 'channel_config']).where('id', '=', inbox.id).executeTakeFirstOrThrow();
    expect(`${row.channel_secrets}${JSON.stringify(row.channel_config)}`).not.toContain(tg.token);
  });

  it('refuses an update without the right secret token with 401, and stores nothing (SECURITY 21)', async () => {
    const before = (await conversationsOf()).length;
    const update = tg.update({ chatId: 4242, messageId: 1, text: 'I am not Telegram' });
    for (const secret of ['', 'guessed-secret-token-guessed-secret', `${tg.webhook!.secret_token}x`]) {
      const res = await deliver(update, secret);
      expect(res.statusCode).toBe(401);
      expect(json<{ error: { code: string } }>(res).error.code).toBe('invalid_signature');
    }
    expect(await deliver(update, tg.webhook!.secret_token, '/webhooks/telegram/in_unknownkeyunknownkeyunkn')).toMatchObject({ statusCode: 404 });
    expect((await conversationsOf()).length).toBe(before);
  });

  it('turns a message into a conversation once, however often Telegram delivers it', async () => {
    const update = tg.update({ chatId: 7001, messageId: 11, text: 'Where is my order 1042?', firstName: 'Mia', lastName: 'Rossi' });
    const [a, b] = await Promise.all([deliver(update), deliver(update)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect((await deliver(update)).statusCode).toBe(200);
    const convs = (await conversationsOf()).filter((c) => c.contact.name === 'Mia Rossi');
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ channel: 'telegram', status: 'open', subject: 'Where is my order 1042?', reply_window: null });
    expect((await messagesOf(convs[0].id)).map((m) => m.content)).toEqual(['Where is my order 1042?']);

    // Her next message joins the same conversation.
    await deliver(tg.update({ chatId: 7001, messageId: 12, text: 'It was due Monday.' }));
    expect((await messagesOf(convs[0].id)).map((m) => m.content)).toEqual(['Where is my order 1042?', 'It was due Monday.']);
  });

  it('downloads a photo the customer sends and keeps it with the message', async () => {
    tg.files.set('photo-1', { path: 'photos/file_1.png', bytes: png(40, 30) });
    expect((await deliver(tg.update({ chatId: 7002, messageId: 1, caption: 'The box was crushed', photoFileId: 'photo-1', firstName: 'Ola' }))).statusCode).toBe(200);
    const conv = (await conversationsOf()).find((c) => c.contact.name === 'Ola')!;
    const [message] = await messagesOf(conv.id);
    expect(message.content).toBe('The box was crushed');
    expect(message.attachments).toMatchObject([{ content_type: 'image/png', width: 40 }]);
  });

  it('never fetches media from a private or link-local address, and says why', async () => {
    const noPrivate = { ...t.ctx, config: { ...t.ctx.config, webhookAllowPrivateHosts: [] } };
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:9/x', 'http://[::ffff:10.0.0.1]/x', 'http://2130706433/x']) {
      await expect(downloadMedia(noPrivate, url, {})).rejects.toBeInstanceOf(MediaRefused);
    }
    await expect(downloadMedia(noPrivate, 'http://169.254.169.254/latest/meta-data/', {})).rejects.toThrow(/link-local/);
  });

  it('sends an agent’s reply through the Bot API; a long one in parts', async () => {
    const conv = (await conversationsOf()).find((c) => c.contact.name === 'Mia Rossi')!;
    const res = await call('POST', `/api/v1/conversations/${conv.id}/messages`, { content: 'It ships today, Mia.' }, agent);
    expect(res.statusCode).toBe(201);
    expect(json<Msg>(res).status).toBe('pending');
    const sent = await until('the reply sent', async () => (await messagesOf(conv.id)).find((m) => m.content === 'It ships today, Mia.' && m.status === 'sent'));
    expect(sent.delivery_error).toBeNull();
    expect(tg.sent.filter((s) => s.chat_id === '7001')).toMatchObject([{ method: 'sendMessage', text: 'It ships today, Mia.' }]);

    const long = `${'word '.repeat(1000)}end`;
    await call('POST', `/api/v1/conversations/${conv.id}/messages`, { content: long }, agent);
    await until('the long reply sent', async () => (await messagesOf(conv.id)).find((m) => m.content === long && m.status === 'sent'));
    const parts = tg.sent.filter((s) => s.chat_id === '7001').slice(1);
    expect(parts.length).toBe(2);
    expect(parts.map((p) => p.text).join(' ')).toBe(long);
  });

  it('shows a refused reply with Telegram’s reason, and retries one Telegram could not take just then', async () => {
    tg.blocked.add('7002');
    const ola = (await conversationsOf()).find((c) => c.contact.name === 'Ola')!;
    await call('POST', `/api/v1/conversations/${ola.id}/messages`, { content: 'We are sending a new one.' }, agent);
    const failed = await until('the refused reply', async () => (await messagesOf(ola.id)).find((m) => m.status === 'failed'));
    expect(failed.delivery_error).toBe('Telegram refused the reply: Forbidden: bot was blocked by the user.');

    tg.blocked.delete('7002');
    tg.failNext(1);
    expect((await call('POST', `/api/v1/conversations/${ola.id}/messages/${failed.id}/retry`, undefined, agent)).statusCode).toBe(200);
    await until('the retried reply sent', async () => (await messagesOf(ola.id)).find((m) => m.id === failed.id && m.status === 'sent'));
    expect(tg.sent.filter((s) => s.chat_id === '7002').map((s) => s.text)).toEqual(['We are sending a new one.']);
  });

  it('starts a new conversation when the customer writes after theirs was resolved', async () => {
    const conv = (await conversationsOf()).find((c) => c.contact.name === 'Mia Rossi')!;
    expect((await call('PATCH', `/api/v1/conversations/${conv.id}`, { status: 'resolved' }, agent)).statusCode).toBe(200);
    await deliver(tg.update({ chatId: 7001, messageId: 20, text: 'Another question' }));
    const mine = (await conversationsOf()).filter((c) => c.contact.name === 'Mia Rossi');
    expect(mine.map((c) => c.status).sort()).toEqual(['open', 'resolved']);
    expect(new Set(mine.map((c) => c.contact.id)).size).toBe(1);
  });

  it('keeps another workspace out of the inbox and its conversations', async () => {
    const other = await makeWorkspace(t, 'Other');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    expect((await call('GET', `/api/v1/inboxes/${inbox.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { settings: { bot_token: tg.token } }, outsider)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/inboxes/channel-test', { channel: 'telegram', settings: {}, inbox_id: inbox.id }, outsider)).statusCode).toBe(404);
    const conv = (await conversationsOf())[0];
    expect((await call('GET', `/api/v1/conversations/${conv.id}`, undefined, outsider)).statusCode).toBe(404);
  });

  it('marks the inbox failing when Telegram stops taking its token', async () => {
    const res = await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { settings: { bot_token: '555555555:AAErevokedrevokedrevokedrevokedrevo' } });
    expect(res.statusCode).toBe(200);
    expect(json<InboxJson>(res).connection).toMatchObject({ status: 'failing', error: expect.stringContaining('Telegram refused the bot token') });
  });
});

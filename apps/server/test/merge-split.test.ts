/**
 * Merging and splitting conversations, as agents do it: messages keep their order and move after
 * the target's last one, both threads say who did what, the merged conversation is closed and
 * points at the target, a later email reply or channel message still finds the target, a retry
 * changes nothing; conversations of other inboxes or workspaces are refused per id (SECURITY 4),
 * other customers only when confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../src/core/bus.js';
import { scoped } from '../src/core/db/tenant.js';
import { ingestEmail, type EmailInbox } from '../src/features/channels/email/ingest.js';
import { conversationForAddress } from '../src/features/channels/messaging/inbound.js';
import type { ProviderInbox } from '../src/features/channels/messaging/provider.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp, until } from './helpers.js';

type Conversation = { id: string; status: string; tags: string[]; merged_into_id: string | null; split_from_id: string | null; contact: { id: string }; inbox: { id: string }; last_seq: number; last_message_at: string; last_message_preview: string; unread_count: number; waiting_since: string | null };
type Message = { id: string; seq: number; kind: string; content: string; created_at: string };
type ErrorBody = { error: { code: string; message: string; details: Array<{ field: string; id?: string; message: string }> } };

const mail = (from: string, id: string, subject: string, extra = '') =>
  Buffer.from(`From: ${from}\r\nTo: support@merge.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n${extra}\r\nHello from ${from} (${id}).\r\n`);

describe('merging and splitting conversations', () => {
  let t: TestApp;
  let accountId: string;
  let sam: Record<string, string>;
  let samId: string;
  let other: Record<string, string>;
  let inbox: EmailInbox;
  let privateInboxId: string;
  let otherConversationId: string;
  const events: BusEvent[] = [];

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>, headers = sam) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ws = () => scoped(t.ctx.db, accountId);
  const messagesOf = async (id: string) => json<{ data: Message[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;
  const conversation = async (id: string) => json<Conversation>(await call('GET', `/api/v1/conversations/${id}`));
  const emailConversation = async (from: string, id: string, subject: string) => {
    const r = await ingestEmail(t.ctx, inbox, mail(from, id, subject));
    return (r as { conversationId: string }).conversationId;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const w = await makeWorkspace(t, 'Merge');
    accountId = w.accountId;
    const agent = await makeMember(t, accountId, 'agent');
    samId = agent.id;
    sam = await sessionFor(t, agent.id, accountId);
    inbox = await ws()
      .insertInto('inboxes', { name: 'Support', channel: 'email', email_address: 'support@merge.example', forward_key: 'inbox-mergemergemergemergemerge' })
      .returning(['id', 'account_id', 'email_address'])
      .executeTakeFirstOrThrow();
    await ws().insertInto('inbox_members', { inbox_id: inbox.id, user_id: agent.id }).execute();
    privateInboxId = (await ws().insertInto('inboxes', { name: 'Billing', channel: 'api' }).returning('id').executeTakeFirstOrThrow()).id;

    const b = await makeWorkspace(t, 'Elsewhere');
    other = await sessionFor(t, b.owner.id, b.accountId);
    const bInbox = await scoped(t.ctx.db, b.accountId).insertInto('inboxes', { name: 'B', channel: 'api' }).returning('id').executeTakeFirstOrThrow();
    const bContact = await scoped(t.ctx.db, b.accountId).insertInto('contacts', { name: 'B customer' }).returning('id').executeTakeFirstOrThrow();
    otherConversationId = (await scoped(t.ctx.db, b.accountId).insertInto('conversations', { inbox_id: bInbox.id, contact_id: bContact.id, subject: 'B' }).returning('id').executeTakeFirstOrThrow()).id;
    t.ctx.bus.subscribe((e) => events.push(e));
    // Starting the app and its workers takes a while on a busy machine.
  }, 120_000);
  afterAll(() => t?.close());

  it('requires authentication', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${otherConversationId}/merge`, payload: { source_id: otherConversationId } })).statusCode).toBe(401);
  });

  it('moves the messages after the target’s last one, in order, with history lines in both, and closes the merged one', async () => {
    const target = await emailConversation('ann@example.com', 'a-1@example.com', 'Where is my order?');
    const source = await emailConversation('ann@example.com', 'a-2@example.com', 'Order 1234 again');
    await call('POST', `/api/v1/conversations/${source}/messages`, { content: 'Looking into it', private: true });
    await call('PATCH', `/api/v1/conversations/${source}`, { tags: ['vip'] });
    await call('PATCH', `/api/v1/conversations/${target}`, { tags: ['shipping'] });
    await call('PUT', `/api/v1/conversations/${source}/follow`);
    const before = await messagesOf(target);
    const moving = await messagesOf(source);

    const res = await call('POST', `/api/v1/conversations/${target}/merge`, { source_id: source });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ conversation: Conversation; merged_ids: string[] }>(res);
    expect(body.merged_ids).toEqual([source]);
    expect(body.conversation.tags.sort()).toEqual(['shipping', 'vip']);

    const after = await messagesOf(target);
    // The target's own numbers stay; what moved comes after the history line, in its order, with its times.
    expect(after.slice(0, before.length)).toEqual(before);
    const line = after[before.length];
    expect(line).toMatchObject({ kind: 'system', content: expect.stringMatching(/merged “Order 1234 again” .* into this conversation: its 2 messages follow/) });
    const moved = after.slice(before.length + 1);
    expect(moved.map((m) => [m.content, m.created_at])).toEqual(moving.map((m) => [m.content, m.created_at]));
    expect(after.map((m) => m.seq)).toEqual(after.map((_, i) => i + 1));

    const merged = await conversation(source);
    expect(merged).toMatchObject({ status: 'resolved', merged_into_id: target });
    expect((await messagesOf(source)).map((m) => m.content)).toEqual([expect.stringContaining('merged this conversation into “Where is my order?”')]);
    // Gone from the list; the follower came along.
    const list = json<{ data: Conversation[] }>(await call('GET', '/api/v1/conversations?limit=100')).data.map((c) => c.id);
    expect(list).toContain(target);
    expect(list).not.toContain(source);
    expect(json<{ following: boolean }>(await call('GET', `/api/v1/conversations/${target}/followers`)).following).toBe(true);

    // Open apps hear of both; webhooks see conversation.updated.
    await until('the realtime events', () => events.some((e) => e.event === 'conversation.updated' && e.conversationId === source && (e.payload.conversation as Conversation).merged_into_id === target));
    expect(events.some((e) => e.event === 'conversation.updated' && e.conversationId === target && (e.payload.merged_ids as string[])?.includes(source))).toBe(true);

    // A retry changes nothing.
    const again = await call('POST', `/api/v1/conversations/${target}/merge`, { source_ids: [source] });
    expect(again.statusCode).toBe(200);
    expect(json<{ merged_ids: string[] }>(again).merged_ids).toEqual([]);
    expect(await messagesOf(target)).toHaveLength(after.length);

    // The customer answers the email that started the merged conversation: it lands in the target.
    const reply = await ingestEmail(t.ctx, inbox, mail('ann@example.com', 'a-3@example.com', 'Re: Order 1234 again', 'In-Reply-To: <a-2@example.com>\r\n'));
    expect(reply).toMatchObject({ outcome: 'appended', conversationId: target });
  });

  it('refuses conversations the agent cannot open, per id, and merges nothing (SECURITY 4)', async () => {
    const target = await emailConversation('cora@example.com', 'c-1@example.com', 'Hello');
    const contact = (await conversation(target)).contact.id;
    const hidden = (await ws().insertInto('conversations', { inbox_id: privateInboxId, contact_id: contact, subject: 'Billing' }).returning('id').executeTakeFirstOrThrow()).id;
    const res = await call('POST', `/api/v1/conversations/${target}/merge`, { source_ids: [hidden, otherConversationId] });
    expect(res.statusCode).toBe(422);
    const err = json<ErrorBody>(res).error;
    expect(err.code).toBe('invalid_reference');
    expect(err.details.map((d) => d.id).sort()).toEqual([hidden, otherConversationId].sort());
    expect((await ws().selectFrom('conversations').select('merged_into_id').where('id', '=', hidden).executeTakeFirstOrThrow()).merged_into_id).toBeNull();
    // Another workspace's admin cannot merge into ours, nor learn it exists.
    expect((await call('POST', `/api/v1/conversations/${target}/merge`, { source_id: otherConversationId }, other)).statusCode).toBe(404);
    // Bad input says which field.
    const self = await call('POST', `/api/v1/conversations/${target}/merge`, { source_id: target });
    expect(self.statusCode).toBe(400);
    expect(json<ErrorBody>(self).error.details[0].field).toBe('source_ids');
    expect(json<ErrorBody>(await call('POST', `/api/v1/conversations/${target}/merge`, {})).error).toMatchObject({ code: 'validation_failed', details: [{ field: 'source_ids' }] });
    expect((await call('POST', `/api/v1/conversations/${target}/merge`, { source_id: 'not-a-uuid' })).statusCode).toBe(400);
  });

  it('merges another customer’s conversation only when the agent confirms it', async () => {
    const target = await emailConversation('dan@example.com', 'd-1@example.com', 'Invoice');
    const source = await emailConversation('dan.private@example.org', 'd-2@example.org', 'Invoice (from home)');
    const res = await call('POST', `/api/v1/conversations/${target}/merge`, { source_id: source });
    expect(res.statusCode).toBe(409);
    expect(json<ErrorBody>(res).error).toMatchObject({ code: 'conversation_contacts_differ', details: [{ field: 'source_ids', id: source }] });
    expect((await conversation(source)).merged_into_id).toBeNull();

    const confirmed = await call('POST', `/api/v1/conversations/${target}/merge`, { source_id: source, confirm_different_contacts: true });
    expect(confirmed.statusCode).toBe(200);
    expect((await conversation(source)).merged_into_id).toBe(target);
    // A merged conversation is not merged again elsewhere, nor merged into.
    const third = await emailConversation('dan@example.com', 'd-3@example.com', 'Another');
    expect(json<ErrorBody>(await call('POST', `/api/v1/conversations/${third}/merge`, { source_id: source })).error.code).toBe('invalid_state');
    expect(json<ErrorBody>(await call('POST', `/api/v1/conversations/${source}/merge`, { source_id: third })).error.code).toBe('invalid_state');
  });

  it('sends a later message on a messaging channel to the target', async () => {
    const sms = await ws().insertInto('inboxes', { name: 'SMS', channel: 'sms', inbound_key: 'sms-merge-key' }).returning(['id', 'account_id', 'name', 'channel', 'inbound_key']).executeTakeFirstOrThrow();
    await ws().insertInto('inbox_members', { inbox_id: sms.id, user_id: samId }).execute();
    const contact = (await ws().insertInto('contacts', { name: 'Eve', phone: '+15550001' }).returning('id').executeTakeFirstOrThrow()).id;
    const older = (await ws().insertInto('conversations', { inbox_id: sms.id, contact_id: contact, subject: 'Older', channel_address: '+15550001', last_message_at: new Date(Date.now() - 60_000) }).returning('id').executeTakeFirstOrThrow()).id;
    const newer = (await ws().insertInto('conversations', { inbox_id: sms.id, contact_id: contact, subject: 'Newer', channel_address: '+15550001' }).returning('id').executeTakeFirstOrThrow()).id;
    expect((await call('POST', `/api/v1/conversations/${older}/merge`, { source_id: newer })).statusCode).toBe(200);
    const found = await t.ctx.db.transaction().execute((trx) => conversationForAddress(trx, { ...sms, settings: {} } as unknown as ProviderInbox, '+15550001', contact, 'Hi'));
    expect(found).toEqual({ id: older, created: false });
  });

  it('follows a merge on a messaging channel only to an open conversation on the same number of the same inbox', async () => {
    const sms = await ws().insertInto('inboxes', { name: 'SMS 2', channel: 'sms', inbound_key: 'sms-merge-key-2' }).returning(['id', 'account_id', 'name', 'channel', 'inbound_key']).executeTakeFirstOrThrow();
    await ws().insertInto('inbox_members', { inbox_id: sms.id, user_id: samId }).execute();
    const smsInbox = { ...sms, settings: {} } as unknown as ProviderInbox;
    const contact = (await ws().insertInto('contacts', { name: 'Flo', phone: '+15550002' }).returning('id').executeTakeFirstOrThrow()).id;
    const textFrom = (address: string) => t.ctx.db.transaction().execute((trx) => conversationForAddress(trx, smsInbox, address, contact, 'Hi again'));
    const smsConversation = async (address: string | null) =>
      (await ws().insertInto('conversations', { inbox_id: sms.id, contact_id: contact, subject: `SMS ${address}`, channel_address: address }).returning('id').executeTakeFirstOrThrow()).id;
    const merge = async (target: string, source: string) => expect((await call('POST', `/api/v1/conversations/${target}/merge`, { source_id: source, confirm_different_contacts: true })).statusCode).toBe(200);

    // Into the same inbox's conversation that had no number yet: it takes this one, and the next text goes there.
    const plain = await smsConversation(null);
    await merge(plain, await smsConversation('+15550002'));
    expect(await textFrom('+15550002')).toEqual({ id: plain, created: false });
    expect((await ws().selectFrom('conversations').select('channel_address').where('id', '=', plain).executeTakeFirstOrThrow()).channel_address).toBe('+15550002');

    // Merged on again (a merge of a merge): followed to the end.
    const last = await smsConversation('+15550002');
    await ws().updateTable('conversations').set({ last_message_at: new Date(Date.now() - 3_600_000) }).where('id', '=', last).execute();
    await merge(last, plain);
    expect(await textFrom('+15550002')).toEqual({ id: last, created: false });

    // The conversation merged into was resolved since: a new conversation starts, in this inbox.
    expect((await call('PATCH', `/api/v1/conversations/${last}`, { status: 'resolved' })).statusCode).toBe(200);
    const fresh = await textFrom('+15550002');
    expect(fresh.created).toBe(true);
    expect(await ws().selectFrom('conversations').select(['inbox_id', 'channel_address', 'merged_into_id']).where('id', '=', fresh.id).executeTakeFirstOrThrow()).toEqual({ inbox_id: sms.id, channel_address: '+15550002', merged_into_id: null });

    // Merged into another number's conversation: replies would go to that number, so the text starts its own.
    const otherNumber = await smsConversation('+15550003');
    const second = await smsConversation('+15550004');
    await merge(otherNumber, second);
    expect((await textFrom('+15550004')).created).toBe(true);

    // Merged into an email conversation: its replies go out by email, so the text stays on SMS, in a new conversation.
    const email = await emailConversation('flo@example.com', 'fl-1@example.com', 'By email');
    const texted = await smsConversation('+15550005');
    await merge(email, texted);
    const next = await textFrom('+15550005');
    expect(next.created).toBe(true);
    expect((await conversation(email)).status).toBe('open');
    expect((await ws().selectFrom('conversations').select('inbox_id').where('id', '=', next.id).executeTakeFirstOrThrow()).inbox_id).toBe(sms.id);
  });

  it('counts both threads again after a split: the last activity, the preview, since when the customer waits and what is unread', async () => {
    const contact = (await ws().insertInto('contacts', { name: 'Ida', email: 'ida@example.com' }).returning('id').executeTakeFirstOrThrow()).id;
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
    const id = (
      await ws()
        .insertInto('conversations', { inbox_id: inbox.id, contact_id: contact, subject: 'Two questions', last_seq: 4, last_message_at: at(30), unread_count: 1, waiting_since: at(40), agent_last_read_seq: 3 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // The customer asks, an agent answers, the customer asks something else in two messages; the agent has read the first of them.
    await ws()
      .insertInto('messages', [
        { conversation_id: id, seq: 1, direction: 'incoming', content: 'Where is my order?', sender_contact_id: contact, created_at: at(60) },
        { conversation_id: id, seq: 2, direction: 'outgoing', content: 'It ships today.', sender_user_id: samId, created_at: at(50) },
        { conversation_id: id, seq: 3, direction: 'incoming', content: 'Also: can I change my address?', sender_contact_id: contact, created_at: at(40) },
        { conversation_id: id, seq: 4, direction: 'incoming', content: 'It is Main Street 5 now.', sender_contact_id: contact, created_at: at(30) },
      ])
      .execute();
    const third = (await messagesOf(id)).find((m) => m.seq === 3)!;
    const res = await call('POST', `/api/v1/conversations/${id}/split`, { message_id: third.id, following: true });
    expect(res.statusCode, res.body).toBe(201);
    const made = json<Conversation>(res);

    // The original holds the first question and its answer: nobody waits, nothing unread, its last news is the answer.
    const original = await conversation(id);
    expect(original).toMatchObject({ last_message_at: at(50).toISOString(), last_message_preview: 'It ships today.', unread_count: 0, waiting_since: null });
    // The new one holds the second question: waiting since its first message, the one the agent had not read is unread.
    expect(made).toMatchObject({ last_message_at: at(30).toISOString(), last_message_preview: 'It is Main Street 5 now.', unread_count: 1, waiting_since: at(40).toISOString() });
    // Open apps get the counted conversation.
    await until('the original’s update', () =>
      events.some((e) => e.event === 'conversation.updated' && e.conversationId === id && (e.payload.conversation as Conversation).last_message_at === at(50).toISOString()),
    );
  });

  it('splits a message and those after it into a new conversation of the same customer, once', async () => {
    const original = await emailConversation('fay@example.com', 'f-1@example.com', 'Password reset');
    await call('POST', `/api/v1/conversations/${original}/messages`, { content: 'Reset link sent', private: true });
    await ingestEmail(t.ctx, inbox, mail('fay@example.com', 'f-2@example.com', 'Re: Password reset', 'In-Reply-To: <f-1@example.com>\r\n'));
    await call('POST', `/api/v1/conversations/${original}/messages`, { content: 'About the refund: checking', private: true });
    const thread = await messagesOf(original);
    const from = thread.find((m) => m.content.includes('f-2@example.com'))!;

    const res = await call('POST', `/api/v1/conversations/${original}/split`, { message_id: from.id, following: true });
    expect(res.statusCode, res.body).toBe(201);
    const made = json<Conversation>(res);
    const before = await conversation(original);
    expect(made).toMatchObject({ split_from_id: original, contact: { id: before.contact.id }, inbox: { id: before.inbox.id }, status: 'open' });
    const moved = await messagesOf(made.id);
    expect(moved.map((m) => [m.seq, m.kind])).toEqual([
      [1, 'system'],
      [2, 'text'],
      [3, 'text'],
    ]);
    expect(moved[0].content).toMatch(/split this out of “Password reset”/);
    expect(moved.slice(1).map((m) => m.id)).toEqual([from.id, thread[thread.length - 1].id]);
    const left = await messagesOf(original);
    expect(left.map((m) => m.content)).toEqual([thread[0].content, 'Reset link sent', expect.stringMatching(/split 2 messages out into a new conversation/)]);

    // A retry answers the same conversation.
    const again = await call('POST', `/api/v1/conversations/${original}/split`, { message_id: from.id, following: true });
    expect(again.statusCode).toBe(200);
    expect(json<Conversation>(again).id).toBe(made.id);
    // A reply to the moved email threads into the new conversation.
    const reply = await ingestEmail(t.ctx, inbox, mail('fay@example.com', 'f-3@example.com', 'Re: Re: Password reset', 'In-Reply-To: <f-2@example.com>\r\n'));
    expect(reply).toMatchObject({ conversationId: made.id });
  });

  it('refuses a split that would empty the conversation, a history line, or a message of another conversation', async () => {
    const one = await emailConversation('gil@example.com', 'g-1@example.com', 'Only one');
    const [first] = await messagesOf(one);
    expect(json<ErrorBody>(await call('POST', `/api/v1/conversations/${one}/split`, { message_id: first.id, following: true })).error).toMatchObject({ code: 'invalid_state', details: [{ field: 'message_id' }] });
    await call('PATCH', `/api/v1/conversations/${one}`, { priority: 'high' });
    const line = (await messagesOf(one)).find((m) => m.kind === 'system')!;
    const history = await call('POST', `/api/v1/conversations/${one}/split`, { message_id: line.id });
    expect(history.statusCode).toBe(400);
    const elsewhere = await emailConversation('hal@example.com', 'h-1@example.com', 'Elsewhere');
    const [foreign] = await messagesOf(elsewhere);
    expect(json<ErrorBody>(await call('POST', `/api/v1/conversations/${one}/split`, { message_id: foreign.id })).error).toMatchObject({ code: 'invalid_reference', details: [{ field: 'message_id' }] });
    expect((await call('POST', `/api/v1/conversations/${one}/split`, { message_id: first.id }, other)).statusCode).toBe(404);
    expect((await messagesOf(one)).length).toBe(2);
  });
});

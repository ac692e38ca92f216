/** One customer across channels: likely duplicates are suggested, and merging keeps every conversation and identity. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { ingestEmail } from '../src/features/channels/email/ingest.js';
import { contactForAddress } from '../src/features/channels/messaging/inbound.js';
import type { ProviderInbox } from '../src/features/channels/messaging/provider.js';
import { json, makeWorkspace, sessionFor, startTestApp, type TestApp } from './helpers.js';

describe('duplicate contacts', () => {
  let t: TestApp;
  let agent: Record<string, string>;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    agent = await sessionFor(t, ws.owner.id, ws.accountId);
  });
  afterAll(() => t?.close());

  it('the same address by email and in a chat is one contact; a visitor who gave it is suggested, then merged with everything kept', async () => {
    const ws = scoped(t.ctx.db, accountId);
    const mail = await ws.insertInto('inboxes', { name: 'Support', channel: 'email', email_address: 'support@shop.example' }).returning(['id', 'account_id', 'email_address']).executeTakeFirstOrThrow();
    const chat = await ws.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
    const first = await ingestEmail(t.ctx, mail, Buffer.from('From: Natalie Brooks <Natalie@Example.com>\r\nSubject: Shoes\r\nMessage-ID: <n1@example.com>\r\n\r\nAre they back?\r\n'));
    const second = await ingestEmail(t.ctx, mail, Buffer.from('From: natalie@example.com\r\nSubject: Returns\r\nMessage-ID: <n2@example.com>\r\n\r\nHow do I return them?\r\n'));
    const owner = (id: string) => ws.selectFrom('conversations').select('contact_id').where('id', '=', id).executeTakeFirstOrThrow();
    const emailContact = (await owner(first.conversationId!)).contact_id;
    expect((await owner(second.conversationId!)).contact_id).toBe(emailContact);

    // A chat visitor with the same name and phone as the email customer.
    await ws.updateTable('contacts').set({ phone: '+44 20 7946 0321' }).where('id', '=', emailContact).execute();
    const visitor = await ws.insertInto('contacts', { name: 'natalie brooks', phone: '+442079460321' }).returning('id').executeTakeFirstOrThrow();
    await ws.insertInto('contact_identities', { contact_id: visitor.id, kind: 'visitor', value: 'hash-of-a-visitor-token', inbox_id: chat.id }).execute();
    const chatConversation = await ws.insertInto('conversations', { inbox_id: chat.id, contact_id: visitor.id, subject: 'Size 39?' }).returning('id').executeTakeFirstOrThrow();
    await ws.insertInto('messages', { conversation_id: chatConversation.id, seq: 1, direction: 'incoming', content: 'Size 39?', sender_contact_id: visitor.id }).execute();
    // Someone unrelated is not suggested.
    await ws.insertInto('contacts', { name: 'Tom Okafor', phone: '+1 415 555 0142' }).execute();

    const suggested = json<{ data: Array<{ id: string; reasons: string[] }> }>(await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${emailContact}/duplicates`, headers: agent })).data;
    expect(suggested).toEqual([expect.objectContaining({ id: visitor.id, reasons: ['the same phone number', 'the same name'] })]);

    const merged = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${emailContact}/merge`, headers: agent, payload: { contact_id: visitor.id } });
    expect(merged.statusCode).toBe(200);
    const history = json<{ data: Array<{ id: string }> }>(await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${emailContact}/conversations`, headers: agent })).data.map((c) => c.id);
    expect(history.sort()).toEqual([first.conversationId, second.conversationId, chatConversation.id].sort());
    const identities = await ws.selectFrom('contact_identities').select(['kind']).where('contact_id', '=', emailContact).execute();
    expect(identities.map((i) => i.kind).sort()).toEqual(['email', 'visitor']);
    expect(await ws.selectFrom('contacts').select('id').where('id', '=', visitor.id).executeTakeFirst()).toBeUndefined();
    const message = await ws.selectFrom('messages').select('sender_contact_id').where('conversation_id', '=', chatConversation.id).executeTakeFirstOrThrow();
    expect(message.sender_contact_id).toBe(emailContact);
    const audit = await ws.selectFrom('audit_events').select(['action', 'target_id']).where('action', '=', 'contact.merged').execute();
    expect(audit).toEqual([{ action: 'contact.merged', target_id: emailContact }]);
  });

  it('a contact an agent gave an address is updated (contact.updated) when that address first writes in, by email or text; a new customer is not', async () => {
    const ws = scoped(t.ctx.db, accountId);
    const contactEvents = async (contactId: string) =>
      (await ws.selectFrom('outbox_events').select('payload').where('event', '=', 'contact.updated').execute()).map((e) => e.payload as { contact: { id: string }; changes: string[] }).filter((p) => p.contact.id === contactId);
    const mail = await ws.insertInto('inboxes', { name: 'Help', channel: 'email', email_address: 'help@shop.example' }).returning(['id', 'account_id', 'email_address']).executeTakeFirstOrThrow();
    const sms = await ws.insertInto('inboxes', { name: 'Texts', channel: 'sms', inbound_key: 'contacts-sms-key' }).returning(['id', 'account_id', 'name', 'channel', 'inbound_key']).executeTakeFirstOrThrow();
    const known = await ws.insertInto('contacts', { name: 'Rosa Diaz', email: 'rosa@example.com', phone: '+15550009999' }).returning('id').executeTakeFirstOrThrow();

    const wrote = await ingestEmail(t.ctx, mail, Buffer.from('From: rosa@example.com\r\nSubject: Hello\r\nMessage-ID: <r1@example.com>\r\n\r\nHi\r\n'));
    expect((await ws.selectFrom('conversations').select('contact_id').where('id', '=', wrote.conversationId!).executeTakeFirstOrThrow()).contact_id).toBe(known.id);
    expect(await contactForAddress(t.ctx, { ...sms, settings: {} } as unknown as ProviderInbox, 'phone', '+15550009999', 'Rosa')).toBe(known.id);
    expect((await contactEvents(known.id)).map((p) => p.changes)).toEqual([['identities'], ['identities']]);
    // Writing again changes nothing more.
    await ingestEmail(t.ctx, mail, Buffer.from('From: rosa@example.com\r\nSubject: Again\r\nMessage-ID: <r2@example.com>\r\n\r\nHi again\r\n'));
    expect(await contactEvents(known.id)).toHaveLength(2);

    const stranger = await ingestEmail(t.ctx, mail, Buffer.from('From: new@example.com\r\nSubject: Hi\r\nMessage-ID: <s1@example.com>\r\n\r\nNew here\r\n'));
    const strangerId = (await ws.selectFrom('conversations').select('contact_id').where('id', '=', stranger.conversationId!).executeTakeFirstOrThrow()).contact_id;
    expect(await contactEvents(strangerId)).toEqual([]);
  });

  it('refuses to merge a contact of another workspace, and into itself (SECURITY 1, 4)', async () => {
    const other = await makeWorkspace(t, 'Other');
    const theirs = await scoped(t.ctx.db, other.accountId).insertInto('contacts', { name: 'Their customer' }).returning('id').executeTakeFirstOrThrow();
    const mine = await scoped(t.ctx.db, accountId).insertInto('contacts', { name: 'My customer' }).returning('id').executeTakeFirstOrThrow();
    const across = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${mine.id}/merge`, headers: agent, payload: { contact_id: theirs.id } });
    expect(across.statusCode).toBe(422);
    expect(await scoped(t.ctx.db, other.accountId).selectFrom('contacts').select('id').where('id', '=', theirs.id).executeTakeFirst()).toBeDefined();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${mine.id}/merge`, headers: agent, payload: { contact_id: mine.id } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${theirs.id}/duplicates`, headers: agent })).statusCode).toBe(404);
  });
});

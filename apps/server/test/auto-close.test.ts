/**
 * Auto-close: a workspace setting (admins), refused naming the field when wrong; conversations
 * pending longer than the setting are resolved with the message to the customer, once, also with
 * sweeps racing; others (open, recently pending, another workspace's, or with auto-close off) are
 * left alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { autoCloseDue } from '../src/features/automation/auto-close.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp } from './helpers.js';

type Conversation = { id: string; status: string };
type Message = { content: string; direction: string; kind: string; private: boolean };
type ErrorBody = { error: { code: string; details?: Array<{ field: string; message: string }> } };

describe('auto-close', () => {
  let t: TestApp;
  let accountId: string;
  let admin: Record<string, string>;
  let inboxId: string;
  let contactId: string;

  const call = (method: 'GET' | 'PUT' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  /** A web chat conversation in this status since `since`. */
  const conversationIn = async (status: 'open' | 'pending', since: Date, account = accountId, inbox = inboxId, contact = contactId) => {
    const ws = scoped(t.ctx.db, account);
    const c = await ws.insertInto('conversations', { inbox_id: inbox, contact_id: contact, subject: `c ${randomUUID().slice(0, 4)}`, status, last_seq: 1 }).returning('id').executeTakeFirstOrThrow();
    await ws.insertInto('messages', { conversation_id: c.id, seq: 1, direction: 'incoming', content: 'Hello', sender_contact_id: contact }).execute();
    await ws.updateTable('conversations').set({ status_changed_at: since }).where('id', '=', c.id).execute();
    return c.id;
  };
  const conversation = async (id: string) => json<Conversation>(await call('GET', `/api/v1/conversations/${id}`));
  const messages = async (id: string) => json<{ data: Message[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;

  beforeAll(async () => {
    t = await startTestApp();
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, accountId);
    const a = scoped(t.ctx.db, accountId);
    inboxId = (await a.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow()).id;
    contactId = (await a.insertInto('contacts', { name: 'Ana López' }).returning('id').executeTakeFirstOrThrow()).id;
    await t.ctx.jobs.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is off until an admin sets it, and refuses a bad setting naming the field', async () => {
    expect((await call('GET', '/api/v1/automation/auto-close', undefined, {})).statusCode).toBe(401);
    const agent = await makeMember(t, accountId, 'agent');
    expect((await call('PUT', '/api/v1/automation/auto-close', { enabled: true, after_minutes: 60, message: '' }, await sessionFor(t, agent.id, accountId))).statusCode).toBe(403);
    expect(json(await call('GET', '/api/v1/automation/auto-close'))).toEqual({ enabled: false, after_minutes: 4320, message: '' });
    const zero = await call('PUT', '/api/v1/automation/auto-close', { enabled: true, after_minutes: 0, message: '' });
    expect(zero.statusCode).toBe(400);
    expect((zero.json() as ErrorBody).error.details?.[0].field).toBe('after_minutes');
    const unknown = await call('PUT', '/api/v1/automation/auto-close', { enabled: true, after_minutes: 60, message: 'Bye {{contact.nickname}}' });
    expect(unknown.statusCode).toBe(422);
    expect((unknown.json() as ErrorBody).error).toMatchObject({ code: 'invalid_template', details: [{ field: 'message' }] });
    // Off: nothing is closed, however long it waits.
    const old = await conversationIn('pending', ago(60 * 24 * 30));
    expect(await autoCloseDue(t.ctx)).toBe(0);
    expect((await conversation(old)).status).toBe('pending');
  });

  it('closes conversations pending longer than the setting, with the message to the customer once', async () => {
    const saved = await call('PUT', '/api/v1/automation/auto-close', { enabled: true, after_minutes: 3 * 1440, message: 'We are closing this for now, {{contact.first_name}}. Just write to open it again.' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json(saved)).toEqual({ enabled: true, after_minutes: 4320, message: 'We are closing this for now, {{contact.first_name}}. Just write to open it again.' });

    const due = await conversationIn('pending', ago(3 * 1440 + 5));
    const recent = await conversationIn('pending', ago(2 * 1440));
    const open = await conversationIn('open', ago(10 * 1440));
    const other = await makeWorkspace(t, 'Other');
    const o = scoped(t.ctx.db, other.accountId);
    const otherInbox = (await o.insertInto('inboxes', { name: 'Theirs', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow()).id;
    const otherContact = (await o.insertInto('contacts', { name: 'Theirs' }).returning('id').executeTakeFirstOrThrow()).id;
    const theirs = await conversationIn('pending', ago(10 * 1440), other.accountId, otherInbox, otherContact);

    // Sweeps racing (two nodes): each conversation closed once.
    await Promise.all([autoCloseDue(t.ctx), autoCloseDue(t.ctx)]);
    await autoCloseDue(t.ctx);
    expect((await conversation(due)).status).toBe('resolved');
    expect((await conversation(recent)).status).toBe('pending');
    expect((await conversation(open)).status).toBe('open');
    const theirStatus = await o.selectFrom('conversations').select('status').where('id', '=', theirs).executeTakeFirstOrThrow();
    expect(theirStatus.status).toBe('pending');

    const thread = await messages(due);
    const sent = thread.filter((m) => m.direction === 'outgoing' && m.kind === 'text' && !m.private);
    expect(sent.map((m) => m.content)).toEqual(['We are closing this for now, Ana. Just write to open it again.']);
    expect(thread.filter((m) => m.kind === 'system').map((m) => m.content)).toEqual(['Rapport resolved the conversation']);
  });

  it('starts the clock again when a conversation goes back to pending', async () => {
    const id = await conversationIn('pending', ago(5 * 1440));
    await autoCloseDue(t.ctx);
    expect((await conversation(id)).status).toBe('resolved');
    // Reopened and pending again just now: not yet due.
    expect((await call('PATCH', `/api/v1/conversations/${id}`, { status: 'pending' })).statusCode).toBe(200);
    expect(await autoCloseDue(t.ctx)).toBe(0);
    expect((await conversation(id)).status).toBe('pending');
    expect((await messages(id)).filter((m) => m.direction === 'outgoing' && m.kind === 'text')).toHaveLength(1);
  });
});

/**
 * Macros and canned responses: shared ones kept by admins, personal ones seen by their owner
 * alone; variables filled in on the server and inserted as text (SECURITY 11); a macro applies all
 * its actions as the agent, or none; unknown variables and bad actions refused naming the field;
 * other workspaces and conversations an agent cannot see answer 404 (SECURITY 1, 4).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp } from './helpers.js';

type Canned = { id: string; shortcut: string; title: string; body: string; shared: boolean; rendered?: string };
type Macro = { id: string; name: string; shared: boolean; actions: unknown[] };
type Conversation = { id: string; status: string; priority: string; tags: string[]; assignee: { id: string } | null };
type Message = { content: string; private: boolean; direction: string; kind: string; author: { type: string; id: string } | null };
type ErrorBody = { error: { code: string; message: string; details?: Array<{ field: string; message: string }> } };

describe('macros and canned responses', () => {
  let t: TestApp;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Person;
  let agentSession: Record<string, string>;
  let otherAgentSession: Record<string, string>;
  let conversationId: string;
  let hiddenConversationId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const errorOf = (res: { json: () => unknown }) => (res.json() as ErrorBody).error;

  beforeAll(async () => {
    t = await startTestApp();
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, accountId);
    agent = await makeMember(t, accountId, 'agent');
    const otherAgent = await makeMember(t, accountId, 'agent');
    agentSession = await sessionFor(t, agent.id, accountId);
    otherAgentSession = await sessionFor(t, otherAgent.id, accountId);
    const a = scoped(t.ctx.db, accountId);
    const inbox = await a.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
    const hidden = await a.insertInto('inboxes', { name: 'Private', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
    await a.insertInto('inbox_members', { inbox_id: inbox.id, user_id: agent.id }).execute();
    await a.insertInto('inbox_members', { inbox_id: inbox.id, user_id: otherAgent.id }).execute();
    const contact = await a.insertInto('contacts', { name: '<img src=x onerror=alert(1)> Ana', email: 'ana@customer.example' }).returning('id').executeTakeFirstOrThrow();
    conversationId = (await a.insertInto('conversations', { inbox_id: inbox.id, contact_id: contact.id, subject: 'Help', last_seq: 1 }).returning('id').executeTakeFirstOrThrow()).id;
    await a.insertInto('messages', { conversation_id: conversationId, seq: 1, direction: 'incoming', content: 'Hello', sender_contact_id: contact.id }).execute();
    hiddenConversationId = (await a.insertInto('conversations', { inbox_id: hidden.id, contact_id: contact.id, subject: 'Hidden' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('requires authentication', async () => {
    for (const url of ['/api/v1/canned-responses', '/api/v1/macros']) expect((await call('GET', url, undefined, {})).statusCode).toBe(401);
  });

  it('keeps canned responses shared (by admins) or personal, and fills them in for a conversation as text', async () => {
    const shared = await call('POST', '/api/v1/canned-responses', { shortcut: 'thanks', title: 'Thank you', body: 'Thanks, {{contact.first_name}}! {{agent.name}} here ({{contact.email}}).', shared: true });
    expect(shared.statusCode, shared.body).toBe(201);
    expect(json<Canned>(shared)).toMatchObject({ shortcut: 'thanks', shared: true });
    // An agent may not share one, but may keep their own, even with the same shortcut.
    const refused = await call('POST', '/api/v1/canned-responses', { shortcut: 'hi', title: 'Hi', body: 'Hi', shared: true }, agentSession);
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).details).toEqual([{ field: 'shared', message: 'needs an admin' }]);
    const own = await call('POST', '/api/v1/canned-responses', { shortcut: 'thanks', title: 'My thanks', body: 'Cheers {{contact.name}}' }, agentSession);
    expect(own.statusCode, own.body).toBe(201);
    const taken = await call('POST', '/api/v1/canned-responses', { shortcut: 'Thanks', title: 'Again', body: 'x' }, agentSession);
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).details).toEqual([{ field: 'shortcut', message: 'is already used' }]);

    const mine = json<{ data: Canned[] }>(await call('GET', `/api/v1/canned-responses?conversation_id=${conversationId}`, undefined, agentSession)).data;
    expect(mine.map((c) => [c.title, c.shared])).toEqual(
      expect.arrayContaining([
        ['Thank you', true],
        ['My thanks', false],
      ]),
    );
    // The values are the contact's, as plain text: markup in a name stays characters.
    expect(mine.find((c) => c.shared)!.rendered).toBe(`Thanks, <img! ${agent.name} here (ana@customer.example).`);
    expect(mine.find((c) => !c.shared)!.rendered).toBe('Cheers <img src=x onerror=alert(1)> Ana');
    // Another agent sees the shared one only, and cannot change it or the first agent's.
    const theirs = json<{ data: Canned[] }>(await call('GET', '/api/v1/canned-responses', undefined, otherAgentSession)).data;
    expect(theirs.map((c) => c.title)).toEqual(['Thank you']);
    expect((await call('PATCH', `/api/v1/canned-responses/${json<Canned>(own).id}`, { title: 'Mine now' }, otherAgentSession)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/canned-responses/${json<Canned>(shared).id}`, { title: 'Changed' }, otherAgentSession)).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/canned-responses/${json<Canned>(own).id}`, { body: 'Bye {{contact.first_name}}' }, agentSession)).statusCode).toBe(200);
    // A conversation the agent cannot see is not filled in for them.
    expect((await call('GET', `/api/v1/canned-responses?conversation_id=${hiddenConversationId}`, undefined, agentSession)).statusCode).toBe(404);
    // Filtering by what was typed after "/".
    expect(json<{ data: Canned[] }>(await call('GET', '/api/v1/canned-responses?q=THA', undefined, agentSession)).data).toHaveLength(2);
    expect(json<{ data: Canned[] }>(await call('GET', '/api/v1/canned-responses?q=%25', undefined, agentSession)).data).toHaveLength(0);
  });

  it('refuses unknown variables and bad shortcuts, naming the field', async () => {
    const unknown = await call('POST', '/api/v1/canned-responses', { shortcut: 'x', title: 'X', body: 'Hi {{contact.age}} and {{ password }}' });
    expect(unknown.statusCode).toBe(422);
    expect(errorOf(unknown)).toMatchObject({ code: 'invalid_template', details: [{ field: 'body', message: expect.stringContaining('{{contact.age}}, {{password}}') }] });
    const shortcut = await call('POST', '/api/v1/canned-responses', { shortcut: 'two words', title: 'X', body: 'x' });
    expect(shortcut.statusCode).toBe(400);
    expect(errorOf(shortcut).details?.[0].field).toBe('shortcut');
  });

  it('applies a macro’s actions at once, as the agent, with the reply filled in', async () => {
    const res = await call('POST', '/api/v1/macros', {
      name: 'Refund handled',
      actions: [
        { type: 'add_tags', tags: ['refund'] },
        { type: 'assign', user_id: agent.id },
        { type: 'set_priority', priority: 'low' },
        { type: 'reply', body: 'Hi {{contact.first_name}}, {{agent.name}} here: your refund is on its way.' },
        { type: 'note', body: 'Refunded by macro' },
        { type: 'set_status', status: 'resolved' },
      ],
    }, agentSession);
    expect(res.statusCode, res.body).toBe(201);
    const macro = json<Macro>(res);
    expect(macro.shared).toBe(false);
    const applied = await call('POST', `/api/v1/conversations/${conversationId}/macros/${macro.id}`, undefined, agentSession);
    expect(applied.statusCode, applied.body).toBe(200);
    const answer = json<{ conversation: Conversation; actions: Array<{ type: string; outcome: string }> }>(applied);
    expect(answer.conversation).toMatchObject({ tags: ['refund'], assignee: { id: agent.id }, priority: 'low', status: 'resolved' });
    expect(answer.actions.map((a) => a.outcome)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    const messages = json<{ data: Message[] }>(await call('GET', `/api/v1/conversations/${conversationId}/messages`, undefined, agentSession)).data;
    const reply = messages.find((m) => m.direction === 'outgoing' && m.kind === 'text' && !m.private)!;
    expect(reply).toMatchObject({ content: `Hi <img, ${agent.name} here: your refund is on its way.`, author: { type: 'user', id: agent.id } });
    expect(messages.find((m) => m.private)).toMatchObject({ content: 'Refunded by macro', author: { type: 'user', id: agent.id } });
    expect(messages.filter((m) => m.kind === 'system').map((m) => m.content).join('\n')).toContain(`${agent.name} resolved the conversation`);
    // Again: nothing left to change, the reply goes again (a macro does what it says each time).
    const again = json<{ actions: Array<{ type: string; outcome: string }> }>(await call('POST', `/api/v1/conversations/${conversationId}/macros/${macro.id}`, undefined, agentSession));
    expect(again.actions.map((a) => a.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'done', 'done', 'skipped']);
  });

  it('applies all of a macro or none, and refuses bad actions naming the field', async () => {
    const bad = await call('POST', '/api/v1/macros', { name: 'Bad', actions: [{ type: 'add_tags', tags: ['x'] }, { type: 'set_priority', priority: 'asap' }] }, agentSession);
    expect(bad.statusCode).toBe(422);
    expect(errorOf(bad)).toMatchObject({ code: 'invalid_macro', details: [{ field: 'actions[1].priority', message: expect.any(String) }] });
    const webhook = await call('POST', '/api/v1/macros', { name: 'Hook', actions: [{ type: 'webhook', webhook_id: randomUUID() }] }, agentSession);
    expect(errorOf(webhook).details?.[0].field).toBe('actions[0].type');
    const other = await makeWorkspace(t, 'Other');
    const foreign = await call('POST', '/api/v1/macros', { name: 'Foreign', actions: [{ type: 'assign', user_id: other.owner.id }] }, agentSession);
    expect(errorOf(foreign).details).toEqual([{ field: 'actions[0].user_id', message: 'is not a member of this workspace' }]);

    // An admin who works in no inbox may be assigned; an agent outside the inbox may not: the whole macro stops.
    const outside = await makeMember(t, accountId, 'agent');
    const macro = json<Macro>(await call('POST', '/api/v1/macros', { name: 'Hand over', shared: true, actions: [{ type: 'add_tags', tags: ['handover'] }, { type: 'note', body: 'Handing over' }, { type: 'assign', user_id: outside.id }] }));
    const before = json<Conversation>(await call('GET', `/api/v1/conversations/${conversationId}`));
    const failed = await call('POST', `/api/v1/conversations/${conversationId}/macros/${macro.id}`, undefined, agentSession);
    expect(failed.statusCode).toBe(422);
    expect(errorOf(failed).details).toEqual([{ field: 'assignee_id', message: 'does not work in this inbox' }]);
    const after = json<Conversation>(await call('GET', `/api/v1/conversations/${conversationId}`));
    expect(after).toEqual(before);
    const notes = json<{ data: Message[] }>(await call('GET', `/api/v1/conversations/${conversationId}/messages`)).data.filter((m) => m.content === 'Handing over');
    expect(notes).toEqual([]);
  });

  it('keeps macros to those who may see them and the conversations they may see', async () => {
    const shared = json<Macro>(await call('POST', '/api/v1/macros', { name: 'Shared VIP', shared: true, actions: [{ type: 'add_tags', tags: ['vip'] }] }));
    const personal = json<Macro>(await call('POST', '/api/v1/macros', { name: 'Mine', actions: [{ type: 'add_tags', tags: ['mine'] }] }, agentSession));
    expect(json<{ data: Macro[] }>(await call('GET', '/api/v1/macros', undefined, otherAgentSession)).data.map((m) => m.name)).not.toContain('Mine');
    expect((await call('POST', `/api/v1/conversations/${conversationId}/macros/${personal.id}`, undefined, otherAgentSession)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/macros/${shared.id}`, { name: 'Renamed' }, agentSession)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/macros/${personal.id}`, undefined, otherAgentSession)).statusCode).toBe(404);
    // A conversation the agent cannot see: 404, and nothing changes.
    expect((await call('POST', `/api/v1/conversations/${hiddenConversationId}/macros/${shared.id}`, undefined, agentSession)).statusCode).toBe(404);
    expect(json<Conversation>(await call('GET', `/api/v1/conversations/${hiddenConversationId}`)).tags).toEqual([]);

    // Another workspace's admin: 404 for every id, nothing changed.
    const other = await makeWorkspace(t, 'Elsewhere');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    const canned = json<Canned>(await call('POST', '/api/v1/canned-responses', { shortcut: `s${randomUUID().slice(0, 6)}`, title: 'Ours', body: 'Ours', shared: true }));
    for (const [method, url] of [
      ['PATCH', `/api/v1/macros/${shared.id}`],
      ['DELETE', `/api/v1/macros/${shared.id}`],
      ['POST', `/api/v1/conversations/${conversationId}/macros/${shared.id}`],
      ['PATCH', `/api/v1/canned-responses/${canned.id}`],
      ['DELETE', `/api/v1/canned-responses/${canned.id}`],
    ] as const)
      expect((await call(method, url, method === 'PATCH' ? (url.includes('macros') ? { name: 'x' } : { title: 'x' }) : undefined, outsider)).statusCode, `${method} ${url}`).toBe(404);
    expect(json<{ data: Macro[] }>(await call('GET', '/api/v1/macros', undefined, outsider)).data).toEqual([]);
    expect(json<{ data: Canned[] }>(await call('GET', '/api/v1/canned-responses', undefined, outsider)).data).toEqual([]);
    expect(json<{ data: Macro[] }>(await call('GET', '/api/v1/macros')).data.find((m) => m.id === shared.id)?.name).toBe('Shared VIP');
    expect(json<{ data: Canned[] }>(await call('GET', '/api/v1/canned-responses')).data.find((c) => c.id === canned.id)?.title).toBe('Ours');
  });
});

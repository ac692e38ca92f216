/** The conversation core every channel shares: inboxes, replies and notes, idempotency, state, outbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { BusEvent } from '../src/core/bus.js';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let ws: WorkspaceFixture;
let admin: Record<string, string>;
let agent: Person;
let agentHeaders: Record<string, string>;
let inboxId: string;
let contactId: string;

beforeAll(async () => {
  t = await startTestApp();
  ws = await makeWorkspace(t, 'Northwind');
  admin = await sessionFor(t, ws.owner.id, ws.accountId);
  agent = await makeMember(t, ws.accountId, 'agent');
  agentHeaders = await sessionFor(t, agent.id, ws.accountId);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Website', allowed_origins: ['https://Shop.Example:443', 'http://localhost:8080'], member_ids: [ws.owner.id, agent.id] } });
  inboxId = json<{ id: string }>(res).id;
  contactId = (await scoped(t.ctx.db, ws.accountId).insertInto('contacts', { name: 'Natalie Brooks', email: 'natalie@example.com' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

async function newConversation(): Promise<string> {
  const row = await scoped(t.ctx.db, ws.accountId).insertInto('conversations', { inbox_id: inboxId, contact_id: contactId, subject: 'Sizes' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

const post = (id: string, payload: Record<string, unknown>, headers = agentHeaders) => t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers, payload });
const get = (url: string, headers = agentHeaders) => t.app.inject({ method: 'GET', url, headers });

describe('web chat inboxes', () => {
  it('answer their widget key and the ready-to-paste snippet', async () => {
    const res = await get(`/api/v1/inboxes/${inboxId}`, admin);
    const inbox = json<{ widget_key: string; snippet: string; allowed_origins: string[]; identity_secret: string; member_ids: string[] }>(res);
    expect(inbox.widget_key).toMatch(/^wk_[\w-]{24}$/);
    expect(inbox.snippet).toBe(`<script src="http://localhost:3000/widget.js" data-inbox="${inbox.widget_key}" async></script>`);
    expect(inbox.allowed_origins).toEqual(['https://shop.example', 'http://localhost:8080']);
    expect(inbox.identity_secret).toMatch(/^[\w-]{43}$/);
    expect(inbox.member_ids.sort()).toEqual([ws.owner.id, agent.id].sort());
    const stored = await scoped(t.ctx.db, ws.accountId).selectFrom('inboxes').select('identity_secret').where('id', '=', inboxId).executeTakeFirstOrThrow();
    expect(stored.identity_secret).not.toContain(inbox.identity_secret); // encrypted at rest
  });

  it('show the identity secret to admins only', async () => {
    const asAgent = json<Record<string, unknown>>(await get(`/api/v1/inboxes/${inboxId}`));
    expect(asAgent.widget_key).toBeTruthy();
    expect(asAgent).not.toHaveProperty('identity_secret');
  });

  it.each([
    [{ channel: 'webchat', name: 'Site', allowed_origins: ['https://shop.example/path'] }, 'allowed_origins.0'],
    [{ channel: 'webchat', name: 'Site', allowed_origins: ['javascript:alert(1)'] }, 'allowed_origins.0'],
    [{ channel: 'carrier-pigeon', name: 'Site' }, 'channel'],
    [{ channel: 'webchat', name: '' }, 'name'],
  ])('refuse %o naming the bad field', async (payload, field) => {
    const before = await scoped(t.ctx.db, ws.accountId).selectFrom('inboxes').select('id').execute();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload });
    expect(res.statusCode).toBe(400);
    expect(json<{ error: { details: Array<{ field: string }> } }>(res).error.details.map((d) => d.field)).toContain(field);
    expect(await scoped(t.ctx.db, ws.accountId).selectFrom('inboxes').select('id').execute()).toHaveLength(before.length);
  });
});

describe('replies and notes', () => {
  it('numbers messages per conversation; a reply is a first response, a note is not and stays private', async () => {
    const id = await newConversation();
    const note = await post(id, { content: 'Check the stock system first', private: true });
    expect(note.statusCode).toBe(201);
    expect(json(note)).toMatchObject({ seq: 1, private: true, direction: 'outgoing', kind: 'text', author: { type: 'user', id: agent.id } });
    let conversation = json<{ first_response_at: string | null; last_seq: number }>(await get(`/api/v1/conversations/${id}`));
    expect(conversation.first_response_at).toBeNull();
    const reply = await post(id, { content: 'Size 39 is back in stock!' });
    expect(json(reply)).toMatchObject({ seq: 2, private: false });
    conversation = json(await get(`/api/v1/conversations/${id}`));
    expect(conversation.first_response_at).not.toBeNull();
    expect(conversation.last_seq).toBe(2);
  });

  it('a retry with the same client message id never makes a second message, even when sent at once', async () => {
    const id = await newConversation();
    const first = await post(id, { content: 'Hello', client_message_id: 'c-1' });
    const again = await post(id, { content: 'Hello', client_message_id: 'c-1' });
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(json<{ id: string }>(again).id).toBe(json<{ id: string }>(first).id);
    const burst = await Promise.all(Array.from({ length: 6 }, () => post(id, { content: 'Twice?', client_message_id: 'c-2' })));
    expect(new Set(burst.map((r) => json<{ id: string }>(r).id)).size).toBe(1);
    expect(burst.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const stored = await scoped(t.ctx.db, ws.accountId).selectFrom('messages').select('seq').where('conversation_id', '=', id).orderBy('seq').execute();
    expect(stored.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('concurrent messages get consecutive sequence numbers; a client asks for everything after N', async () => {
    const id = await newConversation();
    await Promise.all(Array.from({ length: 10 }, (_, i) => post(id, { content: `message ${i}` })));
    const all = json<{ data: Array<{ seq: number }> }>(await get(`/api/v1/conversations/${id}/messages`)).data;
    expect(all.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const after = json<{ data: Array<{ seq: number }> }>(await get(`/api/v1/conversations/${id}/messages?after=7`)).data;
    expect(after.map((m) => m.seq)).toEqual([8, 9, 10]);
  });

  it.each([
    [{ content: '' }, 'content'],
    [{ content: '   ' }, 'content'],
    [{ content: 'x'.repeat(10_001) }, 'content'],
    [{ content: 42 }, 'content'],
    [{ content: 'ok', private: 'yes' }, 'private'],
    [{ content: 'ok', client_message_id: '../../etc' }, 'client_message_id'],
  ])('refuses %o with a clear error, nothing stored', async (payload, field) => {
    const id = await newConversation();
    const res = await post(id, payload);
    expect(res.statusCode).toBe(400);
    expect(json<{ error: { details: Array<{ field: string }> } }>(res).error.details.map((d) => d.field)).toContain(field);
    expect(await scoped(t.ctx.db, ws.accountId).selectFrom('messages').select('id').where('conversation_id', '=', id).execute()).toEqual([]);
  });
});

describe('changing a conversation', () => {
  it('assigns, tags, sets priority, snoozes and resolves, with a system event in the thread for each', async () => {
    const id = await newConversation();
    const patch = (payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: agentHeaders, payload });
    expect(json(await patch({ assignee_id: agent.id, priority: 'urgent', tags: ['VIP', 'shoes'] }))).toMatchObject({ assignee: { id: agent.id }, priority: 'urgent', tags: ['vip', 'shoes'] });
    const snoozeWithoutTime = await patch({ status: 'snoozed' });
    expect(snoozeWithoutTime.statusCode).toBe(400);
    expect(json(snoozeWithoutTime)).toMatchObject({ error: { details: [{ field: 'snoozed_until' }] } });
    const past = await patch({ snoozed_until: new Date(Date.now() - 60_000).toISOString() });
    expect(past.statusCode).toBe(400);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(json(await patch({ snoozed_until: until }))).toMatchObject({ status: 'snoozed', snoozed_until: until });
    const resolved = json<{ status: string; resolved_at: string | null; snoozed_until: string | null }>(await patch({ status: 'resolved' }));
    expect(resolved).toMatchObject({ status: 'resolved', snoozed_until: null });
    expect(resolved.resolved_at).not.toBeNull();
    const thread = json<{ data: Array<{ kind: string; content: string }> }>(await get(`/api/v1/conversations/${id}/messages`)).data;
    expect(thread.every((m) => m.kind === 'system')).toBe(true);
    expect(thread.map((m) => m.content)).toEqual([
      expect.stringContaining('assigned the conversation to themselves'),
      expect.stringContaining('set the priority to urgent'),
      expect.stringContaining('snoozed the conversation until'),
      expect.stringContaining('resolved the conversation'),
    ]);
  });

  it('refuses an assignee outside the workspace or the inbox, and a team of another workspace', async () => {
    const id = await newConversation();
    const stranger = await makeMember(t, ws.accountId, 'agent'); // not in the inbox
    const other = await makeWorkspace(t, 'Other');
    const otherTeam = await scoped(t.ctx.db, other.accountId).insertInto('teams', { name: 'Theirs' }).returning('id').executeTakeFirstOrThrow();
    for (const payload of [{ assignee_id: stranger.id }, { assignee_id: other.owner.id }, { team_id: otherTeam.id }]) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: agentHeaders, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
    }
    const row = await scoped(t.ctx.db, ws.accountId).selectFrom('conversations').select(['assignee_id', 'team_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ assignee_id: null, team_id: null });
  });

  it('filters the list: mine, unassigned, status, tag, inbox; sorts by waiting longest', async () => {
    const mine = await newConversation();
    const waiting = await newConversation();
    await t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${mine}`, headers: agentHeaders, payload: { assignee_id: agent.id, tags: ['refund'] } });
    await scoped(t.ctx.db, ws.accountId).updateTable('conversations').set({ waiting_since: new Date(Date.now() - 86_400_000) }).where('id', '=', waiting).execute();
    const ids = async (query: string) => json<{ data: Array<{ id: string }> }>(await get(`/api/v1/conversations?${query}`)).data.map((c) => c.id);
    expect(await ids('assignee=me&status=open')).toContain(mine);
    expect(await ids('assignee=me')).not.toContain(waiting);
    expect(await ids('assignee=unassigned')).not.toContain(mine);
    expect(await ids('tag=refund')).toEqual([mine]);
    expect(await ids(`inbox_id=${inboxId}&limit=100`)).toEqual(expect.arrayContaining([mine, waiting]));
    expect((await ids('sort=waiting'))[0]).toBe(waiting);
    const bad = await get("/api/v1/conversations?tag=' or 1=1--");
    expect(bad.statusCode).toBe(422);
    expect(json<{ error: { code: string; details: Array<{ field: string }> } }>(bad).error).toMatchObject({ code: 'invalid_filter', details: [{ field: 'tag' }] });
  });
});

describe('the outbox', () => {
  it('publishes committed changes only, once each', async () => {
    const seen: BusEvent[] = [];
    const off = t.ctx.bus.subscribe((e) => seen.push(e));
    try {
      const id = await newConversation();
      await post(id, { content: 'Published?', client_message_id: 'pub-1' });
      await post(id, { content: 'Published?', client_message_id: 'pub-1' }); // a retry: no second event
      await post(id, { content: 'x'.repeat(10_001) }); // refused: no event
      await t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: agentHeaders, payload: { status: 'pending' } });
      await t.ctx.outbox.flush();
      const mineEvents = seen.filter((e) => e.conversationId === id);
      expect(mineEvents.map((e) => e.event)).toEqual(['message.created', 'message.created', 'conversation.updated']);
      expect(mineEvents[0].payload).toMatchObject({ message: { content: 'Published?', seq: 1, client_message_id: 'pub-1' } });
      expect(mineEvents[1].payload).toMatchObject({ message: { kind: 'system' } });
      expect(mineEvents[2].payload).toMatchObject({ conversation: { id, status: 'pending' } });
      expect(new Set(mineEvents.map((e) => e.id)).size).toBe(3);
      expect(mineEvents.every((e) => e.accountId === ws.accountId)).toBe(true);
    } finally {
      off();
    }
  });
});

describe('messages written together', () => {
  it('a burst across many conversations: each message its own number and state, one event each, a repeat answered once', async () => {
    const seen: BusEvent[] = [];
    const off = t.ctx.bus.subscribe((e) => seen.push(e));
    try {
      const ids = await Promise.all(Array.from({ length: 12 }, () => newConversation()));
      const first = await post(ids[0], { content: 'before the burst', client_message_id: 'burst-0' });
      expect(first.statusCode).toBe(201);
      // Two replies to each conversation and, in the same burst, a retry of the message above.
      const burst = await Promise.all([
        ...ids.flatMap((id, i) => [post(id, { content: `one ${i}`, client_message_id: `burst-${i}-a` }), post(id, { content: `two ${i}`, client_message_id: `burst-${i}-b` })]),
        post(ids[0], { content: 'before the burst', client_message_id: 'burst-0' }),
      ]);
      const retry = burst.pop()!;
      expect(retry.statusCode).toBe(200);
      expect(json<{ id: string }>(retry).id).toBe(json<{ id: string }>(first).id);
      expect(burst.map((r) => r.statusCode)).toEqual(burst.map(() => 201));

      for (const [i, id] of ids.entries()) {
        const thread = json<{ data: Array<{ seq: number; content: string }> }>(await get(`/api/v1/conversations/${id}/messages`)).data;
        const expected = i === 0 ? [1, 2, 3] : [1, 2];
        expect(thread.map((m) => m.seq)).toEqual(expected);
        expect(thread.map((m) => m.content).sort()).toEqual([...(i === 0 ? ['before the burst'] : []), `one ${i}`, `two ${i}`].sort());
        const conversation = json<{ last_seq: number; first_response_at: string | null; unread_count: number }>(await get(`/api/v1/conversations/${id}`));
        expect(conversation.last_seq).toBe(expected.length);
        expect(conversation.first_response_at).not.toBeNull();
      }
      await t.ctx.outbox.flush();
      const created = seen.filter((e) => e.event === 'message.created' && ids.includes(e.conversationId!));
      expect(created).toHaveLength(25);
      expect(new Set(created.map((e) => e.id)).size).toBe(25);
      for (const e of created) {
        const m = (e.payload as { message: { seq: number; content: string; author: { name: string } } }).message;
        // The event carries the number the database gave and the author's name read in the same statement.
        expect(m.seq).toBeGreaterThan(0);
        expect(m.author.name).toBe(agent.name);
        expect(e.accountId).toBe(ws.accountId);
      }
      expect(created.filter((e) => e.conversationId === ids[0]).map((e) => (e.payload as { message: { seq: number } }).message.seq).sort()).toEqual([1, 2, 3]);
    } finally {
      off();
    }
  });

  // The embedded engine has one connection: a transaction left open there holds every query, so
  // this can only be shown on a PostgreSQL server.
  it.runIf(!!process.env.TEST_DATABASE_URL)('a message stuck behind a locked conversation does not hold back the messages that come after it', async () => {
    const [stuck, free] = await Promise.all([newConversation(), newConversation()]);
    let unlock!: () => void;
    const held = new Promise<void>((r) => (unlock = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.ctx.db.transaction().execute(async (trx) => {
      await sql`select id from conversations where id = ${stuck} for update`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    const waiting = post(stuck, { content: 'behind the lock' });
    // Messages that share a statement with it wait with it (a statement is all or nothing); those
    // that come while it waits must not.
    await new Promise((r) => setTimeout(r, 200));
    const others = await Promise.race([
      Promise.all([post(free, { content: 'not held' }), post(free, { content: 'nor this' })]),
      new Promise<'held'>((r) => setTimeout(() => r('held'), 3000)),
    ]);
    expect(others).not.toBe('held');
    expect((others as Array<{ statusCode: number }>).map((r) => r.statusCode)).toEqual([201, 201]);
    unlock();
    await holder;
    expect((await waiting).statusCode).toBe(201);
  });

  it('published events are kept an hour, then purged; unpublished ones never are', async () => {
    const box = scoped(t.ctx.db, ws.accountId);
    const payload = JSON.stringify({ note: 'purge test' });
    const [old, fresh, pending] = await Promise.all(
      // The reactors have read the published ones (the sweep that purges keeps events they have not: reactions.test).
      [{ published_at: new Date(Date.now() - 2 * 3600_000), react_pending: false }, { published_at: new Date(), react_pending: false }, { published_at: null }].map((v) =>
        box.insertInto('outbox_events', { event: 'conversation.updated', payload, ...v }).returning('id').executeTakeFirstOrThrow(),
      ),
    );
    // The pending one is old too, as if its node had crashed: it must still be published.
    await sql`update outbox_events set created_at = now() - interval '2 hours' where id = ${pending.id} and account_id = ${ws.accountId}`.execute(t.ctx.db);
    await t.ctx.outbox.purge();
    const left = (await box.selectFrom('outbox_events').select('id').where('id', 'in', [old.id, fresh.id, pending.id]).execute()).map((r) => r.id);
    expect(left.sort()).toEqual([fresh.id, pending.id].sort());
    await t.ctx.outbox.flush();
  });
});

describe('snoozed conversations', () => {
  it('wake up when their time comes, with a system event and an outbox event', async () => {
    const { wakeSnoozed } = await import('../src/features/conversations/commands/wake-snoozed.js');
    const id = await newConversation();
    await t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: agentHeaders, payload: { snoozed_until: new Date(Date.now() + 60_000).toISOString() } });
    expect(await wakeSnoozed(t.ctx.db)).toBe(0); // not yet
    await scoped(t.ctx.db, ws.accountId).updateTable('conversations').set({ snoozed_until: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    const seen: BusEvent[] = [];
    const off = t.ctx.bus.subscribe((e) => seen.push(e));
    try {
      expect(await wakeSnoozed(t.ctx.db)).toBe(1);
      await t.ctx.outbox.flush();
      expect(json(await get(`/api/v1/conversations/${id}`))).toMatchObject({ status: 'open', snoozed_until: null });
      const thread = json<{ data: Array<{ content: string }> }>(await get(`/api/v1/conversations/${id}/messages`)).data;
      expect(thread.at(-1)!.content).toBe('The snooze ended; the conversation is open again');
      expect(seen.filter((e) => e.conversationId === id).map((e) => e.event)).toEqual(['message.created', 'conversation.updated']);
      expect(await wakeSnoozed(t.ctx.db)).toBe(0); // once
    } finally {
      off();
    }
  });
});

describe('tags', () => {
  it('lists the tags in use, most used first, filtered by a prefix taken literally, and only from conversations I may see', async () => {
    const [a, b, c] = [await newConversation(), await newConversation(), await newConversation()];
    const tag = (id: string, tags: string[]) => t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: agentHeaders, payload: { tags } });
    // Tags other tests left behind may exist: these are made-up words.
    expect((await tag(a, ['zrefund', 'zvip'])).statusCode).toBe(200);
    await tag(b, ['zrefund']);
    await tag(c, ['zre%fund', 'zshipping']);
    const all = json<{ data: Array<{ name: string; count: number }> }>(await get('/api/v1/tags?q=z'));
    expect(all.data).toEqual([
      { name: 'zrefund', count: 2 },
      { name: 'zre%fund', count: 1 },
      { name: 'zshipping', count: 1 },
      { name: 'zvip', count: 1 },
    ]);
    const prefixed = json<{ data: Array<{ name: string }> }>(await get('/api/v1/tags?q=zre%25'));
    expect(prefixed.data.map((d) => d.name)).toEqual(['zre%fund']);
    // An agent of another inbox sees none of these.
    const stranger = await makeMember(t, ws.accountId, 'agent');
    const theirs = json<{ data: unknown[] }>(await get('/api/v1/tags', await sessionFor(t, stranger.id, ws.accountId)));
    expect(theirs.data).toEqual([]);
  });
});

/** The read side of conversations and contacts, as the inbox uses it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeWorkspace, tokenFor, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let auth: Record<string, string>;
let conversationIds: string[] = [];
let ownerId: string;
let accountId: string;
/** An email conversation last active at 03:00 UTC on 1 March 2026: still 28 February in New York. */
let emailed: string;

beforeAll(async () => {
  t = await startTestApp();
  const ws = await makeWorkspace(t);
  ownerId = ws.owner.id;
  accountId = ws.accountId;
  auth = await tokenFor(t, ws.owner.id, ws.accountId, 'agent');
  const a = scoped(t.ctx.db, ws.accountId);
  const inbox = await a.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
  await a.insertInto('inbox_members', { inbox_id: inbox.id, user_id: ws.owner.id }).execute();
  const contact = await a.insertInto('contacts', { name: 'Natalie Brooks', email: 'natalie@example.com' }).returning('id').executeTakeFirstOrThrow();
  const now = Date.now();
  // Created in one order, active in another: the inbox shows the latest activity first.
  const activity = [5, 1, 4, 2, 3];
  conversationIds = [];
  for (const [i, minutesAgo] of activity.entries()) {
    const c = await a
      .insertInto('conversations', { inbox_id: inbox.id, contact_id: contact.id, subject: `Question ${i}`, created_at: new Date(now - (10 - i) * 3_600_000), last_message_at: new Date(now - minutesAgo * 60_000), last_seq: 2 })
      .returning('id')
      .executeTakeFirstOrThrow();
    conversationIds.push(c.id);
    await a.insertInto('messages', [
      { conversation_id: c.id, seq: 1, direction: 'incoming', content: `Hello ${i}`, sender_contact_id: contact.id },
      { conversation_id: c.id, seq: 2, direction: 'outgoing', private: true, content: `internal note ${i}` },
    ]).execute();
  }
});
afterAll(async () => t?.close());

describe('GET /api/v1/conversations', () => {
  it('requires authentication', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/conversations' })).statusCode).toBe(401);
  });

  it('lists the most recently active first, page by page, with contact and a preview that is never a private note', async () => {
    const subjects: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject({ method: 'GET', url: `/api/v1/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: auth });
      expect(res.statusCode).toBe(200);
      const body: { data: Array<{ subject: string; contact: { name: string }; last_message_preview: string }>; next_cursor: string | null } = json(res);
      for (const c of body.data) {
        expect(c.contact.name).toBe('Natalie Brooks');
        expect(c.last_message_preview).toMatch(/^Hello \d$/);
      }
      subjects.push(...body.data.map((c) => c.subject));
      cursor = body.next_cursor;
    } while (cursor);
    expect(subjects).toEqual(['Question 1', 'Question 3', 'Question 4', 'Question 2', 'Question 0']);
  });

  it('shows the messages of one conversation in order, notes marked private', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${conversationIds[0]}/messages`, headers: auth });
    const body = json<{ data: Array<{ seq: number; private: boolean; content: string; author: { type: string; name: string } | null }> }>(res);
    expect(body.data.map((m) => [m.seq, m.private, m.content])).toEqual([
      [1, false, 'Hello 0'],
      [2, true, 'internal note 0'],
    ]);
    expect(body.data[0].author).toMatchObject({ type: 'contact', name: 'Natalie Brooks' });
  });
});

describe('GET /api/v1/conversations filters', () => {
  beforeAll(async () => {
    const a = scoped(t.ctx.db, accountId);
    const mail = (await a.insertInto('inboxes', { name: 'Mail', channel: 'email' }).returning('id').executeTakeFirstOrThrow()).id;
    await a.insertInto('inbox_members', { inbox_id: mail, user_id: ownerId }).execute();
    const contact = (await a.insertInto('contacts', { name: 'Omar Haddad', email: 'omar@example.com' }).returning('id').executeTakeFirstOrThrow()).id;
    emailed = (await a.insertInto('conversations', { inbox_id: mail, contact_id: contact, subject: 'Emailed', last_message_at: new Date('2026-03-01T03:00:00Z') }).returning('id').executeTakeFirstOrThrow()).id;
  });
  const list = (query: string) => t.app.inject({ method: 'GET', url: `/api/v1/conversations?${query}`, headers: auth });
  const ids = async (query: string) => {
    const res = await list(query);
    expect(res.statusCode, res.body).toBe(200);
    return json<{ data: Array<{ id: string }> }>(res).data.map((c) => c.id);
  };
  const q = (params: Record<string, string>) => new URLSearchParams({ limit: '100', ...params }).toString();
  const setTimeZone = (zone: string) => t.ctx.db.updateTable('users').set({ time_zone: zone }).where('id', '=', ownerId).execute();

  it('filters by channel', async () => {
    expect(await ids(q({ channel: 'email' }))).toEqual([emailed]);
    expect(new Set(await ids(q({ channel: 'webchat' })))).toEqual(new Set(conversationIds));
    expect(await ids(q({ channel: 'sms' }))).toEqual([]);
    expect(await ids(q({ channel: 'email', inbox_id: conversationIds[0] }))).toEqual([]);
  });

  it('filters by last activity between instants, and by days in my time zone', async () => {
    expect(await ids(q({ from: '2026-03-01T02:59:00Z', to: '2026-03-01T03:01:00+00:00' }))).toEqual([emailed]);
    expect(await ids(q({ from: '2026-03-01T03:00:01Z', to: '2026-03-02T00:00:00Z' }))).toEqual([]);
    // An offset counts: 22:00 in New York on 28 February is the same instant.
    expect(await ids(q({ from: '2026-02-28T22:00:00-05:00', to: '2026-02-28T22:00:01-05:00' }))).toEqual([emailed]);
    await setTimeZone('UTC');
    expect(await ids(q({ from: '2026-03-01', to: '2026-03-01' }))).toEqual([emailed]);
    expect(await ids(q({ to: '2026-02-28' }))).toEqual([]);
    try {
      await setTimeZone('America/New_York');
      // 03:00 UTC on 1 March is the evening of 28 February in New York.
      expect(await ids(q({ from: '2026-03-01' }))).not.toContain(emailed);
      expect(await ids(q({ from: '2026-02-28', to: '2026-02-28' }))).toEqual([emailed]);
      expect(await ids(q({ to: '2026-02-28', channel: 'email' }))).toEqual([emailed]);
    } finally {
      await setTimeZone('UTC');
    }
    // Recent conversations are after a day long past.
    expect(new Set(await ids(q({ from: '2026-03-02' })))).toEqual(new Set(conversationIds));
  });

  it('refuses bad filters with 422 naming the field', async () => {
    const cases: Array<[string, string]> = [
      [q({ status: 'closed' }), 'status'],
      [q({ status: "open' or '1'='1" }), 'status'],
      [q({ inbox_id: 'not-a-uuid' }), 'inbox_id'],
      [q({ assignee: 'somebody' }), 'assignee'],
      [q({ channel: 'EMAIL' }), 'channel'],
      [q({ channel: "email' or 1=1--" }), 'channel'],
      [q({ tag: "x');select pg_sleep(5)--" }), 'tag'],
      [q({ from: 'yesterday' }), 'from'],
      [q({ from: '2026-02-30' }), 'from'],
      [q({ to: "2026-01-01'::timestamptz + pg_sleep(5)" }), 'to'],
      [q({ from: '2026-03-02', to: '2026-03-01' }), 'to'],
      [q({ sort: 'id; drop table conversations' }), 'sort'],
      [q({ cursor: 'bm9wZQ' }), 'cursor'],
      [q({ cursor: Buffer.from(`2026-01-01T00:00:00Z|'); select pg_sleep(5); --`).toString('base64url') }), 'cursor'],
      [q({ limit: '500' }), 'limit'],
      [q({ 'pg_sleep(5)': '1' }), 'pg_sleep(5)'],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expect(res.statusCode, `${query} → ${res.body}`).toBe(422);
      const body = json<{ error: { code: string; message: string; details: Array<{ field: string }> } }>(res);
      expect(body.error.code).toBe('invalid_filter');
      expect(body.error.details.map((d) => d.field)).toContain(field);
      expect(body.error.message).toContain(field);
    }
  });

  it('documents the filters and the 422 answer in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, { get: { parameters: Array<{ name: string; description?: string }>; responses: Record<string, unknown> } }> }>(await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    const list = doc.paths['/api/v1/conversations'].get;
    const names = list.parameters.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['status', 'assignee', 'inbox_id', 'team_id', 'tag', 'channel', 'from', 'to', 'sort', 'cursor', 'limit']));
    expect(list.parameters.find((p) => p.name === 'from')?.description).toMatch(/time zone/);
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '422']));
    expect(Object.keys(list.responses)).not.toContain('400');
  });

  it('matches SQL wildcards and metacharacters the pattern lets through as text', async () => {
    expect(await ids(q({ tag: '%' }))).toEqual([]);
    expect(await ids(q({ tag: '_;--' }))).toEqual([]);
    expect(await ids(q({ channel: '_' }))).toEqual([]);
    expect(await ids(q({ channel: 'e_ail' }))).toEqual([]);
  });
});

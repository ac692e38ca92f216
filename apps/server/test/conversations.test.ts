/** The read side of conversations and contacts, as the inbox uses it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeWorkspace, tokenFor, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let auth: Record<string, string>;
let conversationIds: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const ws = await makeWorkspace(t);
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

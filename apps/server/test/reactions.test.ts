/**
 * Reactions (core/reactions.ts): each change is reacted to once, also with two dispatchers at once;
 * what a reactor writes commits with the claim; a reactor that throws is undone for that event
 * while the others' work stays; a change records what changed and who changed it.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConversationStart, startReactions, type ReactionEvent, type Reactor } from '../src/core/reactions.js';
import { scoped } from '../src/core/db/tenant.js';
import { applyConversationChanges } from '../src/features/conversations/commands/update-conversation.js';
import { drainReactions, json, makeWorkspace, sessionFor, startTestApp, type TestApp, tokenFor, until } from './helpers.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;

describe('reactions', () => {
  let t: TestApp;
  let accountId: string;
  let admin: Record<string, string>;
  let source: Record<string, string>;
  let inboxId: string;
  const seen: ReactionEvent[] = [];

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const startConversation = async (content: string) => {
    const res = await call('POST', '/api/v1/conversations', { inbox_id: inboxId, contact: { email: `${randomUUID().slice(0, 8)}@customer.example` }, message: { content }, idempotency_key: randomUUID() }, source);
    expect(res.statusCode, res.body).toBe(201);
    return json<{ conversation: { id: string } }>(res).conversation.id;
  };
  /** Drains every marked event through these reactors. */
  const drain = async (reactors: Reactor[]) => {
    await drainReactions(t, reactors, log);
  };

  beforeAll(async () => {
    t = await startTestApp({ webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
    source = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
    const inbox = await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://127.0.0.1:9/rapport' });
    expect(inbox.statusCode, inbox.body).toBe(201);
    inboxId = json<{ id: string }>(inbox).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a new conversation reaches a reactor once, as the conversation start, and a change says what changed and who changed it', async () => {
    await drain([]);
    const recorder: Reactor = { name: 'recorder', events: ['message.created', 'conversation.updated'], react: async (_trx, _ctx, e) => void seen.push(e) };
    const id = await startConversation('Where is my order?');
    expect((await call('PATCH', `/api/v1/conversations/${id}`, { priority: 'high', tags: ['Order', 'order'] })).statusCode).toBe(200);
    await drain([recorder]);
    await drain([recorder]);
    const mine = seen.filter((e) => e.conversationId === id);
    const starts = mine.filter(isConversationStart);
    expect(starts).toHaveLength(1);
    expect((starts[0]!.payload.message as { content: string }).content).toBe('Where is my order?');
    const update = mine.find((e) => e.event === 'conversation.updated')!;
    expect(update.payload.changes).toEqual({ priority: { from: 'normal', to: 'high' }, tags: { from: [], to: ['order'] } });
    expect(update.payload.actor).toMatchObject({ type: 'user', name: expect.any(String) });
    // Each event once: the same ids never come twice.
    expect(new Set(mine.map((e) => e.id)).size).toBe(mine.length);
  });

  it('what a reactor writes commits with the claim; a reactor that throws is undone for that event and the others go on', async () => {
    await drain([]);
    const id = await startConversation('My bike has a flat tyre');
    const tagger: Reactor = {
      name: 'tagger',
      events: ['message.created'],
      react: async (trx, _ctx, e) => {
        if (!isConversationStart(e)) return;
        await applyConversationChanges(trx, { accountId: e.accountId, userId: '', role: 'owner', name: 'Rapport', type: 'system' }, e.conversationId!, { tags: ['triaged'] });
      },
    };
    const breaker: Reactor = {
      name: 'breaker',
      events: ['message.created'],
      react: async (trx, _ctx, e) => {
        if (!isConversationStart(e)) return;
        // A change, then a failure: the change must not survive.
        await applyConversationChanges(trx, { accountId: e.accountId, userId: '', role: 'owner', name: 'Rapport', type: 'system' }, e.conversationId!, { priority: 'urgent' });
        throw new Error('rule failed');
      },
    };
    const errors: unknown[] = [];
    await drainReactions(t, [breaker, tagger], { error: (o: unknown) => void errors.push(o) });
    const row = await scoped(t.ctx.db, accountId).selectFrom('conversations').select(['tags', 'priority']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.tags).toEqual(['triaged']);
    expect(row.priority).toBe('normal');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reactor: 'breaker', event: 'message.created' });
  });

  it('two dispatchers at once react to each event once, and a reaction follows a change within moments', async () => {
    await drain([]);
    const counts = new Map<number, number>();
    const counter: Reactor = {
      name: 'counter',
      events: ['message.created'],
      react: async (_trx, _ctx, e) => void counts.set(e.id, (counts.get(e.id) ?? 0) + 1),
    };
    const a = startReactions(t.ctx, log, [counter], 50);
    const b = startReactions(t.ctx, log, [counter], 50);
    try {
      const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => startConversation(`Question ${i}`)));
      const events = await until('every new conversation reacted to', async () => {
        const rows = await scoped(t.ctx.db, accountId).selectFrom('outbox_events').select(['id', 'react_pending']).where('event', '=', 'message.created').where('conversation_id', 'in', ids).execute();
        return rows.length === ids.length && rows.every((r) => !r.react_pending) && rows;
      });
      for (const e of events) expect(counts.get(Number(e.id))).toBe(1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('the outbox purge keeps events the reactors have not read, and drops them once read', async () => {
    await drain([]);
    const id = await startConversation('Still waiting');
    await t.ctx.outbox.flush();
    await scoped(t.ctx.db, accountId).updateTable('outbox_events').set({ published_at: new Date(Date.now() - 3 * 3600_000) }).where('conversation_id', '=', id).execute();
    await t.ctx.outbox.purge();
    expect(await scoped(t.ctx.db, accountId).selectFrom('outbox_events').select('id').where('conversation_id', '=', id).execute()).not.toHaveLength(0);
    // Once read, it goes with the rest.
    await drain([]);
    await t.ctx.outbox.purge();
    const kept = await scoped(t.ctx.db, accountId).selectFrom('outbox_events').select('id').where('conversation_id', '=', id).execute();
    expect(kept).toHaveLength(0);
  });
});

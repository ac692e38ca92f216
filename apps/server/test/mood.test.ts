/**
 * Mood end to end: the mood of any text (and bad input refused), each customer message read after
 * it is written (agent replies and notes are not), the conversation's mood and trend moving with
 * the customer, the "mood" sort and filter of the list, automation rules on mood, and a contact's
 * mood over time kept to their workspace and to the inboxes an agent works in.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REACTORS } from '../src/features/reactors.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { drainReactions, json, makeMember, makeWorkspace, sessionFor, startTestApp, tokenFor, type Person, type TestApp } from './helpers.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;

type Mood = { mood: string | null; sentiment: number | null; language: string | null };
type Conversation = Mood & { id: string; mood_trend: string | null; tags: string[]; contact: { id: string } };
type Message = Mood & { content: string; direction: string; private: boolean };
type ErrorBody = { error: { code: string; message: string; details: Array<{ field: string; message: string }> } };

describe('mood', () => {
  let t: TestApp;
  let accountId: string;
  let admin: Record<string, string>;
  let source: Record<string, string>;
  let inboxId: string;
  let agent: Person;
  let workers: ChannelWorkers;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  const drain = () => drainReactions(t, REACTORS, log);
  const start = async (content: string, email = `${randomUUID().slice(0, 8)}@customer.example`) => {
    const res = await call('POST', '/api/v1/conversations', { inbox_id: inboxId, contact: { name: 'Kim Weber', email }, message: { content }, idempotency_key: randomUUID() }, source);
    expect(res.statusCode, res.body).toBe(201);
    await drain();
    return json<{ conversation: { id: string } }>(res).conversation.id;
  };
  const write = async (id: string, content: string) => {
    expect((await call('POST', `/api/v1/conversations/${id}/incoming-messages`, { content, idempotency_key: randomUUID() }, source)).statusCode).toBe(201);
    await drain();
  };
  const conversation = async (id: string) => json<Conversation>(await call('GET', `/api/v1/conversations/${id}`));
  const messages = async (id: string) => json<{ data: Message[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;

  beforeAll(async () => {
    t = await startTestApp({ webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
    source = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
    agent = await makeMember(t, accountId, 'agent');
    const inbox = await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://127.0.0.1:9/rapport', member_ids: [agent.id] });
    expect(inbox.statusCode, inbox.body).toBe(201);
    inboxId = json<{ id: string }>(inbox).id;
    // Replies are queued for sending; the queue must run to take them (their webhook is not under test).
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
    await workers.webhooks.stop();
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
  });

  it('requires authentication', async () => {
    expect((await call('POST', '/api/v1/mood', { text: 'hello' }, {})).statusCode).toBe(401);
  });

  it('reads the mood, sentiment and language of any text', async () => {
    const angry = await call('POST', '/api/v1/mood', { text: 'This is a scam. I want my money back NOW or I call my lawyer!!!' });
    expect(angry.statusCode, angry.body).toBe(200);
    expect(json<Mood>(angry)).toMatchObject({ mood: 'angry', language: 'en' });
    expect(json<Mood>(angry).sentiment).toBeLessThan(-0.5);
    const happy = json<Mood>(await call('POST', '/api/v1/mood', { text: 'Vielen Dank, jetzt funktioniert alles wieder perfekt!' }));
    expect(happy).toMatchObject({ mood: 'happy', language: 'de' });
    expect(happy.sentiment).toBeGreaterThan(0.5);
    // An agent may preview too (automation previews, integrations), with a token as well.
    const agentToken = await tokenFor(t, agent.id, accountId, 'agent');
    expect((await call('POST', '/api/v1/mood', { text: 'Where is my parcel?' }, agentToken)).statusCode).toBe(200);
  });

  it('refuses an empty, blank or too long text with invalid_text, and a malformed body with validation_failed', async () => {
    for (const text of ['', '   \n ', 'x'.repeat(10_001)]) {
      const res = await call('POST', '/api/v1/mood', { text });
      expect(res.statusCode).toBe(422);
      expect(json<ErrorBody>(res).error).toMatchObject({ code: 'invalid_text', details: [{ field: 'text' }] });
    }
    expect((await call('POST', '/api/v1/mood', { text: 'x'.repeat(10_000) })).statusCode).toBe(200);
    expect(json<ErrorBody>(await call('POST', '/api/v1/mood', {})).error.code).toBe('validation_failed');
    expect(json<ErrorBody>(await call('POST', '/api/v1/mood', { text: 42 })).error.code).toBe('validation_failed');
    expect(json<ErrorBody>(await call('POST', '/api/v1/mood', { text: 'hi', language: 'en' })).error.code).toBe('validation_failed');
  });

  it("reads each customer message once it is written, never an agent's reply or note", async () => {
    const id = await start('Hi, can I change the delivery address of my order 4411?');
    expect((await call('POST', `/api/v1/conversations/${id}/messages`, { content: 'Thanks so much, happy to help, great question!' })).statusCode).toBe(201);
    expect((await call('POST', `/api/v1/conversations/${id}/messages`, { content: 'Customer is furious, this is a disaster', private: true })).statusCode).toBe(201);
    await drain();
    const [question, reply, note] = await messages(id);
    expect(question).toMatchObject({ direction: 'incoming', mood: 'neutral', language: 'en' });
    expect(typeof question.sentiment).toBe('number');
    expect(reply).toMatchObject({ direction: 'outgoing', mood: null, sentiment: null, language: null });
    expect(note).toMatchObject({ private: true, mood: null, sentiment: null });
    expect(await conversation(id)).toMatchObject({ mood: 'neutral', mood_trend: 'steady', language: 'en' });
  });

  it("moves the conversation's mood and trend with the customer", async () => {
    const id = await start('Hello, where is my parcel? The order number is 5521.');
    expect(await conversation(id)).toMatchObject({ mood: 'neutral', mood_trend: 'steady' });
    await write(id, 'This is absolutely unacceptable! Three weeks and nothing. Refund me NOW or I go to my lawyer!!!');
    const worse = await conversation(id);
    expect(worse).toMatchObject({ mood: 'angry', mood_trend: 'worsening' });
    expect(worse.sentiment).toBeLessThan(0);
    await write(id, 'Thank you so much, the refund arrived. Great service after all!');
    const better = await conversation(id);
    expect(better.mood_trend).toBe('improving');
    expect(better.sentiment).toBeGreaterThan(worse.sentiment!);
  });

  it('sorts the angriest and worsening conversations first, and filters the upset ones', async () => {
    const calm = await start('Do you ship to Norway?');
    const happy = await start('Thanks a lot, everything arrived and works perfectly!');
    const angry = await start('Hi, what are your opening hours?');
    await write(angry, 'You charged me twice and nobody answers. This is theft, I am disputing it with my bank!!!');
    const frustrated = await start('I have been waiting for a week and the tracking still has not moved, this is getting annoying.');
    const list = json<{ data: Conversation[] }>(await call('GET', '/api/v1/conversations?sort=mood&limit=100')).data;
    const order = list.map((c) => c.id).filter((id) => [calm, happy, angry, frustrated].includes(id));
    expect(order).toEqual([angry, frustrated, calm, happy]);
    // The cursor of the mood order pages through it without loss or repeat.
    const first = json<{ data: Conversation[]; next_cursor: string }>(await call('GET', '/api/v1/conversations?sort=mood&limit=2'));
    const rest = json<{ data: Conversation[] }>(await call('GET', `/api/v1/conversations?sort=mood&limit=100&cursor=${encodeURIComponent(first.next_cursor)}`)).data;
    expect([...first.data, ...rest].map((c) => c.id)).toEqual(list.map((c) => c.id));
    const upset = json<{ data: Conversation[] }>(await call('GET', '/api/v1/conversations?mood=upset&limit=100')).data.map((c) => c.id);
    expect(upset).toEqual(expect.arrayContaining([angry, frustrated]));
    expect(upset).not.toContain(calm);
    expect(upset).not.toContain(happy);
    const onlyHappy = json<{ data: Conversation[] }>(await call('GET', '/api/v1/conversations?mood=happy&limit=100')).data.map((c) => c.id);
    expect(onlyHappy).toContain(happy);
    expect(onlyHappy).not.toContain(angry);
    expect((await call('GET', '/api/v1/conversations?mood=furious')).statusCode).toBe(422);
  });

  it('fires automation rules on the mood a message brings, and on a change of mood, without looping', async () => {
    const rule = await call('POST', '/api/v1/automation-rules', {
      name: 'Upset customers first',
      trigger: { type: 'message_received' },
      conditions: [
        { field: 'mood', operator: 'worse_than', values: ['neutral'] },
        { field: 'mood_trend', operator: 'in', values: ['worsening'] },
      ],
      actions: [{ type: 'add_tags', tags: ['upset'] }, { type: 'set_priority', priority: 'urgent' }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const changed = await call('POST', '/api/v1/automation-rules', {
      name: 'Note a turn for the worse',
      trigger: { type: 'mood_changed' },
      conditions: [{ field: 'mood', operator: 'in', values: ['angry'] }],
      actions: [{ type: 'note', body: 'The customer is angry now.' }],
    });
    expect(changed.statusCode, changed.body).toBe(201);
    const id = await start('Hi, could you tell me when my order ships?');
    expect((await conversation(id)).tags).not.toContain('upset');
    await write(id, 'Are you kidding me?? Still nothing after three weeks. Worst service ever, I want my money back NOW!!!');
    const c = await conversation(id);
    expect(c.tags).toContain('upset');
    const notes = (await messages(id)).filter((m) => m.private && m.content === 'The customer is angry now.');
    expect(notes).toHaveLength(1);
    // The rule's note is not a customer's message: no mood, and no further runs.
    expect(notes[0].mood).toBeNull();
    const runs = json<{ data: Array<{ trigger: string; outcome: string }> }>(await call('GET', `/api/v1/automation-rules/${json<{ id: string }>(changed).id}/runs`)).data;
    expect(runs.filter((r) => r.outcome === 'done')).toHaveLength(1);
    expect(runs[0].trigger).toContain('mood changed to angry');
    for (const r of [rule, changed]) await call('PATCH', `/api/v1/automation-rules/${json<{ id: string }>(r).id}`, { enabled: false });
    // A mood value the rule schema does not know is refused, naming the field.
    const bad = await call('POST', '/api/v1/automation-rules', { name: 'Bad', trigger: { type: 'message_received' }, conditions: [{ field: 'mood', operator: 'worse_than', values: ['livid'] }], actions: [{ type: 'add_tags', tags: ['x'] }] });
    expect(bad.statusCode).toBe(422);
    expect(json<ErrorBody>(bad).error.details[0].field).toBe('conditions[0].values[0]');
  });

  it("shows a contact's mood over time to their workspace only, and to agents of the inbox", async () => {
    const email = `${randomUUID().slice(0, 8)}@customer.example`;
    const first = await start('Thanks for the quick delivery, love it!', email);
    await write(first, 'Hmm, one part is missing from the box, can you check?');
    const second = await start('Still no replacement after two weeks. I am really fed up with this.', email);
    const contactId = (await conversation(second)).contact.id;
    expect((await conversation(first)).contact.id).toBe(contactId);
    const res = await call('GET', `/api/v1/contacts/${contactId}/mood`);
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ contact_id: string; mood: string; sentiment: number; points: Array<{ at: string; mood: string; sentiment: number; conversation_id: string }> }>(res);
    expect(body.points.map((p) => p.mood)).toEqual(['happy', expect.any(String), 'frustrated']);
    expect(body.points.map((p) => p.conversation_id)).toEqual([first, first, second]);
    expect(body.points[0].at <= body.points[2].at).toBe(true);
    expect(body.mood).toBe('frustrated');

    const agentSession = await sessionFor(t, agent.id, accountId);
    expect(json<{ points: unknown[] }>(await call('GET', `/api/v1/contacts/${contactId}/mood`, undefined, agentSession)).points).toHaveLength(3);
    // An agent who does not work in the inbox sees none of its conversations' moods.
    const outsider = await makeMember(t, accountId, 'agent');
    const outsiderView = await call('GET', `/api/v1/contacts/${contactId}/mood`, undefined, await sessionFor(t, outsider.id, accountId));
    expect(outsiderView.statusCode).toBe(200);
    expect(json<{ points: unknown[]; mood: string | null }>(outsiderView)).toMatchObject({ points: [], mood: null });
    // Another workspace's admin cannot even learn the contact exists.
    const other = await makeWorkspace(t, 'Elsewhere');
    const theirs = await call('GET', `/api/v1/contacts/${contactId}/mood`, undefined, await sessionFor(t, other.owner.id, other.accountId));
    expect(theirs.statusCode).toBe(404);
    expect(json<ErrorBody>(theirs).error.code).toBe('not_found');
  });
});

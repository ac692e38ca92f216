/**
 * Automation rules end to end: each trigger kind (a customer writing, a conversation starting,
 * status / assignee / priority / tag changes, SLA events, time in a state), conditions, each
 * action (tags, assignment, team, priority, status, snooze, a reply sent by the conversation's
 * channel, a note, a signed webhook), the run log, a failing rule leaving the conversation as it
 * was, no loops between rules, workspaces kept apart, and bad input refused naming the field.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../src/core/jobs.js';
import { recordEvent, type EventName } from '../src/core/outbox.js';
import { scoped } from '../src/core/db/tenant.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { purgeOldRuns, runTimedRules } from '../src/features/automation/time-triggers.js';
import { dispatchWebhooks } from '../src/features/webhooks/dispatch.js';
import { REACTORS } from '../src/features/reactors.js';
import { ORIGIN, drainReactions, json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp, tokenFor, until } from './helpers.js';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from './support/webhook-receiver.js';

QUEUES['webhook.deliver'] = { ...QUEUES['webhook.deliver'], retryLimit: 1, retryDelay: 1, retryBackoff: false };
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;

type Rule = { id: string; name: string; enabled: boolean; last_run: { outcome: string } | null };
type Run = { id: string; conversation_id: string | null; trigger: string; outcome: string; actions: Array<{ type: string; outcome: string; detail: string }>; error: string | null; depth: number };
type Conversation = { id: string; status: string; priority: string; tags: string[]; assignee: { id: string } | null; team: { id: string } | null; snoozed_until: string | null };
type Message = { content: string; private: boolean; kind: string; direction: string; status: string; author: unknown };
type ErrorBody = { error: { code: string; message: string; details: Array<{ field: string; message: string }> } };

describe('automation rules', () => {
  let t: TestApp;
  let accountId: string;
  let admin: Record<string, string>;
  let source: Record<string, string>;
  let inboxId: string;
  let agent: Person;
  let receiver: WebhookReceiver;
  let workers: ChannelWorkers;
  const rules: string[] = [];

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  /** Runs every marked event through the reactors, until none is left (chains included). */
  const drain = async () => {
    await drainReactions(t, REACTORS, log);
  };
  const startConversation = async (content: string, name = 'Ana López') => {
    const res = await call('POST', '/api/v1/conversations', { inbox_id: inboxId, contact: { name, email: `${randomUUID().slice(0, 8)}@customer.example` }, message: { content }, idempotency_key: randomUUID() }, source);
    expect(res.statusCode, res.body).toBe(201);
    const id = json<{ conversation: { id: string } }>(res).conversation.id;
    await drain();
    return id;
  };
  const write = async (id: string, content: string) => {
    expect((await call('POST', `/api/v1/conversations/${id}/incoming-messages`, { content, idempotency_key: randomUUID() }, source)).statusCode).toBe(201);
    await drain();
  };
  const conversation = async (id: string) => json<Conversation>(await call('GET', `/api/v1/conversations/${id}`));
  const messages = async (id: string) => json<{ data: Message[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;
  const change = async (id: string, body: Record<string, unknown>) => {
    const res = await call('PATCH', `/api/v1/conversations/${id}`, body);
    expect(res.statusCode, res.body).toBe(200);
    await drain();
  };
  const createRule = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/api/v1/automation-rules', body);
    expect(res.statusCode, res.body).toBe(201);
    const rule = json<Rule>(res);
    rules.push(rule.id);
    return rule;
  };
  const runsOf = async (ruleId: string) => json<{ data: Run[] }>(await call('GET', `/api/v1/automation-rules/${ruleId}/runs`)).data;
  /** Each test's rules stop before the next test, so they do not act on its conversations. */
  const switchOffAll = async () => {
    for (const id of rules.splice(0)) await call('PATCH', `/api/v1/automation-rules/${id}`, { enabled: false });
  };
  const refused = (res: { statusCode: number; json: () => unknown }) => {
    expect(res.statusCode).toBe(422);
    return (res.json() as ErrorBody).error;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({ webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
    source = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
    agent = await makeMember(t, accountId, 'agent');
    const inbox = await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: `${receiver.url}?inbox`, member_ids: [agent.id] });
    expect(inbox.statusCode, inbox.body).toBe(201);
    inboxId = json<{ id: string }>(inbox).id;
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
    // The webhook dispatcher is not under test here; it would only add load.
    await workers.webhooks.stop();
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await receiver?.close();
  });

  it('requires authentication, and an admin', async () => {
    expect((await call('GET', '/api/v1/automation-rules', undefined, {})).statusCode).toBe(401);
    const agentSession = await sessionFor(t, agent.id, accountId);
    expect((await call('GET', '/api/v1/automation-rules', undefined, agentSession)).statusCode).toBe(403);
  });

  it('refuses a rule that does not hold together, naming the exact field', async () => {
    const base = { name: 'Bad', trigger: { type: 'message_received' }, actions: [{ type: 'add_tags', tags: ['x'] }] };
    const priority = refused(await call('POST', '/api/v1/automation-rules', { ...base, actions: [{ type: 'add_tags', tags: ['x'] }, { type: 'set_priority', priority: 'highest' }] }));
    expect(priority).toMatchObject({ code: 'invalid_rule', message: expect.stringContaining('actions[1].priority'), details: [{ field: 'actions[1].priority', message: 'must be one of low, normal, high, urgent' }] });
    expect(refused(await call('POST', '/api/v1/automation-rules', { ...base, trigger: { type: 'when_pigs_fly' } })).details[0].field).toBe('trigger.type');
    expect(refused(await call('POST', '/api/v1/automation-rules', { ...base, trigger: { type: 'time_in_state', state: 'pending', minutes: 0 } })).details[0].field).toBe('trigger.minutes');
    expect(refused(await call('POST', '/api/v1/automation-rules', { ...base, actions: [] })).details[0].field).toBe('actions');
    expect(refused(await call('POST', '/api/v1/automation-rules', { ...base, actions: [{ type: 'reply', body: 'Hi {{contact.age}}' }] })).details[0]).toMatchObject({ field: 'actions[0].body', message: expect.stringContaining('{{contact.age}}') });
    expect(refused(await call('POST', '/api/v1/automation-rules', { ...base, conditions: [{ field: 'tags', operator: 'has_any', values: [{ $regex: '.' }] }] })).details[0].field).toBe('conditions[0].values[0]');
    expect(refused(await call('POST', '/api/v1/automation-rules', { ...base, conditions: [{ field: 'contact', attribute: 'email', operator: 'equals' }] })).details[0].field).toBe('conditions[0].value');
    expect(refused(await call('POST', '/api/v1/automation-rules', { ...base, role: 'owner' })).details[0]).toEqual({ field: 'role', message: 'is not an allowed field' });
    // Ids of another workspace are not ours to name (SECURITY 4).
    const other = await makeWorkspace(t, 'Elsewhere');
    const theirInbox = await scoped(t.ctx.db, other.accountId).insertInto('inboxes', { name: 'Theirs', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
    const refs = refused(await call('POST', '/api/v1/automation-rules', { ...base, conditions: [{ field: 'inbox', operator: 'in', values: [theirInbox.id] }], actions: [{ type: 'assign', user_id: other.owner.id }, { type: 'webhook', webhook_id: randomUUID() }] }));
    expect(refs.details.map((d) => d.field).sort()).toEqual(['actions[0].user_id', 'actions[1].webhook_id', 'conditions[0].values[0]']);
    const rule = await createRule(base);
    expect(refused(await call('PATCH', `/api/v1/automation-rules/${rule.id}`, { actions: [{ type: 'snooze' }] })).details[0]).toEqual({ field: 'actions[0].minutes', message: 'is required' });
    expect(json<{ data: Rule[] }>(await call('GET', '/api/v1/automation-rules')).data.map((r) => r.name)).toEqual(['Bad']);
    await switchOffAll();
  });

  it('tags and assigns conversations whose customer writes certain words, and logs each run', async () => {
    const rule = await createRule({
      name: 'Refunds to billing',
      trigger: { type: 'message_received' },
      conditions: [{ field: 'message', operator: 'contains_any', values: ['refund', 'money back'] }],
      actions: [
        { type: 'add_tags', tags: ['refund'] },
        { type: 'assign', user_id: agent.id },
        { type: 'set_priority', priority: 'high' },
      ],
    });
    const matching = await startConversation('Hello, I would like a REFUND for order 42');
    const other = await startConversation('Where is my parcel?');
    expect(await conversation(matching)).toMatchObject({ tags: ['refund'], assignee: { id: agent.id }, priority: 'high' });
    expect(await conversation(other)).toMatchObject({ tags: [], assignee: null, priority: 'normal' });
    // The thread says who did it: the rule, by name.
    expect((await messages(matching)).filter((m) => m.kind === 'system').map((m) => m.content)).toEqual(expect.arrayContaining([expect.stringContaining('Refunds to billing assigned the conversation')]));

    const runs = await runsOf(rule.id);
    const done = runs.find((r) => r.conversation_id === matching)!;
    expect(done).toMatchObject({ outcome: 'done', trigger: 'message received', error: null, depth: 0 });
    expect(done.actions.map((a) => [a.type, a.outcome])).toEqual([
      ['add_tags', 'done'],
      ['assign', 'done'],
      ['set_priority', 'done'],
    ]);
    // A message the conditions pass over leaves no run: the log does not grow with every message.
    expect(runs.filter((r) => r.conversation_id === other)).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(json<Rule>(await call('GET', `/api/v1/automation-rules/${rule.id}`)).last_run).toMatchObject({ outcome: 'done' });

    // Switched off, it does nothing.
    await call('PATCH', `/api/v1/automation-rules/${rule.id}`, { enabled: false });
    const later = await startConversation('refund please');
    expect((await conversation(later)).tags).toEqual([]);
    await switchOffAll();
  });

  it('tells a new conversation from a later message, and replies through the conversation’s channel with variables filled in', async () => {
    const created = await createRule({ name: 'Welcome', trigger: { type: 'conversation_created' }, actions: [{ type: 'reply', body: 'Hi {{contact.first_name}}, thanks for writing ({{conversation.id}}).' }] });
    const received = await createRule({ name: 'Count', trigger: { type: 'message_received' }, actions: [{ type: 'add_tags', tags: ['wrote'] }] });
    const id = await startConversation('First message', '<img src=x onerror=alert(1)> Smith');
    await write(id, 'Second message');
    expect((await runsOf(created.id)).filter((r) => r.conversation_id === id)).toHaveLength(1);
    expect((await runsOf(received.id)).filter((r) => r.conversation_id === id).map((r) => r.outcome)).toEqual(['done', 'done']);
    const reply = (await messages(id)).find((m) => m.direction === 'outgoing' && m.kind === 'text')!;
    // Values go in as text: the markup of a name is a name, not markup.
    expect(reply).toMatchObject({ content: `Hi <img, thanks for writing (${id}).`, private: false, author: null });
    // Sent like an agent's reply: the API inbox's webhook receives it, and it is marked sent.
    const delivered = await until('the reply at the inbox webhook', () => receiver.received.find((r) => r.url.includes('inbox') && r.raw.toString().includes(`thanks for writing (${id})`)));
    expect(delivered).toBeTruthy();
    await until('the reply marked sent', async () => (await messages(id)).find((m) => m.content === reply.content)?.status === 'sent');
    await switchOffAll();
  });

  it('reacts to status, assignee, priority and tag changes, and adds private notes', async () => {
    const resolved = await createRule({ name: 'On resolve', trigger: { type: 'status_changed', to: 'resolved' }, actions: [{ type: 'note', body: 'Resolved for {{contact.name}}; survey next.' }] });
    const assigned = await createRule({ name: 'On assign', trigger: { type: 'assignee_changed' }, conditions: [{ field: 'assignee', operator: 'assigned' }], actions: [{ type: 'add_tags', tags: ['owned'] }] });
    const priority = await createRule({ name: 'On urgent', trigger: { type: 'priority_changed' }, conditions: [{ field: 'priority', operator: 'in', values: ['urgent'] }], actions: [{ type: 'set_status', status: 'open' }, { type: 'add_tags', tags: ['escalated'] }] });
    const tags = await createRule({ name: 'On vip', trigger: { type: 'tags_changed' }, conditions: [{ field: 'tags', operator: 'has_any', values: ['vip'] }], actions: [{ type: 'set_priority', priority: 'high' }] });
    const id = await startConversation('Status changes', 'Bo Berg');

    await change(id, { assignee_id: agent.id });
    expect((await conversation(id)).tags).toEqual(['owned']);
    await change(id, { priority: 'urgent', status: 'pending' });
    expect(await conversation(id)).toMatchObject({ status: 'open', tags: ['owned', 'escalated'] });
    await change(id, { tags: ['owned', 'escalated', 'vip'] });
    expect((await conversation(id)).priority).toBe('high');
    await change(id, { status: 'resolved' });
    const note = (await messages(id)).find((m) => m.private);
    expect(note).toMatchObject({ content: 'Resolved for Bo Berg; survey next.', kind: 'text', author: null });
    for (const r of [resolved, assigned, priority, tags]) expect((await runsOf(r.id)).some((run) => run.outcome === 'done'), r.name).toBe(true);
    // A status change to something else does not fire a rule that names "resolved".
    expect((await runsOf(resolved.id)).map((r) => r.trigger)).toEqual(['status changed to resolved']);
    await switchOffAll();
  });

  it('reacts to SLA warnings and breaches', async () => {
    const warned = await createRule({ name: 'SLA warning', trigger: { type: 'sla_warning' }, actions: [{ type: 'set_priority', priority: 'urgent' }] });
    const id = await startConversation('SLA');
    await t.ctx.db.transaction().execute((trx) => recordEvent(trx, accountId, 'sla.warning' as EventName, { conversation_id: id, target: 'first_response' }, { conversationId: id, inboxId }));
    await drain();
    expect((await conversation(id)).priority).toBe('urgent');
    expect((await runsOf(warned.id))[0]).toMatchObject({ outcome: 'done', trigger: 'SLA warning (first_response)' });
    await switchOffAll();
  });

  it('snoozes, moves to a team and sends a signed webhook', async () => {
    const team = json<{ id: string }>(await call('POST', '/api/v1/teams', { name: `Billing ${randomUUID().slice(0, 4)}` }));
    const hook = json<{ id: string; secret: string }>(await call('POST', '/api/v1/webhooks', { url: `${receiver.url}?rule`, events: ['conversation.updated'] }));
    const rule = await createRule({
      name: 'Park and notify',
      trigger: { type: 'conversation_created' },
      actions: [
        { type: 'assign_team', team_id: team.id },
        { type: 'snooze', minutes: 60 },
        { type: 'webhook', webhook_id: hook.id },
      ],
    });
    const id = await startConversation('Please call me back tomorrow');
    const c = await conversation(id);
    expect(c).toMatchObject({ status: 'snoozed', team: { id: team.id } });
    expect(new Date(c.snoozed_until!).getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
    t.ctx.jobs.notify('webhook.deliver');
    const got = await until('the rule’s webhook', () => receiver.received.find((r) => r.url.includes('rule') && r.headers['x-rapport-event'] === 'automation.rule'));
    expect(verifySignature(got, hook.secret)).toBe(true);
    const body = JSON.parse(got.raw.toString()) as { data: { rule: { id: string; name: string }; conversation: { id: string } } };
    expect(body.data).toMatchObject({ rule: { id: rule.id, name: 'Park and notify' }, conversation: { id } });
    await switchOffAll();
  });

  it('fires time-based rules once per entry into the state', async () => {
    const pending = await createRule({ name: 'Stale', trigger: { type: 'time_in_state', state: 'pending', minutes: 3 * 1440 }, actions: [{ type: 'add_tags', tags: ['stale'] }] });
    const unassigned = await createRule({ name: 'Unowned', trigger: { type: 'time_in_state', state: 'open_unassigned', minutes: 120 }, actions: [{ type: 'set_priority', priority: 'high' }] });
    const id = await startConversation('Waiting');
    const ws = scoped(t.ctx.db, accountId);
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

    // Open and unassigned for an hour: not yet; for three: yes, once.
    await ws.updateTable('conversations').set({ status_changed_at: ago(180), assignee_changed_at: ago(60) }).where('id', '=', id).execute();
    await runTimedRules(t.ctx);
    expect((await conversation(id)).priority).toBe('normal');
    await ws.updateTable('conversations').set({ assignee_changed_at: ago(180) }).where('id', '=', id).execute();
    await runTimedRules(t.ctx);
    await runTimedRules(t.ctx);
    expect((await conversation(id)).priority).toBe('high');
    expect((await runsOf(unassigned.id)).filter((r) => r.conversation_id === id)).toHaveLength(1);
    expect((await runsOf(unassigned.id))[0].trigger).toBe('open and unassigned for 2 hours');

    await change(id, { status: 'pending', tags: [] });
    await ws.updateTable('conversations').set({ status_changed_at: ago(2 * 1440) }).where('id', '=', id).execute();
    await runTimedRules(t.ctx);
    expect((await conversation(id)).tags).toEqual([]);
    await ws.updateTable('conversations').set({ status_changed_at: ago(4 * 1440) }).where('id', '=', id).execute();
    await runTimedRules(t.ctx);
    await runTimedRules(t.ctx);
    expect((await conversation(id)).tags).toEqual(['stale']);
    expect((await runsOf(pending.id)).filter((r) => r.conversation_id === id)).toHaveLength(1);

    // Back to open and pending again: a new entry, so the rule fires again.
    await change(id, { status: 'open', tags: [] });
    await change(id, { status: 'pending' });
    await ws.updateTable('conversations').set({ status_changed_at: ago(4 * 1440) }).where('id', '=', id).execute();
    await runTimedRules(t.ctx);
    expect((await conversation(id)).tags).toEqual(['stale']);
    expect((await runsOf(pending.id)).filter((r) => r.conversation_id === id)).toHaveLength(2);
    await switchOffAll();
  });

  it('leaves the conversation untouched when a rule fails, and logs why', async () => {
    const hook = json<{ id: string }>(await call('POST', '/api/v1/webhooks', { url: `${receiver.url}?gone`, events: ['conversation.updated'] }));
    const rule = await createRule({ name: 'Breaks halfway', trigger: { type: 'conversation_created' }, actions: [{ type: 'add_tags', tags: ['partial'] }, { type: 'note', body: 'half' }, { type: 'webhook', webhook_id: hook.id }] });
    const fine = await createRule({ name: 'Still runs', trigger: { type: 'conversation_created' }, actions: [{ type: 'add_tags', tags: ['fine'] }] });
    expect((await call('DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    const id = await startConversation('Break it');
    expect((await conversation(id)).tags).toEqual(['fine']);
    expect((await messages(id)).filter((m) => m.private || m.content.includes('Breaks halfway'))).toEqual([]);
    expect((await runsOf(rule.id))[0]).toMatchObject({ outcome: 'failed', error: 'The webhook this rule sends to no longer exists.', actions: [] });
    expect((await runsOf(fine.id))[0]).toMatchObject({ outcome: 'done' });
    await switchOffAll();
  });

  it('never lets rules ping-pong, and cuts a chain of rules at a small depth', async () => {
    const toOpen = await createRule({ name: 'Reopen pending', trigger: { type: 'status_changed' }, conditions: [{ field: 'status', operator: 'in', values: ['pending'] }], actions: [{ type: 'set_status', status: 'open' }] });
    const toPending = await createRule({ name: 'Park open', trigger: { type: 'status_changed' }, conditions: [{ field: 'status', operator: 'in', values: ['open'] }], actions: [{ type: 'set_status', status: 'pending' }] });
    const id = await startConversation('Ping pong');
    await change(id, { status: 'pending' });
    // pending → (Reopen) open → (Park, on the same change, seeing open) pending → (Reopen, caused by Park) open; then every
    // further event came from a chain holding both rules, so neither reacts again: it ends.
    const outcomes = async (ruleId: string) => (await runsOf(ruleId)).map((r) => r.outcome);
    expect((await outcomes(toOpen.id)).filter((o) => o === 'done')).toHaveLength(2);
    expect(await outcomes(toPending.id)).toEqual(['done']);
    // Passing on its own change is not logged; only what the rules did is.
    expect((await runsOf(toOpen.id)).map((r) => r.outcome)).toEqual(['done', 'done']);
    const before = (await runsOf(toOpen.id)).length + (await runsOf(toPending.id)).length;
    await drain();
    expect((await runsOf(toOpen.id)).length + (await runsOf(toPending.id)).length).toBe(before);
    expect((await conversation(id)).status).toBe('open');
    await switchOffAll();

    // a → b → c → d → e: each rule is another, so only the depth stops it. Made last-first, so each
    // runs on the change the one before made (rules on one event run in order and see each other's work).
    const chain = ['a', 'b', 'c', 'd'];
    for (const [i, tag] of [...chain.entries()].reverse())
      await createRule({ name: `Chain ${tag}`, trigger: { type: 'tags_changed' }, conditions: [{ field: 'tags', operator: 'has_any', values: [tag] }, { field: 'tags', operator: 'has_none', values: [String.fromCharCode(98 + i)] }], actions: [{ type: 'add_tags', tags: [String.fromCharCode(98 + i)] }] });
    const other = await startConversation('Chain');
    await change(other, { tags: ['a'] });
    expect((await conversation(other)).tags).toEqual(['a', 'b', 'c', 'd']);
    const cut = await scoped(t.ctx.db, accountId).selectFrom('automation_runs').select(['error']).where('conversation_id', '=', other).where('error', 'like', 'Cut:%').execute();
    expect(cut.length).toBeGreaterThan(0);
    await switchOffAll();
  });

  it('keeps the run log for a month; a time-based run stays while it still guards its state', async () => {
    const rule = await createRule({ name: 'Old runs', trigger: { type: 'time_in_state', state: 'pending', minutes: 60 }, actions: [{ type: 'add_tags', tags: ['old'] }] });
    const id = await startConversation('Old runs');
    const ws = scoped(t.ctx.db, accountId);
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    await ws.updateTable('conversations').set({ status_changed_at: daysAgo(50) }).where('id', '=', id).execute();
    const run = (key: string, eventId: number | null, created: Date) =>
      ws.insertInto('automation_runs', { rule_id: rule.id, conversation_id: id, event_id: eventId, trigger: 't', dedupe_key: key, outcome: 'done', actions: '[]', created_at: created }).returning('id').executeTakeFirstOrThrow();
    const oldEvent = await run('event:1', 1, daysAgo(40));
    const recentEvent = await run('event:2', 2, daysAgo(5));
    const guarding = await run('state:guarding', null, daysAgo(40));
    const left = async () => (await ws.selectFrom('automation_runs').select('id').where('rule_id', '=', rule.id).execute()).map((r) => r.id).sort();

    await purgeOldRuns(t.ctx);
    expect(await left()).toEqual([recentEvent.id, guarding.id].sort());
    // The conversation moved on since: that old run no longer stops anything, and goes.
    await ws.updateTable('conversations').set({ status_changed_at: daysAgo(1) }).where('id', '=', id).execute();
    await purgeOldRuns(t.ctx);
    expect(await left()).toEqual([recentEvent.id]);
    expect(oldEvent.id).not.toBe(recentEvent.id);
    await switchOffAll();
  });

  it('keeps which rules caused a change to itself: agents’ sockets and webhooks never see it, and loops are still cut', async () => {
    const hook = json<{ id: string }>(await call('POST', '/api/v1/webhooks', { url: `${receiver.url}?chain`, events: ['conversation.updated'] }));
    await createRule({ name: 'Tag urgent', trigger: { type: 'message_received' }, actions: [{ type: 'add_tags', tags: ['urgent'] }] });
    await createRule({ name: 'Urgent first', trigger: { type: 'tags_changed' }, conditions: [{ field: 'tags', operator: 'has_any', values: ['urgent'] }], actions: [{ type: 'set_priority', priority: 'urgent' }] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const frames: Array<{ event?: string; data?: Record<string, unknown> }> = [];
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/realtime`, { headers: { ...admin, origin: ORIGIN } });
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { type: string; event?: string; data?: Record<string, unknown> };
        frames.push(frame);
        if (frame.type === 'ready') resolve();
      });
      socket.on('error', reject);
    });
    try {
      const id = await startConversation('Everything is broken');
      expect(await conversation(id)).toMatchObject({ tags: ['urgent'], priority: 'urgent' });
      // Stored with the chain (the rules' loop protection reads it there)…
      const stored = await sql<{ payload: { automation?: { rules: string[]; depth: number } } }>`select payload from outbox_events where conversation_id = ${id} and event = 'conversation.updated' order by id`.execute(t.ctx.db);
      expect(stored.rows.some((r) => r.payload.automation && r.payload.automation.depth >= 1)).toBe(true);
      // …but what leaves the server does not carry it.
      await t.ctx.outbox.flush();
      const updates = await until('the rules’ updates on the socket', () => {
        const mine = frames.filter((f) => f.event === 'conversation.updated' && (f.data?.conversation as { id?: string } | undefined)?.id === id);
        return mine.length >= 2 ? mine : undefined;
      });
      for (const f of updates) expect(f.data).not.toHaveProperty('automation');
      while ((await dispatchWebhooks(t.ctx)) > 0);
      const bodies = await scoped(t.ctx.db, accountId).selectFrom('webhook_deliveries').select('body').where('webhook_id', '=', hook.id).execute();
      const ours = bodies.map((b) => (typeof b.body === 'string' ? JSON.parse(b.body) : b.body) as { data: Record<string, unknown> }).filter((b) => (b.data.conversation as { id?: string } | undefined)?.id === id);
      expect(ours.length).toBeGreaterThanOrEqual(2);
      for (const b of ours) expect(b.data).not.toHaveProperty('automation');
    } finally {
      socket.close();
      await switchOffAll();
    }
  });

  it('writes rules, macros and canned responses into the audit log: who created, changed or deleted which', async () => {
    type AuditEvent = { action: string; actor: { id: string } | null; target_type: string | null; target_id: string | null; metadata: Record<string, unknown> };
    const audit = async () => json<{ data: AuditEvent[] }>(await call('GET', '/api/v1/audit-events?limit=100')).data;
    const before = (await audit()).length;
    const rule = await createRule({ name: 'Audited', trigger: { type: 'message_received' }, actions: [{ type: 'add_tags', tags: ['a'] }] });
    expect((await call('PATCH', `/api/v1/automation-rules/${rule.id}`, { enabled: false })).statusCode).toBe(200);
    // A change that is refused is not logged.
    expect((await call('PATCH', `/api/v1/automation-rules/${rule.id}`, { actions: [] })).statusCode).toBe(422);
    expect((await call('DELETE', `/api/v1/automation-rules/${rule.id}`)).statusCode).toBe(204);
    const agentSession = await sessionFor(t, agent.id, accountId);
    const macro = await call('POST', '/api/v1/macros', { name: 'Close politely', actions: [{ type: 'set_status', status: 'resolved' }] }, agentSession);
    expect(macro.statusCode, macro.body).toBe(201);
    const macroId = json<{ id: string }>(macro).id;
    expect((await call('PATCH', `/api/v1/macros/${macroId}`, { name: 'Close kindly' }, agentSession)).statusCode).toBe(200);
    expect((await call('DELETE', `/api/v1/macros/${macroId}`, undefined, agentSession)).statusCode).toBe(204);
    const canned = await call('POST', '/api/v1/canned-responses', { shortcut: `thanks${randomUUID().slice(0, 4)}`, title: 'Thanks', body: 'Thanks {{contact.first_name}}!', shared: true });
    expect(canned.statusCode, canned.body).toBe(201);
    const cannedId = json<{ id: string }>(canned).id;
    expect((await call('PATCH', `/api/v1/canned-responses/${cannedId}`, { body: 'Many thanks!' })).statusCode).toBe(200);
    expect((await call('DELETE', `/api/v1/canned-responses/${cannedId}`)).statusCode).toBe(204);

    const entries = (await audit()).slice(0, (await audit()).length - before).reverse();
    expect(entries.map((e) => [e.action, e.target_id])).toEqual([
      ['automation_rule.created', rule.id],
      ['automation_rule.updated', rule.id],
      ['automation_rule.deleted', rule.id],
      ['macro.created', macroId],
      ['macro.updated', macroId],
      ['macro.deleted', macroId],
      ['canned_response.created', cannedId],
      ['canned_response.updated', cannedId],
      ['canned_response.deleted', cannedId],
    ]);
    expect(entries[1]).toMatchObject({ actor: { id: expect.any(String) }, target_type: 'automation_rule', metadata: { name: 'Audited', changed: ['enabled'], enabled: false } });
    expect(entries[4]).toMatchObject({ actor: { id: agent.id }, metadata: { name: 'Close kindly', shared: false, changed: ['name'] } });
    expect(entries[7]).toMatchObject({ target_type: 'canned_response', metadata: { name: 'Thanks', shared: true, changed: ['body'] } });
    // The text itself stays out of the log.
    expect(JSON.stringify(entries)).not.toContain('Many thanks');
  });

  it('keeps workspaces apart: another admin cannot see, change or run a rule, and rules act only in their workspace', async () => {
    const rule = await createRule({ name: 'Ours', trigger: { type: 'message_received' }, actions: [{ type: 'add_tags', tags: ['ours'] }] });
    const other = await makeWorkspace(t, 'Other');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    for (const [method, url] of [
      ['GET', `/api/v1/automation-rules/${rule.id}`],
      ['PATCH', `/api/v1/automation-rules/${rule.id}`],
      ['GET', `/api/v1/automation-rules/${rule.id}/runs`],
      ['DELETE', `/api/v1/automation-rules/${rule.id}`],
    ] as const)
      expect((await call(method, url, method === 'PATCH' ? { enabled: false } : undefined, outsider)).statusCode, `${method} ${url}`).toBe(404);
    expect(json<{ data: Rule[] }>(await call('GET', '/api/v1/automation-rules', undefined, outsider)).data).toEqual([]);
    expect(json<Rule>(await call('GET', `/api/v1/automation-rules/${rule.id}`)).enabled).toBe(true);
    // Their rule does not act on our conversations.
    const theirs = json<Rule>(await call('POST', '/api/v1/automation-rules', { name: 'Theirs', trigger: { type: 'message_received' }, actions: [{ type: 'add_tags', tags: ['theirs'] }] }, outsider));
    const id = await startConversation('Whose rules?');
    expect((await conversation(id)).tags).toEqual(['ours']);
    expect(json<{ data: Run[] }>(await call('GET', `/api/v1/automation-rules/${theirs.id}/runs`, undefined, outsider)).data).toEqual([]);
    await switchOffAll();
    const count = await sql<{ n: number }>`select count(*)::int as n from automation_runs where rule_id = ${theirs.id}`.execute(t.ctx.db);
    expect(count.rows[0].n).toBe(0);
  });
});

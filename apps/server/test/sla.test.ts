/**
 * SLAs: policies chosen by priority, inbox and tag; due times in calendar and business time;
 * the clock paused while waiting on the customer and while snoozed; a reply meets the first
 * response; a warning and then a breach each fire once as realtime events; open conversations
 * re-timed in the background when policies or hours change; bad input; another workspace sees nothing.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { DateTime } from 'luxon';
import { dispatchWebhooks } from '../src/features/webhooks/dispatch.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import type { BusEvent } from '../src/core/bus.js';
import { REACTORS } from '../src/features/reactors.js';
import { startSlaTimers, type SlaTimers } from '../src/features/sla/sla.jobs.js';
import { retimeBatch } from '../src/features/sla/retime-slas.js';
import { wakeSnoozed } from '../src/features/conversations/commands/wake-snoozed.js';
import { drainReactions, json, makeMember, makeWorkspace, sessionFor, startTestApp, tokenFor, until, type TestApp } from './helpers.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;
type Sla = { policy: { id: string; name: string } | null; paused_since: string | null; next: { target: string; due_at: string | null; breached: boolean } | null; targets: Array<{ target: string; due_at: string | null; met_at: string | null; breached_at: string | null }> };
type Conversation = { id: string; sla: { target: string; due_at: string | null; warn_at: string | null; breached: boolean; paused: boolean } | null };

describe('SLAs', () => {
  let t: TestApp;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let source: Record<string, string>;
  let otherAdmin: Record<string, string>;
  let inboxId: string;
  let otherInboxId: string;
  let timers: SlaTimers | undefined;
  const events: BusEvent[] = [];

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const drain = async () => {
    await drainReactions(t, REACTORS, log);
    await t.ctx.outbox.flush();
  };
  const startConversation = async (content = 'Where is my order?', options: { backdateSeconds?: number } = {}) => {
    const res = await call('POST', '/api/v1/conversations', { inbox_id: inboxId, contact: { email: `${randomUUID().slice(0, 8)}@customer.example` }, message: { content }, idempotency_key: randomUUID() }, source);
    expect(res.statusCode, res.body).toBe(201);
    const id = json<{ conversation: { id: string } }>(res).conversation.id;
    if (options.backdateSeconds) {
      const at = new Date(Date.now() - options.backdateSeconds * 1000);
      await scoped(t.ctx.db, accountId).updateTable('conversations').set({ created_at: at } as never).where('id', '=', id).execute();
    }
    await drain();
    return id;
  };
  const created = async (id: string) => (await scoped(t.ctx.db, accountId).selectFrom('conversations').select('created_at').where('id', '=', id).executeTakeFirstOrThrow()).created_at;
  const slaOf = async (id: string, headers = admin) => {
    const res = await call('GET', `/api/v1/conversations/${id}/sla`, undefined, headers);
    expect(res.statusCode, res.body).toBe(200);
    return json<Sla>(res);
  };
  const policy = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/api/v1/sla-policies', body);
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string; position: number }>(res);
  };
  const clearPolicies = async () => scoped(t.ctx.db, accountId).deleteFrom('sla_policies').execute();
  const minutesAfter = (iso: string | null, from: Date) => (iso ? Math.round((new Date(iso).getTime() - from.getTime()) / 60_000) : null);
  /** The policy and the minutes from the start to the due time shown, as an agent sees them. */
  const clockOf = async (id: string) => {
    const sla = await slaOf(id);
    return { policy: sla.policy?.name ?? null, minutes: minutesAfter(sla.next?.due_at ?? null, await created(id)) };
  };
  const settingsVersion = async () => String((await t.ctx.db.selectFrom('accounts').select('sla_settings_version').where('id', '=', accountId).executeTakeFirstOrThrow()).sla_settings_version);

  beforeAll(async () => {
    t = await startTestApp({ webhookAllowPrivateHosts: ['127.0.0.1'] });
    await t.ctx.jobs.start();
    const ws = await makeWorkspace(t, 'Shop');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
    source = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
    const inbox = await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: 'http://127.0.0.1:9/rapport' });
    expect(inbox.statusCode, inbox.body).toBe(201);
    inboxId = json<{ id: string }>(inbox).id;
    const person = await makeMember(t, accountId, 'agent');
    await scoped(t.ctx.db, accountId).insertInto('inbox_members', { inbox_id: inboxId, user_id: person.id }).execute();
    agent = await sessionFor(t, person.id, accountId);
    const other = await makeWorkspace(t, 'Other');
    otherAdmin = await sessionFor(t, other.owner.id, other.accountId);
    otherInboxId = (await scoped(t.ctx.db, other.accountId).insertInto('inboxes', { name: 'Theirs', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow()).id;
    t.ctx.bus.subscribe((e) => void events.push(e));
  });
  afterAll(async () => {
    await timers?.stop();
    await t?.close();
  });

  it('requires an admin to manage policies', async () => {
    expect((await call('GET', '/api/v1/sla-policies', undefined, {})).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/sla-policies', undefined, agent)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/sla-policies', { name: 'Mine', first_response_minutes: 5 }, agent)).statusCode).toBe(403);
  });

  it('refuses bad targets, warnings after the due time and unknown priorities or inboxes, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'Negative', first_response_minutes: -5 }, 'first_response_minutes'],
      [{ name: 'Nothing', first_response_minutes: null }, 'first_response_minutes'],
      [{ name: 'Late warning', first_response_minutes: 30, warning_minutes: 45 }, 'warning_minutes'],
      [{ name: 'Percent', first_response_minutes: 30, warning_percent: 120 }, 'warning_percent'],
      [{ name: 'Priority', first_response_minutes: 30, priorities: ['critical'] }, 'priorities.0'],
      [{ name: 'Inbox', first_response_minutes: 30, inbox_ids: [otherInboxId] }, 'inbox_ids.0'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/v1/sla-policies', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(json<{ error: { code: string; details: Array<{ field: string }> } }>(res).error).toMatchObject({ code: 'invalid_sla_policy', details: expect.arrayContaining([expect.objectContaining({ field })]) });
    }
    expect((await call('GET', '/api/v1/sla-policies')).json()).toEqual({ data: [] });
    const p = await policy({ name: 'Fine', first_response_minutes: 30 });
    const bad = await call('PATCH', `/api/v1/sla-policies/${p.id}`, { warning_minutes: 30 });
    expect(bad.statusCode).toBe(422);
    expect((await call('GET', `/api/v1/sla-policies/${p.id}`)).json()).toMatchObject({ warning_minutes: null, first_response_minutes: 30 });
    await clearPolicies();
  });

  it('chooses the first matching policy by priority, inbox or tag, and again when the conversation changes', async () => {
    await policy({ name: 'Urgent', priorities: ['urgent'], first_response_minutes: 15, business_hours: false });
    await policy({ name: 'VIP', tags: ['VIP'], first_response_minutes: 30, business_hours: false });
    await policy({ name: 'Shop app', inbox_ids: [inboxId], first_response_minutes: 60, resolution_minutes: 480, business_hours: false });
    const id = await startConversation();
    const start = await created(id);
    let sla = await slaOf(id);
    expect(sla.policy?.name).toBe('Shop app');
    expect(sla.next).toMatchObject({ target: 'first_response', breached: false });
    expect(minutesAfter(sla.next!.due_at, start)).toBe(60);
    expect(minutesAfter(sla.targets.find((x) => x.target === 'resolution')!.due_at, start)).toBe(480);

    expect((await call('PATCH', `/api/v1/conversations/${id}`, { tags: ['vip'] })).statusCode).toBe(200);
    await drain();
    sla = await slaOf(id);
    expect(sla.policy?.name).toBe('VIP');
    expect(minutesAfter(sla.next!.due_at, start)).toBe(30);

    expect((await call('PATCH', `/api/v1/conversations/${id}`, { priority: 'urgent' })).statusCode).toBe(200);
    await drain();
    sla = await slaOf(id, agent);
    expect(sla.policy?.name).toBe('Urgent');
    expect(minutesAfter(sla.next!.due_at, start)).toBe(15);

    // The list carries the same summary, and sorts by it.
    const list = await call('GET', '/api/v1/conversations?sort=sla&status=open', undefined, agent);
    expect(list.statusCode).toBe(200);
    const rows = json<{ data: Conversation[] }>(list).data;
    expect(rows.find((c) => c.id === id)?.sla).toMatchObject({ target: 'first_response', due_at: sla.next!.due_at, breached: false, paused: false });
    const dues = rows.map((c) => c.sla?.due_at ?? '9999').filter((d) => d !== null);
    expect([...dues].sort()).toEqual(dues);
    await clearPolicies();
  });

  it('meets the first response with a reply, pauses while waiting on the customer, and times the next response', async () => {
    await policy({ name: 'Standard', first_response_minutes: 60, next_response_minutes: 30, resolution_minutes: 600, business_hours: false });
    const id = await startConversation();
    expect((await call('POST', `/api/v1/conversations/${id}/messages`, { content: 'Looking into it' }, agent)).statusCode).toBe(201);
    await drain();
    let sla = await slaOf(id);
    expect(sla.targets.find((x) => x.target === 'first_response')?.met_at).not.toBeNull();
    expect(sla.next?.target).toBe('resolution');

    expect((await call('PATCH', `/api/v1/conversations/${id}`, { status: 'pending' })).statusCode).toBe(200);
    await drain();
    sla = await slaOf(id);
    expect(sla.paused_since).not.toBeNull();
    const paused = json<Conversation>(await call('GET', `/api/v1/conversations/${id}`));
    expect(paused.sla).toMatchObject({ paused: true, due_at: null, target: 'resolution' });

    // The customer writes back: the clock runs again and the next response is due in 30 minutes.
    const before = Date.now();
    expect((await call('POST', `/api/v1/conversations/${id}/incoming-messages`, { content: 'Any news?', idempotency_key: randomUUID() }, source)).statusCode).toBe(201);
    await drain();
    sla = await slaOf(id);
    expect(sla.paused_since).toBeNull();
    expect(sla.next?.target).toBe('next_response');
    expect(minutesAfter(sla.next!.due_at, new Date(before))).toBe(30);
    await clearPolicies();
  });

  it('counts business hours: a conversation that starts on a holiday is due after it', async () => {
    const today = DateTime.utc().startOf('day');
    const allDay = [['00:00', '24:00']];
    const hours = { time_zone: 'UTC', days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: [today.toISODate(), today.plus({ days: 1 }).toISODate()] };
    const schedule = await call('POST', '/api/v1/business-hours', { name: 'Office', business_hours: hours, is_default: true });
    expect(schedule.statusCode, schedule.body).toBe(201);
    await policy({ name: 'Business time', first_response_minutes: 90 });
    const id = await startConversation();
    const sla = await slaOf(id);
    expect(sla.next?.due_at).toBe(today.plus({ days: 2, minutes: 90 }).toJSDate().toISOString());

    // The inbox picks a schedule that is always open: the same policy counts from now.
    const always = await call('POST', '/api/v1/business-hours', { name: 'Always', business_hours: { time_zone: 'UTC', days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } } });
    const alwaysId = json<{ id: string }>(always).id;
    expect((await call('PUT', `/api/v1/inboxes/${inboxId}/business-hours-schedule`, { schedule_id: alwaysId })).statusCode).toBe(200);
    const id2 = await startConversation();
    expect(minutesAfter((await slaOf(id2)).next!.due_at, await created(id2))).toBe(90);

    const assignments = json<{ default_schedule_id: string; inboxes: Array<{ id: string; schedule_id: string | null }> }>(await call('GET', '/api/v1/business-hours/assignments'));
    expect(assignments.default_schedule_id).toBe(json<{ id: string }>(schedule).id);
    expect(assignments.inboxes.find((i) => i.id === inboxId)?.schedule_id).toBe(alwaysId);
    expect((await call('PUT', `/api/v1/inboxes/${inboxId}/business-hours-schedule`, { schedule_id: null })).statusCode).toBe(200);
    await clearPolicies();
  });

  it('refuses bad business hours and schedules of another workspace', async () => {
    const bad = await call('POST', '/api/v1/business-hours', { name: 'Nowhere', business_hours: { time_zone: 'Mars/Olympus', days: {} } });
    expect(bad.statusCode).toBe(422);
    expect(json<{ error: { code: string; details: Array<{ field: string }> } }>(bad).error).toMatchObject({ code: 'invalid_business_hours', details: [{ field: 'business_hours.time_zone' }] });
    const theirs = await call('POST', '/api/v1/business-hours', { name: 'Theirs', business_hours: { time_zone: 'UTC', days: {} } }, otherAdmin);
    expect(theirs.statusCode).toBe(201);
    const theirId = json<{ id: string }>(theirs).id;
    const pick = await call('PUT', `/api/v1/inboxes/${inboxId}/business-hours-schedule`, { schedule_id: theirId });
    expect(pick.statusCode).toBe(422);
    expect(json<{ error: { details: Array<{ field: string }> } }>(pick).error.details[0].field).toBe('schedule_id');
    expect((await call('GET', `/api/v1/business-hours/${theirId}`)).statusCode).toBe(404);
    expect((await call('PUT', `/api/v1/inboxes/${inboxId}/business-hours-schedule`, { schedule_id: null }, otherAdmin)).statusCode).toBe(404);
  });

  it('fires the warning and then the breach once each, as realtime events with a line in the thread', async () => {
    timers = await startSlaTimers(t.ctx, log, 1000);
    await policy({ name: 'Fast', first_response_minutes: 1, warning_percent: 50, business_hours: false });
    const hook = await call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/sla', events: ['sla.warning', 'sla.breached'] });
    expect(hook.statusCode, hook.body).toBe(201);
    // Started 55 s ago: the warning (at 30 s) is due at once, the breach in 5 s.
    const id = await startConversation('Hello?', { backdateSeconds: 55 });
    const mine = (name: string) => events.filter((e) => e.event === name && e.conversationId === id);
    await until('the warning', () => mine('sla.warning').length === 1);
    expect(mine('sla.breached')).toHaveLength(0);
    const breach = await until('the breach', () => mine('sla.breached')[0], 20_000);
    expect(breach.payload).toMatchObject({ sla: { target: 'first_response', policy: { name: 'Fast' } }, conversation: { id, sla: { breached: true } } });
    // Whatever runs again (the sweep, a stale timer, another change) fires nothing new.
    await call('PATCH', `/api/v1/conversations/${id}`, { tags: ['late'] });
    await drain();
    await new Promise((r) => setTimeout(r, 1500));
    expect(mine('sla.warning')).toHaveLength(1);
    expect(mine('sla.breached')).toHaveLength(1);
    const thread = json<{ data: Array<{ kind: string; content: string }> }>(await call('GET', `/api/v1/conversations/${id}/messages`, undefined, agent)).data.filter((m) => m.kind === 'system');
    expect(thread.map((m) => m.content)).toEqual(['First response SLA due in 1 minute (policy “Fast”)', 'First response SLA breached (policy “Fast”)']);
    const row = json<Conversation>(await call('GET', `/api/v1/conversations/${id}`, undefined, agent));
    expect(row.sla).toMatchObject({ target: 'first_response', breached: true });
    // Webhook subscribers hear of each once, with the conversation and the target.
    await dispatchWebhooks(t.ctx);
    const sent = await scoped(t.ctx.db, accountId).selectFrom('webhook_deliveries').select(['event', 'body']).where('webhook_id', '=', json<{ id: string }>(hook).id).orderBy('created_at').execute();
    expect(sent.map((d) => d.event)).toEqual(['sla.warning', 'sla.breached']);
    expect(JSON.parse(String(sent[1]!.body))).toMatchObject({ event: 'sla.breached', data: { conversation: { id }, sla: { target: 'first_response', policy: { name: 'Fast' } } } });
    await clearPolicies();
  });

  it('keeps policies and clocks from another workspace', async () => {
    const p = await policy({ name: 'Ours', first_response_minutes: 20, business_hours: false });
    const id = await startConversation();
    expect((await call('GET', `/api/v1/sla-policies/${p.id}`, undefined, otherAdmin)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/sla-policies/${p.id}`, { first_response_minutes: 1 }, otherAdmin)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/sla-policies/${p.id}`, undefined, otherAdmin)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/sla-policies', undefined, otherAdmin)).json()).toEqual({ data: [] });
    expect((await call('GET', `/api/v1/conversations/${id}/sla`, undefined, otherAdmin)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/sla-policies/${p.id}`)).json()).toMatchObject({ first_response_minutes: 20 });
    expect((await slaOf(id)).policy?.name).toBe('Ours');
    await clearPolicies();
  });

  it('re-times open conversations in the background when a policy is added, changed or deleted', async () => {
    timers ??= await startSlaTimers(t.ctx, log, 1000);
    await policy({ name: 'Standard', position: 5, first_response_minutes: 240, business_hours: false });
    const a = await startConversation();
    const b = await startConversation();
    expect(await clockOf(a)).toEqual({ policy: 'Standard', minutes: 240 });
    const both = (policy: string | null, minutes: number | null) => async () => {
      const clocks = await Promise.all([a, b].map(clockOf));
      return clocks.every((c) => c.policy === policy && c.minutes === minutes) && clocks;
    };

    // A policy tried first takes over conversations that have not changed since.
    const faster = await policy({ name: 'Faster', position: 0, first_response_minutes: 30, business_hours: false });
    await until('both under the new policy', both('Faster', 30));
    expect((await call('PATCH', `/api/v1/sla-policies/${faster.id}`, { first_response_minutes: 45 })).statusCode).toBe(200);
    await until('both at the changed target', both('Faster', 45));
    // A change of one target leaves the rest of the policy as it was (calendar time here).
    expect((await call('GET', `/api/v1/sla-policies/${faster.id}`)).json()).toMatchObject({ first_response_minutes: 45, business_hours: false, enabled: true });
    // The list and the realtime events carry the new due time too.
    const row = json<Conversation>(await call('GET', `/api/v1/conversations/${a}`, undefined, agent));
    expect(minutesAfter(row.sla!.due_at, await created(a))).toBe(45);
    expect(events.some((e) => e.event === 'sla.updated' && e.conversationId === a)).toBe(true);

    expect((await call('DELETE', `/api/v1/sla-policies/${faster.id}`)).statusCode).toBe(204);
    await until('both back under the remaining policy', both('Standard', 240));
    await clearPolicies();
  });

  it('re-times in batches that each go on from the last, and a repeated batch changes nothing', async () => {
    await clearPolicies();
    const ids = [await startConversation(), await startConversation(), await startConversation()];
    await policy({ name: 'Batch', first_response_minutes: 50, business_hours: false });
    const version = await settingsVersion();
    const open = (await scoped(t.ctx.db, accountId).selectFrom('conversations').select('id').where('status', '!=', 'resolved').orderBy('id').execute()).map((r) => r.id);
    let after: string | null = null;
    let walked = 0;
    for (;;) {
      const n = await retimeBatch(t.ctx, { accountId, version, after }, 2);
      walked += n;
      if (n < 2) break;
      after = open[walked - 1];
    }
    expect(walked).toBe(open.length);
    for (const id of ids) expect(await clockOf(id)).toEqual({ policy: 'Batch', minutes: 50 });

    // Once more: no clock is written and nothing is announced.
    const stamp = async () => (await scoped(t.ctx.db, accountId).selectFrom('conversation_slas').select(['conversation_id', 'updated_at']).where('conversation_id', 'in', ids).orderBy('conversation_id').execute()).map((r) => r.updated_at.toISOString());
    const before = await stamp();
    const announced = events.filter((e) => e.event.startsWith('sla.')).length;
    expect(await retimeBatch(t.ctx, { accountId, version, after: null }, 1000)).toBe(open.length);
    expect(await stamp()).toEqual(before);
    expect(events.filter((e) => e.event.startsWith('sla.')).length).toBe(announced);
    // A batch of settings that changed again since does nothing itself (a walk for the new ones does it all).
    expect(await retimeBatch(t.ctx, { accountId, version: String(BigInt(version) - 1n), after: null })).toBe(0);
    await clearPolicies();
  });

  it('sees a policy changed by another writer at the next update, not the copy it kept', async () => {
    await clearPolicies();
    await policy({ name: 'Kept', first_response_minutes: 60, business_hours: false });
    const id = await startConversation();
    expect(await clockOf(id)).toEqual({ policy: 'Kept', minutes: 60 });
    // As another node or a direct fix would: no request of this node, no message on its bus.
    await scoped(t.ctx.db, accountId).updateTable('sla_policies').set({ first_response_minutes: 20 }).execute();
    expect((await call('PATCH', `/api/v1/conversations/${id}`, { priority: 'high' })).statusCode).toBe(200);
    await drain();
    expect(await clockOf(id)).toEqual({ policy: 'Kept', minutes: 20 });
    await clearPolicies();
  });

  it('stops the clock while a conversation is snoozed, and runs it again when it wakes or the customer writes', async () => {
    await clearPolicies();
    await policy({ name: 'Standard', first_response_minutes: 60, business_hours: false });
    // Started 45 minutes ago: 15 minutes left.
    const id = await startConversation('Where is my order?', { backdateSeconds: 45 * 60 });
    const snooze = async () => {
      const res = await call('PATCH', `/api/v1/conversations/${id}`, { status: 'snoozed', snoozed_until: new Date(Date.now() + 3600_000).toISOString() }, agent);
      expect(res.statusCode, res.body).toBe(200);
      await drain();
    };
    await snooze();
    const sla = await slaOf(id);
    expect(sla.paused_since).not.toBeNull();
    expect(sla.next).toMatchObject({ target: 'first_response', due_at: null });
    expect(json<Conversation>(await call('GET', `/api/v1/conversations/${id}`, undefined, agent)).sla).toMatchObject({ paused: true, due_at: null });

    // Snoozed for half an hour, then the snooze ends: the first response is due 30 minutes later than it was.
    await scoped(t.ctx.db, accountId).updateTable('conversation_slas').set({ paused_since: new Date(Date.now() - 30 * 60_000) }).where('conversation_id', '=', id).execute();
    await scoped(t.ctx.db, accountId).updateTable('conversations').set({ snoozed_until: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    expect(await wakeSnoozed(t.ctx.db)).toBeGreaterThanOrEqual(1);
    await drain();
    expect((await slaOf(id)).paused_since).toBeNull();
    expect(await clockOf(id)).toEqual({ policy: 'Standard', minutes: 90 });

    // Snoozed again, the customer writes: the conversation opens and the clock runs on.
    await snooze();
    expect((await slaOf(id)).paused_since).not.toBeNull();
    expect((await call('POST', `/api/v1/conversations/${id}/incoming-messages`, { content: 'Still there?', idempotency_key: randomUUID() }, source)).statusCode).toBe(201);
    await drain();
    expect((await slaOf(id)).paused_since).toBeNull();
    expect(json<Conversation>(await call('GET', `/api/v1/conversations/${id}`, undefined, agent)).sla).toMatchObject({ paused: false, target: 'first_response' });
    expect((await clockOf(id)).minutes).toBe(90);
    await clearPolicies();
  });

  it("re-times a team's conversations when the team gets hours of its own, and shows them in the assignments", async () => {
    timers ??= await startSlaTimers(t.ctx, log, 1000);
    await clearPolicies();
    const today = DateTime.utc().startOf('day');
    const allDay = [['00:00', '24:00']];
    const week = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
    // The workspace default is closed today and tomorrow.
    const closed = await call('POST', '/api/v1/business-hours', { name: 'Closed until the day after tomorrow', business_hours: { time_zone: 'UTC', days: week, holidays: [today.toISODate(), today.plus({ days: 1 }).toISODate()] }, is_default: true });
    expect(closed.statusCode, closed.body).toBe(201);
    await policy({ name: 'Business time', first_response_minutes: 90 });
    const team = await call('POST', '/api/v1/teams', { name: `Night shift ${randomUUID().slice(0, 6)}` });
    expect(team.statusCode, team.body).toBe(201);
    const teamId = json<{ id: string }>(team).id;
    const id = await startConversation();
    expect((await call('PATCH', `/api/v1/conversations/${id}`, { team_id: teamId })).statusCode).toBe(200);
    await drain();
    const afterHolidays = today.plus({ days: 2, minutes: 90 }).toJSDate().toISOString();
    expect((await slaOf(id)).next?.due_at).toBe(afterHolidays);

    const bad = await call('PUT', `/api/v1/teams/${teamId}/business-hours`, { business_hours: { time_zone: 'Mars/Olympus', days: week } });
    expect(bad.statusCode).toBe(422);
    expect(json<{ error: { code: string; details: Array<{ field: string }> } }>(bad).error).toMatchObject({ code: 'invalid_business_hours', details: [{ field: 'business_hours.time_zone' }] });
    expect((await call('PUT', `/api/v1/teams/${teamId}/business-hours`, { business_hours: { time_zone: 'UTC', days: week } }, otherAdmin)).statusCode).toBe(404);

    const own = await call('PUT', `/api/v1/teams/${teamId}/business-hours`, { business_hours: { time_zone: 'UTC', days: week } });
    expect(own.statusCode, own.body).toBe(200);
    expect(json(own)).toMatchObject({ id: teamId, own_hours: true, business_hours: { time_zone: 'UTC', days: { mon: allDay }, holidays: [] } });
    await until("the team's hours counted", async () => (await clockOf(id)).minutes === 90);
    const assignments = json<{ teams: Array<{ id: string; own_hours: boolean; business_hours: { time_zone: string } | null }> }>(await call('GET', '/api/v1/business-hours/assignments'));
    expect(assignments.teams.find((x) => x.id === teamId)).toMatchObject({ own_hours: true, business_hours: { time_zone: 'UTC' } });

    expect(json(await call('PUT', `/api/v1/teams/${teamId}/business-hours`, { business_hours: null }))).toMatchObject({ own_hours: false, business_hours: null });
    await until('the default hours counted again', async () => (await slaOf(id)).next?.due_at === afterHolidays);
    expect((await call('DELETE', `/api/v1/business-hours/${json<{ id: string }>(closed).id}`)).statusCode).toBe(204);
    await clearPolicies();
  });
});

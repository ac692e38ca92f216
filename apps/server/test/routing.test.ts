/**
 * Routing end to end through the API, the widget and the reactions dispatcher: round robin takes
 * turns, least loaded fills capacity and no more, only online agents are picked, skills steer,
 * a waiting conversation is picked up when someone comes online or frees a seat, chats are handed
 * on when their agent goes offline, two routings at once never over-fill anyone, other
 * workspaces see nothing, and bad settings are refused naming the field.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReactions, type Reactions } from '../src/core/reactions.js';
import { scoped } from '../src/core/db/tenant.js';
import { REACTORS } from '../src/features/reactors.js';
import { routeConversation } from '../src/features/routing/commands/route-conversation.js';
import { routingTimings, startRoutingSweeper, type RoutingSweeper } from '../src/features/routing/routing.sweeper.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp, until } from './helpers.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;
// The periodic sweep only covers what no event says (an app that stopped checking in): kept out of
// the way here, so these cases show that the reactor and the presence events do the work.
routingTimings.sweepMs = 60_000;
routingTimings.offlineGraceMs = 300;

type Conversation = { id: string; status: string; assignee: { id: string; name: string } | null; team: { id: string } | null };
type Assignment = { assignee: { id: string; name: string } | null; rule: string; reason: string };
type ApiError = { error: { code: string; message: string; details: Array<{ field: string; message: string }> } };

describe('routing and automatic assignment', () => {
  let t: TestApp;
  let reactions: Reactions;
  let sweeper: RoutingSweeper;
  let accountId: string;
  let admin: Record<string, string>;
  let inboxId: string;
  let widgetKey: string;
  let ana: Person;
  let ben: Person;
  let cy: Person;
  const sessions = new Map<string, Record<string, string>>();
  let visitors = 0;

  const call = (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const ws = () => scoped(t.ctx.db, accountId);

  /** Their app is open and they chose online (as the realtime socket and PUT /me/presence leave it). */
  const online = async (...people: Person[]) => {
    for (const p of people) {
      await ws().updateTable('memberships').set({ last_active_at: sql<Date>`now()`, idle: false }).where('user_id', '=', p.id).execute();
      expect((await call('PUT', '/api/v1/me/presence', { status: 'online' }, sessions.get(p.id))).statusCode).toBe(200);
    }
  };
  const offline = async (...people: Person[]) => {
    for (const p of people) expect((await call('PUT', '/api/v1/me/presence', { status: 'offline' }, sessions.get(p.id))).statusCode).toBe(200);
  };

  /** A visitor opens the chat and writes; answers the conversation's id. */
  const visitorWrites = async (language = 'en-GB') => {
    const remoteAddress = `198.51.100.${++visitors}`;
    const session = json<{ visitor_token: string }>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', remoteAddress, payload: { widget_key: widgetKey, context: { language } } }));
    const content = `Hello ${randomUUID()}`;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', remoteAddress, headers: { 'x-visitor-token': session.visitor_token }, payload: { content, client_message_id: randomUUID() } });
    expect(res.statusCode, res.body).toBe(201);
    return (await ws().selectFrom('messages').select('conversation_id').where('content', '=', content).executeTakeFirstOrThrow()).conversation_id;
  };
  const conversation = async (id: string) => json<Conversation>(await call('GET', `/api/v1/conversations/${id}`));
  const assigned = (id: string) => until(`conversation ${id} to be assigned`, async () => (await conversation(id)).assignee ?? undefined);
  const assignments = async (id: string) => json<{ data: Assignment[] }>(await call('GET', `/api/v1/conversations/${id}/assignments`)).data;
  const systemLines = async (id: string) =>
    (await ws().selectFrom('messages').select('content').where('conversation_id', '=', id).where('kind', '=', 'system').orderBy('seq').execute()).map((m) => m.content);
  /** Lets the dispatcher and the sweeper catch up, then answers the assignee (null: still waiting). */
  const settled = async (id: string) => {
    await new Promise((r) => setTimeout(r, 700));
    return (await conversation(id)).assignee;
  };
  const setRouting = async (body: Record<string, unknown>) => {
    const res = await call('PUT', `/api/v1/inboxes/${inboxId}/routing`, body);
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };

  beforeAll(async () => {
    t = await startTestApp();
    reactions = startReactions(t.ctx, log, REACTORS, 200);
    // As the server starts it beside its other workers: presence, changed settings, the sweep.
    sweeper = startRoutingSweeper(t.ctx, log);
    const w = await makeWorkspace(t, 'Bikes');
    accountId = w.accountId;
    admin = await sessionFor(t, w.owner.id, accountId);
    // Names sort as Ana, Ben, Cy: round robin walks them in that order.
    ana = await makeMember(t, accountId, 'agent', 'ana@bikes.example');
    ben = await makeMember(t, accountId, 'agent', 'ben@bikes.example');
    cy = await makeMember(t, accountId, 'agent', 'cy@bikes.example');
    for (const [p, name] of [[ana, 'Ana'], [ben, 'Ben'], [cy, 'Cy']] as const) {
      await t.ctx.db.updateTable('users').set({ name }).where('id', '=', p.id).execute();
      p.name = name;
      sessions.set(p.id, await sessionFor(t, p.id, accountId));
    }
    const inbox = await call('POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Website', member_ids: [ana.id, ben.id, cy.id] });
    expect(inbox.statusCode, inbox.body).toBe(201);
    ({ id: inboxId, widget_key: widgetKey } = json<{ id: string; widget_key: string }>(inbox));
    // Starting PGlite and a fresh database is slow on a busy machine.
  }, 180_000);
  afterAll(async () => {
    sweeper?.stop();
    await reactions?.stop();
    await t?.close();
  });
  beforeEach(async () => {
    // Each case starts with nobody holding a chat, everybody offline, default capacities.
    await call('PUT', `/api/v1/inboxes/${inboxId}/routing`, { mode: 'manual', hand_on_offline: false, team_id: null });
    await ws().updateTable('conversations').set({ status: 'resolved' }).where('status', '=', 'open').execute();
    await ws().updateTable('memberships').set({ availability: 'offline', last_active_at: null }).execute();
    await ws().deleteFrom('agent_routing').execute();
  });

  it('requires authentication, and an admin to change settings; agents read only their own capacity', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/inboxes/${inboxId}/routing` })).statusCode).toBe(401);
    expect((await call('PUT', `/api/v1/inboxes/${inboxId}/routing`, { mode: 'round_robin' }, sessions.get(ana.id))).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/users/${ana.id}/routing`, undefined, sessions.get(ana.id))).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/users/${ben.id}/routing`, undefined, sessions.get(ana.id))).statusCode).toBe(403);
    expect((await call('PUT', `/api/v1/users/${ana.id}/routing`, { capacity: { chat: 9 } }, sessions.get(ana.id))).statusCode).toBe(403);
  });

  it('refuses bad settings with 422 naming the field, and changes nothing', async () => {
    const bad = async (url: string, body: unknown, field: string) => {
      const res = await call('PUT', url, body);
      expect(res.statusCode, res.body).toBe(422);
      const error = json<ApiError>(res).error;
      expect(error.details.map((d) => d.field)).toContain(field);
      return error;
    };
    expect(await bad(`/api/v1/inboxes/${inboxId}/routing`, { mode: 'random' }, 'mode')).toMatchObject({ code: 'invalid_routing', message: expect.stringContaining('round_robin') });
    await bad(`/api/v1/teams/${randomUUID()}/routing`, { mode: 'sometimes' }, 'mode');
    expect(await bad(`/api/v1/users/${ana.id}/routing`, { capacity: { chat: -1 } }, 'capacity.chat')).toMatchObject({ code: 'invalid_routing', message: 'The capacity chat must be between 0 and 100 (0: takes no chat conversations).' });
    expect(await bad(`/api/v1/users/${ana.id}/routing`, { skills: ['lang:de', 'bikes & more!'] }, 'skills')).toMatchObject({ message: expect.stringContaining('"bikes & more!" is not a skill') });
    await bad('/api/v1/routing/defaults', { capacity: { email: 1000 } }, 'capacity.email');
    expect(await bad(`/api/v1/inboxes/${inboxId}/routing`, { mode: 'round_robin', team_id: randomUUID() }, 'team_id')).toMatchObject({ code: 'invalid_reference' });
    // A schema-level mistake (a capacity that is not a number) is a 400 naming it too.
    expect((await call('PUT', `/api/v1/users/${ana.id}/routing`, { capacity: { chat: 'three' } })).statusCode).toBe(400);

    expect(json(await call('GET', `/api/v1/inboxes/${inboxId}/routing`))).toMatchObject({ mode: 'manual', team_id: null, channel_kind: 'chat' });
    expect(json(await call('GET', `/api/v1/users/${ana.id}/routing`))).toMatchObject({ capacity: { chat: null }, effective_capacity: { chat: 3, email: 10 }, skills: [] });
  });

  it('round robin gives each online agent a turn, and says so in the thread and the log', async () => {
    await online(ana, ben, cy);
    expect(await setRouting({ mode: 'round_robin' })).toMatchObject({ mode: 'round_robin', hand_on_offline: false });
    const picked: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await visitorWrites();
      picked.push((await assigned(id)).name);
    }
    // Whoever is first depends on the cursor left by earlier cases; after that, strictly in turn.
    const order = ['Ana', 'Ben', 'Cy'];
    const start = order.indexOf(picked[0]);
    expect(picked).toEqual([0, 1, 2, 3, 4, 5].map((i) => order[(start + i) % 3]));

    const id = await visitorWrites();
    const who = await assigned(id);
    const [entry] = await assignments(id);
    expect(entry).toMatchObject({ assignee: { id: who.id, name: who.name }, rule: 'round_robin', reason: 'round robin: 2 of 3 chats; online' });
    expect(await systemLines(id)).toContain(`Assigned to ${who.name} by round robin: 2 of 3 chats; online`);
  });

  it('least loaded fills each agent up to their capacity and no further; a freed seat is filled from the waiting queue', async () => {
    expect((await call('PUT', `/api/v1/users/${ana.id}/routing`, { capacity: { chat: 1 } })).statusCode).toBe(200);
    expect((await call('PUT', `/api/v1/users/${ben.id}/routing`, { capacity: { chat: 2 } })).statusCode).toBe(200);
    await online(ana, ben);
    await setRouting({ mode: 'least_loaded' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await visitorWrites());
      await assigned(ids[i]);
    }
    const holders = await Promise.all(ids.map(async (id) => (await conversation(id)).assignee!.name));
    expect(holders.filter((n) => n === 'Ana')).toHaveLength(1);
    expect(holders.filter((n) => n === 'Ben')).toHaveLength(2);
    // Cy is offline: never picked, though he has room.
    expect(holders).not.toContain('Cy');
    expect((await assignments(ids[2]))[0].reason).toMatch(/^least loaded: \d of [12] chats; online$/);

    const waiting = await visitorWrites();
    expect(await settled(waiting)).toBeNull();

    // Ben resolves one of his: the waiting chat takes his seat.
    const bens = ids.filter((_, i) => holders[i] === 'Ben');
    expect((await call('PATCH', `/api/v1/conversations/${bens[0]}`, { status: 'resolved' }, sessions.get(ben.id))).statusCode).toBe(200);
    expect((await assigned(waiting)).name).toBe('Ben');
  });

  it('prefers an agent whose skills match the customer’s language', async () => {
    await online(ana, ben, cy);
    expect(json(await call('PUT', `/api/v1/users/${cy.id}/routing`, { skills: ['LANG:de', 'product:bikes', 'lang:de'] }))).toMatchObject({ skills: ['lang:de', 'product:bikes'] });
    await setRouting({ mode: 'round_robin' });
    for (let i = 0; i < 2; i++) {
      const id = await visitorWrites('de-AT');
      expect((await assigned(id)).name).toBe('Cy');
      expect((await assignments(id))[0].reason).toMatch(/^round robin: \d of 3 chats; online; skill lang:de$/);
    }
    expect((await assigned(await visitorWrites('fr-FR'))).name).not.toBe('Cy');
  });

  it('keeps a conversation waiting while nobody is online, and assigns it when someone comes online', async () => {
    await setRouting({ mode: 'least_loaded' });
    const id = await visitorWrites();
    expect(await settled(id)).toBeNull();
    expect(await assignments(id)).toEqual([]);
    await online(ben);
    expect((await assigned(id)).name).toBe('Ben');
  });

  it('hands an offline agent’s open chats on when the inbox says so, and not otherwise', async () => {
    await online(ana);
    await setRouting({ mode: 'round_robin', hand_on_offline: false });
    const kept = await visitorWrites();
    expect((await assigned(kept)).name).toBe('Ana');
    await online(ben);
    await offline(ana);
    expect((await settled(kept))?.name).toBe('Ana');

    await online(ana);
    await setRouting({ mode: 'round_robin', hand_on_offline: true });
    const more = [await visitorWrites(), await visitorWrites()];
    for (const id of more) await assigned(id);
    const all = [kept, ...more];
    const anas: string[] = [];
    for (const id of all) if ((await conversation(id)).assignee?.name === 'Ana') anas.push(id);
    expect(anas.length).toBeGreaterThanOrEqual(2);

    await offline(ana);
    await until('Ana’s chats to be handed on to Ben', async () => {
      for (const id of anas) if ((await conversation(id)).assignee?.name !== 'Ben') return false;
      return true;
    });
    const [routed, handedOn] = await assignments(kept);
    expect(handedOn).toMatchObject({ assignee: null, rule: 'handed_on', reason: 'Ana went offline' });
    expect(routed).toMatchObject({ assignee: { name: 'Ben' }, rule: 'round_robin' });
    expect(await systemLines(kept)).toEqual(expect.arrayContaining(['Handed on: Ana went offline', expect.stringMatching(/^Assigned to Ben by round robin: /)]));
  });

  it('routes through a team: the inbox hands its conversations to a team, whose members are picked', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin, payload: { name: 'German desk', member_ids: [cy.id] } });
    expect(created.statusCode, created.body).toBe(201);
    const teamId = json<{ id: string }>(created).id;
    await online(ana, ben, cy);
    expect(json(await call('PUT', `/api/v1/teams/${teamId}/routing`, { mode: 'least_loaded' }))).toEqual({ team_id: teamId, mode: 'least_loaded', hand_on_offline: false });
    await setRouting({ mode: 'round_robin', team_id: teamId });
    const id = await visitorWrites();
    const c = await until('the team’s member to be assigned', async () => {
      const current = await conversation(id);
      return current.assignee && current;
    });
    expect(c).toMatchObject({ assignee: { name: 'Cy' }, team: { id: teamId } });
    expect((await assignments(id))[0].reason).toMatch(/^least loaded: /);
  });

  it('never over-fills an agent when two conversations are routed at the same moment', async () => {
    await call('PUT', `/api/v1/users/${ana.id}/routing`, { capacity: { chat: 1 } });
    await online(ana);
    // Both arrive while routing is off, then are routed in two transactions at once.
    const a = await visitorWrites();
    const b = await visitorWrites();
    await ws().updateTable('routing_rules').set({ mode: 'least_loaded' }).where('inbox_id', '=', inboxId).execute();
    const results = await Promise.all([a, b].map((id) => t.ctx.db.transaction().execute((trx) => routeConversation(trx, accountId, id))));
    // (The sweeper may have routed one of them first: either way, one seat is one chat.)
    expect(results.filter((r) => r?.assigneeId).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r && !r.assigneeId)).toEqual([expect.objectContaining({ reason: expect.stringContaining('1 at capacity for chats') })]);
    const open = await ws().selectFrom('conversations').select(sql<number>`count(*)::int`.as('n')).where('assignee_id', '=', ana.id).where('status', '=', 'open').executeTakeFirstOrThrow();
    expect(open.n).toBe(1);
  });

  it('counts emails against email capacity: an agent full of emails is skipped for email but still gets chats', async () => {
    const mail = await ws().insertInto('inboxes', { name: 'Support mail', channel: 'email', email_address: `support-${randomUUID().slice(0, 8)}@bikes.example` }).returning('id').executeTakeFirstOrThrow();
    await ws().insertInto('inbox_members', [ana, ben, cy].map((p) => ({ inbox_id: mail.id, user_id: p.id }))).execute();
    const customer = await ws().insertInto('contacts', { name: 'Mail customer', email: `customer-${randomUUID().slice(0, 8)}@example.com` }).returning('id').executeTakeFirstOrThrow();
    const newEmail = async () => (await ws().insertInto('conversations', { inbox_id: mail.id, contact_id: customer.id, subject: 'Order question' }).returning('id').executeTakeFirstOrThrow()).id;
    const route = (id: string) => t.ctx.db.transaction().execute((trx) => routeConversation(trx, accountId, id));
    expect((await call('PUT', `/api/v1/users/${ana.id}/routing`, { capacity: { email: 1 } })).statusCode).toBe(200);
    await online(ana);
    await setRouting({ mode: 'least_loaded' });
    expect(json(await call('PUT', `/api/v1/inboxes/${mail.id}/routing`, { mode: 'least_loaded' }))).toMatchObject({ mode: 'least_loaded', channel_kind: 'email' });

    const first = await newEmail();
    await route(first);
    expect((await assigned(first)).name).toBe('Ana');
    expect((await assignments(first))[0]).toMatchObject({ rule: 'least_loaded', reason: 'least loaded: 0 of 1 emails; online' });

    // Her one email seat is taken: the next email waits, and says why.
    const second = await newEmail();
    expect(await route(second)).toMatchObject({ assigneeId: null, reason: 'nobody available: 2 offline, 1 at capacity for emails' });
    expect(await settled(second)).toBeNull();
    expect(await assignments(second)).toEqual([]);

    // A chat counts against her chat capacity, which has room.
    const chat = await visitorWrites();
    expect((await assigned(chat)).name).toBe('Ana');
    expect((await assignments(chat))[0].reason).toBe('least loaded: 0 of 3 chats; online');
    // She sees her own load against her capacity.
    expect(json(await call('GET', `/api/v1/users/${ana.id}/routing`, undefined, sessions.get(ana.id)))).toMatchObject({
      load: { chat: 1, email: 1, messaging: 0, phone: 0 },
      effective_capacity: { chat: 3, email: 1 },
    });
    await call('PUT', `/api/v1/inboxes/${mail.id}/routing`, { mode: 'manual' });
  });

  it('keeps other workspaces out: 404 for their admins, and nothing changes', async () => {
    const other = await makeWorkspace(t, 'Elsewhere');
    const stranger = await sessionFor(t, other.owner.id, other.accountId);
    await setRouting({ mode: 'round_robin' });
    const id = await visitorWrites();
    for (const [method, url, body] of [
      ['GET', `/api/v1/inboxes/${inboxId}/routing`],
      ['PUT', `/api/v1/inboxes/${inboxId}/routing`, { mode: 'manual' }],
      ['GET', `/api/v1/users/${ana.id}/routing`],
      ['PUT', `/api/v1/users/${ana.id}/routing`, { capacity: { chat: 0 } }],
      ['GET', `/api/v1/conversations/${id}/assignments`],
    ] as const) {
      expect((await call(method, url, body, stranger)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect(json(await call('GET', `/api/v1/inboxes/${inboxId}/routing`))).toMatchObject({ mode: 'round_robin' });
    expect(json(await call('GET', `/api/v1/users/${ana.id}/routing`))).toMatchObject({ capacity: { chat: null } });
    // Their own defaults are theirs alone.
    expect((await call('PUT', '/api/v1/routing/defaults', { capacity: { chat: 7 } }, stranger)).statusCode).toBe(200);
    expect(json(await call('GET', '/api/v1/routing/defaults'))).toEqual({ capacity: { chat: 3, email: 10, messaging: 5, phone: 1 } });
  });
});

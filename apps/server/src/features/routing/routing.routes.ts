/**
 * Routing settings: how an inbox or a team hands out conversations, each person's capacity and
 * skills (admins edit; agents read their own), the workspace's default capacity, and the log of
 * a conversation's automatic assignments with their reasons. A change of settings tells this
 * node's routing sweeper (ctx.routeSoon), which routes the waiting queue soon.
 */
import { Type } from '@sinclair/typebox';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { atLeast } from '../../core/auth/roles.js';
import { member } from '../../core/http/auth.js';
import { IdParams, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { channelKind, DEFAULT_CAPACITY } from './chooser.js';
import { capacityOf, openLoadOf } from './routing.queries.js';
import {
  Assignment,
  checkedCapacity,
  checkedMode,
  checkedSkills,
  InboxRouting,
  InboxRoutingBody,
  RoutingDefaults,
  RoutingDefaultsBody,
  TeamRouting,
  TeamRoutingBody,
  UserRouting,
  UserRoutingBody,
} from './routing.schema.js';

const tags = ['routing'];

async function defaultsOf(db: Transaction<DB> | AppContext['db'], accountId: string) {
  const row = await scoped(db, accountId).selectFrom('routing_defaults').select('capacity').executeTakeFirst();
  return { ...DEFAULT_CAPACITY, ...row?.capacity };
}

export function routingRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const settingsChanged = (accountId: string) => ctx.routeSoon?.(accountId);

  const inboxRouting = async (accountId: string, inboxId: string) => {
    const ws = scoped(db, accountId);
    const inbox = await ws.selectFrom('inboxes').select(['id', 'channel']).where('id', '=', inboxId).executeTakeFirst();
    if (!inbox) throw notFound('Inbox');
    const rule = await ws.selectFrom('routing_rules').select(['mode', 'hand_on_offline', 'route_to_team_id']).where('inbox_id', '=', inboxId).executeTakeFirst();
    return { inbox_id: inbox.id, mode: rule?.mode ?? 'manual', hand_on_offline: rule?.hand_on_offline ?? false, team_id: rule?.route_to_team_id ?? null, channel_kind: channelKind(inbox.channel) };
  };
  const teamRouting = async (accountId: string, teamId: string) => {
    const ws = scoped(db, accountId);
    const team = await ws.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
    if (!team) throw notFound('Team');
    const rule = await ws.selectFrom('routing_rules').select(['mode', 'hand_on_offline']).where('team_id', '=', teamId).executeTakeFirst();
    return { team_id: team.id, mode: rule?.mode ?? 'manual', hand_on_offline: rule?.hand_on_offline ?? false };
  };
  const userRouting = async (accountId: string, userId: string) => {
    const ws = scoped(db, accountId);
    const m = await ws.selectFrom('memberships').select('user_id').where('user_id', '=', userId).executeTakeFirst();
    if (!m) throw notFound('User');
    const own = await ws.selectFrom('agent_routing').select(['capacity', 'skills']).where('user_id', '=', userId).executeTakeFirst();
    const defaults = await defaultsOf(db, accountId);
    const capacity = { chat: null, email: null, messaging: null, phone: null, ...own?.capacity };
    return { user_id: userId, capacity, effective_capacity: capacityOf(own?.capacity, defaults), default_capacity: defaults, load: await openLoadOf(db, accountId, userId), skills: own?.skills ?? [] };
  };

  app.get('/api/v1/inboxes/:id/routing', { config: { access: 'admin' }, schema: { tags, summary: 'How this inbox assigns new conversations', params: IdParams, response: { 200: InboxRouting, ...errors(401, 403, 404) } } }, async (request) =>
    inboxRouting(member(request).accountId, request.params.id),
  );

  app.put(
    '/api/v1/inboxes/:id/routing',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Set how this inbox assigns new conversations: by hand, round robin or least loaded, optionally through a team', params: IdParams, body: InboxRoutingBody, response: { 200: InboxRouting, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const auth = member(request);
      const mode = checkedMode(request.body.mode);
      const current = await inboxRouting(auth.accountId, request.params.id);
      const teamId = request.body.team_id === undefined ? current.team_id : request.body.team_id;
      await db.transaction().execute(async (trx) => {
        const ws = scoped(trx, auth.accountId);
        if (teamId && !(await ws.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()))
          throw new AppError('invalid_reference', 'That team does not exist in this workspace.', [{ field: 'team_id', message: 'is not a team of this workspace' }]);
        const values = { mode, hand_on_offline: request.body.hand_on_offline ?? current.hand_on_offline, route_to_team_id: teamId, updated_at: new Date() };
        const updated = await ws.updateTable('routing_rules').set(values).where('inbox_id', '=', request.params.id).executeTakeFirst();
        if (!Number(updated.numUpdatedRows)) await ws.insertInto('routing_rules', { inbox_id: request.params.id, ...values }).execute();
      });
      settingsChanged(auth.accountId);
      return inboxRouting(auth.accountId, request.params.id);
    },
  );

  app.get('/api/v1/teams/:id/routing', { config: { access: 'admin' }, schema: { tags, summary: 'How this team assigns its conversations', params: IdParams, response: { 200: TeamRouting, ...errors(401, 403, 404) } } }, async (request) =>
    teamRouting(member(request).accountId, request.params.id),
  );

  app.put(
    '/api/v1/teams/:id/routing',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Set how this team assigns its conversations among its members (this wins over the inbox’s rule)', params: IdParams, body: TeamRoutingBody, response: { 200: TeamRouting, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const auth = member(request);
      const mode = checkedMode(request.body.mode);
      const current = await teamRouting(auth.accountId, request.params.id);
      const values = { mode, hand_on_offline: request.body.hand_on_offline ?? current.hand_on_offline, updated_at: new Date() };
      await db.transaction().execute(async (trx) => {
        const ws = scoped(trx, auth.accountId);
        const updated = await ws.updateTable('routing_rules').set(values).where('team_id', '=', request.params.id).executeTakeFirst();
        if (!Number(updated.numUpdatedRows)) await ws.insertInto('routing_rules', { team_id: request.params.id, ...values }).execute();
      });
      settingsChanged(auth.accountId);
      return teamRouting(auth.accountId, request.params.id);
    },
  );

  app.get(
    '/api/v1/users/:id/routing',
    { config: { access: 'agent' }, schema: { tags, summary: 'A person’s capacity per channel kind, the open conversations they hold now, and their skills (agents read their own)', params: IdParams, response: { 200: UserRouting, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      if (request.params.id !== auth.userId && !atLeast(auth.role, 'admin')) throw forbidden('Agents see only their own capacity and skills.');
      return userRouting(auth.accountId, request.params.id);
    },
  );

  app.put(
    '/api/v1/users/:id/routing',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Set a person’s capacity per channel kind (null: the workspace default) and skills', params: IdParams, body: UserRoutingBody, response: { 200: UserRouting, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const auth = member(request);
      const current = await userRouting(auth.accountId, request.params.id);
      const body = request.body;
      const capacity = body.capacity ? checkedCapacity({ ...current.capacity, ...body.capacity }) : checkedCapacity(current.capacity);
      const skills = body.skills ? checkedSkills(body.skills) : current.skills;
      await scoped(db, auth.accountId)
        .insertInto('agent_routing', { user_id: request.params.id, capacity: JSON.stringify(capacity), skills })
        .onConflict((oc) => oc.columns(['account_id', 'user_id']).doUpdateSet({ capacity: JSON.stringify(capacity), skills }))
        .execute();
      settingsChanged(auth.accountId);
      return userRouting(auth.accountId, request.params.id);
    },
  );

  app.get('/api/v1/routing/defaults', { config: { access: 'agent' }, schema: { tags, summary: 'The workspace’s default capacity per channel kind', response: { 200: RoutingDefaults, ...errors(401, 403) } } }, async (request) => ({
    capacity: await defaultsOf(db, member(request).accountId),
  }));

  app.put(
    '/api/v1/routing/defaults',
    { config: { access: 'admin' }, schema: { tags, summary: 'Set the workspace’s default capacity per channel kind', body: RoutingDefaultsBody, response: { 200: RoutingDefaults, ...errors(400, 401, 403, 422) } } },
    async (request) => {
      const auth = member(request);
      const capacity = { ...(await defaultsOf(db, auth.accountId)), ...checkedCapacity(request.body.capacity) };
      await scoped(db, auth.accountId)
        .insertInto('routing_defaults', { capacity: JSON.stringify(capacity) })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ capacity: JSON.stringify(capacity), updated_at: new Date() }))
        .execute();
      settingsChanged(auth.accountId);
      return { capacity };
    },
  );

  app.get(
    '/api/v1/conversations/:id/assignments',
    { config: { access: 'agent' }, schema: { tags, summary: 'The conversation’s automatic assignments, newest first, each with why that agent', params: IdParams, response: { 200: Type.Object({ data: Type.Array(Assignment) }), ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      if (!(await findConversation(db, auth, request.params.id))) throw notFound('Conversation');
      const rows = await scoped(db, auth.accountId)
        .selectFrom('conversation_assignments')
        .leftJoin('users as u', 'u.id', 'conversation_assignments.assignee_id')
        .select(['conversation_assignments.id', 'conversation_assignments.assignee_id', 'u.name', 'conversation_assignments.rule', 'conversation_assignments.reason', 'conversation_assignments.team_id', 'conversation_assignments.created_at'])
        .where('conversation_assignments.conversation_id', '=', request.params.id)
        .orderBy('conversation_assignments.created_at', 'desc')
        .limit(50)
        .execute();
      return { data: rows.map((r) => ({ id: r.id, assignee: r.assignee_id ? { id: r.assignee_id, name: r.name ?? '' } : null, rule: r.rule, reason: r.reason, team_id: r.team_id, created_at: r.created_at.toISOString() })) };
    },
  );
}

/** Reads routing needs: the rules of a workspace, the people who could take a conversation, their load. */
import { sql, type Transaction } from 'kysely';
import type { Availability, Capacity, ChannelKind, DB, RoutingMode } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { effectivePresence } from '../realtime/realtime.routes.js';
import { DEFAULT_CAPACITY, type Candidate } from './chooser.js';

export interface Rule {
  id: string;
  inboxId: string | null;
  teamId: string | null;
  mode: RoutingMode;
  handOnOffline: boolean;
  routeToTeamId: string | null;
  cursorUserId: string | null;
}

export interface Rules {
  byInbox: Map<string, Rule>;
  byTeam: Map<string, Rule>;
  defaults: Record<ChannelKind, number>;
}

export async function loadRules(trx: Transaction<DB>, accountId: string): Promise<Rules> {
  const ws = scoped(trx, accountId);
  const rows = await ws.selectFrom('routing_rules').select(['id', 'inbox_id', 'team_id', 'mode', 'hand_on_offline', 'route_to_team_id', 'cursor_user_id']).execute();
  const defaults = await ws.selectFrom('routing_defaults').select('capacity').executeTakeFirst();
  const rules: Rules = { byInbox: new Map(), byTeam: new Map(), defaults: { ...DEFAULT_CAPACITY, ...defaults?.capacity } };
  for (const r of rows) {
    const rule: Rule = { id: r.id, inboxId: r.inbox_id, teamId: r.team_id, mode: r.mode, handOnOffline: r.hand_on_offline, routeToTeamId: r.route_to_team_id, cursorUserId: r.cursor_user_id };
    if (r.inbox_id) rules.byInbox.set(r.inbox_id, rule);
    if (r.team_id) rules.byTeam.set(r.team_id, rule);
  }
  return rules;
}

/**
 * Which rule routes a conversation, and among whom: a team's own rule (when it routes) wins;
 * otherwise the inbox's rule picks, among the team's members when the conversation has (or the
 * inbox gives it) a team. Null: assigned by hand.
 */
export interface Unit {
  rule: Rule;
  /** The team the conversation is in, or goes to. */
  teamId: string | null;
}

export function unitOf(rules: Rules, conversation: { inbox_id: string; team_id: string | null }): Unit | null {
  const inboxRule = rules.byInbox.get(conversation.inbox_id);
  const teamId = conversation.team_id ?? inboxRule?.routeToTeamId ?? null;
  const teamRule = teamId ? rules.byTeam.get(teamId) : undefined;
  if (teamRule && teamRule.mode !== 'manual') return { rule: teamRule, teamId };
  if (inboxRule && inboxRule.mode !== 'manual') return { rule: inboxRule, teamId };
  return null;
}

/** The SQL condition "this inbox channel counts as this kind" (chooser.channelKind, in SQL). */
function kindCondition(kind: ChannelKind) {
  if (kind === 'chat') return sql<boolean>`i.channel = 'webchat'`;
  if (kind === 'email') return sql<boolean>`i.channel = 'email'`;
  if (kind === 'phone') return sql<boolean>`i.channel = 'phone'`;
  return sql<boolean>`i.channel not in ('webchat', 'email', 'phone')`;
}

/**
 * Everyone who may take a conversation of this inbox (and team), with presence, load of this
 * channel kind, capacity and skills, in a stable order (by name). Two statements: the people, and
 * the open conversations of the kind counted per assignee in one pass (not once per person).
 */
export async function candidatesFor(trx: Transaction<DB>, accountId: string, inboxId: string, teamId: string | null, kind: ChannelKind, defaults: Record<ChannelKind, number>): Promise<Candidate[]> {
  const inTeam = teamId ? sql`and im.user_id in (select tm.user_id from team_members tm where tm.account_id = ${accountId} and tm.team_id = ${teamId})` : sql``;
  const people = await sql<{
    user_id: string;
    name: string;
    availability: Availability;
    idle: boolean;
    last_active_at: Date | null;
    capacity: Capacity | null;
    skills: string[] | null;
    last_assigned_at: Date | null;
  }>`
    select im.user_id, u.name, m.availability, m.idle, m.last_active_at, ar.capacity, ar.skills, ar.last_assigned_at
    from inbox_members im
    join memberships m on m.account_id = im.account_id and m.user_id = im.user_id
    join users u on u.id = im.user_id
    left join agent_routing ar on ar.account_id = im.account_id and ar.user_id = im.user_id
    where im.account_id = ${accountId} and im.inbox_id = ${inboxId} ${inTeam}
    order by u.name, im.user_id`.execute(trx);
  const loads = await sql<{ assignee_id: string; load: number }>`
    select c.assignee_id, count(*)::int as load
    from conversations c join inboxes i on i.id = c.inbox_id and i.account_id = c.account_id
    where c.account_id = ${accountId} and c.status = 'open' and c.assignee_id is not null and ${kindCondition(kind)}
    group by c.assignee_id`.execute(trx);
  const loadOf = new Map(loads.rows.map((r) => [r.assignee_id, Number(r.load)]));
  const now = Date.now();
  return people.rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    online: effectivePresence({ availability: r.availability, idle: r.idle, last_active_at: r.last_active_at && new Date(r.last_active_at) }, now) === 'online',
    load: loadOf.get(r.user_id) ?? 0,
    capacity: capacityOf(r.capacity, defaults)[kind],
    skills: r.skills ?? [],
    lastAssignedAt: r.last_assigned_at && new Date(r.last_assigned_at),
  }));
}

/** A person's capacity per kind: their own where set, else the workspace default. */
export function capacityOf(own: Capacity | null | undefined, defaults: Record<ChannelKind, number>): Record<ChannelKind, number> {
  return { ...defaults, ...Object.fromEntries(Object.entries(own ?? {}).filter(([, v]) => typeof v === 'number')) };
}

/** What the chooser needs to know about the conversation. */
export async function conversationForRouting(trx: Transaction<DB>, accountId: string, id: string) {
  return scoped(trx, accountId)
    .selectFrom('conversations')
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .innerJoin('contacts as ct', (j) => j.onRef('ct.id', '=', 'conversations.contact_id').onRef('ct.account_id', '=', 'conversations.account_id'))
    .select(['conversations.id', 'conversations.inbox_id', 'conversations.team_id', 'conversations.status', 'conversations.assignee_id', 'conversations.tags', 'i.channel', 'ct.attributes'])
    .where('conversations.id', '=', id)
    .executeTakeFirst();
}

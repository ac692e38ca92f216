/** Reads routing needs: the rules of a workspace, the people who could take a conversation, their load. */
import { sql, type Transaction } from 'kysely';
import type { Capacity, ChannelKind, DB, RoutingMode } from '../../core/db/schema.js';
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
 * channel kind, capacity and skills, in a stable order (by name). One query.
 */
export async function candidatesFor(trx: Transaction<DB>, accountId: string, inboxId: string, teamId: string | null, kind: ChannelKind, defaults: Record<ChannelKind, number>): Promise<Candidate[]> {
  const ws = scoped(trx, accountId);
  let q = ws
    .selectFrom('memberships')
    .innerJoin('users as u', 'u.id', 'memberships.user_id')
    .leftJoin('agent_routing as ar', (j) => j.onRef('ar.account_id', '=', 'memberships.account_id').onRef('ar.user_id', '=', 'memberships.user_id'))
    .select([
      'memberships.user_id',
      'u.name',
      'memberships.availability',
      'memberships.idle',
      'memberships.last_active_at',
      'ar.capacity',
      'ar.skills',
      'ar.last_assigned_at',
      sql<number>`(select count(*)::int from conversations c join inboxes i on i.id = c.inbox_id and i.account_id = c.account_id
        where c.account_id = memberships.account_id and c.assignee_id = memberships.user_id and c.status = 'open' and ${kindCondition(kind)})`.as('load'),
    ])
    .where('memberships.user_id', 'in', ws.selectFrom('inbox_members').select('inbox_members.user_id').where('inbox_members.inbox_id', '=', inboxId));
  if (teamId) q = q.where('memberships.user_id', 'in', ws.selectFrom('team_members').select('team_members.user_id').where('team_members.team_id', '=', teamId));
  const rows = await q.orderBy('u.name').orderBy('memberships.user_id').execute();
  const now = Date.now();
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    online: effectivePresence(r, now) === 'online',
    load: Number(r.load),
    capacity: capacityOf(r.capacity, defaults)[kind],
    skills: r.skills ?? [],
    lastAssignedAt: r.last_assigned_at,
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

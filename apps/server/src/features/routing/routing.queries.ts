/** Reads routing needs: the rules of a workspace, the people who could take a conversation, their load. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Capacity, ChannelKind, DB, RoutingMode } from '../../core/db/schema.js';
import { conversations } from '../conversations/conversations.queries.js';
import type { ConversationRow } from '../conversations/conversations.presenter.js';
import { PRESENCE_STALE_MS } from '../realtime/realtime.routes.js';
import { scoped } from '../../core/db/tenant.js';
import { CHANNEL_KINDS, channelKind, DEFAULT_CAPACITY, type Candidate, type Unavailable } from './chooser.js';

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

/** The workspace's routing rules and default capacity, in one statement. */
export async function loadRules(trx: Transaction<DB>, accountId: string): Promise<Rules> {
  // One row at least (the defaults, or none), with each rule beside it.
  const rows = await sql<{
    defaults: Capacity | null;
    id: string | null;
    inbox_id: string | null;
    team_id: string | null;
    mode: RoutingMode;
    hand_on_offline: boolean;
    route_to_team_id: string | null;
    cursor_user_id: string | null;
  }>`
    select d.capacity as defaults, r.id, r.inbox_id, r.team_id, r.mode, r.hand_on_offline, r.route_to_team_id, r.cursor_user_id
    from (select 1) as one
    left join routing_defaults d on d.account_id = ${accountId}
    left join routing_rules r on r.account_id = ${accountId}`.execute(trx);
  const rules: Rules = { byInbox: new Map(), byTeam: new Map(), defaults: { ...DEFAULT_CAPACITY, ...rows.rows[0]?.defaults } };
  for (const r of rows.rows) {
    if (!r.id) continue;
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

export interface CandidatesQuery {
  inboxId: string;
  teamId: string | null;
  kind: ChannelKind;
  defaults: Record<ChannelKind, number>;
  /** Round robin: who got the last one (each candidate says whether they come after them). */
  cursorUserId: string | null;
  /** People not to count (the agent a conversation is handed on from). */
  exclude: readonly string[];
}

/**
 * The people who could take a conversation of this inbox (and team) now: online and under their
 * capacity for this channel kind, with their load, capacity and skills, in a stable order (by
 * name), and how many others were left out as offline or full (for the reason when nobody is
 * left). One statement: presence, the open conversations of the kind counted per person in one pass, capacity (their own, else the workspace default) and skills are all worked out in SQL.
 */
export async function availableCandidates(trx: Transaction<DB>, accountId: string, q: CandidatesQuery): Promise<{ candidates: Candidate[]; unavailable: Unavailable }> {
  const inTeam = q.teamId ? sql`and im.user_id in (select tm.user_id from team_members tm where tm.account_id = ${accountId} and tm.team_id = ${q.teamId})` : sql``;
  // effectivePresence in SQL, against this process's clock as the JS version is.
  const activeSince = new Date(Date.now() - PRESENCE_STALE_MS);
  type Row = { user_id: string; name: string; load: number; capacity: number; skills: string[]; last_assigned_at: string | null; after_cursor: boolean };
  const result = await sql<{ offline: number; full: number; available: Row[] }>`
    with people as (
      select im.user_id, u.name,
        m.availability = 'online' and not m.idle and m.last_active_at >= ${activeSince} as online,
        coalesce(case when jsonb_typeof(ar.capacity -> ${q.kind}) = 'number' then (ar.capacity ->> ${q.kind})::float8 end, ${q.defaults[q.kind]}::float8) as capacity,
        coalesce(ar.skills, '{}') as skills, ar.last_assigned_at
      from inbox_members im
      join memberships m on m.account_id = im.account_id and m.user_id = im.user_id
      join users u on u.id = im.user_id
      -- Looked up per person by its key: a plain join let a planner without statistics scan the whole
      -- workspace's rows for each person (offset 0 keeps the lookup from being folded into a join).
      left join lateral (
        select r.capacity, r.skills, r.last_assigned_at from agent_routing r where r.account_id = ${accountId} and r.user_id = im.user_id offset 0
      ) ar on true
      where im.account_id = ${accountId} and im.inbox_id = ${q.inboxId} ${inTeam}
    ), loads as materialized (
      -- Open conversations of this kind per assignee, counted once into one lookup (materialized: a
      -- plan that holds whether or not the database has statistics of these tables).
      select coalesce(jsonb_object_agg(n.assignee_id, n.load), '{}') as by_person
      from (
        select c.assignee_id, count(*) as load from conversations c
        where c.account_id = ${accountId} and c.status = 'open' and c.assignee_id is not null
          and c.inbox_id = any(array(select i.id from inboxes i where i.account_id = ${accountId} and ${kindCondition(q.kind)}))
        group by c.assignee_id
      ) n
    ), pool as (
      select p.*, coalesce((l.by_person ->> p.user_id::text)::int, 0) as load,
        coalesce((p.name, p.user_id) > (select cp.name, cp.user_id from people cp where cp.user_id = ${q.cursorUserId}), false) as after_cursor
      from people p, loads l
      where p.user_id <> all(${[...q.exclude]}::uuid[])
    )
    -- One row: the counts, and those available as one JSON list (far cheaper to hand over than a row each).
    select count(*) filter (where not online)::int as offline,
      count(*) filter (where online and load >= capacity)::int as full,
      coalesce(json_agg(json_build_object('user_id', user_id, 'name', name, 'load', load, 'capacity', capacity, 'skills', skills, 'last_assigned_at', last_assigned_at, 'after_cursor', after_cursor)
        order by name, user_id) filter (where online and load < capacity), '[]') as available
    from pool`.execute(trx);
  const row = result.rows[0];
  return {
    unavailable: { offline: Number(row.offline), full: Number(row.full) },
    candidates: row.available.map((r) => ({
      userId: r.user_id,
      name: r.name,
      online: true,
      load: Number(r.load),
      capacity: Number(r.capacity),
      skills: r.skills,
      lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
      afterCursor: r.after_cursor,
    })),
  };
}

/** The open conversations a person holds now, per channel kind (what routing weighs against their capacity). */
export async function openLoadOf(db: Kysely<DB> | Transaction<DB>, accountId: string, userId: string): Promise<Record<ChannelKind, number>> {
  const rows = await scoped(db, accountId)
    .selectFrom('conversations')
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .select(['i.channel', sql<number>`count(*)::int`.as('open')])
    .where('conversations.assignee_id', '=', userId)
    .where('conversations.status', '=', 'open')
    .groupBy('i.channel')
    .execute();
  const load = Object.fromEntries(CHANNEL_KINDS.map((kind) => [kind, 0])) as Record<ChannelKind, number>;
  for (const r of rows) load[channelKind(r.channel)] += Number(r.open);
  return load;
}

/** A person's capacity per kind: their own where set, else the workspace default. */
export function capacityOf(own: Capacity | null | undefined, defaults: Record<ChannelKind, number>): Record<ChannelKind, number> {
  return { ...defaults, ...Object.fromEntries(Object.entries(own ?? {}).filter(([, v]) => typeof v === 'number')) };
}

/** A conversation as routing reads it: the row the conversation's presenter shows, and what the chooser weighs. */
export type RoutedConversation = ConversationRow & { contact_attributes: Record<string, unknown>; bot_state: string | null };

/**
 * The conversation with everything the chooser needs (its channel, tags, the customer's
 * attributes, whether the answer bot holds it) and the presenter's row, so the assignment that
 * follows writes its change and event without reading it again. One statement.
 */
export async function conversationForRouting(trx: Transaction<DB>, accountId: string, id: string): Promise<RoutedConversation | undefined> {
  return (await conversations(trx, { accountId, userId: '', role: 'owner' })
    .leftJoin('answer_bot_conversations as bot', (j) => j.onRef('bot.conversation_id', '=', 'conversations.id').onRef('bot.account_id', '=', 'conversations.account_id'))
    .select((eb) => [
      eb.selectFrom('contacts as ct').select('ct.attributes').whereRef('ct.id', '=', 'conversations.contact_id').whereRef('ct.account_id', '=', 'conversations.account_id').as('contact_attributes'),
      'bot.state as bot_state',
    ])
    .where('conversations.id', '=', id)
    .executeTakeFirst()) as RoutedConversation | undefined;
}

/**
 * Automatic assignment: routes one conversation (a new one, one reopened or handed back
 * unassigned, a callback task) or the whole waiting queue of a workspace (someone came online or
 * freed capacity). Every pick is logged with its reason and written as a line in the thread.
 *
 * One routing at a time per workspace (a transaction-scoped advisory lock): capacity is per
 * person across inboxes, so two nodes routing at once must not both count the same free seat.
 */
import { sql, type Transaction } from 'kysely';
import { scoped } from '../../../core/db/tenant.js';
import type { ChannelKind, DB } from '../../../core/db/schema.js';
import { channelKind, choose, conversationWants } from '../chooser.js';
import { availableCandidates, conversationForRouting, loadRules, unitOf, type Rules, type Unit } from '../routing.queries.js';
import { applyAssignment } from './assign.js';
import { botHoldsIn } from '../../answer-bot/answer-bot.store.js';

export type RouteResult = { assigneeId: string; name: string; reason: string } | { assigneeId: null; reason: string; blockedBy: string } | null;

export async function lockRouting(trx: Transaction<DB>, accountId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`rapport.routing:${accountId}`}))`.execute(trx);
}

export interface RouteOptions {
  rules?: Rules;
  exclude?: string[];
  /** The caller holds the routing lock already. */
  locked?: boolean;
}

/** Routes one open, unassigned conversation of a routed inbox or team; null when it is not one. */
export async function routeConversation(trx: Transaction<DB>, accountId: string, conversationId: string, options: RouteOptions = {}): Promise<RouteResult> {
  if (!options.locked) await lockRouting(trx, accountId);
  const conversation = await conversationForRouting(trx, accountId, conversationId);
  if (!conversation || conversation.status !== 'open' || conversation.assignee_id) return null;
  // The answer bot is handling it: routing waits until the bot hands it over.
  if (botHoldsIn(conversation.bot_state)) return null;
  const rules = options.rules ?? (await loadRules(trx, accountId));
  const unit = unitOf(rules, conversation);
  if (!unit || unit.rule.mode === 'manual') return null;

  const kind = channelKind(conversation.channel);
  const exclude = options.exclude ?? [];
  const { candidates, unavailable } = await availableCandidates(trx, accountId, { inboxId: conversation.inbox_id, teamId: unit.teamId, kind, defaults: rules.defaults, cursorUserId: unit.rule.cursorUserId, exclude });
  const attributes = (conversation.contact_attributes ?? {}) as { last_context?: { language?: unknown } };
  const language = typeof attributes.last_context?.language === 'string' ? attributes.last_context.language : null;
  const wants = conversationWants({ language, tags: conversation.tags, attributes });
  const choice = choose({ mode: unit.rule.mode, kind, candidates, wants, cursorUserId: unit.rule.cursorUserId, exclude, unavailable });
  const blockedBy = blockKey(unit, kind);
  if (!choice.pick) return { assigneeId: null, reason: choice.reason, blockedBy };

  const pick = choice.pick;
  const team = !conversation.team_id && unit.teamId ? { team_id: unit.teamId } : {};
  // Someone else took it meanwhile (a teammate by hand): it stays theirs.
  if (!(await applyAssignment(trx, accountId, conversationId, { assignee_id: pick.userId, ...team }, `Assigned to ${pick.name} by ${choice.reason}`, conversation))) return null;
  // The log, the person's last pick and the round-robin cursor, in one statement.
  await sql`
    with logged as (
      insert into conversation_assignments (account_id, conversation_id, assignee_id, rule, inbox_id, team_id, reason)
      values (${accountId}, ${conversationId}, ${pick.userId}, ${unit.rule.mode}, ${conversation.inbox_id}, ${unit.teamId}, ${choice.reason})
    ), picked as (
      insert into agent_routing (account_id, user_id, last_assigned_at) values (${accountId}, ${pick.userId}, now())
      on conflict (account_id, user_id) do update set last_assigned_at = excluded.last_assigned_at
    )
    update routing_rules set cursor_user_id = ${pick.userId}
    where account_id = ${accountId} and id = ${unit.rule.id} and mode = 'round_robin'`.execute(trx);
  if (unit.rule.mode === 'round_robin') unit.rule.cursorUserId = pick.userId;
  return { assigneeId: pick.userId, name: pick.name, reason: choice.reason };
}

/** Routings that share a rule, a team and a channel kind share who is free. */
const blockKey = (unit: Unit, kind: ChannelKind) => `${unit.rule.id}|${unit.teamId ?? ''}|${kind}`;

/**
 * Routes the waiting queue, longest waiting first. Once nobody is free for a rule, team and
 * channel kind, the rest waiting there are skipped (skills only order who is picked, so nobody
 * else would be free for them either). Answers how many were assigned.
 */
export async function routeWaiting(trx: Transaction<DB>, accountId: string, limit = 100): Promise<number> {
  await lockRouting(trx, accountId);
  const rules = await loadRules(trx, accountId);
  const inboxes = [...rules.byInbox.values()].filter((r) => r.mode !== 'manual' || r.routeToTeamId).map((r) => r.inboxId!);
  const teams = [...rules.byTeam.values()].filter((r) => r.mode !== 'manual').map((r) => r.teamId!);
  if (inboxes.length === 0 && teams.length === 0) return 0;
  const waiting = await scoped(trx, accountId)
    .selectFrom('conversations')
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .select(['conversations.id', 'conversations.inbox_id', 'conversations.team_id', 'i.channel'])
    .where('conversations.status', '=', 'open')
    .where('conversations.assignee_id', 'is', null)
    .where((eb) => eb.or([...(inboxes.length ? [eb('conversations.inbox_id', 'in', inboxes)] : []), ...(teams.length ? [eb('conversations.team_id', 'in', teams)] : [])]))
    .orderBy('conversations.created_at')
    .limit(limit)
    .execute();
  const blocked = new Set<string>();
  let assigned = 0;
  for (const conversation of waiting) {
    const unit = unitOf(rules, conversation);
    if (!unit || blocked.has(blockKey(unit, channelKind(conversation.channel)))) continue;
    const result = await routeConversation(trx, accountId, conversation.id, { rules, locked: true });
    if (result?.assigneeId) assigned++;
    else if (result && 'blockedBy' in result) blocked.add(result.blockedBy);
  }
  return assigned;
}

/**
 * Hand-on when an agent goes offline: where their inbox or team says so, their open chats go back
 * to routing (to someone else who is online, or to the waiting queue). Only chats: an email or a
 * message can wait for its agent, a visitor in the chat window cannot.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { effectivePresence } from '../../realtime/realtime.routes.js';
import { loadRules, unitOf, type Rules } from '../routing.queries.js';
import { applyAssignment } from './assign.js';
import { lockRouting, routeConversation } from './route-conversation.js';

/** Whether hand-on applies to a conversation: the rule that routes it (or its inbox's) says so. */
function handsOn(rules: Rules, conversation: { inbox_id: string; team_id: string | null }): boolean {
  return (unitOf(rules, conversation)?.rule ?? rules.byInbox.get(conversation.inbox_id))?.handOnOffline === true;
}

/** Hands on the open chats of a person who is offline now; answers how many. */
export async function handOnFrom(trx: Transaction<DB>, accountId: string, userId: string): Promise<number> {
  await lockRouting(trx, accountId);
  const ws = scoped(trx, accountId);
  const person = await ws.selectFrom('memberships').innerJoin('users as u', 'u.id', 'memberships.user_id').select(['u.name', 'memberships.availability', 'memberships.idle', 'memberships.last_active_at']).where('memberships.user_id', '=', userId).executeTakeFirst();
  if (!person || effectivePresence(person) !== 'offline') return 0;
  const rules = await loadRules(trx, accountId);
  if (![...rules.byInbox.values(), ...rules.byTeam.values()].some((r) => r.handOnOffline)) return 0;
  const chats = await ws
    .selectFrom('conversations')
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .select(['conversations.id', 'conversations.inbox_id', 'conversations.team_id'])
    .where('conversations.assignee_id', '=', userId)
    .where('conversations.status', '=', 'open')
    .where('i.channel', '=', 'webchat')
    .orderBy('conversations.created_at')
    .execute();
  let handed = 0;
  for (const chat of chats.filter((c) => handsOn(rules, c))) {
    const reason = `${person.name} went offline`;
    await applyAssignment(trx, accountId, chat.id, { assignee_id: null }, `Handed on: ${reason}`);
    await ws.insertInto('conversation_assignments', { conversation_id: chat.id, assignee_id: null, rule: 'handed_on', inbox_id: chat.inbox_id, team_id: chat.team_id, reason }).execute();
    await routeConversation(trx, accountId, chat.id, { rules, exclude: [userId], locked: true });
    handed++;
  }
  return handed;
}

/**
 * People of a workspace who are offline (by choice, or their app stopped checking in) yet still
 * hold open chats where hand-on applies. An app that just closed (a reload) is left to the
 * delayed check after its presence event, so a reload does not cost an agent their chats.
 */
export async function offlineHolders(trx: Transaction<DB>, accountId: string, staleMs: number): Promise<string[]> {
  const rows = await scoped(trx, accountId)
    .selectFrom('conversations')
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .innerJoin('memberships', (j) => j.onRef('memberships.user_id', '=', 'conversations.assignee_id').onRef('memberships.account_id', '=', 'conversations.account_id'))
    .select('conversations.assignee_id')
    .distinct()
    .where('conversations.status', '=', 'open')
    .where('i.channel', '=', 'webchat')
    .where((eb) => eb.or([eb('memberships.availability', '=', 'offline'), eb('memberships.last_active_at', '<', sql<Date>`now() - make_interval(secs => ${staleMs / 1000})`)]))
    .execute();
  return rows.map((r) => r.assignee_id!).filter(Boolean);
}

/** Writes an automatic assignment (or hand-on) through the conversation's own change command. */
import type { Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { applyConversationChanges, systemActor, type Actor } from '../../conversations/commands/update-conversation.js';

/** Routing's name as an actor: the outbox event says it, so the reactor knows its own changes. */
export const ROUTING_ACTOR_NAME = 'Routing';

export async function applyAssignment(trx: Transaction<DB>, accountId: string, conversationId: string, changes: { assignee_id: string | null; team_id?: string }, line: string): Promise<void> {
  const actor: Actor = { ...systemActor(accountId, ROUTING_ACTOR_NAME), assignmentNote: line };
  await applyConversationChanges(trx, actor, conversationId, changes);
}

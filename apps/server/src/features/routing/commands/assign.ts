/** Writes an automatic assignment (or hand-on) through the conversation's own change command. */
import type { Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import type { ConversationRow } from '../../conversations/conversations.presenter.js';
import { applyConversationChanges, systemActor, type Actor } from '../../conversations/commands/update-conversation.js';

/** Routing's name as an actor: the outbox event says it, so the reactor knows its own changes. */
export const ROUTING_ACTOR_NAME = 'Routing';

/**
 * Answers false when the conversation was changed by someone else since `known` was read (it is
 * then left as they left it).
 */
export async function applyAssignment(
  trx: Transaction<DB>,
  accountId: string,
  conversationId: string,
  changes: { assignee_id: string | null; team_id?: string },
  line: string,
  known?: ConversationRow,
): Promise<boolean> {
  const actor: Actor = { ...systemActor(accountId, ROUTING_ACTOR_NAME), assignmentNote: line };
  return (await applyConversationChanges(trx, actor, conversationId, changes, known)) !== null;
}

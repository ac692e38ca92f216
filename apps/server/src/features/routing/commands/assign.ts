/** Writes an automatic assignment (or hand-on) and its line in the thread. */
import type { Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { recordEvent } from '../../../core/outbox.js';
import { insertMessage } from '../../conversations/commands/post-message.js';
import { findConversation } from '../../conversations/conversations.queries.js';
import { presentConversation } from '../../conversations/conversations.presenter.js';

const SYSTEM = { userId: '00000000-0000-0000-0000-000000000000', role: 'owner' as const };

export async function applyAssignment(trx: Transaction<DB>, accountId: string, conversationId: string, changes: { assignee_id: string | null; team_id?: string }, text: string): Promise<void> {
  await scoped(trx, accountId).updateTable('conversations').set(changes).where('id', '=', conversationId).execute();
  await insertMessage(trx, accountId, { conversationId, content: text, author: { type: 'system' } });
  const updated = await findConversation(trx, { accountId, ...SYSTEM }, conversationId);
  if (updated) await recordEvent(trx, accountId, 'conversation.updated', { conversation: presentConversation(updated) }, { conversationId, inboxId: updated.inbox_id });
}

/**
 * Reopens snoozed conversations whose time has come, with a system event in the thread and the
 * outbox event agents' apps listen to. A job for every workspace at once; `skip locked` lets
 * several nodes run it side by side without waking a conversation twice.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped, unscoped } from '../../../core/db/tenant.js';
import { recordEvent } from '../../../core/outbox.js';
import { findConversation } from '../conversations.queries.js';
import { presentConversation } from '../conversations.presenter.js';
import { insertMessage } from './post-message.js';

export async function wakeSnoozed(db: Kysely<DB>, limit = 100): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await unscoped(trx)
      .selectFrom('conversations')
      .select(['id', 'account_id', 'inbox_id'])
      .where('status', '=', 'snoozed')
      .where('snoozed_until', '<=', new Date())
      .orderBy('snoozed_until')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const c of due) {
      await scoped(trx, c.account_id).updateTable('conversations').set({ status: 'open', snoozed_until: null }).where('id', '=', c.id).execute();
      await insertMessage(trx, c.account_id, { conversationId: c.id, content: 'The snooze ended; the conversation is open again', author: { type: 'system' } });
      const updated = await findConversation(trx, { accountId: c.account_id, userId: '00000000-0000-0000-0000-000000000000', role: 'owner' }, c.id);
      await recordEvent(trx, c.account_id, 'conversation.updated', { conversation: presentConversation(updated!) }, { conversationId: c.id, inboxId: c.inbox_id });
    }
    return due.length;
  });
}

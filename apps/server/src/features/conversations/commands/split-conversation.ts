/**
 * Splits a message (and, if asked, everything after it) out of a conversation into a new one with
 * the same customer and inbox: a second question asked in the same thread gets its own
 * conversation, status and assignee. Both threads say who split what. The new conversation keeps
 * the way back to the customer (their channel address and email participants), and the moved
 * emails' Message-IDs, so replies to them thread into the new one. Each thread's last activity,
 * waiting time and unread count are then counted again from the messages it holds. Splitting
 * again what was already split answers the conversation made the first time.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { recordEvent } from '../../../core/outbox.js';
import { headerText } from '../../channels/email/addresses.js';
import { findConversation, type Viewer } from '../conversations.queries.js';
import { presentConversation } from '../conversations.presenter.js';
import { insertMessage } from './post-message.js';
import { moveMessages } from './move-messages.js';
import { recountConversation } from './recount-conversation.js';

const badMessage = (message: string) => new AppError('invalid_reference', 'That message is not in this conversation.', [{ field: 'message_id', message }]);

export async function splitConversation(db: Kysely<DB>, viewer: Viewer & { name: string }, id: string, messageId: string, following: boolean): Promise<{ id: string; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const ws = scoped(trx, viewer.accountId);
    const current = await findConversation(trx, viewer, id);
    if (!current) throw notFound('Conversation');
    await ws.selectFrom('conversations').select('id').where('id', '=', id).forUpdate().execute();
    const message = await ws.selectFrom('messages').select(['id', 'conversation_id', 'seq', 'kind', 'content']).where('id', '=', messageId).executeTakeFirst();
    if (!message) throw badMessage('is not a message of this conversation');
    if (message.conversation_id !== id) {
      // A retry after the split went through: the message lives in the conversation split from this one.
      const earlier = await findConversation(trx, viewer, message.conversation_id);
      if (earlier?.split_from_id === id) return { id: earlier.id, created: false };
      throw badMessage('is not a message of this conversation');
    }
    if (current.merged_into_id) throw new AppError('invalid_state', 'This conversation was merged into another; split from that one.', [{ field: 'id', message: 'is merged into another conversation' }]);
    if (message.kind === 'system') throw new AppError('validation_failed', 'Pick a message to split out, not a history entry.', [{ field: 'message_id', message: 'is a history entry' }]);

    const which = following ? { fromSeq: message.seq } : { seq: message.seq };
    const left = await ws
      .selectFrom('messages')
      .select(sql<string>`count(*)`.as('n'))
      .where('conversation_id', '=', id)
      .where('kind', '!=', 'system')
      .where((eb) => (following ? eb('seq', '<', message.seq) : eb('seq', '!=', message.seq)))
      .executeTakeFirstOrThrow();
    if (Number(left.n) === 0) throw new AppError('invalid_state', 'Splitting this out would leave the conversation empty; pick a later message.', [{ field: 'message_id', message: 'is the first message, and everything after it was chosen' }]);

    const src = await ws.selectFrom('conversations').select(['participants', 'channel_address', 'last_incoming_at', 'team_id', 'agent_last_read_seq']).where('id', '=', id).executeTakeFirstOrThrow();
    // What an agent had read of the messages that move stays read: they keep their order, so it is the first few.
    const readMoving = await ws
      .selectFrom('messages')
      .select(sql<string>`count(*)`.as('n'))
      .where('conversation_id', '=', id)
      .where((eb) => (following ? eb('seq', '>=', message.seq) : eb('seq', '=', message.seq)))
      .where('seq', '<=', src.agent_last_read_seq)
      .executeTakeFirstOrThrow();
    const subject = headerText(message.content, 80) || current.subject;
    const made = await ws
      .insertInto('conversations', {
        inbox_id: current.inbox_id,
        contact_id: current.contact_id,
        subject,
        participants: src.participants,
        channel_address: src.channel_address,
        last_incoming_at: src.last_incoming_at,
        team_id: src.team_id,
        split_from_id: id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertMessage(trx, viewer.accountId, { conversationId: made.id, content: `${viewer.name} split this out of ${quoted(current.subject)}`, author: { type: 'system', id: viewer.userId } }, { id: made.id, inbox_id: current.inbox_id });
    const opening = await ws.selectFrom('conversations').select('last_seq').where('id', '=', made.id).executeTakeFirstOrThrow();
    const moved = await moveMessages(trx, viewer.accountId, id, made.id, which);
    await ws.updateTable('conversations').set({ agent_last_read_seq: opening.last_seq + Number(readMoving.n) }).where('id', '=', made.id).execute();
    await sql`insert into conversation_followers (account_id, conversation_id, user_id)
      select account_id, ${made.id}, user_id from conversation_followers where account_id = ${viewer.accountId} and conversation_id = ${id}
      on conflict do nothing`.execute(trx);
    await insertMessage(trx, viewer.accountId, { conversationId: id, content: `${viewer.name} split ${moved === 1 ? 'a message' : `${moved} messages`} out into a new conversation, ${quoted(subject)}`, author: { type: 'system', id: viewer.userId } });

    // Both threads' times, waiting and unread counts follow the messages each holds now.
    await recountConversation(trx, viewer.accountId, id);
    await recountConversation(trx, viewer.accountId, made.id);

    const original = presentConversation((await findConversation(trx, viewer, id))!);
    await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: original, split_into_id: made.id }, { conversationId: id, inboxId: current.inbox_id });
    const created = presentConversation((await findConversation(trx, viewer, made.id))!);
    await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: created }, { conversationId: made.id, inboxId: current.inbox_id });
    return { id: made.id, created: true };
  });
}

const quoted = (subject: string) => `“${subject.trim() || 'no subject'}”`;

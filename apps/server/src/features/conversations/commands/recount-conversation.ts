/**
 * Sets what a conversation's row keeps about its messages from the messages it holds now, after
 * some moved out or in (a split): when it last had news (the list's order and time), how many of
 * the customer's messages wait unread, and since when the customer waits. The rules are those of
 * writing a message (post-message.ts): the customer's messages and agents' public replies are
 * news; a public reply answers everything before it; what an agent read up to is read.
 *
 * Left as they are: the first response (when the customer was first answered in this thread: a
 * fact of its history that SLAs and reports measure, not a sum of the messages) and when the
 * customer last wrote (the channel's reply window, such as WhatsApp's 24 hours, which belongs to
 * the customer's address, not to one thread).
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';

export async function recountConversation(trx: Transaction<DB>, accountId: string, conversationId: string): Promise<void> {
  await sql`
    with m as (
      select seq, direction, created_at,
        direction = 'outgoing' and sender_user_id is not null and not private and kind <> 'system' as reply
      from messages
      where account_id = ${accountId} and conversation_id = ${conversationId}
    ), r as (
      select coalesce(max(seq) filter (where reply), 0) as last_reply_seq,
        max(created_at) filter (where reply or direction = 'incoming') as last_news_at
      from m
    )
    update conversations cv set
      last_message_at = coalesce(r.last_news_at, cv.created_at),
      unread_count = (select count(*) from m where m.direction = 'incoming' and m.seq > greatest(r.last_reply_seq, cv.agent_last_read_seq)),
      waiting_since = (select min(m.created_at) from m where m.direction = 'incoming' and m.seq > r.last_reply_seq)
    from r
    where cv.id = ${conversationId} and cv.account_id = ${accountId}`.execute(trx);
}

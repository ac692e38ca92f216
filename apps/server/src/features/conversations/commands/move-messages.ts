/**
 * Moves messages from one conversation to the end of another, in their order: they take the
 * numbers after the target's last one. Clients resync a thread by "everything after sequence N",
 * so the target's existing numbers never change and what arrives is simply new to them; the
 * messages keep their own times. Their files and provider ids (an email's Message-ID) go with
 * them, so a reply to one of those emails threads into the conversation that holds it now.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';

/** Moves the messages `which` selects (all, or those numbered from `fromSeq`, or one) from `sourceId` to `targetId`; answers how many moved. */
export async function moveMessages(
  trx: Transaction<DB>,
  accountId: string,
  sourceId: string,
  targetId: string,
  which: { all: true } | { fromSeq: number } | { seq: number },
): Promise<number> {
  const ws = scoped(trx, accountId);
  const target = await ws.selectFrom('conversations').select(['last_seq', 'inbox_id']).where('id', '=', targetId).forUpdate().executeTakeFirstOrThrow();
  const filter = 'all' in which ? sql`true` : 'fromSeq' in which ? sql`seq >= ${which.fromSeq}` : sql`seq = ${which.seq}`;
  const moved = await sql<{ id: string }>`
    update messages m set
      conversation_id = ${targetId},
      seq = ${target.last_seq} + o.n,
      -- A client id the target already has (two retries of one message landed apart) is dropped from the mover.
      client_message_id = case when exists (
        select 1 from messages t where t.account_id = ${accountId} and t.conversation_id = ${targetId} and t.client_message_id = m.client_message_id
      ) then null else m.client_message_id end
    from (
      select id, row_number() over (order by seq) as n from messages
      where account_id = ${accountId} and conversation_id = ${sourceId} and ${filter}
    ) o
    where m.id = o.id and m.account_id = ${accountId}
    returning m.id`.execute(trx);
  const ids = moved.rows.map((r) => r.id);
  if (ids.length === 0) return 0;
  await ws.updateTable('conversations').set({ last_seq: target.last_seq + ids.length }).where('id', '=', targetId).execute();
  await ws.updateTable('attachments').set({ conversation_id: targetId, inbox_id: target.inbox_id }).where('message_id', 'in', ids).execute();
  await ws.updateTable('external_messages').set({ conversation_id: targetId }).where('message_id', 'in', ids).execute();
  await ws.updateTable('api_idempotency_keys').set({ conversation_id: targetId }).where('message_id', 'in', ids).execute();
  return ids.length;
}

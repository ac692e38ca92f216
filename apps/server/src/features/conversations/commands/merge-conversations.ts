/**
 * Merges conversations into one: each source's messages move to the end of the target in their
 * order (see move-messages.ts for why they are appended, not interleaved), with its files, tags,
 * followers, email participants and provider ids, so a later email reply or message of the
 * customer still lands in the target. The source stays, closed and marked merged into the target
 * (the app opens the target instead), and both threads say who merged what. The source keeps its
 * channel address: the customer's next text or WhatsApp message to it follows the merge to the
 * target while that one is open in the same inbox at the same address (messaging/inbound.ts); a
 * target in another inbox cannot answer on that channel, so the message starts a new conversation
 * there.
 *
 * Both must be conversations the agent may open, in one workspace. Conversations with different
 * customers merge only when the agent confirms it (the app warns first): a customer who wrote
 * from a second address is the usual case, but the target's customer is the one replies go to,
 * so the other person is not copied into them. Merging again what is already merged changes
 * nothing (a retried request answers the same).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ConversationStatus, DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { recordEvent } from '../../../core/outbox.js';
import { findConversation, type Viewer } from '../conversations.queries.js';
import { presentConversation, type ConversationRow } from '../conversations.presenter.js';
import { insertMessage } from './post-message.js';
import { moveMessages } from './move-messages.js';

export const MERGE_MAX = 10;

const quoted = (subject: string) => `“${subject.trim() || 'no subject'}”`;

export async function mergeConversations(
  db: Kysely<DB>,
  viewer: Viewer & { name: string },
  targetId: string,
  sourceIds: string[],
  options: { confirmDifferentContacts: boolean },
): Promise<{ merged: string[] }> {
  const ids = [...new Set(sourceIds)];
  if (ids.includes(targetId)) throw new AppError('validation_failed', 'A conversation cannot be merged into itself.', [{ field: 'source_ids', id: targetId, message: 'is the conversation to merge into' }]);
  return db.transaction().execute(async (trx) => {
    const ws = scoped(trx, viewer.accountId);
    const target = await findConversation(trx, viewer, targetId);
    if (!target) throw notFound('Conversation');
    const sources: ConversationRow[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const found = await findConversation(trx, viewer, id);
      if (found) sources.push(found);
      else missing.push(id);
    }
    // Another workspace's, or an inbox this agent does not work in: named per id, nothing merged (SECURITY 4).
    if (missing.length) throw new AppError('invalid_reference', 'Some conversations to merge do not exist, or you cannot open them.', missing.map((id) => ({ field: 'source_ids', id, message: 'is not a conversation you can open' })));
    // Lock them all in one order, so two merges at once cannot wait on each other forever.
    await ws.selectFrom('conversations').select('id').where('id', 'in', [targetId, ...ids]).orderBy('id').forUpdate().execute();
    const rows = await ws.selectFrom('conversations').select(['id', 'merged_into_id', 'participants', 'channel_address', 'status', 'unread_count', 'waiting_since', 'last_incoming_at', 'last_message_at']).where('id', 'in', [targetId, ...ids]).execute();
    const row = new Map(rows.map((r) => [r.id, r]));
    if (row.get(targetId)!.merged_into_id) throw new AppError('invalid_state', 'This conversation was itself merged into another; merge into that one instead.', [{ field: 'id', message: 'is merged into another conversation' }]);

    const todo = sources.filter((s) => row.get(s.id)!.merged_into_id !== targetId);
    const elsewhere = todo.filter((s) => row.get(s.id)!.merged_into_id);
    if (elsewhere.length) throw new AppError('invalid_state', 'A conversation to merge was already merged into another one.', elsewhere.map((s) => ({ field: 'source_ids', id: s.id, message: 'is already merged into another conversation' })));
    if (todo.length === 0) return { merged: [] };
    const strangers = todo.filter((s) => s.contact_id !== target.contact_id);
    if (strangers.length && !options.confirmDifferentContacts)
      throw new AppError(
        'conversation_contacts_differ',
        `${strangers.length === 1 ? 'That conversation is' : 'Some of these conversations are'} with another customer than ${target.contact_name || 'this one'}. Merge anyway (replies go to ${target.contact_name || 'this customer'} only), or merge the contacts first.`,
        strangers.map((s) => ({ field: 'source_ids', id: s.id, message: `is with ${s.contact_name || 'another customer'}`, contact: { id: s.contact_id, name: s.contact_name } })),
      );

    const t = row.get(targetId)!;
    let tags = [...target.tags];
    let participants = [...t.participants];
    let channelAddress = t.channel_address;
    let unread = t.unread_count;
    let waitingSince = t.waiting_since;
    let lastIncoming = t.last_incoming_at;
    let lastMessage = t.last_message_at;
    let status: ConversationStatus = t.status;
    const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
    const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

    for (const source of [...todo].sort((a, b) => a.created_at.getTime() - b.created_at.getTime())) {
      const s = row.get(source.id)!;
      const count = (await ws.selectFrom('messages').select(sql<string>`count(*)`.as('n')).where('conversation_id', '=', source.id).executeTakeFirstOrThrow()).n;
      await insertMessage(trx, viewer.accountId, {
        conversationId: targetId,
        content: `${viewer.name} merged ${quoted(source.subject)} (${source.contact_name || 'a customer'}, ${source.inbox_name}) into this conversation: its ${Number(count) === 1 ? 'message follows' : `${count} messages follow`}`,
        author: { type: 'system', id: viewer.userId },
      });
      await moveMessages(trx, viewer.accountId, source.id, targetId, { all: true });
      // Files still waiting to be sent in the source go with it.
      await ws.updateTable('attachments').set({ conversation_id: targetId, inbox_id: target.inbox_id }).where('conversation_id', '=', source.id).execute();
      await ws.updateTable('external_messages').set({ conversation_id: targetId }).where('conversation_id', '=', source.id).execute();
      await sql`insert into conversation_followers (account_id, conversation_id, user_id)
        select account_id, ${targetId}, user_id from conversation_followers where account_id = ${viewer.accountId} and conversation_id = ${source.id}
        on conflict do nothing`.execute(trx);
      tags = [...new Set([...tags, ...source.tags])];
      // The same customer's addresses and those they copied in may write into the target; another customer's may not.
      if (source.contact_id === target.contact_id) {
        participants = [...new Set([...participants, ...s.participants])];
        if (!channelAddress && source.inbox_id === target.inbox_id) channelAddress = s.channel_address;
      }
      unread += s.unread_count;
      waitingSince = earliest(waitingSince, s.waiting_since);
      lastIncoming = latest(lastIncoming, s.last_incoming_at);
      lastMessage = latest(lastMessage, s.last_message_at)!;
      if (status === 'resolved' && s.status !== 'resolved') status = 'open';

      await ws
        .updateTable('conversations')
        .set({ merged_into_id: targetId, status: 'resolved', resolved_at: sql`now()`, snoozed_until: null, unread_count: 0, waiting_since: null, participants: [] })
        .where('id', '=', source.id)
        .execute();
      await insertMessage(trx, viewer.accountId, { conversationId: source.id, content: `${viewer.name} merged this conversation into ${quoted(target.subject)}`, author: { type: 'system', id: viewer.userId } });
    }

    await ws
      .updateTable('conversations')
      .set({
        tags: tags.slice(0, 20),
        participants: participants.slice(0, 50),
        channel_address: channelAddress,
        unread_count: unread,
        waiting_since: waitingSince,
        last_incoming_at: lastIncoming,
        last_message_at: lastMessage,
        status,
        ...(status !== t.status ? { resolved_at: null, snoozed_until: null } : {}),
      })
      .where('id', '=', targetId)
      .execute();

    const merged = todo.map((s) => s.id);
    for (const source of todo) {
      const updated = await findConversation(trx, viewer, source.id);
      await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: presentConversation(updated!) }, { conversationId: source.id, inboxId: source.inbox_id });
    }
    const updated = presentConversation((await findConversation(trx, viewer, targetId))!);
    await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: updated, merged_ids: merged }, { conversationId: targetId, inboxId: target.inbox_id });
    return { merged };
  });
}

/**
 * Adds a message to a conversation: the next sequence number, the conversation's state (waiting
 * for a reply, first response, reopened), and the outbox event, all in one transaction. A retry
 * with the same client message id answers the message already stored instead of a second one.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { recordEvent } from '../../../core/outbox.js';
import { findMessage } from '../conversations.queries.js';
import { presentMessage, type MessageRow } from '../conversations.presenter.js';
import { claimUploads, lockUploads } from '../../attachments/attachments.js';

export type Author = { type: 'user'; id: string } | { type: 'contact'; id: string } | { type: 'system'; id?: string };

export interface NewMessageInput {
  conversationId: string;
  content: string;
  author: Author;
  private?: boolean;
  clientMessageId?: string;
  contentAttributes?: Record<string, unknown>;
  /** Uploads of the author (see attachments) this message carries. */
  attachmentIds?: string[];
  /** More writes in the message's transaction (e.g. notifications), given the stored message. */
  afterInsert?: (trx: Transaction<DB>, message: MessageRow) => Promise<void>;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

async function existing(db: Kysely<DB> | Transaction<DB>, accountId: string, conversationId: string, clientMessageId: string | undefined) {
  if (!clientMessageId) return undefined;
  return scoped(db, accountId).selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('client_message_id', '=', clientMessageId).executeTakeFirst();
}

/** Writes the message inside `trx` (the caller's transaction); returns it as stored. */
export async function insertMessage(trx: Transaction<DB>, accountId: string, input: NewMessageInput): Promise<MessageRow> {
  const ws = scoped(trx, accountId);
  const incoming = input.author.type === 'contact';
  const note = input.private === true && input.author.type === 'user';
  const system = input.author.type === 'system';
  const publicReply = input.author.type === 'user' && !note;
  const now = sql<Date>`date_trunc('milliseconds', clock_timestamp())`;

  // Taking the next number locks the conversation row: messages of one conversation queue here.
  const conversation = await ws
    .updateTable('conversations')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      ...(incoming || publicReply ? { last_message_at: now } : {}),
      ...(incoming
        ? {
            unread_count: eb('unread_count', '+', 1),
            waiting_since: sql<Date>`coalesce(waiting_since, ${now})`,
            // A customer writing again reopens a resolved or snoozed conversation.
            status: sql<'open'>`case when status in ('resolved', 'snoozed') then 'open' else status end`,
            resolved_at: sql<Date | null>`case when status = 'resolved' then null else resolved_at end`,
            snoozed_until: sql<Date | null>`case when status = 'snoozed' then null else snoozed_until end`,
          }
        : {}),
      ...(publicReply ? { first_response_at: sql<Date>`coalesce(first_response_at, ${now})`, waiting_since: null, unread_count: 0 } : {}),
    }))
    .where('id', '=', input.conversationId)
    .returning((eb) => [
      'last_seq',
      'inbox_id',
      'contact_id',
      // Who wrote it, as the message is shown, read in the same statement (no query after the insert).
      (input.author.type === 'user' || (input.author.type === 'system' && input.author.id)
        ? eb.selectFrom('users').select('users.name').where('users.id', '=', input.author.id!)
        : eb.selectFrom('contacts').select('contacts.name').where('contacts.id', '=', input.author.type === 'contact' ? input.author.id : '00000000-0000-0000-0000-000000000000').whereRef('contacts.account_id', '=', 'conversations.account_id')
      ).as('author_name'),
      (input.author.type === 'user' || (input.author.type === 'system' && input.author.id) ? eb.selectFrom('users').select('users.avatar_url').where('users.id', '=', input.author.id!) : eb.val(null)).as('author_avatar'),
    ])
    .executeTakeFirst();
  if (!conversation) throw notFound('Conversation');
  const attachments = input.author.type === 'system' ? [] : await lockUploads(trx, accountId, input.attachmentIds ?? [], input.author, { id: input.conversationId, inbox_id: conversation.inbox_id });

  const message = await ws
    .insertInto('messages', {
      conversation_id: input.conversationId,
      seq: conversation.last_seq,
      kind: system ? 'system' : 'text',
      direction: incoming ? 'incoming' : 'outgoing',
      private: note,
      content: input.content,
      sender_user_id: input.author.type === 'user' ? input.author.id : input.author.type === 'system' ? (input.author.id ?? null) : null,
      sender_contact_id: incoming ? input.author.id : null,
      client_message_id: input.clientMessageId ?? null,
      content_attributes: JSON.stringify({ ...input.contentAttributes, ...(attachments.length ? { attachments } : {}) }),
    })
    .returning(['id', 'conversation_id', 'seq', 'kind', 'direction', 'private', 'content', 'status', 'client_message_id', 'content_attributes', 'created_at', 'sender_user_id', 'sender_contact_id'])
    .executeTakeFirstOrThrow();
  await claimUploads(trx, accountId, attachments.map((a) => a.id), input.conversationId, message.id);
  const { sender_user_id, sender_contact_id, ...stored } = message;
  const row: MessageRow = {
    ...stored,
    user_id: sender_user_id,
    user_name: sender_user_id ? ((conversation.author_name as string | null) ?? '') : null,
    user_avatar: sender_user_id ? ((conversation.author_avatar as string | null) ?? null) : null,
    contact_id: sender_contact_id,
    contact_name: sender_contact_id ? ((conversation.author_name as string | null) ?? '') : null,
  };
  // contact_id lets the visitors' gateway find that customer's sockets without a query.
  await recordEvent(trx, accountId, 'message.created', { message: presentMessage(row), contact_id: conversation.contact_id }, { conversationId: input.conversationId, inboxId: conversation.inbox_id });
  await input.afterInsert?.(trx, row);
  return row;
}

export async function postMessage(db: Kysely<DB>, accountId: string, input: NewMessageInput): Promise<{ message: MessageRow; created: boolean }> {
  try {
    const message = await db.transaction().execute((trx) => insertMessage(trx, accountId, input));
    return { message, created: true };
  } catch (err) {
    // A retry of a message already stored (or two deliveries of it at once): the unique index on
    // the client id refused the second, or its files were already claimed by the first; its
    // transaction rolled back. Answer the first.
    const claimed = err instanceof AppError && err.code === 'invalid_reference';
    if (!isUniqueViolation(err) && !claimed) throw err;
    const winner = await existing(db, accountId, input.conversationId, input.clientMessageId);
    if (!winner) throw err;
    return { message: await findMessage(db, accountId, winner.id), created: false };
  }
}

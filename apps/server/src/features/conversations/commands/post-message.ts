/**
 * Adds a message to a conversation: the next sequence number, the conversation's state (waiting
 * for a reply, first response, reopened), and the outbox event, all in one transaction. A retry
 * with the same client message id answers the message already stored instead of a second one.
 */
import { randomUUID } from 'node:crypto';
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

/**
 * The common case in one statement (no transaction round trips): the conversation's next number
 * and state, the message and its outbox event, as data-modifying CTEs. The event is built here
 * from what the message will be, and completed in SQL with what only the database knows (its
 * sequence number, the author's current name, the conversation's customer). Written in SQL
 * because the query builder has no insert…select of a patched document; every table is filtered on
 * account_id by hand, as scoped() would, and every value is a parameter.
 */
async function writeAlone(db: Kysely<DB>, accountId: string, input: NewMessageInput): Promise<MessageRow> {
  const incoming = input.author.type === 'contact';
  const note = input.private === true && input.author.type === 'user';
  const system = input.author.type === 'system';
  const publicReply = input.author.type === 'user' && !note;
  const userId = input.author.type === 'user' ? input.author.id : input.author.type === 'system' ? (input.author.id ?? null) : null;
  const contactId = input.author.type === 'contact' ? input.author.id : null;
  const createdAt = new Date();
  const draft: MessageRow = {
    id: randomUUID(),
    conversation_id: input.conversationId,
    seq: 0,
    kind: system ? 'system' : 'text',
    direction: incoming ? 'incoming' : 'outgoing',
    private: note,
    content: input.content,
    status: 'sent',
    client_message_id: input.clientMessageId ?? null,
    content_attributes: input.contentAttributes ?? {},
    created_at: createdAt,
    user_id: userId,
    user_name: '',
    user_avatar: null,
    contact_id: contactId,
    contact_name: '',
  };
  const sets = [sql`last_seq = last_seq + 1`];
  if (incoming || publicReply) sets.push(sql`last_message_at = ${createdAt}`);
  if (incoming) {
    sets.push(
      sql`unread_count = unread_count + 1`,
      sql`waiting_since = coalesce(waiting_since, ${createdAt})`,
      // A customer writing again reopens a resolved or snoozed conversation.
      sql`status = case when status in ('resolved', 'snoozed') then 'open' else status end`,
      sql`resolved_at = case when status = 'resolved' then null else resolved_at end`,
      sql`snoozed_until = case when status = 'snoozed' then null else snoozed_until end`,
    );
  }
  if (publicReply) sets.push(sql`first_response_at = coalesce(first_response_at, ${createdAt})`, sql`waiting_since = null`, sql`unread_count = 0`);
  // The event's message, completed with the number, the author as now named, and the customer.
  let payload = sql`jsonb_set(${JSON.stringify({ message: presentMessage(draft), contact_id: null })}::jsonb, '{message,seq}', to_jsonb(c.last_seq))`;
  payload = sql`jsonb_set(${payload}, '{contact_id}', to_jsonb(c.contact_id))`;
  if (userId) payload = sql`jsonb_set(jsonb_set(${payload}, '{message,author,name}', to_jsonb(coalesce(a.user_name, ''))), '{message,author,avatar_url}', coalesce(to_jsonb(a.user_avatar), 'null'::jsonb))`;
  else if (contactId) payload = sql`jsonb_set(${payload}, '{message,author,name}', to_jsonb(coalesce(a.contact_name, '')))`;

  const result = await sql<{ last_seq: number; user_name: string | null; user_avatar: string | null; contact_name: string | null }>`
    with c as (
      update conversations set ${sql.join(sets)}
      where id = ${input.conversationId} and account_id = ${accountId}
      returning last_seq, inbox_id, contact_id
    ), a as (
      select (select name from users where id = ${userId}) as user_name,
             (select avatar_url from users where id = ${userId}) as user_avatar,
             (select name from contacts where id = ${contactId} and account_id = ${accountId}) as contact_name
    ), m as (
      insert into messages (id, account_id, conversation_id, seq, kind, direction, private, content, sender_user_id, sender_contact_id, client_message_id, content_attributes, created_at)
      select ${draft.id}, ${accountId}, ${input.conversationId}, c.last_seq, ${draft.kind}, ${draft.direction}, ${note}, ${input.content}, ${userId}, ${contactId}, ${draft.client_message_id}, ${JSON.stringify(draft.content_attributes)}::jsonb, ${createdAt}
      from c
      returning id
    ), o as (
      insert into outbox_events (account_id, event, conversation_id, inbox_id, payload)
      select ${accountId}, 'message.created', ${input.conversationId}, c.inbox_id, ${payload}
      from c, a, m
    )
    select c.last_seq, a.user_name, a.user_avatar, a.contact_name from c, a, m`.execute(db);
  const row = result.rows[0];
  if (!row) throw notFound('Conversation');
  return {
    ...draft,
    seq: row.last_seq,
    user_name: userId ? (row.user_name ?? '') : null,
    user_avatar: userId ? row.user_avatar : null,
    contact_name: contactId ? (row.contact_name ?? '') : null,
  };
}

export async function postMessage(db: Kysely<DB>, accountId: string, input: NewMessageInput): Promise<{ message: MessageRow; created: boolean }> {
  try {
    // Files to claim or more writes to make need a transaction; a plain message needs one statement.
    const alone = !input.attachmentIds?.length && !input.afterInsert;
    const message = alone ? await writeAlone(db, accountId, input) : await db.transaction().execute((trx) => insertMessage(trx, accountId, input));
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

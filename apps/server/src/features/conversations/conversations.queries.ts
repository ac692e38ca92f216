/** Reads of conversations and messages, always scoped to the workspace and to what the caller may see. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { atLeast } from '../../core/auth/roles.js';
import type { Auth } from '../../core/http/auth.js';
import type { ConversationRow, MessageRow } from './conversations.presenter.js';

type Db = Kysely<DB> | Transaction<DB>;
export type Viewer = Pick<Auth, 'userId' | 'role'> & { accountId: string };

/** Conversations with everything the presenter needs; agents see only the inboxes they work in. */
export function conversations(db: Db, viewer: Viewer) {
  const ws = scoped(db, viewer.accountId);
  let q = ws
    .selectFrom('conversations')
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'conversations.contact_id').onRef('c.account_id', '=', 'conversations.account_id'))
    .leftJoin('users as u', 'u.id', 'conversations.assignee_id')
    .leftJoin('teams as t', (j) => j.onRef('t.id', '=', 'conversations.team_id').onRef('t.account_id', '=', 'conversations.account_id'))
    .leftJoin('conversation_slas as sla', (j) => j.onRef('sla.conversation_id', '=', 'conversations.id').onRef('sla.account_id', '=', 'conversations.account_id'))
    .select((eb) => [
      'conversations.id',
      'conversations.subject',
      'conversations.status',
      'conversations.priority',
      'conversations.unread_count',
      'conversations.tags',
      'conversations.last_message_at',
      'conversations.last_seq',
      'conversations.snoozed_until',
      'conversations.waiting_since',
      'conversations.first_response_at',
      'conversations.resolved_at',
      'conversations.last_incoming_at',
      'conversations.created_at',
      'conversations.merged_into_id',
      'conversations.split_from_id',
      'i.id as inbox_id',
      'i.name as inbox_name',
      'i.channel',
      'c.id as contact_id',
      'c.name as contact_name',
      'c.email as contact_email',
      'u.id as assignee_id',
      'u.name as assignee_name',
      't.id as team_id',
      't.name as team_name',
      'sla.next_target as sla_target',
      'sla.next_due_at as sla_due_at',
      'sla.next_warn_at as sla_warn_at',
      'sla.next_breached_at as sla_breached_at',
      'sla.paused_since as sla_paused_since',
      'conversations.mood',
      'conversations.sentiment',
      'conversations.mood_trend',
      'conversations.language',
      eb
        .selectFrom('messages as m')
        .select('m.content')
        .whereRef('m.conversation_id', '=', 'conversations.id')
        .whereRef('m.account_id', '=', 'conversations.account_id')
        .where('m.private', '=', false)
        .where('m.kind', 'in', ['text', 'call'])
        .orderBy('m.seq', 'desc')
        .limit(1)
        .as('preview'),
    ]);
  if (!atLeast(viewer.role ?? undefined, 'admin')) {
    q = q.where('conversations.inbox_id', 'in', ws.selectFrom('inbox_members').select('inbox_members.inbox_id').where('inbox_members.user_id', '=', viewer.userId));
  }
  return q;
}

export async function findConversation(db: Db, viewer: Viewer, id: string): Promise<ConversationRow | undefined> {
  return (await conversations(db, viewer).where('conversations.id', '=', id).executeTakeFirst()) as ConversationRow | undefined;
}

export function messages(db: Db, accountId: string) {
  return scoped(db, accountId)
    .selectFrom('messages')
    .leftJoin('users as u', 'u.id', 'messages.sender_user_id')
    .leftJoin('contacts as c', (j) => j.onRef('c.id', '=', 'messages.sender_contact_id').onRef('c.account_id', '=', 'messages.account_id'))
    .select([
      'messages.id',
      'messages.conversation_id',
      'messages.seq',
      'messages.kind',
      'messages.direction',
      'messages.private',
      'messages.content',
      'messages.status',
      'messages.client_message_id',
      'messages.content_attributes',
      'messages.created_at',
      'messages.mood',
      'messages.sentiment',
      'messages.language',
      'u.id as user_id',
      'u.name as user_name',
      'u.avatar_url as user_avatar',
      'c.id as contact_id',
      'c.name as contact_name',
    ]);
}

export async function findMessage(db: Db, accountId: string, id: string): Promise<MessageRow> {
  return (await messages(db, accountId).where('messages.id', '=', id).executeTakeFirstOrThrow()) as MessageRow;
}

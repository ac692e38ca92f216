/** Reads of conversations and messages, always scoped to the workspace and to what the caller may see. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { atLeast } from '../../core/auth/roles.js';
import type { Auth } from '../../core/http/auth.js';
import type { ConversationRow, MessageRow } from './conversations.presenter.js';

type Db = Kysely<DB> | Transaction<DB>;
export type Viewer = Pick<Auth, 'userId' | 'role'> & { accountId: string };

/**
 * Conversations with everything the presenter needs; agents see only the inboxes they work in.
 * The inbox, contact, assignee, team, SLA and preview are looked up per row by key (scalar
 * subqueries), not joined: a page of 50 costs 50 small index probes each, and the planner has one
 * table to plan instead of seven, which was most of a list request's database time.
 */
export function conversations(db: Db, viewer: Viewer) {
  const ws = scoped(db, viewer.accountId);
  let q = ws.selectFrom('conversations').select((eb) => {
    const inbox = () => eb.selectFrom('inboxes as i').whereRef('i.id', '=', 'conversations.inbox_id').whereRef('i.account_id', '=', 'conversations.account_id');
    const contact = () => eb.selectFrom('contacts as c').whereRef('c.id', '=', 'conversations.contact_id').whereRef('c.account_id', '=', 'conversations.account_id');
    const sla = () => eb.selectFrom('conversation_slas as sla').whereRef('sla.conversation_id', '=', 'conversations.id').whereRef('sla.account_id', '=', 'conversations.account_id');
    return [
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
      'conversations.inbox_id',
      inbox().select('i.name').as('inbox_name'),
      inbox().select('i.channel').as('channel'),
      'conversations.contact_id',
      contact().select('c.name').as('contact_name'),
      contact().select('c.email').as('contact_email'),
      'conversations.assignee_id',
      eb.selectFrom('users as u').select('u.name').whereRef('u.id', '=', 'conversations.assignee_id').as('assignee_name'),
      'conversations.team_id',
      eb.selectFrom('teams as t').select('t.name').whereRef('t.id', '=', 'conversations.team_id').whereRef('t.account_id', '=', 'conversations.account_id').as('team_name'),
      sla().select('sla.next_target').as('sla_target'),
      sla().select('sla.next_due_at').as('sla_due_at'),
      sla().select('sla.next_warn_at').as('sla_warn_at'),
      sla().select('sla.next_breached_at').as('sla_breached_at'),
      sla().select('sla.paused_since').as('sla_paused_since'),
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
    ];
  });
  if (!atLeast(viewer.role ?? undefined, 'admin')) {
    // The agent's inboxes as one array, read once: a cheap test on each row, before costlier ones.
    const inboxes = ws.selectFrom('inbox_members').select('inbox_members.inbox_id').where('inbox_members.user_id', '=', viewer.userId);
    q = q.where(sql<boolean>`conversations.inbox_id = any(array(${inboxes}))`);
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

/**
 * Notifications to teammates: a row per person (in the app, and queued for email as each person
 * chose), written in the caller's transaction with a realtime event that only its recipient gets.
 * Nobody hears of a conversation they may not open (SECURITY 6): recipients are checked against
 * the conversation's inbox as they are chosen, and again when the list is read.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, NotificationKind } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { recordEvent } from '../../core/outbox.js';
import { preferencesOf } from './preferences.js';
import { NOTIFICATION_COLUMNS, presentNotification, type NotificationRow } from './notifications.presenter.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface NotificationInput {
  kind: NotificationKind;
  /** The conversation it is about, if any: only people who may open it are notified. */
  conversationId?: string | null;
  /** The conversation's inbox, when the caller has it at hand (saves reading it). */
  inboxId?: string;
  title: string;
  body?: string;
}

/**
 * Whether this process sends notification emails (NOTIFICATIONS_SMTP_URL set), and how long an
 * email gathers what happens before it goes. Set once at start from the configuration; without a
 * mailer nothing is queued, so configuring one later does not send a backlog.
 */
export const notificationEmail = { enabled: false, batchSeconds: 120 };

/** Of these people, the members of the workspace who may open the conversation (admins, and agents of its inbox). */
export async function whoMaySee(db: Db, accountId: string, userIds: string[], conversationId: string | null | undefined, knownInboxId?: string): Promise<string[]> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  const ws = scoped(db, accountId);
  let q = ws.selectFrom('memberships').select('memberships.user_id').where('memberships.user_id', 'in', ids);
  if (conversationId) {
    const inboxId = knownInboxId ?? (await ws.selectFrom('conversations').select('inbox_id').where('id', '=', conversationId).executeTakeFirst())?.inbox_id;
    if (!inboxId) return [];
    q = q.where((eb) => eb.or([eb('memberships.role', 'in', ['admin', 'owner']), eb('memberships.user_id', 'in', ws.selectFrom('inbox_members').select('inbox_members.user_id').where('inbox_members.inbox_id', '=', inboxId))]));
  }
  return (await q.execute()).map((r) => r.user_id);
}

/** When a new email-worthy notification of this person is due: with the batch already waiting, or a batch interval after their last email. */
function emailDueAt(userId: string): Date {
  // An expression the database works out as it writes the row (typed as the column's value).
  return sql<Date>`coalesce(
    (select min(p.email_due_at) from notifications p where p.user_id = ${userId} and p.email_state = 'pending'),
    greatest(now(), (select max(s.email_due_at) from notifications s where s.user_id = ${userId} and s.email_state in ('sending', 'sent')) + make_interval(secs => ${notificationEmail.batchSeconds})))` as unknown as Date;
}

async function announce(trx: Transaction<DB>, accountId: string, row: NotificationRow & { user_id: string }, inboxId: string | null): Promise<void> {
  const unread = await scoped(trx, accountId).selectFrom('notifications').select(sql<string>`count(*)`.as('n')).where('user_id', '=', row.user_id).where('in_app', '=', true).where('read_at', 'is', null).executeTakeFirstOrThrow();
  await recordEvent(trx, accountId, 'notification.created', { target_user_id: row.user_id, notification: presentNotification(row), unread_count: Number(unread.n) }, { conversationId: row.conversation_id ?? undefined, inboxId: inboxId ?? undefined });
}

async function inboxOf(trx: Transaction<DB>, accountId: string, conversationId: string | null | undefined): Promise<string | null> {
  if (!conversationId) return null;
  return (await scoped(trx, accountId).selectFrom('conversations').select('inbox_id').where('id', '=', conversationId).executeTakeFirst())?.inbox_id ?? null;
}

/**
 * Notifies these teammates, inside the caller's transaction: each gets the notification in the
 * app and by email as they chose (email only when a mailer is configured), and a
 * `notification.created` event reaches only them. People outside the workspace, or who may not
 * open the conversation, are left out. Answers the ids of the notifications written.
 */
export async function notify(trx: Transaction<DB>, accountId: string, userIds: string[], input: NotificationInput): Promise<string[]> {
  const inboxId = input.conversationId ? (input.inboxId ?? (await inboxOf(trx, accountId, input.conversationId))) : null;
  if (input.conversationId && !inboxId) return [];
  const recipients = await whoMaySee(trx, accountId, userIds, input.conversationId, inboxId ?? undefined);
  if (recipients.length === 0) return [];
  const prefs = await preferencesOf(trx, accountId, recipients, input.kind);
  const ws = scoped(trx, accountId);
  const written: string[] = [];
  for (const userId of recipients) {
    const pref = prefs.get(userId)!;
    const email = pref.email && notificationEmail.enabled;
    if (!pref.in_app && !email) continue;
    const row = await ws
      .insertInto('notifications', {
        user_id: userId,
        kind: input.kind,
        conversation_id: input.conversationId ?? null,
        title: input.title.slice(0, 200),
        body: (input.body ?? '').slice(0, 500),
        in_app: pref.in_app,
        email_state: email ? 'pending' : null,
        email_due_at: email ? emailDueAt(userId) : null,
      })
      .returning([...NOTIFICATION_COLUMNS, 'user_id'])
      .executeTakeFirstOrThrow();
    written.push(row.id);
    if (pref.in_app) await announce(trx, accountId, row, inboxId);
  }
  return written;
}

/**
 * A new message in a conversation: its followers and assignee (not its author) hear of it. While
 * one such notification is unread, further messages of that conversation add to it ("3 new
 * messages") instead of making more. Run by the notifications reactor, in event order and once per
 * event; `eventId` (the outbox event) also keeps a repeat from counting twice.
 */
export async function notifyNewMessage(
  trx: Transaction<DB>,
  accountId: string,
  eventId: number,
  input: { conversationId: string; messageId: string; authorUserId: string | null; what: string; body: string },
): Promise<boolean> {
  // One statement per message (this runs for every message of every conversation): the
  // conversation, its followers, and whom the message itself mentions.
  const conversation = await scoped(trx, accountId)
    .selectFrom('conversations')
    .select((eb) => [
      'conversations.inbox_id',
      'conversations.assignee_id',
      'conversations.merged_into_id',
      'conversations.subject',
      eb
        .selectFrom('conversation_followers as f')
        .select(sql<string[]>`coalesce(array_agg(f.user_id), '{}')`.as('ids'))
        .whereRef('f.conversation_id', '=', 'conversations.id')
        .whereRef('f.account_id', '=', 'conversations.account_id')
        .as('followers'),
      eb
        .selectFrom('messages as m')
        .select(sql<unknown>`m.content_attributes -> 'mentions'`.as('mentions'))
        .where('m.id', '=', input.messageId)
        .whereRef('m.account_id', '=', 'conversations.account_id')
        .as('mentions'),
    ])
    .where('conversations.id', '=', input.conversationId)
    .executeTakeFirst();
  if (!conversation || conversation.merged_into_id) return false;
  const message = { ...input, title: `${input.what} in ${conversation.subject ? `“${conversation.subject}”` : 'a conversation'}` };
  const mentioned = Array.isArray(conversation.mentions) ? (conversation.mentions as string[]) : [];
  // Someone mentioned in this very note has a mention notification of it already.
  const wanted = [...new Set([...(conversation.followers ?? []), ...(conversation.assignee_id ? [conversation.assignee_id] : [])])].filter((id) => id !== message.authorUserId && !mentioned.includes(id));
  if (wanted.length === 0) return false;
  {
    const tws = scoped(trx, accountId);
    const recipients = await whoMaySee(trx, accountId, wanted, message.conversationId);
    const prefs = await preferencesOf(trx, accountId, recipients, 'message');
    let any = false;
    for (const userId of recipients) {
      const pref = prefs.get(userId)!;
      const email = pref.email && notificationEmail.enabled;
      if (!pref.in_app && !email) continue;
      const unread = () =>
        tws.selectFrom('notifications').select('id').where('user_id', '=', userId).where('conversation_id', '=', message.conversationId).where('kind', '=', 'message').where('read_at', 'is', null);
      let row: (NotificationRow & { user_id: string; in_app: boolean }) | undefined;
      for (let attempt = 0; attempt < 3 && !row; attempt++) {
        // Counted into the unread one, unless it counts this event already (another node was first).
        row = await tws
          .updateTable('notifications')
          .set((eb) => ({
            count: eb('count', '+', 1),
            title: message.title.slice(0, 200),
            body: message.body.slice(0, 500),
            source_event_ids: sql<number[]>`(array_append(source_event_ids, ${eventId}::bigint))[greatest(1, cardinality(source_event_ids) - 18):]`,
            updated_at: sql<Date>`date_trunc('milliseconds', clock_timestamp())`,
            ...(email ? { email_state: 'pending' as const, email_due_at: emailDueAt(userId) } : {}),
          }))
          .where('id', 'in', unread())
          .where(sql<boolean>`not (${eventId}::bigint = any(source_event_ids))`)
          .returning([...NOTIFICATION_COLUMNS, 'user_id', 'in_app'])
          .executeTakeFirst();
        if (row || (await unread().executeTakeFirst())) break;
        row = await tws
          .insertInto('notifications', {
            user_id: userId,
            kind: 'message',
            conversation_id: message.conversationId,
            title: message.title.slice(0, 200),
            body: message.body.slice(0, 500),
            in_app: pref.in_app,
            email_state: email ? 'pending' : null,
            email_due_at: email ? emailDueAt(userId) : null,
            source_event_ids: [eventId],
          })
          .onConflict((oc) => oc.columns(['user_id', 'conversation_id']).where('kind', '=', 'message').where('read_at', 'is', null).doNothing())
          .returning([...NOTIFICATION_COLUMNS, 'user_id', 'in_app'])
          .executeTakeFirst();
        // Nothing inserted: another message's writer made it meanwhile; count this one into it.
      }
      if (!row) continue;
      any = true;
      if (row.in_app) await announce(trx, accountId, row, conversation.inbox_id);
    }
    return any;
  }
}

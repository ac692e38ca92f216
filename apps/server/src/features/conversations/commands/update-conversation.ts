/**
 * Changes a conversation's status, priority, assignee, team, tags or snooze, records a system
 * event in the thread for each change a teammate should see, and the outbox event.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConversationPriority, ConversationStatus, DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { recordEvent } from '../../../core/outbox.js';
import { conversations, type Viewer } from '../conversations.queries.js';
import { presentConversation, type ConversationRow } from '../conversations.presenter.js';
import { insertMessage } from './post-message.js';
import { follow } from './follow-conversation.js';
import { notify } from '../../notifications/notify.js';

export interface ConversationChanges {
  status?: ConversationStatus;
  priority?: ConversationPriority;
  assignee_id?: string | null;
  team_id?: string | null;
  tags?: string[];
  snoozed_until?: string | null;
}

/** The fields a change compares and reports. */
const FIELDS = ['status', 'priority', 'assignee_id', 'team_id', 'tags', 'snoozed_until'] as const;
/** …and as written back (resolved_at is the database's clock). */
const WRITTEN = [...FIELDS, 'resolved_at'] as const;

const invalid = (field: string, message: string, sentence: string) => new AppError('invalid_reference', sentence, [{ field, message }]);

/**
 * Who made a change: a teammate, or Rapport itself on behalf of a rule (`type: 'automation'` with
 * the rule's id, `type: 'system'` for routing, SLA and the like; `userId` is then '' and `role`
 * 'owner', the workspace's whole view). The outbox event carries it, so a reactor can tell its own
 * changes from others'.
 */
export type Actor = Viewer & {
  name: string;
  type?: 'user' | 'system' | 'automation';
  ruleId?: string;
  /** The thread's line for an assignment made by a rule, saying why ("Assigned to Sam by round robin: …"). */
  assignmentNote?: string;
};

/** Rapport itself acting in a workspace (routing, SLA timers, rules, auto-close): the whole workspace's view, no user. */
export const systemActor = (accountId: string, name = 'Rapport'): Actor => ({ accountId, userId: '', role: 'owner', name, type: 'system' });

/** A change's fields as they were and as they are, for reactors and webhooks. */
export type ConversationChangeSet = Partial<Record<'status' | 'priority' | 'assignee_id' | 'team_id' | 'tags' | 'snoozed_until', { from: unknown; to: unknown }>>;

export async function updateConversation(db: Kysely<DB>, viewer: Actor, id: string, changes: ConversationChanges): Promise<void> {
  await db.transaction().execute((trx) => applyConversationChanges(trx, viewer, id, changes));
}

/**
 * The same change inside a transaction the caller holds (a reactor's, a macro's). Answers what
 * changed. A caller that has just read the conversation (routing) passes it as `known`: it is not
 * read again, and the change is written only if the fields it changes still hold what the caller
 * saw; when another writer changed them meanwhile nothing is written and the answer is null.
 */
export async function applyConversationChanges(trx: Transaction<DB>, viewer: Actor, id: string, changes: ConversationChanges, known?: ConversationRow): Promise<ConversationChangeSet | null> {
  {
    const ws = scoped(trx, viewer.accountId);
    // Read and locked in one statement: what is compared below is what the update replaces.
    const current = known ?? ((await conversations(trx, viewer).where('conversations.id', '=', id).forUpdate('conversations').executeTakeFirst()) as ConversationRow | undefined);
    if (!current) throw notFound('Conversation');

    const set: Record<string, unknown> = {};
    const names: Partial<Pick<ConversationRow, 'assignee_name' | 'team_name'>> = {};
    const events: string[] = [];

    if (changes.assignee_id !== undefined && changes.assignee_id !== current.assignee_id) {
      let name = '';
      if (changes.assignee_id) {
        // The assignee must work in this workspace, and in this inbox unless they are an admin.
        const m = await ws
          .selectFrom('memberships')
          .innerJoin('users as u', 'u.id', 'memberships.user_id')
          .leftJoin('inbox_members as im', (j) => j.onRef('im.user_id', '=', 'memberships.user_id').onRef('im.account_id', '=', 'memberships.account_id').on('im.inbox_id', '=', current.inbox_id))
          .select(['u.name', 'memberships.role', 'im.user_id as inbox_member'])
          .where('memberships.user_id', '=', changes.assignee_id)
          .executeTakeFirst();
        if (!m) throw invalid('assignee_id', 'is not a member of this workspace', 'That person is not a member of this workspace.');
        if (!m.inbox_member && m.role === 'agent') throw invalid('assignee_id', 'does not work in this inbox', 'That agent does not work in this inbox; add them to the inbox in Settings → Inboxes, or pick someone who does.');
        name = m.name;
      }
      names.assignee_name = changes.assignee_id ? name : null;
      set.assignee_id = changes.assignee_id;
      events.push(viewer.assignmentNote ?? (changes.assignee_id ? `${viewer.name} assigned the conversation to ${changes.assignee_id === viewer.userId ? 'themselves' : name}` : `${viewer.name} unassigned the conversation`));
    }
    if (changes.team_id !== undefined && changes.team_id !== current.team_id) {
      let name = '';
      if (changes.team_id) {
        const team = await ws.selectFrom('teams').select('name').where('id', '=', changes.team_id).executeTakeFirst();
        if (!team) throw invalid('team_id', 'is not a team of this workspace', 'That team does not exist in this workspace.');
        name = team.name;
      }
      names.team_name = changes.team_id ? name : null;
      set.team_id = changes.team_id;
      events.push(changes.team_id ? `${viewer.name} moved the conversation to the ${name} team` : `${viewer.name} removed the team`);
    }
    if (changes.priority && changes.priority !== current.priority) {
      set.priority = changes.priority;
      events.push(`${viewer.name} set the priority to ${changes.priority}`);
    }
    if (changes.tags) {
      const tags = [...new Set(changes.tags.map((t) => t.toLowerCase()))];
      const before = [...current.tags].sort().join('\n');
      if (before !== [...tags].sort().join('\n')) set.tags = tags;
    }

    // Status and snooze go together: snoozing needs a time, any other status clears it.
    let status = changes.status;
    if (changes.snoozed_until) {
      const until = new Date(changes.snoozed_until);
      if (until.getTime() <= Date.now()) throw new AppError('validation_failed', 'Snooze until a time in the future.', [{ field: 'snoozed_until', message: 'must be in the future' }]);
      if (status && status !== 'snoozed') throw new AppError('validation_failed', 'A snoozed conversation has the status snoozed.', [{ field: 'status', message: 'must be snoozed when snoozed_until is given' }]);
      status = 'snoozed';
      set.snoozed_until = until;
    } else if (status === 'snoozed') {
      throw new AppError('validation_failed', 'Say until when to snooze.', [{ field: 'snoozed_until', message: 'is required to snooze' }]);
    }
    if (status && (status !== current.status || status === 'snoozed')) {
      set.status = status;
      if (status !== 'snoozed') set.snoozed_until = null;
      set.resolved_at = status === 'resolved' ? sql`now()` : null;
      const what =
        status === 'snoozed' ? `snoozed the conversation until ${(set.snoozed_until as Date).toISOString()}` : { open: 'reopened the conversation', pending: 'marked the conversation pending', resolved: 'resolved the conversation' }[status];
      events.push(`${viewer.name} ${what}`);
    }

    if (Object.keys(set).length === 0) return {};
    let update = ws.updateTable('conversations').set(set).where('id', '=', id);
    if (known) for (const field of FIELDS) if (field in set) update = update.where(field, 'is not distinct from', sql.val(known[field]));
    const stored = await update.returning(WRITTEN).executeTakeFirst();
    if (!stored) {
      if (known) return null;
      throw notFound('Conversation');
    }
    let lastSeq = current.last_seq;
    for (const text of events) lastSeq = (await insertMessage(trx, viewer.accountId, { conversationId: id, content: text, author: { type: 'system', id: viewer.userId || undefined } }, current)).seq;
    // The assignee follows the conversation from now on, and hears of it unless they took it themselves.
    if (typeof set.assignee_id === 'string') {
      await follow(trx, viewer.accountId, id, [set.assignee_id]);
      if (set.assignee_id !== viewer.userId)
        await notify(trx, viewer.accountId, [set.assignee_id], { kind: 'assigned', conversationId: id, inboxId: current.inbox_id, title: `${viewer.name} assigned you a conversation`, body: `${current.subject || 'No subject'} — ${current.contact_name || 'a customer'}` });
    }
    // The row as it is now, from what was written (system lines move only its sequence number).
    const updated: ConversationRow = { ...current, ...(stored as Partial<ConversationRow>), ...names, last_seq: lastSeq };
    const changed: ConversationChangeSet = {};
    for (const field of FIELDS) {
      if (field in set) changed[field] = { from: current[field] ?? null, to: updated[field] ?? null };
    }
    const actor = { type: viewer.type ?? 'user', id: viewer.userId || null, name: viewer.name, ...(viewer.ruleId ? { rule_id: viewer.ruleId } : {}) };
    await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: presentConversation(updated), changes: changed, actor }, { conversationId: id, inboxId: current.inbox_id });
    return changed;
  }
}

/**
 * An agent logs a call by hand (one made from their own phone, or a callback): a call entry in
 * the conversation with them as its agent. Idempotent on the client's id, like a reply. Logging
 * an answered callback takes the `callback` tag off: the customer has been called back.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { recordEvent } from '../../../core/outbox.js';
import { findConversation, findMessage, type Viewer } from '../../conversations/conversations.queries.js';
import { presentConversation, type MessageRow } from '../../conversations/conversations.presenter.js';
import { emptyCall, type CallDirection } from './call.js';
import { CALLBACK_TAG, insertCallEntry } from './call-entries.js';

export type LoggedOutcome = 'answered' | 'missed' | 'voicemail' | 'no_answer';

export interface CallLog {
  direction: CallDirection;
  outcome: LoggedOutcome;
  duration_seconds?: number;
  notes?: string;
  at?: string;
  client_id?: string;
}

const STATUS = { answered: 'completed', missed: 'missed', voicemail: 'voicemail', no_answer: 'no_answer' } as const;
const MAX_AGE_DAYS = 90;
const isUnique = (err: unknown) => (err as { code?: string }).code === '23505';

/** Every problem of a log at once, in words. */
function checkLog(log: CallLog, now: Date): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (log.duration_seconds !== undefined && (log.outcome === 'missed' || log.outcome === 'no_answer')) problems.push({ field: 'duration_seconds', message: `is only for a call that was answered or a voicemail, not ${log.outcome.replace('_', ' ')}` });
  if (log.direction === 'outbound' && log.outcome === 'missed') problems.push({ field: 'outcome', message: 'of an outbound call nobody took is no_answer' });
  if (log.direction === 'inbound' && log.outcome === 'no_answer') problems.push({ field: 'outcome', message: 'of an inbound call nobody took is missed' });
  if (log.at !== undefined) {
    const at = new Date(log.at);
    if (at.getTime() > now.getTime() + 60_000) problems.push({ field: 'at', message: 'must not be in the future' });
    else if (at.getTime() < now.getTime() - MAX_AGE_DAYS * 86_400_000) problems.push({ field: 'at', message: `must be within the last ${MAX_AGE_DAYS} days` });
  }
  return problems;
}

export async function logCall(ctx: AppContext, viewer: Viewer & { name: string }, conversationId: string, log: CallLog): Promise<{ message: MessageRow; created: boolean }> {
  const conversation = await findConversation(ctx.db, viewer, conversationId);
  if (!conversation) throw new AppError('not_found', 'Conversation not found.');
  const problems = checkLog(log, new Date());
  if (problems.length) throw new AppError('validation_failed', `Invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);

  const ws = scoped(ctx.db, viewer.accountId);
  const repeat = async () => {
    if (!log.client_id) return undefined;
    const found = await ws.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('client_message_id', '=', log.client_id).executeTakeFirst();
    return found ? { message: await findMessage(ctx.db, viewer.accountId, found.id), created: false } : undefined;
  };
  const earlier = await repeat();
  if (earlier) return earlier;

  const details = await ws
    .selectFrom('conversations')
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'conversations.contact_id').onRef('c.account_id', '=', 'conversations.account_id'))
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .select(['conversations.channel_address', 'c.phone', 'i.channel', 'i.channel_config'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirstOrThrow();
  const customer = details.channel === 'phone' ? details.channel_address : details.phone;
  const ours = details.channel === 'phone' ? String((details.channel_config as { phone_number?: string }).phone_number ?? '') || null : null;
  const call = emptyCall({
    direction: log.direction,
    status: STATUS[log.outcome],
    duration_seconds: log.duration_seconds ?? null,
    from: log.direction === 'inbound' ? customer : ours,
    to: log.direction === 'inbound' ? ours : customer,
    agent: { id: viewer.userId, name: viewer.name },
    notes: log.notes?.trim() || null,
    at: log.at ? new Date(log.at).toISOString() : null,
    logged_by_hand: true,
  });
  try {
    const message = await ctx.db.transaction().execute(async (trx) => {
      const stored = await insertCallEntry(trx, viewer.accountId, { conversationId, author: { type: 'user', id: viewer.userId }, call, clientMessageId: log.client_id });
      if (log.direction === 'outbound' && log.outcome === 'answered' && conversation.tags.includes(CALLBACK_TAG)) {
        await scoped(trx, viewer.accountId).updateTable('conversations').set({ tags: sql<string[]>`array_remove(tags, ${CALLBACK_TAG}::text)` }).where('id', '=', conversationId).execute();
        const updated = await findConversation(trx, viewer, conversationId);
        await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: presentConversation(updated!) }, { conversationId, inboxId: conversation.inbox_id });
      }
      return stored;
    });
    ctx.outbox.kick();
    return { message, created: true };
  } catch (err) {
    // The same log sent twice at once: the unique client id let one in.
    if (!isUnique(err)) throw err;
    const winner = await repeat();
    if (!winner) throw err;
    return winner;
  }
}

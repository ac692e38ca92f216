/**
 * Auto-close: a workspace may close conversations left pending (waiting on the customer) longer
 * than a set time, with a message to the customer. A sweep finds them across workspaces; each is
 * closed in its own transaction, under its row lock and only if still due, so with several nodes
 * sweeping at once a conversation is closed, and its message sent, once.
 */
import { systemActor } from '../conversations/commands/update-conversation.js';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { unscoped } from '../../core/db/tenant.js';
import type { Action } from './automation.schema.js';
import { runActions } from './actions.js';

/** The actor named in the thread ("Rapport resolved the conversation"). */

const BATCH = 100;

/** One sweep: closes up to a batch of due conversations; answers how many it closed. */
export async function autoCloseDue(ctx: AppContext): Promise<number> {
  // Across workspaces: the sweep serves them all; each conversation is then handled in its own workspace.
  const due = await unscoped(ctx.db)
    .selectFrom('conversations as c')
    .innerJoin('automation_settings as s', 's.account_id', 'c.account_id')
    .select(['c.id', 'c.account_id', 's.auto_close_message', 's.auto_close_after_minutes'])
    .where('s.auto_close_enabled', '=', true)
    .where('c.status', '=', 'pending')
    .where(sql<boolean>`c.status_changed_at <= now() - make_interval(mins => s.auto_close_after_minutes)`)
    .orderBy('c.status_changed_at')
    .limit(BATCH)
    .execute();
  if (!due.length) return 0;
  await ctx.jobs.start();
  let closed = 0;
  for (const c of due) {
    const queues = await ctx.db.transaction().execute(async (trx) => {
      // Still pending and due, and no other node at it: else leave it.
      const still = await unscoped(trx)
        .selectFrom('conversations')
        .select('id')
        .where('id', '=', c.id)
        .where('account_id', '=', c.account_id)
        .where('status', '=', 'pending')
        .where(sql<boolean>`status_changed_at <= now() - make_interval(mins => ${c.auto_close_after_minutes}::int)`)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!still) return null;
      const actions: Action[] = [{ type: 'set_status', status: 'resolved' }, ...(c.auto_close_message.trim() ? [{ type: 'reply' as const, body: c.auto_close_message }] : [])];
      return (await runActions({ ctx, trx, actor: systemActor(c.account_id), author: { type: 'system' }, conversationId: c.id, lenient: true }, actions)).queues;
    });
    if (!queues) continue;
    closed++;
    for (const q of queues) ctx.jobs.notify(q);
  }
  ctx.outbox.kick();
  return closed;
}

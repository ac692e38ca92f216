/**
 * Brings a conversation's SLA clock up to date: the first matching policy, due and warning times
 * in the effective business hours, and any warning or breach now due — written once (the marks
 * are in the clock's row, under the conversation's lock), each with a line in the thread and an
 * outbox event (`sla.warning` / `sla.breached`; `sla.updated` when the clock shown changed). The
 * next instant to look again is a durable timer job; one that finds nothing due does nothing.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { stableJobId } from '../../core/jobs.js';
import type { DB } from '../../core/db/schema.js';
import { recordEvent } from '../../core/outbox.js';
import { presentConversation, presentSlaSummary } from '../conversations/conversations.presenter.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { insertMessage } from '../conversations/commands/post-message.js';
import { systemActor } from '../conversations/commands/update-conversation.js';
import { scoped } from '../../core/db/tenant.js';
import { notify } from '../notifications/notify.js';
import { scheduleFor } from '../business-hours/effective.js';
import { fire, matchPolicy, reconcile, sameClock, summarize, type Fired, type SlaState, type SlaSummary, type SlaTarget } from './sla-clock.js';
import { slaSettings } from './sla-settings.js';
import { deleteState, loadForApply, saveState } from './sla.store.js';

export interface SlaCheckJob {
  accountId: string;
  conversationId: string;
  /** The instant this timer was set for. */
  at: string;
}

export const TARGET_LABEL: Record<SlaTarget, string> = { first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' };

/** A timer's job id is its conversation and instant: setting the same timer again adds nothing. */
export const timerJobId = (conversationId: string, at: Date): string => stableJobId(`sla:${conversationId}:${at.toISOString()}`);

const sameSummary = (a: SlaSummary | null, b: SlaSummary | null) =>
  a?.target === b?.target && a?.due_at?.getTime() === b?.due_at?.getTime() && a?.warn_at?.getTime() === b?.warn_at?.getTime() && a?.breached === b?.breached && a?.paused === b?.paused;

export interface SlaApplied {
  state: SlaState | null;
  fired: Fired[];
}


export async function applySla(trx: Transaction<DB>, ctx: AppContext, accountId: string, conversationId: string, now = new Date()): Promise<SlaApplied> {
  const loaded = await loadForApply(trx, accountId, conversationId);
  if (!loaded) return { state: null, fired: [] };
  const { facts, prev } = loaded;
  const settings = await slaSettings(trx, ctx.db, accountId, loaded.settingsVersion);
  const policy = settings ? matchPolicy(settings.policies, facts) : null;
  const schedule = policy?.business_hours && settings ? scheduleFor(settings.calendars, { inboxId: facts.inbox_id, teamId: facts.team_id }) : null;
  const next = reconcile(prev, policy, facts, schedule, now);
  const before = prev ? summarize(prev) : null;

  if (!next) {
    if (prev) {
      await deleteState(trx, accountId, conversationId);
      await recordEvent(trx, accountId, 'sla.updated', { conversation_id: conversationId, sla: null }, { conversationId, inboxId: facts.inbox_id });
    }
    return { state: null, fired: [] };
  }
  const fired = fire(next, now);
  // Most changes (a second customer message, a note's neighbour, a timer that finds nothing due)
  // leave the clock as it was: nothing to write, announce or re-queue.
  const after = summarize(next);
  if (!fired.length && prev && sameClock(prev, next) && after.next_check_at?.getTime() === loaded.prevCheckAt?.getTime()) return { state: next, fired };
  await saveState(trx, accountId, conversationId, next, after);

  for (const f of fired) {
    const label = TARGET_LABEL[f.target];
    const minutes = Math.max(1, Math.round((f.due_at.getTime() - now.getTime()) / 60_000));
    const text = f.kind === 'breached' ? `${label} SLA breached (policy “${policy!.name}”)` : `${label} SLA due in ${minutes} minute${minutes === 1 ? '' : 's'} (policy “${policy!.name}”)`;
    await insertMessage(trx, accountId, { conversationId, content: text, author: { type: 'system' } });
  }
  if (fired.length) {
    // Warnings and breaches carry the whole conversation (automation and notifications read it).
    const row = await findConversation(trx, systemActor(accountId), conversationId);
    const conversation = row ? presentConversation(row) : null;
    for (const f of fired) {
      await recordEvent(
        trx,
        accountId,
        f.kind === 'breached' ? 'sla.breached' : 'sla.warning',
        { conversation, sla: { target: f.target, due_at: f.due_at.toISOString(), policy: { id: policy!.id, name: policy!.name } } },
        { conversationId, inboxId: facts.inbox_id },
      );
      // The assignee and the followers hear of it in the notification centre (and by email, as
      // each chose); an unassigned conversation's warning shows live to whoever has the inbox open.
      const followers = await scoped(trx, accountId).selectFrom('conversation_followers').select('user_id').where('conversation_id', '=', conversationId).execute();
      const people = [...new Set([...(row?.assignee_id ? [row.assignee_id] : []), ...followers.map((f) => f.user_id)])];
      const label = TARGET_LABEL[f.target];
      await notify(trx, accountId, people, {
        kind: 'generic',
        conversationId,
        title: f.kind === 'breached' ? `${label} SLA breached` : `${label} SLA due soon`,
        body: `${row?.subject || row?.contact_name || 'A conversation'} (policy “${policy!.name}”)`,
      });
    }
  }
  if (fired.length || !sameSummary(before, after)) {
    const sla = presentSlaSummary({ sla_target: after.target, sla_due_at: after.due_at, sla_warn_at: after.warn_at, sla_breached_at: after.breached ? now : null, sla_paused_since: next.paused_since });
    await recordEvent(trx, accountId, 'sla.updated', { conversation_id: conversationId, sla }, { conversationId, inboxId: facts.inbox_id });
  }
  if (after.next_check_at && after.next_check_at.getTime() !== before?.next_check_at?.getTime()) {
    const job: SlaCheckJob = { accountId, conversationId, at: after.next_check_at.toISOString() };
    await ctx.jobs.send('sla.check', job, { id: timerJobId(conversationId, after.next_check_at), trx, startAfter: after.next_check_at });
  }
  return { state: next, fired };
}

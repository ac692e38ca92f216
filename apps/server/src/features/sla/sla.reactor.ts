/**
 * The SLA reactor: a conversation's start, a message, or a change of its status, priority, inbox,
 * team or tags brings its SLA clock up to date (apply-sla.ts). Private notes and the thread's own
 * system lines change nothing the clock reads, and neither does an update that says it changed
 * only other things (an assignee, the mood, the agent having read it), so those are passed by.
 */
import type { Reactor } from '../../core/reactions.js';
import { applySla } from './apply-sla.js';

/** The conversation fields a clock reads that an update's `changes` may name (the snooze comes with its status). */
const CLOCK_FIELDS = ['status', 'priority', 'team_id', 'tags'];

export const slaReactor: Reactor = {
  name: 'sla',
  events: ['message.created', 'conversation.updated'],
  async react(trx, ctx, event) {
    if (!event.conversationId) return;
    if (event.event === 'message.created') {
      const message = event.payload.message as { private?: boolean; kind?: string } | undefined;
      if (message?.private || message?.kind === 'system') return;
    }
    if (event.event === 'conversation.updated') {
      // An update without `changes` (a move, a merge, a wake from snooze) may have changed anything.
      const changes = event.payload.changes as Record<string, unknown> | undefined;
      if (changes && !CLOCK_FIELDS.some((f) => f in changes)) return;
    }
    await applySla(trx, ctx, event.accountId, event.conversationId);
  },
};

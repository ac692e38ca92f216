/**
 * The SLA reactor: a conversation's start, a message, or a change of its status, priority, inbox
 * or tags brings its SLA clock up to date (apply-sla.ts). Private notes and the thread's own
 * system lines change nothing the clock reads, so they are passed by.
 */
import type { Reactor } from '../../core/reactions.js';
import { applySla } from './apply-sla.js';

export const slaReactor: Reactor = {
  name: 'sla',
  events: ['message.created', 'conversation.updated'],
  async react(trx, ctx, event) {
    if (!event.conversationId) return;
    if (event.event === 'message.created') {
      const message = event.payload.message as { private?: boolean; kind?: string } | undefined;
      if (message?.private || message?.kind === 'system') return;
    }
    await applySla(trx, ctx, event.accountId, event.conversationId);
  },
};

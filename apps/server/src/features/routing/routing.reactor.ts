/**
 * Routing as a reactor (core/reactions.ts): a new conversation, one reopened or handed back
 * unassigned, or a callback task is routed as soon as it happens; a change that may free someone's
 * capacity (resolved, snoozed, reassigned) routes the waiting queue. Routing's own changes are
 * skipped, so an assignment does not set off another round.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { Reactor } from '../../core/reactions.js';
import type { ConversationChangeSet } from '../conversations/commands/update-conversation.js';
import { ROUTING_ACTOR_NAME } from './commands/assign.js';
import { routeConversation, routeWaiting } from './commands/route-conversation.js';

type Payload = { actor?: { type?: string; id?: string | null; name?: string }; changes?: ConversationChangeSet; message?: { direction?: string } };

/** Open and nobody's: worth taking the routing lock for. */
async function waitsForSomeone(trx: Transaction<DB>, accountId: string, id: string): Promise<boolean> {
  const c = await scoped(trx, accountId).selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', id).executeTakeFirst();
  return c?.status === 'open' && !c.assignee_id;
}

export const routingReactor: Reactor = {
  name: 'routing',
  events: ['message.created', 'conversation.updated'],
  async react(trx, _ctx, event) {
    const payload = event.payload as Payload;
    const id = event.conversationId;
    if (!id) return;
    if (event.event === 'message.created') {
      // A customer writing starts a conversation or reopens a resolved one.
      if (payload.message?.direction === 'incoming' && (await waitsForSomeone(trx, event.accountId, id))) await routeConversation(trx, event.accountId, id);
      return;
    }
    if (payload.actor?.type === 'system' && payload.actor.name === ROUTING_ACTOR_NAME) return;
    if (await waitsForSomeone(trx, event.accountId, id)) {
      // An agent who handed a conversation back is not given it again at once.
      const handedBack = payload.changes?.assignee_id?.from;
      const exclude = typeof handedBack === 'string' && handedBack === payload.actor?.id ? [handedBack] : [];
      await routeConversation(trx, event.accountId, id, { exclude });
      return;
    }
    if (payload.changes?.status || payload.changes?.assignee_id) await routeWaiting(trx, event.accountId);
  },
};

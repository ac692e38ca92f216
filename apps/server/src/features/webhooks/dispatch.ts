/**
 * From the outbox to webhook deliveries. Every outbox event of a workspace that has a webhook is
 * marked as it is written (a trigger, migration 0014); the dispatcher claims marked events in id
 * order with skip locked (several nodes may run it; each event is claimed once) and, in the same
 * transaction, writes one delivery per subscribed webhook with its job. A crash before the commit
 * leaves the events marked for the next run; after it, the jobs exist. So an event is delivered
 * to each webhook once (its retries keep the delivery id), never lost, never doubled.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../core/context.js';
import { publicPayload } from '../../core/outbox.js';
import { startSweeper, type Sweeper } from '../../core/sweeper.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { presentConversation } from '../conversations/conversations.presenter.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { publicEventsOf, type WebhookEvent } from './events.js';

const BATCH = 200;

export interface WebhookBody {
  id: string;
  event: WebhookEvent | 'ping';
  created_at: string;
  data: Record<string, unknown>;
}

/** One run: claims up to a batch of marked events and queues their deliveries. Answers how many events it read. */
export async function dispatchWebhooks(ctx: AppContext): Promise<number> {
  let queued = 0;
  const read = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await unscoped(trx)
      .updateTable('outbox_events')
      .set({ webhook_pending: false })
      .where('id', 'in', (eb) => eb.selectFrom('outbox_events').select('id').where('webhook_pending', '=', true).orderBy('id').limit(BATCH).forUpdate().skipLocked())
      .returning(['id', 'account_id', 'event', 'conversation_id', 'payload', 'created_at'])
      .execute();
    if (!claimed.length) return 0;
    const events = claimed.sort((a, b) => Number(a.id) - Number(b.id));
    const accounts = [...new Set(events.map((e) => e.account_id))];
    const hooks = await unscoped(trx).selectFrom('webhooks').select(['id', 'account_id', 'events']).where('enabled', '=', true).where('account_id', 'in', accounts).execute();
    const conversations = new Map<string, ReturnType<typeof presentConversation> | null>();
    const conversationOf = async (accountId: string, id: string | null) => {
      if (!id) return null;
      if (!conversations.has(id)) {
        // The whole workspace's view: a webhook is the workspace's own integration.
        const found = await findConversation(trx, { accountId, userId: '', role: 'owner' }, id);
        conversations.set(id, found ? presentConversation(found) : null);
      }
      return conversations.get(id)!;
    };
    // One change can be recorded twice for realtime (a move: once for each inbox); it is one webhook.
    const seen = new Set<string>();
    for (const e of events) {
      const names = publicEventsOf(e);
      const subscribers = hooks.filter((h) => h.account_id === e.account_id);
      if (!names.length || !subscribers.length) continue;
      for (const name of names) {
        // A contact's changes are each their own; only a conversation's change is ever recorded twice.
        const key = name === 'contact.updated' ? `${e.id}` : `${e.account_id}:${name}:${e.conversation_id}:${JSON.stringify((e.payload as { conversation?: unknown }).conversation ?? (e.payload as { message?: unknown }).message ?? null)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { moved_from_inbox_id: movedFrom, ...rest } = publicPayload(e.payload as Record<string, unknown>);
        const data: Record<string, unknown> =
          name === 'contact.updated'
            ? rest
            : name === 'conversation.updated'
              ? { ...rest, ...(movedFrom ? { moved_from_inbox_id: movedFrom } : {}) }
              : { ...rest, conversation: (rest.conversation as unknown) ?? (await conversationOf(e.account_id, e.conversation_id)) };
        delete data.contact_id;
        for (const hook of subscribers.filter((h) => h.events.includes(name))) {
          const id = randomUUID();
          const body: WebhookBody = { id, event: name, created_at: new Date(e.created_at).toISOString(), data };
          const row = await scoped(trx, e.account_id)
            .insertInto('webhook_deliveries', { id, webhook_id: hook.id, event: name, event_id: e.id, body: JSON.stringify(body) })
            .onConflict((oc) => oc.columns(['webhook_id', 'event_id', 'event']).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!row) continue;
          await ctx.jobs.send('webhook.deliver', { accountId: e.account_id, deliveryId: id }, { id, trx });
          queued++;
        }
      }
    }
    return events.length;
  });
  if (queued) ctx.jobs.notify('webhook.deliver');
  return read;
}

export type WebhookDispatcher = Sweeper;

/** Runs the dispatcher every second, and whenever kicked; one run at a time on this node. */
export function startWebhookDispatch(ctx: AppContext, log: FastifyBaseLogger, intervalMs = 1000): WebhookDispatcher {
  // A full batch means more may wait: read on at once.
  return startSweeper(async () => (await dispatchWebhooks(ctx)) === BATCH, { intervalMs, onError: (err) => log.warn({ err }, 'dispatching webhooks failed; trying again shortly') });
}

/**
 * Replies that a channel sends out (email, an API inbox's webhook; later SMS and the rest): a
 * reply is stored as pending with a durable job written in the same transaction, the channel's
 * worker sends it, and its status (sent, failed with the reason) goes back to the message and
 * live to the agents. A failed send is visible and can be retried; nothing is silently lost.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { QUEUES, type JobName } from '../../core/jobs.js';
import { recordEvent } from '../../core/outbox.js';
import { findMessage } from '../conversations/conversations.queries.js';
import { presentMessage } from '../conversations/conversations.presenter.js';

/** The job queue that sends a channel's replies; channels without one (web chat) deliver over the socket. */
const OUTBOUND: Record<string, JobName> = {
  email: 'email.send',
  api: 'api.deliver',
  sms: 'messaging.send',
  whatsapp: 'messaging.send',
  messenger: 'messaging.send',
  instagram: 'messaging.send',
  telegram: 'messaging.send',
};

export const sendsReplies = (channel: string): boolean => channel in OUTBOUND;

export interface Delivery {
  accountId: string;
  messageId: string;
}

/** Queues the send of a stored reply, inside the transaction that stored it. */
export async function queueDelivery(ctx: AppContext, trx: Transaction<DB>, channel: string, delivery: Delivery, jobId: string = delivery.messageId): Promise<void> {
  const queue = OUTBOUND[channel];
  if (!queue) return;
  await ctx.jobs.send(queue, delivery, { id: jobId, trx });
}

/** Sets a reply's delivery status (and the reason of a failure) and tells the agents. */
export async function markDelivery(ctx: AppContext, accountId: string, messageId: string, to: { status: 'sent' | 'failed' | 'pending'; error?: string }): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const ws = scoped(trx, accountId);
    const attrs =
      to.status === 'failed'
        ? sql<string>`(content_attributes - 'delivery_claim') || jsonb_build_object('delivery_error', ${to.error ?? 'The reply could not be sent.'}::text)`
        : sql<string>`content_attributes - 'delivery_error' - 'delivery_claim'`;
    const row = await ws.updateTable('messages').set({ status: to.status, content_attributes: attrs }).where('id', '=', messageId).returning(['conversation_id']).executeTakeFirst();
    if (!row) return;
    const message = await findMessage(trx, accountId, messageId);
    const conversation = await ws.selectFrom('conversations').select(['inbox_id']).where('id', '=', row.conversation_id).executeTakeFirstOrThrow();
    await recordEvent(trx, accountId, 'message.updated', { message: presentMessage(message) }, { conversationId: row.conversation_id, inboxId: conversation.inbox_id });
  });
  ctx.outbox.kick();
}

const PROGRESS = { pending: 0, sent: 1, delivered: 2, read: 3 } as const;

/**
 * A provider's receipt for a reply: sent → delivered → read only ever moves forward (receipts
 * arrive out of order), and a failure after "sent" (the provider gave up) marks it failed with the
 * reason. A read reply is not marked failed by a late, stale failure.
 */
export async function markReceipt(ctx: AppContext, accountId: string, messageId: string, status: 'sent' | 'delivered' | 'read' | 'failed', error?: string): Promise<void> {
  const current = await scoped(ctx.db, accountId).selectFrom('messages').select(['status']).where('id', '=', messageId).executeTakeFirst();
  if (!current) return;
  if (status === 'failed') {
    if (current.status === 'read' || current.status === 'failed') return;
    return markDelivery(ctx, accountId, messageId, { status: 'failed', error: error ?? 'The provider could not deliver this reply.' });
  }
  // A failed reply moves again only on proof that it arrived: a late "sent" (callbacks cross) is older news than the failure.
  const from = current.status === 'failed' ? PROGRESS.sent : PROGRESS[current.status as keyof typeof PROGRESS];
  if (PROGRESS[status] <= from) return;
  await ctx.db.transaction().execute(async (trx) => {
    const ws = scoped(trx, accountId);
    const row = await ws
      .updateTable('messages')
      .set({ status, content_attributes: sql<string>`content_attributes - 'delivery_error' - 'delivery_claim'` })
      .where('id', '=', messageId)
      .where('status', '=', current.status)
      .returning(['conversation_id'])
      .executeTakeFirst();
    if (!row) return;
    const message = await findMessage(trx, accountId, messageId);
    const conversation = await ws.selectFrom('conversations').select(['inbox_id']).where('id', '=', row.conversation_id).executeTakeFirstOrThrow();
    await recordEvent(trx, accountId, 'message.updated', { message: presentMessage(message) }, { conversationId: row.conversation_id, inboxId: conversation.inbox_id });
  });
  ctx.outbox.kick();
}

/** Sends a failed reply again: pending, and a new job (the old one has ended). */
export async function retryDelivery(ctx: AppContext, accountId: string, channel: string, messageId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await scoped(trx, accountId).updateTable('messages').set({ status: 'pending', content_attributes: sql<string>`content_attributes - 'delivery_error' - 'delivery_claim'` }).where('id', '=', messageId).execute();
    const message = await findMessage(trx, accountId, messageId);
    const conversation = await scoped(trx, accountId).selectFrom('conversations').select(['inbox_id']).where('id', '=', message.conversation_id).executeTakeFirstOrThrow();
    await recordEvent(trx, accountId, 'message.updated', { message: presentMessage(message) }, { conversationId: message.conversation_id, inboxId: conversation.inbox_id });
    await queueDelivery(ctx, trx, channel, { accountId, messageId }, randomUUID());
  });
  ctx.outbox.kick();
  ctx.jobs.notify(OUTBOUND[channel]);
}

export const queueOf = (channel: string): JobName | undefined => OUTBOUND[channel];

/**
 * One attempt at a time: two runs of a send job (a retry after a worker died mid-send, racing a
 * slow first one) must not both send. Claims a pending reply for this attempt, or answers null
 * when another attempt holds it or it is no longer pending. A claim older than the queue's expiry
 * is a dead worker's: that attempt may or may not have reached the provider, so this one sends
 * again with the same delivery id (the email's Message-ID, the webhook's delivery id).
 * `release` lets go after a failure that will be tried again, so the next attempt may send.
 */
export async function claimDelivery(ctx: AppContext, queue: JobName, delivery: Delivery, jobId: string): Promise<{ release: () => Promise<void> } | null> {
  const ws = scoped(ctx.db, delivery.accountId);
  const staleSeconds = Math.max(1, QUEUES[queue].expireInSeconds - 10);
  const attempt = randomUUID();
  const claimed = await ws
    .updateTable('messages')
    .set({ content_attributes: sql<string>`content_attributes || jsonb_build_object('delivery_claim', jsonb_build_object('attempt', ${attempt}::text, 'job', ${jobId}::text, 'at', now()))` })
    .where('id', '=', delivery.messageId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([sql<boolean>`content_attributes->'delivery_claim' is null`, sql<boolean>`(content_attributes->'delivery_claim'->>'at')::timestamptz < now() - make_interval(secs => ${staleSeconds})`]))
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return null;
  return {
    release: async () => {
      await ws
        .updateTable('messages')
        .set({ content_attributes: sql<string>`content_attributes - 'delivery_claim'` })
        .where('id', '=', delivery.messageId)
        .where(sql<boolean>`content_attributes->'delivery_claim'->>'attempt' = ${attempt}`)
        .execute();
    },
  };
}

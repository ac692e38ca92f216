/**
 * Delivers an agent's reply in an API inbox to its webhook (the worker of the `api.deliver`
 * queue): a signed JSON POST whose delivery id is the message's id on every attempt, so the
 * receiver can drop a second copy. 2xx: sent. 410 Gone: failed, and the inbox's webhook is
 * switched off until its URL is saved again. Another refusal: failed with the status. A receiver
 * that is down, slow or overloaded: tried again with backoff, failed after the last attempt; too
 * many such failures in a row switch the webhook off too (SECURITY 22). Agents keep replying
 * meanwhile: the reply is stored either way, and a failed one can be retried.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import type { JobHandle } from '../../../core/jobs.js';
import { presentConversation, presentMessage } from '../../conversations/conversations.presenter.js';
import { findConversation, findMessage } from '../../conversations/conversations.queries.js';
import { setConnection } from '../connection.js';
import { claimDelivery, markDelivery, type Delivery } from '../deliveries.js';
import { webhookSecretOf } from './api.inbox.js';
import { postWebhook, type WebhookOutcome } from './webhook-post.js';
import { allowListOf } from './webhook-target.js';

/** Replies in a row that failed after every attempt before the webhook is switched off. */
export const DISABLE_AFTER_FAILURES = 5;

export async function deliverApiReply(ctx: AppContext, job: JobHandle<Delivery>): Promise<void> {
  const { accountId, messageId } = job.data;
  const ws = scoped(ctx.db, accountId);
  const message = await findMessage(ctx.db, accountId, messageId).catch(() => undefined);
  // Deleted, or already sent or failed by an earlier attempt: nothing to do (a job may run twice).
  if (!message || message.status !== 'pending') return;
  // The whole workspace's view: the webhook is the workspace's own integration.
  const conversation = await findConversation(ctx.db, { accountId, userId: '', role: 'owner' }, message.conversation_id);
  if (!conversation) return;
  const inbox = await ws.selectFrom('inboxes').select(['id', 'webhook_url', 'webhook_disabled_at', 'channel_secrets']).where('id', '=', conversation.inbox_id).executeTakeFirstOrThrow();

  const fail = (error: string) => markDelivery(ctx, accountId, messageId, { status: 'failed', error });
  const secret = webhookSecretOf(ctx.box, inbox.channel_secrets);
  if (!inbox.webhook_url || !secret) return fail('This inbox has no webhook to deliver replies to; set its URL in Settings → Inboxes.');
  if (inbox.webhook_disabled_at) return fail('The webhook of this inbox is switched off (see the inbox’s connection status); save its URL again in Settings → Inboxes, then retry.');

  const claim = await claimDelivery(ctx, 'api.deliver', job.data, job.id);
  if (!claim) return;

  // The same presenters as the REST answers and the agents' socket.
  const body = JSON.stringify({ id: message.id, event: 'message.created', conversation: presentConversation(conversation), message: presentMessage(message) });
  let outcome: WebhookOutcome;
  try {
    outcome = await postWebhook({ url: inbox.webhook_url, secret, id: message.id, body, allow: allowListOf(ctx.config.webhookAllowPrivateHosts) });
  } catch (err) {
    // Not a receiver's answer but a fault of ours: tried again, and never left pending after the last try.
    if (job.lastAttempt) return fail(`The reply could not be delivered: ${(err as Error).message}`);
    await claim.release();
    throw err;
  }

  switch (outcome.kind) {
    case 'delivered':
      await markDelivery(ctx, accountId, messageId, { status: 'sent' });
      await ws.updateTable('inboxes').set({ webhook_failures: 0 }).where('id', '=', inbox.id).where('webhook_failures', '>', 0).execute();
      return setConnection(ctx, accountId, inbox.id, 'ok', null, 'webhook');
    case 'gone':
      await switchOff(ctx, accountId, inbox.id, 'The webhook receiver answered 410 Gone, so the webhook is switched off; save its URL again to switch it on.');
      return fail('The webhook receiver answered 410 Gone: it no longer takes replies. The webhook is switched off until its URL is saved again.');
    case 'refused':
      await setConnection(ctx, accountId, inbox.id, 'failing', outcome.reason, 'webhook');
      return fail(outcome.reason);
    case 'retry':
      if (!job.lastAttempt) {
        await setConnection(ctx, accountId, inbox.id, 'failing', outcome.reason, 'webhook');
        await claim.release();
        throw new Error(outcome.reason); // tried again later, with backoff
      }
      await failedForGood(ctx, accountId, inbox.id, outcome.reason);
      return fail(`The reply could not be delivered after several tries: ${outcome.reason}`);
  }
}

async function switchOff(ctx: AppContext, accountId: string, inboxId: string, reason: string): Promise<void> {
  await scoped(ctx.db, accountId).updateTable('inboxes').set({ webhook_disabled_at: sql<Date>`now()` }).where('id', '=', inboxId).execute();
  await setConnection(ctx, accountId, inboxId, 'failing', reason, 'webhook');
}

/** A reply that failed after every attempt; enough of them in a row switch the webhook off. */
async function failedForGood(ctx: AppContext, accountId: string, inboxId: string, reason: string): Promise<void> {
  const row = await scoped(ctx.db, accountId).updateTable('inboxes').set({ webhook_failures: sql<number>`webhook_failures + 1` }).where('id', '=', inboxId).returning('webhook_failures').executeTakeFirst();
  if (row && row.webhook_failures >= DISABLE_AFTER_FAILURES) {
    return switchOff(ctx, accountId, inboxId, `${DISABLE_AFTER_FAILURES} replies in a row could not be delivered (last: ${reason}), so the webhook is switched off; save its URL again to switch it on.`);
  }
  await setConnection(ctx, accountId, inboxId, 'failing', reason, 'webhook');
}

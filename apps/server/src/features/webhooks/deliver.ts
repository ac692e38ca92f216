/**
 * Delivers one event to one webhook (the worker of the `webhook.deliver` queue): the stored body,
 * signed like every Rapport webhook (X-Rapport-Delivery / -Timestamp / -Signature over
 * id.timestamp.body, SECURITY 20), the same delivery id on every attempt. Each attempt is logged
 * on the delivery (status code or reason, never the receiver's answer). 2xx: delivered. 410 Gone:
 * failed, and the webhook is switched off. Another refusal: failed. A receiver that is down or
 * slow: tried again with backoff; too many deliveries in a row failing for good switch the
 * webhook off (SECURITY 22). Nothing else waits on a webhook.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import type { JobHandle } from '../../core/jobs.js';
import { postWebhook, type WebhookOutcome } from '../channels/api/webhook-post.js';
import { allowListOf } from '../channels/api/webhook-target.js';

/** Deliveries in a row that failed for good before the webhook is switched off. */
export const DISABLE_AFTER = 10;

export interface WebhookJob {
  accountId: string;
  deliveryId: string;
}

export async function deliverWebhook(ctx: AppContext, job: JobHandle<WebhookJob>): Promise<void> {
  const { accountId, deliveryId } = job.data;
  const ws = scoped(ctx.db, accountId);
  const delivery = await ws.selectFrom('webhook_deliveries').select(['id', 'webhook_id', 'event', 'body', 'status']).where('id', '=', deliveryId).executeTakeFirst();
  if (!delivery || delivery.status !== 'pending') return;
  const hook = await ws.selectFrom('webhooks').select(['id', 'url', 'secret', 'enabled']).where('id', '=', delivery.webhook_id).executeTakeFirst();
  const finish = async (status: 'delivered' | 'failed', attempt: { response_status?: number | null; error?: string | null }) => {
    await ws
      .updateTable('webhook_deliveries')
      .set({ status, attempts: sql<number>`attempts + 1`, response_status: attempt.response_status ?? null, error: attempt.error ?? null, finished_at: sql<Date>`now()` })
      .where('id', '=', deliveryId)
      .execute();
  };
  if (!hook) return;
  if (!hook.enabled) return finish('failed', { error: 'The webhook is switched off; switch it on and redeliver.' });

  let outcome: WebhookOutcome;
  try {
    outcome = await postWebhook({ url: hook.url, secret: ctx.box.open(hook.secret), id: delivery.id, body: delivery.body, event: delivery.event, allow: allowListOf(ctx.config.webhookAllowPrivateHosts) });
  } catch (err) {
    outcome = { kind: 'retry', reason: `Rapport could not send it: ${(err as Error).message}` };
  }
  switch (outcome.kind) {
    case 'delivered':
      await finish('delivered', { response_status: outcome.status });
      await ws.updateTable('webhooks').set({ failures: 0 }).where('id', '=', hook.id).where('failures', '>', 0).execute();
      return;
    case 'gone':
      await finish('failed', { response_status: 410, error: 'The receiver answered 410 Gone.' });
      return switchOff(ctx, accountId, hook.id, 'The receiver answered 410 Gone, so the webhook was switched off.');
    case 'refused':
      await finish('failed', { response_status: outcome.status ?? null, error: outcome.reason });
      return failedForGood(ctx, accountId, hook.id, outcome.reason);
    case 'retry':
      if (!job.lastAttempt) {
        // This attempt is logged; the delivery stays pending for the next.
        await ws.updateTable('webhook_deliveries').set({ attempts: sql<number>`attempts + 1`, response_status: outcome.status ?? null, error: outcome.reason }).where('id', '=', deliveryId).execute();
        throw new Error(outcome.reason); // tried again later, with backoff
      }
      await finish('failed', { response_status: outcome.status ?? null, error: `Gave up after ${job.retryCount + 1} attempts: ${outcome.reason}` });
      return failedForGood(ctx, accountId, hook.id, outcome.reason);
  }
}

async function switchOff(ctx: AppContext, accountId: string, webhookId: string, reason: string): Promise<void> {
  await scoped(ctx.db, accountId).updateTable('webhooks').set({ enabled: false, disabled_reason: reason, updated_at: sql<Date>`now()` }).where('id', '=', webhookId).execute();
}

async function failedForGood(ctx: AppContext, accountId: string, webhookId: string, reason: string): Promise<void> {
  const row = await scoped(ctx.db, accountId).updateTable('webhooks').set({ failures: sql<number>`failures + 1` }).where('id', '=', webhookId).returning('failures').executeTakeFirst();
  if (row && row.failures >= DISABLE_AFTER) await switchOff(ctx, accountId, webhookId, `${DISABLE_AFTER} deliveries in a row failed (last: ${reason}), so the webhook was switched off.`);
}

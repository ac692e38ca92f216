/**
 * Sends an agent's reply through a messaging provider (the worker of the `messaging.send` queue):
 * to the conversation's channel address, through the inbox's provider, once per reply even when
 * the job runs twice (claimDelivery). The provider's id of the reply is recorded so its receipts
 * (delivered, read, failed) find it. A refusal is shown on the message with the provider's
 * reason; a provider that is away is tried again with backoff, then shown as failed.
 */
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import type { JobHandle } from '../../../core/jobs.js';
import { attachmentsOf, visitorUrl } from '../../attachments/attachments.js';
import { findMessage } from '../../conversations/conversations.queries.js';
import { claimDelivery, markDelivery, markReceipt, type Delivery } from '../deliveries.js';
import { setConnection } from '../connection.js';
import { loadProviderInbox } from './inbox.js';
import { providerOf } from './providers.js';
import { ProviderError, type Outgoing } from './provider.js';
import { windowClosed, windowClosedSentence } from './window.js';

export async function sendMessagingReply(ctx: AppContext, job: JobHandle<Delivery>): Promise<void> {
  const { accountId, messageId } = job.data;
  const ws = scoped(ctx.db, accountId);
  const message = await findMessage(ctx.db, accountId, messageId).catch(() => undefined);
  if (!message || message.status !== 'pending') return;
  const conversation = await ws.selectFrom('conversations').select(['id', 'inbox_id', 'channel_address', 'last_incoming_at']).where('id', '=', message.conversation_id).executeTakeFirstOrThrow();
  const fail = (error: string) => markDelivery(ctx, accountId, messageId, { status: 'failed', error });
  const inbox = await loadProviderInbox(ctx, { accountId, inboxId: conversation.inbox_id });
  if (!inbox) return fail('This inbox has no provider settings; set them in Settings → Inboxes.');
  const provider = providerOf(inbox.channel);
  if (!conversation.channel_address) return fail(`This conversation has no ${provider.label} address to reply to.`);
  const template = (message.content_attributes as { template?: Outgoing['template'] }).template;
  if (!template && windowClosed(provider, conversation.last_incoming_at)) {
    return fail(windowClosedSentence(provider));
  }
  const files = attachmentsOf(message.content_attributes).map((f) => ({
    url: `${ctx.config.publicUrl}${visitorUrl(ctx.box, f.id)}`,
    fileName: f.file_name,
    contentType: f.content_type,
    bytes: async () => (await ws.selectFrom('attachment_blobs').select('data').where('attachment_id', '=', f.id).executeTakeFirstOrThrow()).data,
  }));

  const claim = await claimDelivery(ctx, 'messaging.send', job.data, job.id);
  if (!claim) return;
  let externalId: string;
  try {
    ({ externalId } = await provider.send(ctx, inbox, { to: conversation.channel_address, text: message.content, files, ...(template ? { template } : {}) }));
  } catch (err) {
    const known = err instanceof ProviderError;
    const reason = known ? err.message : `${provider.label} could not be reached (${(err as Error).message}).`;
    if (known && err.credentials) await setConnection(ctx, accountId, inbox.id, 'failing', reason, 'provider');
    if ((known && err.permanent) || job.lastAttempt) return fail(known && err.permanent ? reason : `The reply could not be sent after several tries: ${reason}`);
    await claim.release();
    throw err; // tried again later, with backoff
  }
  // Recorded before the status, so the provider's receipts find the reply.
  await ws
    .insertInto('external_messages', { inbox_id: inbox.id, external_id: externalId.slice(0, 250), conversation_id: conversation.id, message_id: message.id, direction: 'outgoing' })
    .onConflict((oc) => oc.columns(['inbox_id', 'external_id']).doNothing())
    .execute();
  // Forward only: a receipt may already have said "delivered".
  await markReceipt(ctx, accountId, messageId, 'sent');
  await setConnection(ctx, accountId, inbox.id, 'ok', null, 'provider');
}

/**
 * What the channels run in the background on a node: the workers of their outbound queues (email
 * replies, API inbox webhooks, messaging providers, event webhooks and their dispatcher), the IMAP fetcher and the SMTP receiver (each as configured). Started by `rapport start` after the
 * HTTP server, stopped before the database closes.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../core/context.js';
import { startEmailFetching, type EmailFetching } from './email/fetcher.js';
import { startSmtpReceiver, type SmtpReceiver } from './email/receiver.js';
import { sendEmailReply } from './email/send.js';
import { deliverApiReply } from './api/deliver.js';
import { sendMessagingReply } from './messaging/send.js';
import { deliverWebhook, type WebhookJob } from '../webhooks/deliver.js';
import { startWebhookDispatch, type WebhookDispatcher } from '../webhooks/dispatch.js';
import type { Delivery } from './deliveries.js';
import { startNotificationEmails, type NotificationEmails } from '../notifications/email.js';

export interface ChannelWorkers {
  fetching: EmailFetching | undefined;
  receiver: SmtpReceiver | undefined;
  webhooks: WebhookDispatcher;
  /** Notification emails to agents, when a system mailer is configured. */
  notificationEmails: NotificationEmails | undefined;
  stop(): Promise<void>;
}

export async function startChannelWorkers(ctx: AppContext, log: FastifyBaseLogger, options: { fetch?: boolean; receiver?: { port: number; host: string } | false } = {}): Promise<ChannelWorkers> {
  await ctx.jobs.work<Delivery>('email.send', (job) => sendEmailReply(ctx, job));
  await ctx.jobs.work<Delivery>('api.deliver', (job) => deliverApiReply(ctx, job));
  await ctx.jobs.work<Delivery>('messaging.send', (job) => sendMessagingReply(ctx, job));
  await ctx.jobs.work<WebhookJob>('webhook.deliver', (job) => deliverWebhook(ctx, job));
  const webhooks = startWebhookDispatch(ctx, log);
  const notificationEmails = await startNotificationEmails(ctx, log);
  const fetching = (options.fetch ?? ctx.config.emailFetch) ? startEmailFetching(ctx, log) : undefined;
  if (fetching) ctx.inboxChanged = () => fetching.refresh();
  const receiverAt = options.receiver ?? (ctx.config.smtpReceiverPort !== undefined ? { port: ctx.config.smtpReceiverPort, host: ctx.config.smtpReceiverHost } : false);
  const receiver = receiverAt ? await startSmtpReceiver(ctx, log, receiverAt) : undefined;
  return {
    fetching,
    receiver,
    webhooks,
    notificationEmails,
    async stop() {
      await webhooks.stop();
      await notificationEmails?.stop();
      await receiver?.close();
      await fetching?.stop();
      await ctx.jobs.offWork('email.send');
      await ctx.jobs.offWork('api.deliver');
      await ctx.jobs.offWork('messaging.send');
      await ctx.jobs.offWork('webhook.deliver');
    },
  };
}

/**
 * Notification emails to agents. A notification that a person wants by email waits (pending)
 * until its batch is due: a person gets at most one email per NOTIFICATIONS_EMAIL_BATCH_SECONDS,
 * which gathers everything meanwhile, so a busy conversation does not send fifty. Every node
 * looks for due batches every few seconds and queues one durable job per person and batch (a
 * stable job id, so several nodes queue it once); the job sends through the system mailer and is
 * retried with backoff. Everything a person typed (names, subjects, messages) is escaped in the
 * HTML and reaches headers only as one line of text (SECURITY 11, 17).
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { startSweeper } from '../../core/sweeper.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import type { JobHandle } from '../../core/jobs.js';
import { checkAddress, headerText } from '../channels/email/addresses.js';
import { whoMaySee } from './notify.js';

export interface NotificationEmailJob {
  accountId: string;
  userId: string;
}

/** How often each node looks for due batches; tests shorten it. */
export const notificationPolling = { intervalMs: 5000 };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A uuid made from a text, so the same person's same batch is one job however many nodes queue it. */
function stableId(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface NotificationEmails {
  /** Looks for due batches now (the poll does this every few seconds). */
  poll(): Promise<number>;
  stop(): Promise<void>;
}

export async function startNotificationEmails(ctx: AppContext, log: FastifyBaseLogger): Promise<NotificationEmails | undefined> {
  const { notificationsSmtpUrl: url, notificationsFrom: from } = ctx.config;
  if (!url || !from) return undefined;
  const transport: Transporter = nodemailer.createTransport(url);
  await ctx.jobs.work<NotificationEmailJob>('notification.email', (job) => sendBatch(ctx, transport, from, job));

  async function poll(): Promise<number> {
    // Due batches of every workspace: this worker serves them all. A claim left by a worker that
    // died mid-send goes back to waiting (its job's retry would find nothing claimed).
    await unscoped(ctx.db)
      .updateTable('notifications')
      .set({ email_state: 'pending' })
      .where('email_state', '=', 'sending')
      .where('email_due_at', '<', sql<Date>`now() - interval '10 minutes'`)
      .execute();
    const due = await unscoped(ctx.db)
      .selectFrom('notifications')
      .select(['account_id', 'user_id', sql<string>`string_agg(id::text, ',' order by id)`.as('ids')])
      .where('email_state', '=', 'pending')
      .where('email_due_at', '<=', sql<Date>`now()`)
      .groupBy(['account_id', 'user_id'])
      .limit(200)
      .execute();
    for (const d of due) {
      // One job per person and set of waiting notifications: every node queues the same one, and
      // a notification that joins later makes a new set (never a job that already ran).
      await ctx.jobs.send<NotificationEmailJob>('notification.email', { accountId: d.account_id, userId: d.user_id }, { id: stableId(`${d.account_id}:${d.user_id}:${d.ids}`) });
    }
    return due.length;
  }

  // One look at a time: a slow look is not overtaken by the next tick.
  const sweeper = startSweeper(async () => void (await poll()), { intervalMs: notificationPolling.intervalMs, onError: (err) => log.warn({ err }, 'could not look for due notification emails') });
  return {
    poll,
    async stop() {
      await sweeper.stop();
      await ctx.jobs.offWork('notification.email');
      transport.close();
    },
  };
}

/** Sends one person's due notifications as one email, and marks them sent. */
async function sendBatch(ctx: AppContext, transport: Transporter, from: string, job: JobHandle<NotificationEmailJob>): Promise<void> {
  const { accountId, userId } = job.data;
  const ws = scoped(ctx.db, accountId);
  // Claimed in one statement: two jobs of one person never send the same notification twice.
  const pending = await ws
    .updateTable('notifications')
    .set({ email_state: 'sending', email_due_at: sql<Date>`now()` })
    .where('id', 'in', (eb) =>
      eb.selectFrom('notifications').select('id').where('account_id', '=', accountId).where('user_id', '=', userId).where('email_state', '=', 'pending').where('email_due_at', '<=', sql<Date>`now()`).orderBy('updated_at').limit(50),
    )
    .returning(['id', 'kind', 'conversation_id', 'title', 'body', 'count', 'updated_at'])
    .execute();
  if (pending.length === 0) return;
  pending.sort((a, b) => a.updated_at.getTime() - b.updated_at.getTime());
  const ids = pending.map((p) => p.id);
  const mark = (state: 'pending' | 'sent' | 'failed' | null, which = ids) =>
    which.length ? ws.updateTable('notifications').set({ email_state: state }).where('id', 'in', which).execute() : Promise.resolve();

  // What they may no longer open (they left the inbox meanwhile) is not sent.
  const conversations = [...new Set(pending.map((p) => p.conversation_id).filter((c): c is string => c !== null))];
  const hidden = new Set<string>();
  for (const c of conversations) if ((await whoMaySee(ctx.db, accountId, [userId], c)).length === 0) hidden.add(c);
  const shown = pending.filter((p) => !p.conversation_id || !hidden.has(p.conversation_id));
  await mark(null, pending.filter((p) => !shown.includes(p)).map((p) => p.id));
  if (shown.length === 0) return;

  const user = await ctx.db.selectFrom('users').select(['email', 'name']).where('id', '=', userId).executeTakeFirst();
  const to = checkAddress(user?.email ?? '');
  if (!to.ok) return void (await mark('failed'));
  const workspace = await ctx.db.selectFrom('accounts').select('name').where('id', '=', accountId).executeTakeFirst();
  const base = ctx.config.publicUrl;
  const link = (p: (typeof shown)[number]) => (p.conversation_id ? `${base}/inbox/${p.conversation_id}` : `${base}/inbox`);
  const subject = headerText(shown.length === 1 ? shown[0].title : `${shown.length} updates in ${workspace?.name ?? 'Rapport'}`, 200);
  const text = [
    ...shown.map((p) => [headerText(p.title, 200), p.body ? p.body.slice(0, 500) : null, link(p), ''].filter((l) => l !== null).join('\n')),
    `Choose which notifications you get by email: ${base}/settings/profile`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family: sans-serif; font-size: 14px; line-height: 1.5">${shown
    .map((p) => `<p><a href="${escapeHtml(link(p))}"><strong>${escapeHtml(headerText(p.title, 200))}</strong></a>${p.body ? `<br>${escapeHtml(p.body.slice(0, 500)).replace(/\n/g, '<br>')}` : ''}</p>`)
    .join('')}<p style="color: #868e96; font-size: 12px">Choose which notifications you get by email in <a href="${escapeHtml(`${base}/settings/profile`)}">your profile</a>.</p></body></html>`;
  try {
    await transport.sendMail({
      from: { name: headerText(workspace?.name ? `${workspace.name} (Rapport)` : 'Rapport', 100), address: from },
      to: { name: headerText(user?.name ?? '', 100), address: to.address },
      subject,
      text,
      html,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      messageId: `<${stableId(`${job.id}`)}@${from.split('@')[1]}>`,
    });
  } catch (err) {
    if (job.lastAttempt) return void (await mark('failed'));
    // Back to waiting, for the retry (or the next batch) to send.
    await mark('pending');
    throw err;
  }
  await mark('sent', shown.map((p) => p.id));
}

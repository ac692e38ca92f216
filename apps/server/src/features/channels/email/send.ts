/**
 * Sends an agent's reply by email (the worker of the `email.send` queue): through the inbox's own
 * SMTP server, to the customer's address checked by our own code, with a stable Message-ID (the
 * message's id, so a retried attempt is the same email to the customer's client) and In-Reply-To /
 * References so the customer's mail client threads it, with the people the customer copied in as
 * Cc. A refusal is shown on the message with the
 * server's reason; a server that is away is tried again with backoff, then shown as failed.
 */
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import type { JobHandle } from '../../../core/jobs.js';
import { attachmentsOf } from '../../attachments/attachments.js';
import { findMessage } from '../../conversations/conversations.queries.js';
import { claimDelivery, markDelivery, type Delivery } from '../deliveries.js';
import { checkAddress, headerText, replySubject } from './addresses.js';
import { describeMailError, serversOf, smtpTransport } from './settings.js';
import { setConnection } from '../connection.js';

const REFERENCES = 20;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The reply as HTML: the agent's text, escaped, paragraphs and line breaks kept; nothing else. */
export function replyHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body style="font-family: sans-serif; font-size: 14px; line-height: 1.5">${paragraphs.join('')}</body></html>`;
}

const CC_MAX = 20;

/**
 * Everyone the customer copied in keeps getting the conversation, as "reply all" would: the
 * conversation's other participants, each checked by our own code (an address that does not pass
 * is left out, never sent as written), never the customer twice, our own address or a forwarding
 * address of the SMTP receiver.
 */
export function copiedIn(participants: string[], exclude: string[], forwardDomain: string): string[] {
  const skip = new Set(exclude.map((a) => a.toLowerCase()));
  const out: string[] = [];
  for (const raw of participants) {
    const checked = checkAddress(raw);
    if (!checked.ok || skip.has(checked.address)) continue;
    if (checked.address.endsWith(`@${forwardDomain}`) && checked.address.startsWith('inbox-')) continue;
    skip.add(checked.address);
    out.push(checked.address);
    if (out.length >= CC_MAX) break;
  }
  return out;
}

/** A Message-ID of ours names the message and the support address's domain. */
export const messageIdOf = (messageId: string, supportAddress: string) => `${messageId}@${supportAddress.split('@')[1] ?? 'rapport.invalid'}`;

export async function sendEmailReply(ctx: AppContext, job: JobHandle<Delivery>): Promise<void> {
  const { accountId, messageId } = job.data;
  const ws = scoped(ctx.db, accountId);
  const message = await findMessage(ctx.db, accountId, messageId).catch(() => undefined);
  // Deleted, or already sent or failed by an earlier attempt: nothing to do (a job may run twice).
  if (!message || message.status !== 'pending') return;
  const conversation = await ws.selectFrom('conversations').select(['id', 'inbox_id', 'contact_id', 'subject', 'participants']).where('id', '=', message.conversation_id).executeTakeFirstOrThrow();
  const inbox = await ws.selectFrom('inboxes').select(['id', 'name', 'email_address', 'channel_config', 'channel_secrets']).where('id', '=', conversation.inbox_id).executeTakeFirstOrThrow();
  const contact = await ws.selectFrom('contacts').select(['name', 'email']).where('id', '=', conversation.contact_id).executeTakeFirstOrThrow();

  const fail = (error: string) => markDelivery(ctx, accountId, messageId, { status: 'failed', error });
  const servers = serversOf(ctx.box, inbox);
  if (!servers.smtp) return fail('This inbox has no SMTP server to send replies through; set one in Settings → Inboxes.');
  const from = checkAddress(servers.address);
  if (!from.ok) return fail(`The inbox's support address ${from.message}; fix it in Settings → Inboxes.`);
  const to = checkAddress(contact.email ?? '');
  if (!to.ok) return fail(contact.email ? `The customer's address ${headerText(contact.email, 254)} cannot be used: it ${to.message}.` : 'The customer has no email address to reply to.');

  // The thread so far, oldest first: the newest customer email is the one this answers.
  const thread = await ws.selectFrom('external_messages').select(['external_id', 'direction']).where('conversation_id', '=', conversation.id).where('inbox_id', '=', inbox.id).orderBy('created_at').execute();
  const ids = thread.filter((t) => !t.external_id.startsWith('sha256:'));
  const inReplyTo = ids.filter((t) => t.direction === 'incoming').at(-1)?.external_id;
  const files = attachmentsOf(message.content_attributes);
  const blobs = files.length
    ? await ws.selectFrom('attachment_blobs').select(['attachment_id', 'data']).where('attachment_id', 'in', files.map((f) => f.id)).execute()
    : [];
  const ownId = messageIdOf(message.id, from.address);
  const cc = copiedIn(conversation.participants, [to.address, from.address], ctx.config.emailForwardDomain);

  const claim = await claimDelivery(ctx, 'email.send', job.data, job.id);
  if (!claim) return;

  const transport = smtpTransport(servers.smtp);
  try {
    await transport.sendMail({
      from: { name: headerText(message.user_name ? `${message.user_name} · ${inbox.name}` : inbox.name, 120), address: from.address },
      to: { name: headerText(contact.name, 120), address: to.address },
      ...(cc.length ? { cc } : {}),
      subject: replySubject(conversation.subject),
      messageId: `<${ownId}>`,
      ...(inReplyTo ? { inReplyTo: `<${inReplyTo}>` } : {}),
      ...(ids.length ? { references: ids.slice(-REFERENCES).map((t) => `<${t.external_id}>`) } : {}),
      text: message.content,
      html: replyHtml(message.content),
      attachments: files.map((f) => ({ filename: f.file_name, contentType: f.content_type, content: blobs.find((b) => b.attachment_id === f.id)?.data ?? Buffer.alloc(0) })),
      // Keep our replies out of out-of-office loops.
      headers: { 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  } catch (err) {
    const reason = describeMailError('SMTP', servers.smtp, err);
    const code = (err as { responseCode?: number; code?: string }).responseCode;
    const authFailed = /refused the user name or password/.test(reason);
    if (authFailed || (err as { code?: string }).code === 'ECONNREFUSED' || (err as { code?: string }).code === 'ETIMEDOUT') await setConnection(ctx, accountId, inbox.id, 'failing', reason, 'smtp');
    // 5xx: the server refused this email for good (a bad recipient, a rejected message).
    const permanent = (code !== undefined && code >= 500 && !authFailed) || (err as { code?: string }).code === 'EENVELOPE';
    if (permanent || job.lastAttempt) return fail(permanent ? `The mail server refused this reply: ${reason}` : `The reply could not be sent after several tries: ${reason}`);
    await claim.release();
    throw err; // tried again later, with backoff
  } finally {
    transport.close();
  }
  // Recorded before the status, so a reply to this email threads even if the next step is lost.
  await ws
    .insertInto('external_messages', { inbox_id: inbox.id, external_id: ownId, conversation_id: conversation.id, message_id: message.id, direction: 'outgoing' })
    .onConflict((oc) => oc.columns(['inbox_id', 'external_id']).doNothing())
    .execute();
  await markDelivery(ctx, accountId, messageId, { status: 'sent' });
  await setConnection(ctx, accountId, inbox.id, 'ok', null, 'smtp');
}

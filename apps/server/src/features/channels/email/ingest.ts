/**
 * An email that arrived (fetched by IMAP or received by SMTP) becomes a message in the shared
 * conversation model: parsed within limits, dropped when it is a second copy of a Message-ID the
 * inbox already has, the sender resolved to a contact by address (the same contact on every
 * channel), threaded into its conversation by In-Reply-To/References only when the sender takes
 * part in it, and stored with its files. A bounce marks the reply it bounces as failed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { insertMessage } from '../../conversations/commands/post-message.js';
import type { StoredEmail } from '../../conversations/conversations.presenter.js';
import { agentUrl, storeUpload } from '../../attachments/attachments.js';
import { markDelivery } from '../deliveries.js';
import { headerText } from './addresses.js';
import { EmailQuarantined, parseEmail, type ParsedEmail } from './parse.js';

export interface EmailInbox {
  id: string;
  account_id: string;
  email_address: string | null;
}

export type IngestOutcome = 'created' | 'appended' | 'duplicate' | 'bounce' | 'quarantined' | 'ignored';
export interface IngestResult {
  outcome: IngestOutcome;
  conversationId?: string;
  messageId?: string;
}

/** Message-IDs are up to 998 characters in theory; longer than this, the id is stored as its hash. */
const MAX_ID = 250;
const MAX_TEXT = 200_000;
const THREAD_IDS = 50;
const UNIQUE_VIOLATION = '23505';

const hashed = (raw: Buffer | string) => `sha256:${createHash('sha256').update(raw).digest('hex')}`;
const keyOf = (id: string) => (id.length > MAX_ID ? hashed(id) : id);

export async function ingestEmail(ctx: AppContext, inbox: EmailInbox, raw: Buffer): Promise<IngestResult> {
  let parsed: ParsedEmail;
  try {
    parsed = await parseEmail(raw, { maxBytes: ctx.config.emailMaxBytes });
  } catch (err) {
    if (!(err instanceof EmailQuarantined)) throw err;
    return keepAside(ctx, inbox, raw, err.reason, raw.length <= ctx.config.emailMaxBytes);
  }
  const externalId = parsed.messageId ? keyOf(parsed.messageId) : hashed(raw);
  const ws = scoped(ctx.db, inbox.account_id);
  const seen = await ws.selectFrom('external_messages').select('conversation_id').where('inbox_id', '=', inbox.id).where('external_id', '=', externalId).executeTakeFirst();
  if (seen) return { outcome: 'duplicate', conversationId: seen.conversation_id };

  if (parsed.automated?.kind === 'bounce') {
    const bounced = await bounce(ctx, inbox, parsed);
    if (bounced) return bounced;
  }
  const sender = parsed.from?.address ?? parsed.replyTo[0]?.address;
  if (!sender) return keepAside(ctx, inbox, raw, 'The email has no sender address (From).', true);
  // Our own mail coming back (a loop through a forwarding rule): never a customer message.
  if (inbox.email_address && sender === inbox.email_address) return { outcome: 'ignored' };

  const contactId = await contactFor(ctx, inbox.account_id, sender, parsed.from?.name ?? '');
  const conversation = await threadFor(ctx, inbox, parsed, sender, contactId);
  const { ids: attachmentIds, blocked, cids } = await storeFiles(ctx, inbox, contactId, parsed);
  const email = storedEmail(parsed, blocked, cids);
  const content = (parsed.visibleText.trim() || parsed.text.trim()).slice(0, MAX_TEXT);

  try {
    const result = await ctx.db.transaction().execute(async (trx) => {
      const tws = scoped(trx, inbox.account_id);
      let conversationId = conversation;
      if (!conversationId) {
        const participants = [...new Set([sender, ...parsed.cc.map((a) => a.address), ...parsed.to.map((a) => a.address)])].filter((a) => a && a !== inbox.email_address).slice(0, 50);
        const created = await tws
          .insertInto('conversations', { inbox_id: inbox.id, contact_id: contactId, subject: headerText(parsed.subject, 200) || '(no subject)', participants })
          .returning('id')
          .executeTakeFirstOrThrow();
        conversationId = created.id;
      }
      const message = await insertMessage(trx, inbox.account_id, {
        conversationId,
        content,
        author: { type: 'contact', id: contactId },
        attachmentIds,
        contentAttributes: { email, external_id: externalId },
      });
      // The unique key refuses a copy that arrived at the same instant (another node, a second fetch).
      await tws.insertInto('external_messages', { inbox_id: inbox.id, external_id: externalId, conversation_id: conversationId, message_id: message.id, direction: 'incoming' }).execute();
      return { outcome: (conversation ? 'appended' : 'created') as IngestOutcome, conversationId, messageId: message.id };
    });
    ctx.outbox.kick();
    return result;
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    // The other copy won: its files are the ones kept.
    if (attachmentIds.length) await ws.deleteFrom('attachments').where('id', 'in', attachmentIds).where('message_id', 'is', null).execute();
    const winner = await ws.selectFrom('external_messages').select('conversation_id').where('inbox_id', '=', inbox.id).where('external_id', '=', externalId).executeTakeFirst();
    if (!winner) throw err;
    return { outcome: 'duplicate', conversationId: winner.conversation_id };
  }
}

/** The contact with this address (an address is one identity across every channel), made on first contact. */
export async function contactFor(ctx: AppContext, accountId: string, address: string, name: string): Promise<string> {
  const ws = scoped(ctx.db, accountId);
  const find = () => ws.selectFrom('contact_identities').select('contact_id').where('kind', '=', 'email').where('value', '=', address).where('inbox_id', 'is', null).executeTakeFirst();
  const known = await find();
  if (known) return known.contact_id;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const tws = scoped(trx, accountId);
      // A contact an agent (or a verified sign-in) gave this address, that has no email identity yet.
      const listed = await tws.selectFrom('contacts').select('id').where(sql`lower(email)`, '=', address).orderBy('created_at').limit(1).executeTakeFirst();
      const contact =
        listed ??
        (await tws
          .insertInto('contacts', { name: headerText(name, 120) || address.split('@')[0], email: address })
          .returning('id')
          .executeTakeFirstOrThrow());
      // The From line can be forged, so the address is not "verified" (a verified id is a widget sign-in).
      await tws.insertInto('contact_identities', { contact_id: contact.id, kind: 'email', value: address, inbox_id: null, verified: false }).execute();
      return contact.id;
    });
  } catch (err) {
    // Two first emails from one person at once: the other made the contact.
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    const winner = await find();
    if (!winner) throw err;
    return winner.contact_id;
  }
}

/**
 * The conversation a reply belongs to: one that holds a message the email names in In-Reply-To or
 * References, and only if the sender takes part in it (its customer or someone copied in). A
 * stranger who knows or guesses the ids gets a new conversation instead: nothing is appended to
 * someone else's thread, nothing of it is shown to them. A new subject is a new conversation.
 */
async function threadFor(ctx: AppContext, inbox: EmailInbox, parsed: ParsedEmail, sender: string, contactId: string): Promise<string | null> {
  const ws = scoped(ctx.db, inbox.account_id);
  const ids = [...parsed.inReplyTo, ...[...parsed.references].reverse()].map(keyOf).slice(0, THREAD_IDS);
  // A sender the receiving server could not authenticate (failed DMARC) may be forging the From
  // of a customer: it never joins that customer's conversations.
  if (ids.length && !parsed.authentication.suspicious) {
    const found = await ws
      .selectFrom('external_messages')
      .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'external_messages.conversation_id').onRef('c.account_id', '=', 'external_messages.account_id'))
      .select(['c.id', 'c.contact_id', 'c.participants', 'external_messages.external_id'])
      .where('external_messages.inbox_id', '=', inbox.id)
      .where('external_messages.external_id', 'in', ids)
      .execute();
    // The most direct reference first (In-Reply-To, then the newest of References).
    found.sort((a, b) => ids.indexOf(a.external_id) - ids.indexOf(b.external_id));
    const own = found.find((c) => c.contact_id === contactId || c.participants.includes(sender));
    if (own) return own.id;
  }
  // Scripted mail from one address: past the cap, it joins that sender's latest conversation
  // instead of opening more (nothing is dropped; agents see one growing thread, not a flood).
  try {
    await ctx.limiters.newEmailConversationsPerSender.hit(`${inbox.id}:${sender}`);
    return null;
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'rate_limited') throw err;
    const latest = await ws.selectFrom('conversations').select('id').where('inbox_id', '=', inbox.id).where('contact_id', '=', contactId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return latest?.id ?? null;
  }
}

interface StoredFiles {
  ids: string[];
  blocked: Array<{ file_name: string; reason: string }>;
  /** Content-ID → attachment id, for the inline images of the HTML. */
  cids: Map<string, string>;
}

/** Files are checked by content as uploads are; one that may not be kept is named with the reason, not stored. */
async function storeFiles(ctx: AppContext, inbox: EmailInbox, contactId: string, parsed: ParsedEmail): Promise<StoredFiles> {
  const out: StoredFiles = { ids: [], blocked: [], cids: new Map() };
  for (const file of parsed.attachments.slice(0, 50)) {
    if (file.size > ctx.config.attachmentMaxBytes) {
      out.blocked.push({ file_name: file.filename, reason: `larger than ${Math.round(ctx.config.attachmentMaxBytes / 1048576)} MB` });
      continue;
    }
    try {
      const stored = await storeUpload(ctx.db, { accountId: inbox.account_id, inboxId: inbox.id, conversationId: null, uploader: { type: 'contact', id: contactId }, fileName: file.filename, bytes: file.content, quotaBytes: ctx.config.storageQuotaBytes });
      out.ids.push(stored.id);
      if (file.contentId) out.cids.set(file.contentId, stored.id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.blocked.push({ file_name: file.filename, reason: err.message });
    }
  }
  // A message names at most 10 files; the rest are kept in the email's record only by name.
  for (const id of out.ids.splice(10)) out.blocked.push({ file_name: id, reason: 'more than 10 files in one email' });
  return out;
}

function storedEmail(parsed: ParsedEmail, blocked: StoredFiles['blocked'], cids: Map<string, string>): StoredEmail {
  // Inline images point at the stored files (served to agents through the conversation's visibility).
  const inline = (html: string | null) => html?.replace(/src="cid:([^"]+)"/g, (whole, cid: string) => (cids.has(cid) ? `src="${agentUrl(cids.get(cid)!)}"` : 'data-missing-cid=""')) ?? null;
  return {
    subject: headerText(parsed.subject, 500),
    from: parsed.from,
    to: parsed.to.slice(0, 50),
    cc: parsed.cc.slice(0, 50),
    html: inline(parsed.html),
    html_visible: inline(parsed.visibleHtml),
    text: parsed.text.slice(0, MAX_TEXT),
    has_quoted: parsed.hasQuoted,
    remote_images: parsed.remoteImages,
    suspicious: parsed.authentication.suspicious ? parsed.authentication.reason : null,
    automated: parsed.automated?.kind ?? null,
    blocked_attachments: blocked,
  };
}

/** A delivery report for one of our replies marks that reply failed with the server's reason. */
async function bounce(ctx: AppContext, inbox: EmailInbox, parsed: ParsedEmail): Promise<IngestResult | null> {
  const original = parsed.bounce?.originalMessageId;
  if (!original) return null;
  const ws = scoped(ctx.db, inbox.account_id);
  const sent = await ws.selectFrom('external_messages').select(['message_id', 'conversation_id']).where('inbox_id', '=', inbox.id).where('external_id', '=', keyOf(original)).where('direction', '=', 'outgoing').executeTakeFirst();
  if (!sent?.message_id) return null;
  const who = parsed.bounce?.recipient ? ` to ${parsed.bounce.recipient}` : '';
  const why = headerText(parsed.bounce?.diagnostic ?? parsed.bounce?.status ?? 'no reason given', 300);
  await markDelivery(ctx, inbox.account_id, sent.message_id, { status: 'failed', error: `The customer's mail server could not deliver this reply${who}: ${why}` });
  return { outcome: 'bounce', conversationId: sent.conversation_id, messageId: sent.message_id };
}

/**
 * An email that cannot be read safely (over the size or part limits, or a parse that would not
 * end) is kept, not lost: a conversation from the sender tells agents why and holds the original
 * as a file to download (not opened in the browser).
 */
export async function keepAside(ctx: AppContext, inbox: EmailInbox, raw: Buffer, reason: string, keepOriginal: boolean): Promise<IngestResult> {
  const externalId = hashed(raw);
  const ws = scoped(ctx.db, inbox.account_id);
  const seen = await ws.selectFrom('external_messages').select('conversation_id').where('inbox_id', '=', inbox.id).where('external_id', '=', externalId).executeTakeFirst();
  if (seen) return { outcome: 'duplicate', conversationId: seen.conversation_id };
  // The sender as the header says, read without parsing the body; else a placeholder contact.
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const from = /^from:.*?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/im.exec(head)?.[1]?.toLowerCase() ?? 'unknown-sender@invalid';
  const contactId = await contactFor(ctx, inbox.account_id, from, '');
  // The original is kept as a download, unless its size is the very reason it was refused.
  const keep = keepOriginal && raw.length > 0;
  const file = { id: randomUUID(), file_name: 'original-email.eml', content_type: 'application/octet-stream', byte_size: raw.length, width: null, height: null, inline: false };
  const result = await ctx.db.transaction().execute(async (trx) => {
    const tws = scoped(trx, inbox.account_id);
    const created = await tws.insertInto('conversations', { inbox_id: inbox.id, contact_id: contactId, subject: 'Email kept aside: it could not be read safely', participants: [] }).returning('id').executeTakeFirstOrThrow();
    const message = await insertMessage(trx, inbox.account_id, {
      conversationId: created.id,
      content: `This email was kept aside and not shown: ${reason}${keep ? ' The original is attached as a file.' : ''}`,
      author: { type: 'system' },
      contentAttributes: { quarantined: { reason, byte_size: raw.length }, external_id: externalId, ...(keep ? { attachments: [file] } : {}) },
    });
    if (keep) {
      await tws
        .insertInto('attachments', { id: file.id, inbox_id: inbox.id, conversation_id: created.id, message_id: message.id, uploaded_by_contact_id: contactId, file_name: file.file_name, content_type: file.content_type, byte_size: raw.length, sha256: createHash('sha256').update(raw).digest('hex') })
        .execute();
      await tws.insertInto('attachment_blobs', { attachment_id: file.id, data: raw }).execute();
    }
    await tws.insertInto('external_messages', { inbox_id: inbox.id, external_id: externalId, conversation_id: created.id, message_id: message.id, direction: 'incoming' }).execute();
    return { outcome: 'quarantined' as const, conversationId: created.id, messageId: message.id };
  });
  ctx.outbox.kick();
  return result;
}

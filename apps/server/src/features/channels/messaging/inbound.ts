/**
 * What a messaging provider delivers becomes the shared conversation model, the same way for every
 * provider: a customer message is dropped when the inbox already has the provider's id for it
 * (providers deliver at least once, sometimes twice at the same instant: the primary key of
 * external_messages decides); the sender is resolved to a contact by their address (a phone number
 * is the same contact on SMS, WhatsApp and the phone; a chat id belongs to the inbox); it joins the
 * customer's conversation in this inbox unless that one was resolved, when a new one starts; the
 * files are downloaded safely and checked like uploads. A receipt moves one of our replies forward
 * (sent → delivered → read) or marks it failed with the provider's reason.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { insertMessage } from '../../conversations/commands/post-message.js';
import { recordContactUpdated } from '../../contacts/contacts.events.js';
import { storeUpload } from '../../attachments/attachments.js';
import { markReceipt } from '../deliveries.js';
import { headerText } from '../email/addresses.js';
import { checkPhone } from '../api/api.contacts.js';
import { downloadMedia, MediaRefused } from './http.js';
import type { InboundMessage, Provider, ProviderInbox, Receipt, WatermarkReceipt } from './provider.js';

export type InboundOutcome = 'created' | 'appended' | 'duplicate';
export interface InboundResult {
  outcome: InboundOutcome;
  conversationId: string;
  messageId?: string;
}

const UNIQUE_VIOLATION = '23505';
const MAX_TEXT = 20_000;
const MAX_FILES = 10;

const isUnique = (err: unknown) => (err as { code?: string }).code === UNIQUE_VIOLATION;

/** The contact behind a channel address, made on first contact (a concurrent twin's insert fails and this finds it). */
export async function contactForAddress(ctx: AppContext, inbox: ProviderInbox, kind: 'phone' | 'handle', address: string, name: string): Promise<string> {
  const ws = scoped(ctx.db, inbox.account_id);
  const scope = kind === 'phone' ? null : inbox.id;
  const find = () => {
    const q = ws.selectFrom('contact_identities').select('contact_id').where('kind', '=', kind).where('value', '=', address);
    return (scope ? q.where('inbox_id', '=', scope) : q.where('inbox_id', 'is', null)).executeTakeFirst();
  };
  const known = await find();
  if (known) return known.contact_id;
  const shownName = headerText(name, 120) || (kind === 'phone' ? address : `${inbox.name} customer`);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const tws = scoped(trx, inbox.account_id);
      // A contact an agent gave this number, that has no phone identity yet.
      const listed = kind === 'phone' ? await tws.selectFrom('contacts').select('id').where('phone', '=', address).orderBy('created_at').limit(1).executeTakeFirst() : undefined;
      const contact = listed ?? (await tws.insertInto('contacts', { name: shownName, phone: kind === 'phone' ? address : null }).returning('id').executeTakeFirstOrThrow());
      // The provider vouches for the number or id (it delivered from it), not for a name.
      await tws.insertInto('contact_identities', { contact_id: contact.id, kind, value: address, inbox_id: scope, verified: true }).execute();
      if (listed) await recordContactUpdated(trx, inbox.account_id, contact.id, ['identities']);
      return contact.id;
    });
  } catch (err) {
    if (!isUnique(err)) throw err;
    const winner = await find();
    if (!winner) throw err;
    return winner.contact_id;
  }
}

/** The address as stored: a phone number in E.164 form; other ids as given (bounded). */
function addressOf(provider: Provider, raw: string): string {
  if (provider.addressKind !== 'phone') return raw.slice(0, 200);
  const checked = checkPhone(raw.replace(/^whatsapp:/, ''));
  if (!checked.ok) throw new AppError('validation_failed', `The sender ${raw.slice(0, 40)} is not a phone number.`);
  return checked.phone;
}

interface StoredFiles {
  ids: string[];
  blocked: Array<{ file_name: string; reason: string }>;
}

/** Downloads and checks the files; one that cannot be kept is named with the reason, the message is stored anyway. */
async function storeMedia(ctx: AppContext, provider: Provider, inbox: ProviderInbox, contactId: string, message: InboundMessage): Promise<StoredFiles> {
  const out: StoredFiles = { ids: [], blocked: [] };
  for (const [i, media] of message.media.entries()) {
    const fileName = media.fileName || `${inbox.channel}-file-${i + 1}`;
    if (i >= MAX_FILES) {
      out.blocked.push({ file_name: fileName, reason: `more than ${MAX_FILES} files in one message` });
      continue;
    }
    try {
      const where = await provider.mediaUrl(ctx, inbox, media);
      const { bytes } = await downloadMedia(ctx, where.url, where.headers);
      const stored = await storeUpload(ctx.db, { accountId: inbox.account_id, inboxId: inbox.id, conversationId: null, uploader: { type: 'contact', id: contactId }, fileName, bytes, quotaBytes: ctx.config.storageQuotaBytes });
      out.ids.push(stored.id);
    } catch (err) {
      if (err instanceof MediaRefused || err instanceof AppError) out.blocked.push({ file_name: fileName, reason: err.message });
      else out.blocked.push({ file_name: fileName, reason: `it could not be downloaded (${(err as Error).message})` });
    }
  }
  return out;
}

/**
 * The customer's conversation at this address in this inbox, inside the caller's transaction:
 * their latest one unless it was resolved, else a new one with this subject. One sender at a time
 * per inbox (an advisory lock), so two first messages or calls at once make one conversation.
 */
export async function conversationForAddress(trx: Transaction<DB>, inbox: ProviderInbox, address: string, contactId: string, subject: string): Promise<{ id: string; created: boolean }> {
  const tws = scoped(trx, inbox.account_id);
  await sql`select pg_advisory_xact_lock(hashtext(${`channel-address:${inbox.id}:${address}`}))`.execute(trx);
  const current = await tws.selectFrom('conversations').select(['id', 'status', 'merged_into_id']).where('inbox_id', '=', inbox.id).where('channel_address', '=', address).orderBy('last_message_at', 'desc').limit(1).executeTakeFirst();
  if (current && current.status !== 'resolved') return { id: current.id, created: false };
  const survivor = current?.merged_into_id ? await mergedConversationFor(trx, inbox, address, current.merged_into_id) : null;
  if (survivor) return { id: survivor, created: false };
  const made = await tws.insertInto('conversations', { inbox_id: inbox.id, contact_id: contactId, subject: headerText(subject, 80), channel_address: address }).returning('id').executeTakeFirstOrThrow();
  return { id: made.id, created: true };
}

/** Merges of merges are followed this far (a merge into a merged conversation is refused, so chains stay short). */
const MERGE_HOPS = 10;

/**
 * Where the customer's next message goes when their latest conversation here was merged into
 * another: that one (through merges of merges) while it is open and answers on the same channel
 * identity, this inbox and this address (one without an address yet takes this one). A
 * conversation in another inbox does not take it: its replies go out through its own channel, so
 * a customer who texted would be answered by email, or from another number; their text starts a
 * conversation here instead, as it does after a resolved one.
 */
async function mergedConversationFor(trx: Transaction<DB>, inbox: ProviderInbox, address: string, mergedInto: string): Promise<string | null> {
  const tws = scoped(trx, inbox.account_id);
  let next: string | null = mergedInto;
  for (let hop = 0; next && hop < MERGE_HOPS; hop++) {
    const c = await tws.selectFrom('conversations').select(['id', 'inbox_id', 'status', 'channel_address', 'merged_into_id']).where('id', '=', next).executeTakeFirst();
    if (!c) return null;
    if (c.merged_into_id) {
      next = c.merged_into_id;
      continue;
    }
    if (c.status === 'resolved' || c.inbox_id !== inbox.id || (c.channel_address !== null && c.channel_address !== address)) return null;
    if (c.channel_address === null) await tws.updateTable('conversations').set({ channel_address: address }).where('id', '=', c.id).execute();
    return c.id;
  }
  return null;
}

export async function receiveMessage(ctx: AppContext, provider: Provider, inbox: ProviderInbox, message: InboundMessage): Promise<InboundResult> {
  const ws = scoped(ctx.db, inbox.account_id);
  const externalId = message.externalId.slice(0, 250);
  const seenBefore = () => ws.selectFrom('external_messages').select(['conversation_id', 'message_id']).where('inbox_id', '=', inbox.id).where('external_id', '=', externalId).executeTakeFirst();
  const seen = await seenBefore();
  if (seen) return { outcome: 'duplicate', conversationId: seen.conversation_id };

  const address = addressOf(provider, message.from);
  const contactId = await contactForAddress(ctx, inbox, provider.addressKind, address, message.name ?? '');
  const files = await storeMedia(ctx, provider, inbox, contactId, message);
  const text = message.text.trim().slice(0, MAX_TEXT) || message.note || (files.ids.length || files.blocked.length ? '' : '(an empty message)');

  try {
    const result = await ctx.db.transaction().execute(async (trx) => {
      const tws = scoped(trx, inbox.account_id);
      const { id: conversationId, created } = await conversationForAddress(trx, inbox, address, contactId, text || message.note || 'New message');
      const stored = await insertMessage(trx, inbox.account_id, {
        conversationId,
        content: text,
        author: { type: 'contact', id: contactId },
        attachmentIds: files.ids,
        contentAttributes: { external_id: externalId, ...(files.blocked.length ? { blocked_attachments: files.blocked } : {}) },
      });
      await tws.insertInto('external_messages', { inbox_id: inbox.id, external_id: externalId, conversation_id: conversationId, message_id: stored.id, direction: 'incoming' }).execute();
      // Said where the agents read, after the message: the files that were not kept, and what the message meant (an unsubscribe).
      const notes = [...files.blocked.map((b) => `A file the customer sent was not kept: ${b.file_name} (${b.reason}).`), ...(message.systemNote ? [message.systemNote] : [])];
      for (const note of notes) await insertMessage(trx, inbox.account_id, { conversationId, content: note, author: { type: 'system' } });
      return { outcome: (created ? 'created' : 'appended') as InboundOutcome, conversationId, messageId: stored.id };
    });
    ctx.outbox.kick();
    return result;
  } catch (err) {
    if (!isUnique(err)) throw err;
    // Another delivery of the same message won: its files are the ones kept.
    if (files.ids.length) await ws.deleteFrom('attachments').where('id', 'in', files.ids).where('message_id', 'is', null).execute();
    const winner = await seenBefore();
    if (!winner) throw err;
    return { outcome: 'duplicate', conversationId: winner.conversation_id };
  }
}

/**
 * A watermark: every reply to the address that went out by then was delivered or read. The time
 * the provider's id was recorded is just after the send, so a reply still queued is never swept.
 */
async function receiveWatermark(ctx: AppContext, inbox: ProviderInbox, receipt: WatermarkReceipt): Promise<boolean> {
  const behind: Array<'sent' | 'delivered'> = receipt.status === 'read' ? ['sent', 'delivered'] : ['sent'];
  const replies = await scoped(ctx.db, inbox.account_id)
    .selectFrom('external_messages')
    .innerJoin('conversations', (j) => j.onRef('conversations.id', '=', 'external_messages.conversation_id').onRef('conversations.account_id', '=', 'external_messages.account_id'))
    .innerJoin('messages', (j) => j.onRef('messages.id', '=', 'external_messages.message_id').onRef('messages.account_id', '=', 'external_messages.account_id'))
    .select('messages.id')
    .where('external_messages.inbox_id', '=', inbox.id)
    .where('external_messages.direction', '=', 'outgoing')
    .where('external_messages.created_at', '<=', receipt.upTo)
    .where('conversations.channel_address', '=', receipt.address.slice(0, 200))
    .where('messages.status', 'in', behind)
    .limit(500)
    .execute();
  for (const reply of replies) await markReceipt(ctx, inbox.account_id, reply.id, receipt.status);
  return replies.length > 0;
}

/** A delivery or read receipt for one of our replies; a receipt for something we never sent is ignored. */
export async function receiveReceipt(ctx: AppContext, inbox: ProviderInbox, receipt: Receipt): Promise<boolean> {
  if ('upTo' in receipt) return receiveWatermark(ctx, inbox, receipt);
  const sent = await scoped(ctx.db, inbox.account_id)
    .selectFrom('external_messages')
    .select(['message_id'])
    .where('inbox_id', '=', inbox.id)
    .where('external_id', '=', receipt.externalId.slice(0, 250))
    .where('direction', '=', 'outgoing')
    .executeTakeFirst();
  if (!sent?.message_id) return false;
  await markReceipt(ctx, inbox.account_id, sent.message_id, receipt.status, receipt.error);
  return true;
}

/**
 * An email that arrived (fetched by IMAP or received by SMTP) becomes a message in the shared
 * conversation model: parsed within limits, dropped when it is a second copy of a Message-ID the
 * inbox already has, the sender resolved to a contact by address (the same contact on every
 * channel), threaded into its conversation by In-Reply-To/References only when the sender takes
 * part in it, and stored with its files. A bounce marks the reply it bounces as failed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { insertMessage, insertMessages } from '../../conversations/commands/post-message.js';
import type { StoredEmail } from '../../conversations/conversations.presenter.js';
import { agentUrl, checkUpload, MAX_PER_MESSAGE, storeUploads, type AttachmentSummary, type CheckedUpload } from '../../attachments/attachments.js';
import { markDelivery } from '../deliveries.js';
import { recordContactUpdated } from '../../contacts/contacts.events.js';
import { headerText } from './addresses.js';
import { EmailQuarantined, type ParsedEmail } from './parse.js';
import { emailParsePool } from './parse-pool.js';

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

/** A message of a batch that could not be stored (the others were): the error, for the caller to try it again. */
export interface IngestFailure {
  outcome: 'failed';
  error: unknown;
}
export type IngestAnswer = IngestResult | IngestFailure;

/** At most this many messages are written in one transaction. */
const CHUNK_MAX = 50;

/** Ingests one email (the SMTP receiver's case): a batch of one. */
export async function ingestEmail(ctx: AppContext, inbox: EmailInbox, raw: Buffer): Promise<IngestResult> {
  const [answer] = await ingestEmails(ctx, inbox, [raw]);
  if (answer.outcome === 'failed') throw answer.error;
  return answer;
}

/**
 * Ingests the emails of one fetch, in order, answering one result each. They are parsed on the
 * parse threads while those parsed before them are written; whatever is parsed when the writer
 * is free goes in its next transaction, together (one statement per kind of row, not one per
 * message). A message that fails is answered as failed and does not stop the others: nothing of
 * it is kept, and the rest are stored.
 */
export async function ingestEmails(ctx: AppContext, inbox: EmailInbox, raws: Buffer[]): Promise<IngestAnswer[]> {
  const pool = emailParsePool();
  // Parsing starts at once; writing waits for the inbox's earlier calls, whose mail this may answer.
  const before = writing.get(inbox.id) ?? Promise.resolve();
  const done: Array<Parsed | undefined> = [];
  const parses = raws.map((raw, i) =>
    pool.parse(raw, { maxBytes: ctx.config.emailMaxBytes }).then(
      (parsed) => (done[i] = { raw, parsed }),
      (error: unknown) => (done[i] = { raw, error }),
    ),
  );
  const mine = before.then(() => writeInOrder(ctx, inbox, parses, done));
  const settled = mine.then(
    () => {},
    () => {},
  );
  writing.set(inbox.id, settled);
  void settled.then(() => writing.get(inbox.id) === settled && writing.delete(inbox.id));
  return mine;
}

/**
 * Each inbox's writes, one call after the other: a caller may hand over its next fetch before the
 * last is stored (its mail is then parsed meanwhile), and a reply in it may name mail of the last.
 */
const writing = new Map<string, Promise<void>>();

async function writeInOrder(ctx: AppContext, inbox: EmailInbox, parses: Array<Promise<Parsed>>, done: Array<Parsed | undefined>): Promise<IngestAnswer[]> {
  const answers: IngestAnswer[] = [];
  for (let at = 0; at < parses.length; ) {
    await parses[at];
    // Let in the answers that came meanwhile (a write may never yield to the event loop) before taking what is parsed.
    await new Promise((resolve) => setImmediate(resolve));
    let end = at + 1;
    while (end < parses.length && end - at < CHUNK_MAX && done[end]) end++;
    answers.push(...(await ingestParsed(ctx, inbox, done.slice(at, end) as Parsed[])));
    at = end;
  }
  return answers;
}

type Parsed = { raw: Buffer; parsed: ParsedEmail; error?: undefined } | { raw: Buffer; parsed?: undefined; error: unknown };

/** An ordinary customer email of a batch, as it will be written. */
interface Planned {
  index: number;
  raw: Buffer;
  parsed: ParsedEmail;
  externalId: string;
  sender: string;
  contactId: string;
  /** The conversation it joins, or the one it opens (its id made here). */
  conversation: { id: string; inbox_id: string; created: boolean; participants: string[] };
  /** The files to store, checked, with the Content-ID of each. */
  files: CheckedUpload[];
  contentIds: Array<string | null>;
  /** Files named in the email's record only, with the reason. */
  blocked: StoredFiles['blocked'];
}

async function ingestParsed(ctx: AppContext, inbox: EmailInbox, emails: Parsed[]): Promise<IngestAnswer[]> {
  const answers: IngestAnswer[] = new Array(emails.length);
  const ws = scoped(ctx.db, inbox.account_id);
  const keys = emails.map((e) => (e.parsed ? (e.parsed.messageId ? keyOf(e.parsed.messageId) : hashed(e.raw)) : null));
  const wanted = [...new Set(keys.filter((k): k is string => k !== null))];
  const seen = new Map(
    wanted.length ? (await ws.selectFrom('external_messages').select(['external_id', 'conversation_id']).where('inbox_id', '=', inbox.id).where('external_id', 'in', wanted).execute()).map((r) => [r.external_id, r.conversation_id]) : [],
  );
  // What is left once duplicates, bounces and mail that is not a customer's are answered.
  const mail: Array<Omit<Planned, 'contactId' | 'conversation' | 'files' | 'contentIds' | 'blocked'>> = [];
  /** A second copy of a Message-ID within the batch: answered as the first is. */
  const copies = new Map<number, number>();
  const firstOf = new Map<string, number>();
  for (const [index, email] of emails.entries()) {
    try {
      if (!email.parsed) {
        if (!(email.error instanceof EmailQuarantined)) throw email.error;
        answers[index] = await keepAside(ctx, inbox, email.raw, email.error.reason, email.raw.length <= ctx.config.emailMaxBytes);
        continue;
      }
      const { parsed, raw } = email;
      const externalId = keys[index]!;
      const stored = seen.get(externalId);
      if (stored) {
        answers[index] = { outcome: 'duplicate', conversationId: stored };
        continue;
      }
      if (firstOf.has(externalId)) {
        copies.set(index, firstOf.get(externalId)!);
        continue;
      }
      firstOf.set(externalId, index);
      if (parsed.automated?.kind === 'bounce') {
        const bounced = await bounce(ctx, inbox, parsed);
        if (bounced) {
          answers[index] = bounced;
          continue;
        }
      }
      const sender = parsed.from?.address ?? parsed.replyTo[0]?.address;
      if (!sender) answers[index] = await keepAside(ctx, inbox, raw, 'The email has no sender address (From).', true);
      // Our own mail coming back (a loop through a forwarding rule): never a customer message.
      else if (inbox.email_address && sender === inbox.email_address) answers[index] = { outcome: 'ignored' };
      else mail.push({ index, raw, parsed, externalId, sender });
    } catch (error) {
      answers[index] = { outcome: 'failed', error };
    }
  }

  if (mail.length) {
    // Two reads that do not depend on each other: on a server, side by side.
    const [contacts, threads] = await Promise.all([
      contactsFor(
        ctx,
        inbox.account_id,
        mail.map((m) => ({ address: m.sender, name: m.parsed.from?.name ?? '' })),
      ),
      namedThreads(ctx, inbox, mail),
    ]);
    const planned = await planThreads(ctx, inbox, mail.map((m) => ({ ...m, contactId: contacts.byAddress.get(m.sender)! })), threads);
    const ready: Planned[] = [];
    for (const p of planned) {
      if ('error' in p) answers[p.index] = { outcome: 'failed', error: p.error };
      else ready.push(p);
    }
    for (const [index, answer] of await writeMail(ctx, inbox, ready, contacts, emails)) answers[index] = answer;
  }
  for (const [copy, first] of copies) {
    const answer = answers[first];
    answers[copy] = answer.outcome === 'failed' ? answer : { outcome: 'duplicate', conversationId: answer.conversationId };
  }
  return answers;
}

type Thread = { id: string; inbox_id: string; contact_id: string; participants: string[]; created: boolean };

/** The Message-IDs an email names to thread by, the most direct first (In-Reply-To, then the newest of References). */
function refsOf(parsed: ParsedEmail): string[] {
  // A sender the receiving server could not authenticate (failed DMARC) may be forging the From
  // of a customer: it never joins that customer's conversations.
  return parsed.authentication.suspicious ? [] : [...parsed.inReplyTo, ...[...parsed.references].reverse()].map(keyOf).slice(0, THREAD_IDS);
}

/** The stored conversations the mail names, by Message-ID (see planThreads). */
async function namedThreads(ctx: AppContext, inbox: EmailInbox, mail: Array<{ parsed: ParsedEmail }>): Promise<Map<string, Thread>> {
  const refs = [...new Set(mail.flatMap((m) => refsOf(m.parsed)))];
  const threads = new Map<string, Thread>();
  if (!refs.length) return threads;
  const found = await scoped(ctx.db, inbox.account_id)
    .selectFrom('external_messages')
    .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'external_messages.conversation_id').onRef('c.account_id', '=', 'external_messages.account_id'))
    .select(['c.id', 'c.inbox_id', 'c.contact_id', 'c.participants', 'external_messages.external_id'])
    .where('external_messages.inbox_id', '=', inbox.id)
    .where('external_messages.external_id', 'in', refs)
    .execute();
  for (const f of found) threads.set(f.external_id, { id: f.id, inbox_id: f.inbox_id, contact_id: f.contact_id, participants: f.participants, created: false });
  return threads;
}

/**
 * The conversation of each email, in order: by In-Reply-To/References, one that holds a message
 * it names, and only if the sender takes part in it (its customer or someone copied in). A
 * stranger who knows or guesses the ids gets a new conversation instead: nothing is appended to
 * someone else's thread, nothing of it is shown to them. A new subject is a new conversation.
 * The messages of the batch count as stored ones: a reply to the mail before it in the same fetch
 * joins that mail's conversation. `threads` holds the stored ones the mail names (namedThreads).
 */
async function planThreads(
  ctx: AppContext,
  inbox: EmailInbox,
  mail: Array<Omit<Planned, 'conversation' | 'files' | 'contentIds' | 'blocked'>>,
  threads: Map<string, Thread>,
): Promise<Array<Planned | { index: number; error: unknown }>> {
  /** The conversations this batch opens, the latest per contact. */
  const opened = new Map<string, Thread>();
  const out: Array<Planned | { index: number; error: unknown }> = [];
  for (const m of mail) {
    try {
      // The most direct reference first (In-Reply-To, then the newest of References).
      let thread = refsOf(m.parsed)
        .map((id) => threads.get(id))
        .find((c) => c !== undefined && (c.contact_id === m.contactId || c.participants.includes(m.sender)));
      thread ??= await overCap(ctx, inbox, m.sender, m.contactId, opened);
      if (!thread) {
        const participants = [...new Set([m.sender, ...m.parsed.cc.map((a) => a.address), ...m.parsed.to.map((a) => a.address)])].filter((a) => a && a !== inbox.email_address).slice(0, 50);
        thread = { id: randomUUID(), inbox_id: inbox.id, contact_id: m.contactId, participants, created: true };
        opened.set(m.contactId, thread);
      }
      // Later mail of the batch may name this one.
      threads.set(m.externalId, { ...thread, created: false });
      out.push({ ...m, conversation: { id: thread.id, inbox_id: thread.inbox_id, created: thread.created, participants: thread.participants }, ...(await checkFiles(ctx, inbox, m.contactId, m.parsed)) });
    } catch (error) {
      out.push({ index: m.index, error });
    }
  }
  return out;
}

/**
 * Scripted mail from one address: past the cap on new conversations, it joins that sender's
 * latest conversation instead of opening more (nothing is dropped; agents see one growing
 * thread, not a flood). Undefined while the sender is under the cap (or has no conversation).
 */
async function overCap<T extends { id: string }>(ctx: AppContext, inbox: EmailInbox, sender: string, contactId: string, opened: Map<string, T>) {
  try {
    await ctx.limiters.newEmailConversationsPerSender.hit(`${inbox.id}:${sender}`);
    return undefined;
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'rate_limited') throw err;
    const mine = opened.get(contactId);
    if (mine) return { ...mine, created: false };
    const latest = await scoped(ctx.db, inbox.account_id)
      .selectFrom('conversations')
      .select(['id', 'inbox_id', 'contact_id', 'participants'])
      .where('inbox_id', '=', inbox.id)
      .where('contact_id', '=', contactId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return latest ? { ...latest, created: false } : undefined;
  }
}

/**
 * Writes the planned mail in one transaction: the contacts its senders are new with, their
 * files, the conversations they open, the
 * messages (see insertMessages), and their Message-IDs; their events are published after the
 * commit. When the transaction fails (a copy stored at the same instant elsewhere, one message
 * that cannot be written), nothing of it is kept and each email is tried alone, so one does not
 * cost the others.
 */
async function writeMail(ctx: AppContext, inbox: EmailInbox, planned: Planned[], contacts: BatchContacts, emails: Parsed[]): Promise<Map<number, IngestAnswer>> {
  const answers = new Map<number, IngestAnswer>();
  if (!planned.length) return answers;
  try {
    const { messages, events } = await ctx.db.transaction().execute(async (trx) => {
      const tws = scoped(trx, inbox.account_id);
      // Only the senders of mail written here: a mail that failed leaves nothing behind.
      const senders = new Set(planned.map((p) => p.contactId));
      await writeContacts(trx, inbox.account_id, { byAddress: contacts.byAddress, fresh: contacts.fresh.filter((c) => senders.has(c.id)), identities: contacts.identities.filter((i) => senders.has(i.contact_id)) });
      const stored = await storeUploads(trx, inbox.account_id, ctx.config.storageQuotaBytes, planned.flatMap((p) => p.files));
      const opened = planned.filter((p) => p.conversation.created);
      if (opened.length) {
        await tws
          .insertInto(
            'conversations',
            opened.map((p) => ({ id: p.conversation.id, inbox_id: inbox.id, contact_id: p.contactId, subject: headerText(p.parsed.subject, 200) || '(no subject)', participants: p.conversation.participants })),
          )
          .execute();
      }
      let next = 0;
      const inputs = planned.map((p) => {
        const files = filesOf(p, stored.slice(next, (next += p.files.length)));
        return {
          conversationId: p.conversation.id,
          content: (p.parsed.visibleText.trim() || p.parsed.text.trim()).slice(0, MAX_TEXT),
          author: { type: 'contact' as const, id: p.contactId },
          attachmentIds: files.ids,
          contentAttributes: { email: storedEmail(p.parsed, files.blocked, files.cids), external_id: p.externalId },
        };
      });
      const written = await insertMessages(trx, inbox.account_id, inputs, new Map(planned.map((p) => [p.conversation.id, p.conversation])));
      // The unique key refuses a copy that arrived at the same instant (another node, a second fetch).
      await tws
        .insertInto(
          'external_messages',
          planned.map((p, i) => ({ inbox_id: inbox.id, external_id: p.externalId, conversation_id: p.conversation.id, message_id: written.messages[i].id, direction: 'incoming' as const })),
        )
        .execute();
      return written;
    });
    void ctx.outbox.publishClaimed(events);
    for (const [i, p] of planned.entries()) answers.set(p.index, { outcome: p.conversation.created ? 'created' : 'appended', conversationId: p.conversation.id, messageId: messages[i].id });
    return answers;
  } catch (err) {
    if (planned.length > 1) {
      // Each again from the start, alone, against what is stored now.
      for (const p of planned) {
        const [answer] = await ingestParsed(ctx, inbox, [emails[p.index]]);
        answers.set(p.index, answer);
      }
      return answers;
    }
    const [p] = planned;
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      // The other copy won.
      const winner = await scoped(ctx.db, inbox.account_id).selectFrom('external_messages').select('conversation_id').where('inbox_id', '=', inbox.id).where('external_id', '=', p.externalId).executeTakeFirst();
      if (winner) return answers.set(p.index, { outcome: 'duplicate', conversationId: winner.conversation_id });
    }
    return answers.set(p.index, { outcome: 'failed', error: err });
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
      if (listed) await recordContactUpdated(trx, accountId, contact.id, ['identities']);
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

/** The contacts of a batch's senders; those first met are made in the batch's transaction. */
interface BatchContacts {
  byAddress: Map<string, string>;
  /** New contacts to make, ids chosen here. */
  fresh: Array<{ id: string; name: string; email: string }>;
  /** Addresses that become email identities (of a fresh contact, or of one listed with the address). */
  identities: Array<{ contact_id: string; value: string }>;
}

/**
 * The contact of each sender (see contactFor), read for the whole batch in two queries; what is
 * new is written with the batch's messages (writeMail), so a batch makes one commit, not two.
 * Should another node make one of these identities meanwhile, the unique key refuses the batch
 * and each email is tried alone, which then finds it.
 */
async function contactsFor(ctx: AppContext, accountId: string, people: Array<{ address: string; name: string }>): Promise<BatchContacts> {
  const ws = scoped(ctx.db, accountId);
  const names = new Map<string, string>();
  for (const p of people) if (!names.has(p.address)) names.set(p.address, p.name);
  const addresses = [...names.keys()];
  const found = await ws.selectFrom('contact_identities').select(['contact_id', 'value']).where('kind', '=', 'email').where('value', 'in', addresses).where('inbox_id', 'is', null).execute();
  const out: BatchContacts = { byAddress: new Map(found.map((r) => [r.value, r.contact_id])), fresh: [], identities: [] };
  const missing = addresses.filter((a) => !out.byAddress.has(a));
  if (!missing.length) return out;
  // Contacts an agent (or a verified sign-in) gave these addresses, that have no email identity yet.
  const listed = await ws.selectFrom('contacts').select(['id', sql<string>`lower(email)`.as('address')]).where(sql`lower(email)`, 'in', missing).orderBy('created_at').execute();
  for (const r of listed) if (!out.byAddress.has(r.address)) out.byAddress.set(r.address, r.id);
  for (const address of missing) {
    let id = out.byAddress.get(address);
    if (!id) {
      id = randomUUID();
      out.fresh.push({ id, name: headerText(names.get(address) ?? '', 120) || address.split('@')[0], email: address });
      out.byAddress.set(address, id);
    }
    out.identities.push({ contact_id: id, value: address });
  }
  return out;
}

/** Writes the contacts and identities a batch's senders are new with (see contactsFor). */
async function writeContacts(trx: Transaction<DB>, accountId: string, contacts: BatchContacts): Promise<void> {
  const tws = scoped(trx, accountId);
  if (contacts.fresh.length) await tws.insertInto('contacts', contacts.fresh).execute();
  // The From line can be forged, so the address is not "verified" (a verified id is a widget sign-in).
  if (contacts.identities.length) await tws.insertInto('contact_identities', contacts.identities.map((i) => ({ ...i, kind: 'email', inbox_id: null, verified: false }))).execute();
  // A contact an agent gave the address gains an identity; a fresh one is new, not changed.
  const fresh = new Set(contacts.fresh.map((c) => c.id));
  for (const listed of new Set(contacts.identities.map((i) => i.contact_id).filter((id) => !fresh.has(id)))) await recordContactUpdated(trx, accountId, listed, ['identities']);
}

interface StoredFiles {
  ids: string[];
  blocked: Array<{ file_name: string; reason: string }>;
  /** Content-ID → attachment id, for the inline images of the HTML. */
  cids: Map<string, string>;
}

/**
 * Files are checked by content as uploads are; one that may not be kept is named with the
 * reason, not stored. A message keeps at most MAX_PER_MESSAGE files; the rest are named only.
 */
async function checkFiles(ctx: AppContext, inbox: EmailInbox, contactId: string, parsed: ParsedEmail): Promise<Pick<Planned, 'files' | 'contentIds' | 'blocked'>> {
  const files: CheckedUpload[] = [];
  const contentIds: Array<string | null> = [];
  const blocked: StoredFiles['blocked'] = [];
  for (const file of parsed.attachments.slice(0, 50)) {
    if (file.size > ctx.config.attachmentMaxBytes) blocked.push({ file_name: file.filename, reason: `larger than ${Math.round(ctx.config.attachmentMaxBytes / 1048576)} MB` });
    else if (files.length >= MAX_PER_MESSAGE) blocked.push({ file_name: file.filename, reason: `more than ${MAX_PER_MESSAGE} files in one email` });
    else {
      try {
        files.push(await checkUpload({ accountId: inbox.account_id, inboxId: inbox.id, conversationId: null, uploader: { type: 'contact', id: contactId }, fileName: file.filename, bytes: file.content, quotaBytes: ctx.config.storageQuotaBytes }));
        contentIds.push(file.contentId);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        blocked.push({ file_name: file.filename, reason: err.message });
      }
    }
  }
  return { files, contentIds, blocked };
}

/** What became of an email's files once stored (`stored` answers them in order): the kept ones, and the refused ones by name. */
function filesOf(planned: Planned, stored: Array<AttachmentSummary | AppError>): StoredFiles {
  const out: StoredFiles = { ids: [], blocked: [], cids: new Map() };
  for (const [i, answer] of stored.entries()) {
    const file = planned.files[i];
    if (answer instanceof AppError) {
      out.blocked.push({ file_name: file.fileName, reason: answer.message });
      continue;
    }
    out.ids.push(answer.id);
    const contentId = planned.contentIds[i];
    if (contentId) out.cids.set(contentId, answer.id);
  }
  out.blocked.push(...planned.blocked);
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

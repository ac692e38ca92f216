/**
 * Adds a message to a conversation: the next sequence number, the conversation's state (waiting
 * for a reply, first response, reopened), and the outbox event, all in one transaction. A retry
 * with the same client message id answers the message already stored instead of a second one.
 *
 * One SQL statement writes it all (WRITE_MESSAGES). Plain messages of concurrent requests share
 * that statement (a group commit, see createWriter); a message with files or more writes runs it
 * inside its own transaction (insertMessage).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { executePrepared } from '../../../core/db/index.js';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { findMessage } from '../conversations.queries.js';
import { presentMessage, type MessageRow } from '../conversations.presenter.js';
import { claimUploads, claimUploadsOfMessages, lockUploads, lockUploadsOfMessages, type UploadUse } from '../../attachments/attachments.js';
import type { Outbox, OutboxRow } from '../../../core/outbox.js';

export type Author = { type: 'user'; id: string } | { type: 'contact'; id: string } | { type: 'system'; id?: string };

export interface NewMessageInput {
  conversationId: string;
  content: string;
  author: Author;
  private?: boolean;
  /** A system author writes a system event unless this says text (an automatic reply, such as a form's confirmation); a call is an entry of the phone channel. */
  kind?: 'text' | 'system' | 'call';
  /** 'pending' for a reply a channel still has to send (email); 'sent' otherwise. */
  status?: 'sent' | 'pending';
  clientMessageId?: string;
  contentAttributes?: Record<string, unknown>;
  /** Uploads of the author (see attachments) this message carries. */
  attachmentIds?: string[];
  /** More writes in the message's transaction (e.g. notifications), given the stored message. */
  afterInsert?: (trx: Transaction<DB>, message: MessageRow) => Promise<void>;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

async function existing(db: Kysely<DB> | Transaction<DB>, accountId: string, conversationId: string, clientMessageId: string | undefined) {
  if (!clientMessageId) return undefined;
  return scoped(db, accountId).selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('client_message_id', '=', clientMessageId).executeTakeFirst();
}

/** A message as it will be stored, built before the write; the database completes it. */
interface Draft {
  accountId: string;
  row: MessageRow;
  incoming: boolean;
  publicReply: boolean;
}

function draftOf(accountId: string, input: NewMessageInput, contentAttributes: Record<string, unknown>): Draft {
  const incoming = input.author.type === 'contact';
  // A note is the team's: an agent's, or an automation rule's (a system author); never a customer's.
  const note = input.private === true && input.author.type !== 'contact';
  return {
    accountId,
    incoming,
    publicReply: input.author.type === 'user' && !note,
    row: {
      id: randomUUID(),
      conversation_id: input.conversationId,
      seq: 0,
      kind: input.kind ?? (input.author.type === 'system' ? 'system' : 'text'),
      direction: incoming ? 'incoming' : 'outgoing',
      private: note,
      content: input.content,
      status: input.status ?? 'sent',
      client_message_id: input.clientMessageId ?? null,
      content_attributes: contentAttributes,
      created_at: new Date(),
      user_id: input.author.type === 'user' ? input.author.id : input.author.type === 'system' ? (input.author.id ?? null) : null,
      user_name: null,
      user_avatar: null,
      contact_id: input.author.type === 'contact' ? input.author.id : null,
      contact_name: null,
    },
  };
}

/**
 * $1: the messages as a JSON array; $2: their conversations' ids; $3: whether the events are
 * written as sent. An event whose message.email is its message's content_attributes.email (an
 * email: its HTML is most of the row) is sent without it (event_email) and completed here, so the
 * email crosses to the database once, not twice.
 */
const WRITE_MESSAGES = `
    with i as (
      select * from jsonb_to_recordset($1::jsonb) as x(
        ord int, id uuid, account_id uuid, conversation_id uuid, kind text, direction text, private boolean, content text, status text,
        user_id uuid, contact_id uuid, client_message_id text, content_attributes jsonb, created_at timestamptz,
        incoming boolean, public_reply boolean, event jsonb, event_email boolean)
    ), c as (
      update conversations cv set
        last_seq = cv.last_seq + 1,
        last_message_at = case when i.incoming or i.public_reply then i.created_at else cv.last_message_at end,
        unread_count = case when i.incoming then cv.unread_count + 1 when i.public_reply then 0 else cv.unread_count end,
        waiting_since = case when i.incoming then coalesce(cv.waiting_since, i.created_at) when i.public_reply then null else cv.waiting_since end,
        last_incoming_at = case when i.incoming and i.kind = 'text' then i.created_at else cv.last_incoming_at end,
        -- A customer writing again reopens a resolved or snoozed conversation.
        status = case when i.incoming and cv.status in ('resolved', 'snoozed') then 'open' else cv.status end,
        resolved_at = case when i.incoming and cv.status = 'resolved' then null else cv.resolved_at end,
        snoozed_until = case when i.incoming and cv.status = 'snoozed' then null else cv.snoozed_until end,
        first_response_at = case when i.public_reply then coalesce(cv.first_response_at, i.created_at) else cv.first_response_at end
      from i
      -- The list of ids as well as the join: the planner then knows how few rows to fetch by key.
      where cv.id = i.conversation_id and cv.account_id = i.account_id and cv.id = any($2::uuid[])
      returning i.id, i.conversation_id, cv.last_seq, cv.inbox_id, cv.contact_id
    ), a as (
      select i.id,
        (select name from users where id = i.user_id) as user_name,
        (select avatar_url from users where id = i.user_id) as user_avatar,
        (select name from contacts where id = i.contact_id and account_id = i.account_id) as contact_name
      from i
    ), m as (
      insert into messages (id, account_id, conversation_id, seq, kind, direction, private, content, status, sender_user_id, sender_contact_id, client_message_id, content_attributes, created_at)
      select i.id, i.account_id, i.conversation_id, c.last_seq, i.kind, i.direction, i.private, i.content, i.status, i.user_id, i.contact_id, i.client_message_id, i.content_attributes, i.created_at
      from i join c on c.id = i.id
      returning id
    ), o as (
      insert into outbox_events (account_id, event, conversation_id, inbox_id, published_at, payload)
      select i.account_id, 'message.created', i.conversation_id, c.inbox_id, case when $3::boolean then now() end, case
          when i.user_id is not null then jsonb_set(jsonb_set(p.doc, '{message,author,name}', to_jsonb(coalesce(a.user_name, ''))), '{message,author,avatar_url}', coalesce(to_jsonb(a.user_avatar), 'null'::jsonb))
          when i.contact_id is not null then jsonb_set(p.doc, '{message,author,name}', to_jsonb(coalesce(a.contact_name, '')))
          else p.doc end
      from i join c on c.id = i.id join a on a.id = i.id join m on m.id = i.id,
        lateral (select jsonb_set(jsonb_set(case when i.event_email then jsonb_set(i.event, '{message,email}', i.content_attributes->'email') else i.event end,
          '{message,seq}', to_jsonb(c.last_seq)), '{contact_id}', to_jsonb(c.contact_id)) as doc) p
      order by i.ord
      returning id, conversation_id
    )
    select c.id, c.last_seq, c.inbox_id, c.contact_id, a.user_name, a.user_avatar, a.contact_name, o.id as event_id
    from c join a on a.id = c.id join m on m.id = c.id join o on o.conversation_id = c.conversation_id`;

/**
 * Writes messages, at most one per conversation, in one statement: each conversation's next
 * number and state, the messages, and their outbox events, as data-modifying CTEs over the rows
 * passed as one JSON parameter. Every event is built here from what its message will be and
 * completed in SQL with what only the database knows (the number, the author's current name, the
 * conversation's customer). Written in SQL because the query builder has no update…from a record
 * set; every table is matched on account_id by hand, as scoped() would, and every value is a
 * parameter. Answers the stored messages by id; a message whose conversation does not exist (in
 * its workspace) is not written and is missing from the answer.
 */
async function writeDrafts(db: Kysely<DB> | Transaction<DB>, drafts: Draft[], claim: boolean): Promise<{ written: Map<string, MessageRow>; events: OutboxRow[] }> {
  const rows = drafts.map((d, ord) => ({
    ord,
    id: d.row.id,
    account_id: d.accountId,
    conversation_id: d.row.conversation_id,
    kind: d.row.kind,
    direction: d.row.direction,
    private: d.row.private,
    content: d.row.content,
    status: d.row.status,
    user_id: d.row.user_id,
    contact_id: d.row.contact_id,
    client_message_id: d.row.client_message_id,
    content_attributes: d.row.content_attributes,
    created_at: d.row.created_at.toISOString(),
    incoming: d.incoming,
    public_reply: d.publicReply,
    ...eventOf(d.row),
  }));
  const result = await executePrepared<{ id: string; last_seq: number; user_name: string | null; user_avatar: string | null; contact_name: string | null; event_id: number; inbox_id: string; contact_id: string }>(db, 'rapport_write_messages', WRITE_MESSAGES, [
    JSON.stringify(rows),
    drafts.map((d) => d.row.conversation_id),
    claim,
  ]);
  const byId = new Map(drafts.map((d) => [d.row.id, d.row]));
  const byDraft = new Map(drafts.map((d) => [d.row.id, d]));
  const written = new Map<string, MessageRow>();
  const events: OutboxRow[] = [];
  for (const r of result) {
    const draft = byId.get(r.id)!;
    const row: MessageRow = {
      ...draft,
      seq: r.last_seq,
      user_name: draft.user_id ? (r.user_name ?? '') : null,
      user_avatar: draft.user_id ? r.user_avatar : null,
      contact_name: draft.contact_id ? (r.contact_name ?? '') : null,
    };
    written.set(r.id, row);
    // The event as the statement stored it, made here from the same row rather than read back.
    if (claim) events.push({ id: r.event_id, account_id: byDraft.get(r.id)!.accountId, event: 'message.created', conversation_id: draft.conversation_id, inbox_id: r.inbox_id, payload: { message: presentMessage(row), contact_id: r.contact_id } });
  }
  return { written, events };
}

/** The event's document as WRITE_MESSAGES takes it: an email the row already carries is left for the statement to copy. */
function eventOf(row: MessageRow): { event: { message: ReturnType<typeof presentMessage>; contact_id: null }; event_email: boolean } {
  const message = presentMessage(row);
  const copied = message.email !== null && sameFields(message.email, row.content_attributes.email);
  return { event: { message: copied ? { ...message, email: null } : message, contact_id: null }, event_email: copied };
}

/** Whether `stored` has exactly the fields of `presented`, with the very same values (the presenter added no default). */
function sameFields(presented: object, stored: unknown): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const a = presented as Record<string, unknown>;
  const b = stored as Record<string, unknown>;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

/** A conversation as writing a message into it needs it. */
export interface KnownConversation {
  id: string;
  inbox_id: string;
}

/**
 * Writes the message inside `trx` (the caller's transaction), with its files; returns it as
 * stored. A caller that already holds the conversation (it made it in this transaction) passes it,
 * so it is not read again.
 */
export async function insertMessage(trx: Transaction<DB>, accountId: string, input: NewMessageInput, conversation?: KnownConversation): Promise<MessageRow> {
  const known = conversation ?? (await scoped(trx, accountId).selectFrom('conversations').select(['id', 'inbox_id']).where('id', '=', input.conversationId).executeTakeFirst());
  if (!known || known.id !== input.conversationId) throw notFound('Conversation');
  const { draft, files } = await draftWithFiles(trx, accountId, input, known);
  // The caller's transaction may hold more events: its flush after the commit publishes them all.
  const row = (await writeDrafts(trx, [draft], false)).written.get(draft.row.id);
  if (!row) throw notFound('Conversation');
  await claimUploads(trx, accountId, files, input.conversationId, row.id);
  await input.afterInsert?.(trx, row);
  return row;
}

/** The draft, with the uploads it names locked and checked; `files` are the ids it claims once written. */
async function draftWithFiles(trx: Transaction<DB>, accountId: string, input: NewMessageInput, conversation: KnownConversation): Promise<{ draft: Draft; files: string[] }> {
  const attachments = input.author.type === 'system' ? [] : await lockUploads(trx, accountId, input.attachmentIds ?? [], input.author, conversation);
  return { draft: draftOf(accountId, input, { ...input.contentAttributes, ...(attachments.length ? { attachments } : {}) }), files: attachments.map((a) => a.id) };
}

/**
 * Writes several messages inside `trx`, in the order given, with as few statements as the
 * sequence numbers allow: one WRITE_MESSAGES for every first message of a conversation, one more
 * for every second, and so on (a statement moves each conversation by one). The conversations
 * are the caller's (it made or read them in this transaction), so none is read again. The events
 * are written as published and handed back: the caller publishes them (outbox.publishClaimed)
 * once the transaction has committed, so no flush reads them back.
 */
export async function insertMessages(
  trx: Transaction<DB>,
  accountId: string,
  inputs: NewMessageInput[],
  conversations: ReadonlyMap<string, KnownConversation>,
): Promise<{ messages: MessageRow[]; events: OutboxRow[] }> {
  const uses: UploadUse[] = inputs.map((input) => {
    const conversation = conversations.get(input.conversationId);
    if (!conversation) throw notFound('Conversation');
    // A system line carries no uploads (see draftWithFiles).
    return input.author.type === 'system' ? { ids: [], author: null, conversation } : { ids: input.attachmentIds ?? [], author: input.author, conversation };
  });
  // Every message's files are locked and checked in one query, as draftWithFiles does for one.
  const files = await lockUploadsOfMessages(trx, accountId, uses);
  const drafts = inputs.map((input, i) => draftOf(accountId, input, files[i].length ? { ...input.contentAttributes, attachments: files[i] } : (input.contentAttributes ?? {})));
  const rounds: Draft[][] = [];
  const seen = new Map<string, number>();
  for (const draft of drafts) {
    const round = seen.get(draft.row.conversation_id) ?? 0;
    seen.set(draft.row.conversation_id, round + 1);
    (rounds[round] ??= []).push(draft);
  }
  const written = new Map<string, MessageRow>();
  const events: OutboxRow[] = [];
  for (const round of rounds) {
    const result = await writeDrafts(trx, round, true);
    for (const [id, row] of result.written) written.set(id, row);
    events.push(...result.events);
  }
  const messages = drafts.map((draft) => {
    const row = written.get(draft.row.id);
    if (!row) throw notFound('Conversation');
    return row;
  });
  await claimUploadsOfMessages(
    trx,
    accountId,
    messages.map((row, i) => ({ ids: files[i].map((f) => f.id), conversationId: row.conversation_id, messageId: row.id })),
  );
  for (const [i, row] of messages.entries()) await inputs[i].afterInsert?.(trx, row);
  return { messages, events };
}

/**
 * Plain messages (no files, nothing more to write) from concurrent requests are written together:
 * while one statement runs, the messages that arrive wait and go in the next, one statement for
 * many. Nothing waits for a timer, so a message alone is written at once; under load the database
 * makes one commit for many messages instead of one each. A statement takes at most one message
 * per conversation (the others wait for the next), so each conversation's numbers and state move
 * one message at a time.
 */
interface Pending {
  draft: Draft;
  resolve: (row: MessageRow | undefined) => void;
  reject: (err: unknown) => void;
}

const BATCH_MAX = 100;
/**
 * One statement in flight makes the largest batches (measured: a second one in parallel halves
 * them and costs a tenth of the throughput). A second starts only when the first is full or slow
 * (waiting on a conversation's row lock, say), so the messages that come while one statement
 * waits are not held by it. Those already in it wait with it: a statement is all or nothing
 * (skipping locked conversations instead cost a third of the throughput in the benchmark).
 */
const PARALLEL = 2;
const SLOW_MS = 50;

function createWriter(db: Kysely<DB>, outbox: Outbox) {
  const queue: Pending[] = [];
  let active = 0;

  function take(): Pending[] {
    const batch: Pending[] = [];
    const conversations = new Set<string>();
    for (let i = 0; i < queue.length && batch.length < BATCH_MAX; ) {
      const p = queue[i];
      if (conversations.has(p.draft.row.conversation_id)) {
        i++;
        continue;
      }
      conversations.add(p.draft.row.conversation_id);
      batch.push(p);
      queue.splice(i, 1);
    }
    return batch;
  }

  /** Pushes the batch's events (written marked as sent, so nobody reads them back) and answers its callers. */
  function settle(batch: Pending[], { written, events }: Awaited<ReturnType<typeof writeDrafts>>): void {
    void outbox.publishClaimed(events);
    for (const p of batch) p.resolve(written.get(p.draft.row.id));
  }

  async function run(batch: Pending[], since: number): Promise<void> {
    let result;
    try {
      result = await writeDrafts(
        db,
        batch.map((p) => p.draft),
        true,
      );
    } catch (err) {
      release(since);
      if (batch.length === 1) return batch[0].reject(err);
      // One message spoiled the statement (a retry meeting its first copy, say): write each alone,
      // so each gets its own answer.
      await Promise.all(batch.map((p) => writeDrafts(db, [p.draft], true).then((r) => settle([p], r), p.reject)));
      return;
    }
    // The next batch goes to the database before this one's push and answers are made.
    release(since);
    settle(batch, result);
  }

  function release(since: number): void {
    active--;
    started.splice(started.indexOf(since), 1);
    pump();
  }

  const started: number[] = [];
  let recheck: NodeJS.Timeout | undefined;
  const mayStart = () => active === 0 || (active < PARALLEL && (queue.length >= BATCH_MAX || performance.now() - Math.min(...started) >= SLOW_MS));

  function pump(): void {
    while (queue.length > 0 && mayStart()) {
      const batch = take();
      active++;
      const since = performance.now();
      started.push(since);
      void run(batch, since);
    }
    // Messages wait behind a statement: look again in a moment, in case it is a slow one.
    if (queue.length > 0 && !recheck) {
      recheck = setTimeout(() => {
        recheck = undefined;
        pump();
      }, SLOW_MS);
      recheck.unref();
    }
  }

  return (draft: Draft) =>
    new Promise<MessageRow | undefined>((resolve, reject) => {
      queue.push({ draft, resolve, reject });
      pump();
    });
}

/** What writing a message needs from the running server. */
export interface MessageContext {
  db: Kysely<DB>;
  outbox: Outbox;
}

const writers = new WeakMap<Outbox, ReturnType<typeof createWriter>>();
function writerFor(ctx: MessageContext) {
  let writer = writers.get(ctx.outbox);
  if (!writer) writers.set(ctx.outbox, (writer = createWriter(ctx.db, ctx.outbox)));
  return writer;
}

async function writeAlone(ctx: MessageContext, accountId: string, input: NewMessageInput): Promise<MessageRow> {
  const row = await writerFor(ctx)(draftOf(accountId, input, input.contentAttributes ?? {}));
  if (!row) throw notFound('Conversation');
  return row;
}

/**
 * Adds a message and pushes its event (the answer does not wait for the push). Idempotent on the
 * client message id: a retry answers the message stored first, with created false.
 */
export async function postMessage(ctx: MessageContext, accountId: string, input: NewMessageInput): Promise<{ message: MessageRow; created: boolean }> {
  const { db } = ctx;
  try {
    // Files to claim or more writes to make need a transaction; a plain message needs one statement.
    const alone = !input.attachmentIds?.length && !input.afterInsert;
    if (alone) return { message: await writeAlone(ctx, accountId, input), created: true };
    const message = await db.transaction().execute((trx) => insertMessage(trx, accountId, input));
    ctx.outbox.kick();
    return { message, created: true };
  } catch (err) {
    // A retry of a message already stored (or two deliveries of it at once): the unique index on
    // the client id refused the second, or its files were already claimed by the first; its
    // transaction rolled back. Answer the first.
    const claimed = err instanceof AppError && err.code === 'invalid_reference';
    if (!isUniqueViolation(err) && !claimed) throw err;
    const winner = await existing(db, accountId, input.conversationId, input.clientMessageId);
    if (!winner) throw err;
    return { message: await findMessage(db, accountId, winner.id), created: false };
  }
}

/**
 * Email ingested by the batch (what one IMAP fetch hands over): every message gets its own
 * answer, in order; a duplicate, a copy within the batch, a reply to mail of the same batch and
 * mail set aside are each handled as alone; one that fails leaves nothing of it behind and does
 * not cost the others, and a batch whose transaction fails is stored message by message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEmail, ingestEmails, type EmailInbox, type IngestAnswer } from '../src/features/channels/email/ingest.js';
import { scoped } from '../src/core/db/tenant.js';
import { presentMessage, type MessageRow } from '../src/features/conversations/conversations.presenter.js';
import type { Limiter } from '../src/core/rate-limit.js';
import { makeWorkspace, startTestApp, type TestApp } from './helpers.js';

const mail = (from: string, id: string, subject: string, extra = '') =>
  Buffer.from(`From: ${from}\r\nTo: support@batch.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n${extra}\r\nHello from ${from} (${id}).\r\n`);

describe('email ingested by the batch', () => {
  let t: TestApp;
  let inbox: EmailInbox;

  beforeAll(async () => {
    t = await startTestApp();
    const ws = await makeWorkspace(t, 'Batch');
    inbox = await scoped(t.ctx.db, ws.accountId)
      .insertInto('inboxes', { name: 'Support', channel: 'email', email_address: 'support@batch.example', forward_key: 'inbox-abcdefabcdefabcdefabcdef' })
      .returning(['id', 'account_id', 'email_address'])
      .executeTakeFirstOrThrow();
  });
  afterAll(() => t?.close());

  const ws = () => scoped(t.ctx.db, inbox.account_id);
  const conversationOf = (a: IngestAnswer) => (a.outcome === 'failed' ? undefined : a.conversationId);
  /** The limiter of new conversations, replaced for one test. */
  async function withLimiter<T>(hit: Limiter['hit'], run: () => Promise<T>): Promise<T> {
    const real = t.ctx.limiters.newEmailConversationsPerSender;
    t.ctx.limiters.newEmailConversationsPerSender = { ...real, hit };
    try {
      return await run();
    } finally {
      t.ctx.limiters.newEmailConversationsPerSender = real;
    }
  }

  it('answers each message in order: new, duplicate, copy within the batch, reply to the batch, own mail, set aside', async () => {
    const first = await ingestEmail(t.ctx, inbox, mail('ann@example.com', 'b-old@example.com', 'Earlier'));
    const answers = await ingestEmails(t.ctx, inbox, [
      mail('bob@example.com', 'b-1@example.com', 'Order'),
      mail('ann@example.com', 'b-old@example.com', 'Earlier'),
      mail('bob@example.com', 'b-1@example.com', 'Order'),
      mail('bob@example.com', 'b-2@example.com', 'Re: Order', 'In-Reply-To: <b-1@example.com>\r\nReferences: <b-1@example.com>\r\n'),
      mail('support@batch.example', 'b-loop@example.com', 'Loop'),
      Buffer.from('Subject: nobody\r\nMessage-ID: <b-nofrom@example.com>\r\n\r\nNo sender.\r\n'),
      mail('carl@example.com', 'b-3@example.com', 'Re: Order', 'In-Reply-To: <b-1@example.com>\r\n'),
    ]);
    expect(answers.map((a) => a.outcome)).toEqual(['created', 'duplicate', 'duplicate', 'appended', 'ignored', 'quarantined', 'created']);
    expect(conversationOf(answers[1])).toBe(first.conversationId);
    expect(conversationOf(answers[2])).toBe(conversationOf(answers[0]));
    expect(conversationOf(answers[3])).toBe(conversationOf(answers[0]));
    // A stranger naming Bob's mail gets a conversation of their own.
    expect(conversationOf(answers[6])).not.toBe(conversationOf(answers[0]));
    const stored = await ws().selectFrom('messages').select(['seq', 'content']).where('conversation_id', '=', conversationOf(answers[0])!).orderBy('seq').execute();
    expect(stored.map((m) => m.seq)).toEqual([1, 2]);
    const ids = await ws().selectFrom('external_messages').select('external_id').where('inbox_id', '=', inbox.id).where('external_id', 'like', 'b-%').execute();
    expect(ids.map((r) => r.external_id).sort()).toEqual(['b-1@example.com', 'b-2@example.com', 'b-3@example.com', 'b-old@example.com']);
  });

  it("each message of a batch keeps its own files, and its event carries the email as stored (HTML, visible part, files)", async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f5ddc90000000049454e44ae426082', 'hex');
    const withFile = (from: string, id: string, name: string) =>
      Buffer.from(
        `From: ${from}\r\nTo: support@batch.example\r\nSubject: Photo ${name}\r\nMessage-ID: <${id}>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="m"\r\n\r\n` +
          `--m\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See <b>${name}</b>.</p><img src="https://tracker.example/${name}.gif"><script>alert(1)</script>\r\n` +
          `--m\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="${name}.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${png.toString('base64')}\r\n--m--\r\n`,
      );
    const answers = await ingestEmails(t.ctx, inbox, [withFile('ivy@example.com', 'h-1@example.com', 'first'), mail('jon@example.com', 'h-2@example.com', 'Plain'), withFile('kim@example.com', 'h-3@example.com', 'second')]);
    expect(answers.map((a) => a.outcome)).toEqual(['created', 'created', 'created']);
    for (const [i, answer] of answers.entries()) {
      const id = answer.outcome === 'failed' ? '' : answer.messageId!;
      const row = await ws()
        .selectFrom('messages')
        .innerJoin('contacts', (j) => j.onRef('contacts.id', '=', 'messages.sender_contact_id').onRef('contacts.account_id', '=', 'messages.account_id'))
        .select(['messages.id', 'messages.conversation_id', 'messages.seq', 'messages.kind', 'messages.direction', 'messages.private', 'messages.content', 'messages.status', 'messages.client_message_id', 'messages.content_attributes', 'messages.created_at', 'messages.sender_contact_id as contact_id', 'contacts.name as contact_name'])
        .where('messages.id', '=', id)
        .executeTakeFirstOrThrow();
      const message = presentMessage({ ...row, user_id: null, user_name: null, user_avatar: null } as MessageRow);
      const files = await ws().selectFrom('attachments').select(['file_name', 'conversation_id']).where('message_id', '=', id).execute();
      expect(files).toEqual(i === 1 ? [] : [{ file_name: `${i === 0 ? 'first' : 'second'}.png`, conversation_id: row.conversation_id }]);
      expect(message.attachments.map((a) => a.file_name)).toEqual(files.map((f) => f.file_name));
      if (i !== 1) {
        expect(message.email?.html).toContain('data-remote-src="https://tracker.example/');
        expect(message.email?.html).not.toContain('<script');
      }
      const event = await ws().selectFrom('outbox_events').select('payload').where('event', '=', 'message.created').where('conversation_id', '=', row.conversation_id).executeTakeFirstOrThrow();
      expect((event.payload as { message: unknown }).message).toEqual(message);
    }
  });

  it('a message that fails is answered as failed with nothing of it kept; the others are stored', async () => {
    const answers = await withLimiter(
      async (key) => {
        if (key.endsWith(':dora@example.com')) throw new Error('the limiter is away');
      },
      () => ingestEmails(t.ctx, inbox, [mail('erin@example.com', 'f-1@example.com', 'One'), mail('dora@example.com', 'f-2@example.com', 'Two'), mail('erin@example.com', 'f-3@example.com', 'Three')]),
    );
    expect(answers.map((a) => a.outcome)).toEqual(['created', 'failed', 'created']);
    expect(String((answers[1] as { error: unknown }).error)).toMatch(/limiter is away/);
    expect(await ws().selectFrom('contacts').select('id').where('email', '=', 'dora@example.com').execute()).toEqual([]);
    expect(await ws().selectFrom('external_messages').select('external_id').where('external_id', '=', 'f-2@example.com').execute()).toEqual([]);
    // Tried again, it is stored.
    expect((await ingestEmail(t.ctx, inbox, mail('dora@example.com', 'f-2@example.com', 'Two'))).outcome).toBe('created');
  });

  it('a batch whose transaction fails is stored message by message: a copy stored meanwhile elsewhere is a duplicate, nothing is half written', async () => {
    const elsewhere = await ingestEmail(t.ctx, inbox, mail('hal@example.com', 'g-0@example.com', 'Elsewhere'));
    const before = await ws().selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    let raced = false;
    const answers = await withLimiter(
      async (key) => {
        // Another node commits its copy of g-2 right after this batch looked for it.
        if (!raced && key.endsWith(':gus@example.com')) {
          raced = true;
          await ws().insertInto('external_messages', { inbox_id: inbox.id, external_id: 'g-2@example.com', conversation_id: elsewhere.conversationId!, message_id: null, direction: 'incoming' }).execute();
        }
      },
      () => ingestEmails(t.ctx, inbox, [mail('gus@example.com', 'g-1@example.com', 'One'), mail('hal@example.com', 'g-2@example.com', 'Two'), mail('gus@example.com', 'g-3@example.com', 'Re: One', 'In-Reply-To: <g-1@example.com>\r\n')]),
    );
    expect(raced).toBe(true);
    expect(answers.map((a) => a.outcome)).toEqual(['created', 'duplicate', 'appended']);
    expect(conversationOf(answers[1])).toBe(elsewhere.conversationId);
    expect(conversationOf(answers[2])).toBe(conversationOf(answers[0]));
    const after = await ws().selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    // g-1 and g-3, each once.
    expect(Number(after.n) - Number(before.n)).toBe(2);
    const empty = await ws()
      .selectFrom('conversations')
      .leftJoin('messages', (j) => j.onRef('messages.conversation_id', '=', 'conversations.id').onRef('messages.account_id', '=', 'conversations.account_id'))
      .select('conversations.id')
      .where('messages.id', 'is', null)
      .execute();
    expect(empty).toEqual([]);
  });
});

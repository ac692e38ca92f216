/** Conversations and their messages: the inbox's list, one conversation, changes, replies and notes. */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { Type } from '@sinclair/typebox';
import { scoped } from '../../core/db/tenant.js';
import { recordEvent } from '../../core/outbox.js';
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { page } from '../../core/http/pagination.js';
import { IdParams, Obj, Page, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { Conversation, ConversationFilters, ConversationUpdate, Message, MessagesQuery, NewMessage } from './conversations.schema.js';
import { presentConversation, presentMessage, type ConversationRow, type MessageRow } from './conversations.presenter.js';
import { conversations, findConversation, findMessage, messages } from './conversations.queries.js';
import { queueDelivery, queueOf, retryDelivery, sendsReplies } from '../channels/deliveries.js';
import { checkReplyWindow, hasTemplates } from '../channels/messaging/window.js';
import { checkTextReply } from '../channels/messaging/providers.js';
import { postMessage } from './commands/post-message.js';
import { updateConversation } from './commands/update-conversation.js';
import { moveConversation } from './commands/move-conversation.js';
import { follow } from './commands/follow-conversation.js';
import { notify as notifyTeammates } from '../notifications/notify.js';
import { moodCondition, moodSortKey } from '../mood/mood.queries.js';
import { dateConditions, filterConditions, readCursor, readFilters, refuseInvalid } from '../search/filters.js';

export function conversationsRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  app.get(
    '/api/v1/conversations',
    {
      config: { access: 'agent' },
      attachValidation: true,
      schema: { tags: ['conversations'], summary: 'Conversations I may see, filtered and sorted (newest activity first by default)', querystring: ConversationFilters, response: { 200: Page(Conversation), ...errors(401, 403, 422) } },
    },
    async (request) => {
      refuseInvalid(request);
      const auth = member(request);
      const f = request.query;
      const filters = await readFilters(db, f, auth);
      const cursor = readCursor(f.cursor);
      const limit = f.limit ?? 50;
      const sort = f.sort ?? 'newest';
      // The sort key is never null, so one keyset cursor serves every order.
      const key =
        sort === 'waiting'
          ? sql<Date>`coalesce(conversations.waiting_since, conversations.last_message_at)`
          : sort === 'sla'
            ? sql<Date>`coalesce(sla.next_due_at, timestamptz '9999-12-31')`
            : sort === 'mood'
              ? moodSortKey
              : sql<Date>`conversations.last_message_at`;
      const dir = sort === 'newest' || sort === 'mood' ? 'desc' : 'asc';
      let q = conversations(db, auth).select(key.as('sort_at')).orderBy(key, dir).orderBy('conversations.id', dir).limit(limit + 1);
      // Sorting by SLA reads every clock, so it is joined rather than looked up per row.
      if (sort === 'sla') q = q.leftJoin('conversation_slas as sla', (j) => j.onRef('sla.conversation_id', '=', 'conversations.id').onRef('sla.account_id', '=', 'conversations.account_id'));
      // A merged conversation lives on in the one it was merged into.
      q = q.where('conversations.merged_into_id', 'is', null);
      for (const c of [...filterConditions(filters, auth.accountId), ...dateConditions(filters, sql`conversations.last_message_at`)]) q = q.where(c);
      if (f.mood) q = q.where(moodCondition(f.mood));
      if (cursor) q = q.where(sql<boolean>`(${key}, conversations.id) ${sql.raw(dir === 'desc' ? '<' : '>')} (${cursor.createdAt}, ${cursor.id})`);
      const rows = (await q.execute()) as Array<ConversationRow & { sort_at: Date }>;
      const result = page(rows, limit, (r) => r.sort_at);
      return { data: result.rows.map(presentConversation), next_cursor: result.next_cursor };
    },
  );

  app.get(
    '/api/v1/tags',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Tags in use on conversations I may see, most used first (for suggestions and filters)',
        querystring: Obj({ q: Type.Optional(Type.String({ maxLength: 40, description: 'Only tags starting with this' })) }),
        response: { 200: Type.Object({ data: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() })) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const auth = member(request);
      const tags = conversations(db, auth).clearSelect().select(sql<string>`unnest(conversations.tags)`.as('tag'));
      let q = db.selectFrom(tags.as('t')).select(['t.tag as name', sql<string>`count(*)`.as('count')]).groupBy('t.tag');
      // A prefix, matched as text (like's wildcards in it are escaped).
      if (request.query.q) q = q.where(sql<boolean>`t.tag like ${request.query.q.toLowerCase().replace(/[\\%_]/g, '\\$&') + '%'}`);
      const rows = await q.orderBy(sql`count(*)`, 'desc').orderBy(sql`t.tag collate "C"`).limit(100).execute();
      return { data: rows.map((r) => ({ name: r.name, count: Number(r.count) })) };
    },
  );

  app.get('/api/v1/conversations/:id', { config: { access: 'agent' }, schema: { tags: ['conversations'], summary: 'One conversation', params: IdParams, response: { 200: Conversation, ...errors(401, 403, 404) } } }, async (request) => {
    const row = await findConversation(db, member(request), request.params.id);
    if (!row) throw notFound('Conversation');
    return presentConversation(row);
  });

  app.patch(
    '/api/v1/conversations/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['conversations'], summary: 'Assign, change status or priority, tag, snooze or resolve', params: IdParams, body: ConversationUpdate, response: { 200: Conversation, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const auth = member(request);
      await updateConversation(db, auth, request.params.id, request.body);
      await ctx.outbox.flush();
      return presentConversation((await findConversation(db, auth, request.params.id))!);
    },
  );

  app.post(
    '/api/v1/conversations/:id/move',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Move the conversation to another inbox, to go on with the customer on another channel (continue by email when a chat visitor has left)',
        params: IdParams,
        body: Obj({ inbox_id: Uuid }),
        response: { 200: Conversation, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      await moveConversation(db, auth, request.params.id, request.body.inbox_id);
      await ctx.outbox.flush();
      return presentConversation((await findConversation(db, auth, request.params.id))!);
    },
  );

  app.post(
    '/api/v1/conversations/:id/read',
    {
      config: { access: 'agent' },
      schema: { tags: ['conversations'], summary: "Mark the conversation read: clears its unread count, and the customer's messages show as seen", params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      const changed = await db.transaction().execute(async (trx) => {
        const ws = scoped(trx, auth.accountId);
        const before = await ws.selectFrom('conversations').select(['agent_last_read_seq', 'last_seq', 'unread_count']).where('id', '=', conversation.id).forUpdate().executeTakeFirstOrThrow();
        if (before.unread_count === 0 && before.agent_last_read_seq >= before.last_seq) return false;
        await ws.updateTable('conversations').set({ unread_count: 0, agent_last_read_seq: before.last_seq }).where('id', '=', conversation.id).execute();
        const seen = await ws
          .updateTable('messages')
          .set({ status: 'read' })
          .where('conversation_id', '=', conversation.id)
          .where('direction', '=', 'incoming')
          .where('seq', '>', before.agent_last_read_seq)
          .where('seq', '<=', before.last_seq)
          .where('status', '!=', 'read')
          .returning('seq')
          .execute();
        const updated = await findConversation(trx, auth, conversation.id);
        const where = { conversationId: conversation.id, inboxId: conversation.inbox_id };
        // Reading changes none of the fields reactors and webhooks follow (`changes` says so).
        await recordEvent(trx, auth.accountId, 'conversation.updated', { conversation: presentConversation(updated!), changes: {} }, where);
        if (seen.length) await recordEvent(trx, auth.accountId, 'messages.read', { reader: 'agent', up_to_seq: before.last_seq, contact_id: conversation.contact_id }, where);
        return true;
      });
      if (changed) await ctx.outbox.flush();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/conversations/:id/messages',
    {
      config: { access: 'agent' },
      schema: { tags: ['conversations'], summary: 'Messages in order; `after` gives only those after a sequence number', params: IdParams, querystring: MessagesQuery, response: { 200: Page(Message), ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      const limit = request.query.limit ?? 200;
      const rows = (await messages(db, auth.accountId)
        .where('messages.conversation_id', '=', conversation.id)
        .where('messages.seq', '>', request.query.after ?? 0)
        .orderBy('messages.seq')
        .limit(limit + 1)
        .execute()) as MessageRow[];
      const more = rows.length > limit;
      const data = (more ? rows.slice(0, limit) : rows).map(presentMessage);
      // The next page is "after the last sequence number I got".
      return { data, next_cursor: more ? String(data[data.length - 1].seq) : null };
    },
  );

  app.post(
    '/api/v1/conversations/:id/messages',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Reply to the customer, or add a private note (private: true). Idempotent on client_message_id',
        params: IdParams,
        body: NewMessage,
        response: { 200: Message, 201: Message, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      const content = request.body.content.trim();
      const attachmentIds = request.body.attachment_ids ?? [];
      if (!content && attachmentIds.length === 0) throw emptyMessage();
      const note = request.body.private ?? false;
      const mentions = [...new Set(request.body.mentions ?? [])];
      if (mentions.length && !note) throw new AppError('validation_failed', 'Mention teammates in a private note, not in a reply to the customer.', [{ field: 'mentions', message: 'only with private: true' }]);
      await checkMentions(auth.accountId, conversation.inbox_id, mentions);
      const template = request.body.template;
      if (template && (note || !hasTemplates(conversation.channel))) throw new AppError('validation_failed', 'Templates are sent only as replies in WhatsApp conversations.', [{ field: 'template', message: note ? 'not in a private note' : `not on the ${conversation.channel} channel` }]);
      if (!note) checkTextReply(conversation.channel);
      if (!note) checkReplyWindow(conversation.channel, conversation.last_incoming_at, !!template);
      // A reply on a channel that sends it (email) is stored pending, with its send queued in the same transaction.
      const outbound = !note && sendsReplies(conversation.channel);
      const notify = async (trx: Transaction<DB>, stored: MessageRow) => {
        // Mentioned teammates follow the conversation, and hear of the mention as a notification
        // (its realtime event reaches only them).
        const by = { id: auth.userId, name: stored.user_name ?? '' };
        const mentioned = mentions.filter((id) => id !== auth.userId);
        if (mentioned.length) {
          await follow(trx, auth.accountId, conversation.id, mentioned);
          await notifyTeammates(trx, auth.accountId, mentioned, { kind: 'mention', conversationId: conversation.id, title: `${by.name || 'A teammate'} mentioned you in ${conversation.subject ? `“${conversation.subject}”` : 'a conversation'}`, body: stored.content.slice(0, 300) });
        }
        if (outbound) await queueDelivery(ctx, trx, conversation.channel, { accountId: auth.accountId, messageId: stored.id });
      };
      const { message, created } = await postMessage(ctx, auth.accountId, {
        conversationId: conversation.id,
        content,
        private: note,
        clientMessageId: request.body.client_message_id,
        attachmentIds,
        author: { type: 'user', id: auth.userId },
        ...(outbound ? { status: 'pending' as const } : {}),
        ...(mentions.length || template ? { contentAttributes: { ...(mentions.length ? { mentions } : {}), ...(template ? { template: { ...template, parameters: template.parameters ?? [] } } : {}) } } : {}),
        ...(mentions.length || outbound ? { afterInsert: notify } : {}),
      });
      if (outbound && created) ctx.jobs.notify(queueOf(conversation.channel)!);
      return reply.code(created ? 201 : 200).send(presentMessage(message));
    },
  );

  app.post(
    '/api/v1/conversations/:id/messages/:message_id/retry',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Send a reply again whose delivery failed (an email the mail server refused, say)',
        params: Obj({ id: Uuid, message_id: Uuid }),
        response: { 200: Message, ...errors(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      const found = await scoped(db, auth.accountId).selectFrom('messages').select(['id', 'status', 'direction', 'private']).where('id', '=', request.params.message_id).where('conversation_id', '=', conversation.id).executeTakeFirst();
      if (!found) throw notFound('Message');
      if (found.status !== 'failed' || found.direction !== 'outgoing' || found.private || !sendsReplies(conversation.channel))
        throw new AppError('invalid_state', 'Only a reply whose sending failed can be sent again.');
      await retryDelivery(ctx, auth.accountId, conversation.channel, found.id);
      return presentMessage(await findMessage(db, auth.accountId, found.id));
    },
  );

  /** A mentioned teammate must be in the workspace and able to open the conversation. */
  async function checkMentions(accountId: string, inboxId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const ws = scoped(db, accountId);
    const members = await ws
      .selectFrom('memberships')
      .select(['memberships.user_id', 'memberships.role'])
      .where('memberships.user_id', 'in', ids)
      .where((eb) => eb.or([eb('memberships.role', 'in', ['admin', 'owner']), eb('memberships.user_id', 'in', ws.selectFrom('inbox_members').select('inbox_members.user_id').where('inbox_members.inbox_id', '=', inboxId))]))
      .execute();
    const ok = new Set(members.map((m) => m.user_id));
    const bad = ids.filter((id) => !ok.has(id));
    if (bad.length) throw new AppError('invalid_reference', 'You can only mention teammates who work in this conversation\'s inbox.', bad.map((id) => ({ field: 'mentions', id, message: 'not a teammate who can see this conversation' })));
  }
}

const emptyMessage = () => new AppError('validation_failed', 'Write something before sending.', [{ field: 'content', message: 'must not be blank' }]);

/** Conversations and their messages. (Read side for now; replies, assignment and realtime come with live chat.) */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { decodeCursor, page } from '../../core/http/pagination.js';
import { IdParams, Nullable, Page, PageQuery, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { scoped } from '../../core/db/tenant.js';

const Ref = Type.Object({ id: Uuid, name: Type.String() });
export const Conversation = Type.Object({
  id: Uuid,
  subject: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  channel: Type.String(),
  inbox: Ref,
  contact: Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()) }),
  assignee: Nullable(Ref),
  last_message_preview: Type.String(),
  last_message_at: Timestamp,
  unread_count: Type.Integer(),
  created_at: Timestamp,
});
export const Message = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  direction: Type.String(),
  private: Type.Boolean(),
  content: Type.String(),
  author: Nullable(Type.Object({ type: Type.String(), id: Uuid, name: Type.String() })),
  created_at: Timestamp,
});

export function conversationsRoutes(app: Api, ctx: AppContext): void {
  const list = (accountId: string) =>
    scoped(ctx.db, accountId)
      .selectFrom('conversations')
      .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
      .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'conversations.contact_id').onRef('c.account_id', '=', 'conversations.account_id'))
      .leftJoin('users as u', 'u.id', 'conversations.assignee_id')
      .select((eb) => [
        'conversations.id',
        'conversations.subject',
        'conversations.status',
        'conversations.priority',
        'conversations.unread_count',
        'conversations.last_message_at',
        'conversations.created_at',
        'i.id as inbox_id',
        'i.name as inbox_name',
        'i.channel',
        'c.id as contact_id',
        'c.name as contact_name',
        'c.email as contact_email',
        'u.id as assignee_id',
        'u.name as assignee_name',
        eb
          .selectFrom('messages as m')
          .select('m.content')
          .whereRef('m.conversation_id', '=', 'conversations.id')
          .whereRef('m.account_id', '=', 'conversations.account_id')
          .where('m.private', '=', false)
          .orderBy('m.seq', 'desc')
          .limit(1)
          .as('preview'),
      ]);

  type Row = Awaited<ReturnType<ReturnType<typeof list>['execute']>>[number];
  const present = (r: Row) => ({
    id: r.id,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    inbox: { id: r.inbox_id, name: r.inbox_name },
    contact: { id: r.contact_id, name: r.contact_name, email: r.contact_email },
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    last_message_preview: (r.preview ?? '').slice(0, 200),
    last_message_at: r.last_message_at.toISOString(),
    unread_count: r.unread_count,
    created_at: r.created_at.toISOString(),
  });

  app.get(
    '/api/v1/conversations',
    { config: { access: 'agent' }, schema: { tags: ['conversations'], summary: 'Conversations, most recent activity first', querystring: PageQuery, response: { 200: Page(Conversation), ...errors(400, 401, 403) } } },
    async (request) => {
      const auth = member(request);
      const limit = request.query.limit ?? 50;
      const cursor = decodeCursor(request.query.cursor);
      let q = list(auth.accountId).orderBy('conversations.last_message_at', 'desc').orderBy('conversations.id', 'desc').limit(limit + 1);
      if (cursor) q = q.where(({ eb, tuple, refTuple }) => eb(refTuple('conversations.last_message_at', 'conversations.id'), '<', tuple(cursor.createdAt, cursor.id)));
      const result = page(await q.execute(), limit, (r) => r.last_message_at);
      return { data: result.rows.map(present), next_cursor: result.next_cursor };
    },
  );

  app.get('/api/v1/conversations/:id', { config: { access: 'agent' }, schema: { tags: ['conversations'], summary: 'One conversation', params: IdParams, response: { 200: Conversation, ...errors(401, 403, 404) } } }, async (request) => {
    const row = await list(member(request).accountId).where('conversations.id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound('Conversation');
    return present(row);
  });

  app.get(
    '/api/v1/conversations/:id/messages',
    { config: { access: 'agent' }, schema: { tags: ['conversations'], summary: 'Messages of a conversation in order', params: IdParams, response: { 200: Page(Message), ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      const ws = scoped(ctx.db, auth.accountId);
      const conversation = await ws.selectFrom('conversations').select('id').where('id', '=', request.params.id).executeTakeFirst();
      if (!conversation) throw notFound('Conversation');
      const rows = await ws
        .selectFrom('messages')
        .leftJoin('users as u', 'u.id', 'messages.sender_user_id')
        .leftJoin('contacts as c', (j) => j.onRef('c.id', '=', 'messages.sender_contact_id').onRef('c.account_id', '=', 'messages.account_id'))
        .select(['messages.id', 'messages.seq', 'messages.direction', 'messages.private', 'messages.content', 'messages.created_at', 'u.id as user_id', 'u.name as user_name', 'c.id as contact_id', 'c.name as contact_name'])
        .where('messages.conversation_id', '=', conversation.id)
        .orderBy('messages.seq')
        .limit(1000)
        .execute();
      return {
        data: rows.map((m) => ({
          id: m.id,
          seq: m.seq,
          direction: m.direction,
          private: m.private,
          content: m.content,
          author: m.user_id ? { type: 'user', id: m.user_id, name: m.user_name ?? '' } : m.contact_id ? { type: 'contact', id: m.contact_id, name: m.contact_name ?? '' } : null,
          created_at: m.created_at.toISOString(),
        })),
        next_cursor: null,
      };
    },
  );
}

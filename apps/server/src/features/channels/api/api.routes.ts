/**
 * The customer's side of an API inbox, for a custom source (a shop's app, a form, a bridge to
 * another messenger) that calls with an agent's or admin's API token: start a conversation with
 * the customer's first message, and add the customer's further messages. Only into API inboxes
 * the caller works in (admins: all of them); agents' replies go back to the source's webhook.
 */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { member, type Auth } from '../../../core/http/auth.js';
import { IdParams, Obj, Uuid, errors } from '../../../core/http/schema.js';
import type { Api } from '../../../core/http/types.js';
import { atLeast } from '../../../core/auth/roles.js';
import { Conversation, MESSAGE_MAX, Message } from '../../conversations/conversations.schema.js';
import { presentConversation, presentMessage } from '../../conversations/conversations.presenter.js';
import { findConversation, findMessage } from '../../conversations/conversations.queries.js';
import { checkContact, type FieldProblem } from './api.contacts.js';
import { addIncomingMessage, startApiConversation } from './incoming.js';

const IdempotencyKey = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[\\x21-\\x7e]+$',
  description: 'Your id for this request (printable ASCII, no spaces), such as the message id in your system: the same key answers what the first request made',
});
const Content = Type.String({ maxLength: MESSAGE_MAX, description: 'The customer’s text' });

const NewApiConversation = Obj({
  inbox_id: Uuid,
  contact: Obj({
    name: Type.Optional(Type.String({ maxLength: 120 })),
    email: Type.Optional(Type.String({ maxLength: 254, description: 'Resolves to the contact with this address on every channel' })),
    phone: Type.Optional(Type.String({ maxLength: 40, description: 'International (E.164) form, such as +4915123456789' })),
  }),
  subject: Type.Optional(Type.String({ maxLength: 200, description: 'Defaults to the start of the message' })),
  message: Obj({ content: Content }),
  idempotency_key: IdempotencyKey,
});
const NewIncomingMessage = Obj({ content: Content, idempotency_key: IdempotencyKey });
const Started = Type.Object({ conversation: Conversation, message: Message });

const invalid = (problems: FieldProblem[]) => new AppError('validation_failed', `Invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);

export function apiChannelRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  /** An inbox the caller may see (else 404, as if it did not exist), which must be an API inbox. */
  async function apiInbox(auth: Auth & { accountId: string }, inboxId: string) {
    const ws = scoped(db, auth.accountId);
    let q = ws.selectFrom('inboxes').select(['id', 'channel']).where('id', '=', inboxId);
    if (!atLeast(auth.role ?? undefined, 'admin')) q = q.where('id', 'in', ws.selectFrom('inbox_members').select('inbox_members.inbox_id').where('inbox_members.user_id', '=', auth.userId));
    const inbox = await q.executeTakeFirst();
    if (!inbox) throw notFound('Inbox');
    // Other channels have their own way in (the widget, mail); a conversation made here could not reach their customer.
    if (inbox.channel !== 'api') throw new AppError('invalid_state', 'Conversations can be started by API only in an API inbox.', [{ field: 'inbox_id', message: `is a ${inbox.channel} inbox, not an API inbox` }]);
    return inbox;
  }

  app.post(
    '/api/v1/conversations',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Start a conversation from the customer’s side in an API inbox: the contact (found by email or phone, else made) and their first message. Idempotent on idempotency_key: 201 the first time, 200 with the same conversation after',
        body: NewApiConversation,
        response: { 200: Started, 201: Started, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const body = request.body;
      const inbox = await apiInbox(auth, body.inbox_id);
      const { contact, problems } = checkContact(body.contact);
      const content = body.message.content.trim();
      if (!content) problems.push({ field: 'message.content', message: 'must not be blank' });
      if (problems.length) throw invalid(problems);
      const subject = body.subject?.trim() || content.split('\n')[0].slice(0, 80);
      const made = await startApiConversation(ctx, auth.accountId, { inboxId: inbox.id, contact, subject, content, key: body.idempotency_key });
      const conversation = await findConversation(db, auth, made.conversationId);
      if (!conversation) throw notFound('Conversation');
      const message = await findMessage(db, auth.accountId, made.messageId);
      return reply.code(made.created ? 201 : 200).send({ conversation: presentConversation(conversation), message: presentMessage(message) });
    },
  );

  app.post(
    '/api/v1/conversations/:id/incoming-messages',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Add a message from the customer to a conversation of an API inbox. Idempotent on idempotency_key: 201 the first time, 200 with the same message after',
        params: IdParams,
        body: NewIncomingMessage,
        response: { 200: Message, 201: Message, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      if (conversation.channel !== 'api') throw new AppError('invalid_state', 'Customer messages can be added by API only to conversations of an API inbox.');
      const content = request.body.content.trim();
      if (!content) throw invalid([{ field: 'content', message: 'must not be blank' }]);
      const made = await addIncomingMessage(ctx, auth.accountId, { inboxId: conversation.inbox_id, conversationId: conversation.id, contactId: conversation.contact_id, content, key: request.body.idempotency_key });
      return reply.code(made.created ? 201 : 200).send(presentMessage(await findMessage(db, auth.accountId, made.messageId)));
    },
  );
}

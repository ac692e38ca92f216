/** Conversation handling: merging conversations, splitting one, and following them. */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Obj, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { Conversation } from './conversations.schema.js';
import { presentConversation } from './conversations.presenter.js';
import { findConversation } from './conversations.queries.js';
import { MERGE_MAX, mergeConversations } from './commands/merge-conversations.js';
import { splitConversation } from './commands/split-conversation.js';
import { follow, followersOf, unfollow } from './commands/follow-conversation.js';

const Followers = Type.Object({
  following: Type.Boolean({ description: 'Whether I follow it' }),
  data: Type.Array(Type.Object({ id: Uuid, name: Type.String(), avatar_url: Nullable(Type.String()) })),
});

export function handlingRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  app.post(
    '/api/v1/conversations/:id/merge',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Merge other conversations into this one: their messages move to the end of this thread, in order; they are closed and point here. Idempotent',
        params: IdParams,
        body: Obj({
          source_id: Type.Optional(Uuid),
          source_ids: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MERGE_MAX, description: `Conversations to merge into this one (at most ${MERGE_MAX})` })),
          confirm_different_contacts: Type.Optional(Type.Boolean({ default: false, description: 'Merge even conversations with another customer (replies go to this conversation’s customer only); refused with conversation_contacts_differ otherwise' })),
        }),
        response: { 200: Type.Object({ conversation: Conversation, merged_ids: Type.Array(Uuid, { description: 'Those merged by this request (empty on a retry)' }) }), ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const ids = [...(request.body.source_ids ?? []), ...(request.body.source_id ? [request.body.source_id] : [])];
      if (ids.length === 0) throw validation('source_ids', 'Say which conversation to merge into this one.', 'is required');
      const { merged } = await mergeConversations(db, auth, request.params.id, ids, { confirmDifferentContacts: request.body.confirm_different_contacts ?? false });
      await ctx.outbox.flush();
      return { conversation: presentConversation((await findConversation(db, auth, request.params.id))!), merged_ids: merged };
    },
  );

  app.post(
    '/api/v1/conversations/:id/split',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Split a message (and, with following: true, every message after it) out into a new conversation with the same customer and inbox',
        params: IdParams,
        body: Obj({ message_id: Uuid, following: Type.Optional(Type.Boolean({ default: false, description: 'Also move every message after it' })) }),
        response: { 200: Conversation, 201: Conversation, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const { id, created } = await splitConversation(db, auth, request.params.id, request.body.message_id, request.body.following ?? false);
      await ctx.outbox.flush();
      return reply.code(created ? 201 : 200).send(presentConversation((await findConversation(db, auth, id))!));
    },
  );

  app.get(
    '/api/v1/conversations/:id/followers',
    { config: { access: 'agent' }, schema: { tags: ['conversations'], summary: 'Who follows the conversation (they hear of every new message in it)', params: IdParams, response: { 200: Followers, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      return followers(auth.accountId, auth.userId, conversation.id);
    },
  );

  app.put(
    '/api/v1/conversations/:id/follow',
    { config: { access: 'agent' }, schema: { tags: ['conversations'], summary: 'Follow the conversation: be notified of every new message in it', params: IdParams, response: { 200: Followers, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      await follow(db, auth.accountId, conversation.id, [auth.userId]);
      return followers(auth.accountId, auth.userId, conversation.id);
    },
  );

  app.delete(
    '/api/v1/conversations/:id/follow',
    { config: { access: 'agent' }, schema: { tags: ['conversations'], summary: 'Stop following the conversation', params: IdParams, response: { 200: Followers, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      await unfollow(db, auth.accountId, conversation.id, auth.userId);
      return followers(auth.accountId, auth.userId, conversation.id);
    },
  );

  async function followers(accountId: string, userId: string, conversationId: string) {
    const data = await followersOf(db, accountId, conversationId);
    return { following: data.some((f) => f.id === userId), data };
  }
}

const validation = (field: string, sentence: string, message: string) => new AppError('validation_failed', sentence, [{ field, message }]);

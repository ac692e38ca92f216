/**
 * An inbox's answer bot settings (admins): on or off (off by default), the confidence threshold
 * below which it hands over instead of answering, its name, what it says when it gets a person, and
 * whether the workspace's model phrases its answers.
 */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { botSettingsOf } from './answer-bot.store.js';
import { DEFAULT_HANDOVER } from './replies.js';

const tags = ['answer bot'];

const AnswerBotSettings = Type.Object({
  inbox_id: Type.String({ format: 'uuid' }),
  enabled: Type.Boolean(),
  threshold: Type.Number({ description: 'Retrieval score (0…1) an article needs for the bot to answer with it; below it the bot gets a person' }),
  bot_name: Type.String(),
  handover_message: Type.String({ description: 'What the bot says when it gets a person; empty: the default' }),
  default_handover_message: Type.String(),
  generative: Type.Boolean({ description: "The workspace's model (Settings → AI assist) phrases answers from the retrieved passages; off: the bot quotes them" }),
});

const AnswerBotBody = Obj({
  enabled: Type.Optional(Type.Boolean()),
  threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  bot_name: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' })),
  handover_message: Type.Optional(Type.String({ maxLength: 500 })),
  generative: Type.Optional(Type.Boolean()),
});

export function answerBotRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const view = async (accountId: string, inboxId: string) => {
    const inbox = await scoped(db, accountId).selectFrom('inboxes').select('id').where('id', '=', inboxId).executeTakeFirst();
    if (!inbox) throw notFound('Inbox');
    return { ...(await botSettingsOf(db, accountId, inboxId)), default_handover_message: DEFAULT_HANDOVER };
  };

  app.get(
    '/api/v1/inboxes/:id/answer-bot',
    { config: { access: 'admin' }, schema: { tags, summary: "This inbox's answer bot settings", params: IdParams, response: { 200: AnswerBotSettings, ...errors(401, 403, 404) } } },
    async (request) => view(member(request).accountId, request.params.id),
  );

  app.put(
    '/api/v1/inboxes/:id/answer-bot',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Change the answer bot of this inbox (fields left out keep their value)', params: IdParams, body: AnswerBotBody, response: { 200: AnswerBotSettings, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const { accountId } = member(request);
      const current = await view(accountId, request.params.id);
      const b = request.body;
      const next = {
        enabled: b.enabled ?? current.enabled,
        threshold: b.threshold ?? current.threshold,
        bot_name: b.bot_name?.trim() ?? current.bot_name,
        handover_message: b.handover_message?.trim() ?? current.handover_message,
        generative: b.generative ?? current.generative,
        updated_at: new Date(),
      };
      await scoped(db, accountId)
        .insertInto('answer_bot_settings', { inbox_id: request.params.id, ...next })
        .onConflict((oc) => oc.columns(['account_id', 'inbox_id']).doUpdateSet(next))
        .execute();
      return view(accountId, request.params.id);
    },
  );
}

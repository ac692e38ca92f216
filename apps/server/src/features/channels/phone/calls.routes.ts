/** Calls over HTTP: an agent logs a call by hand in a conversation (the provider's calls come by webhook, see twilio-voice.ts). */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../core/context.js';
import { member } from '../../../core/http/auth.js';
import { IdParams, Obj, errors } from '../../../core/http/schema.js';
import type { Api } from '../../../core/http/types.js';
import { Message } from '../../conversations/conversations.schema.js';
import { presentMessage } from '../../conversations/conversations.presenter.js';
import { logCall } from './log-call.js';

const CallLogBody = Obj({
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')], { description: 'inbound: the customer called; outbound: we called them' }),
  outcome: Type.Union([Type.Literal('answered'), Type.Literal('missed'), Type.Literal('voicemail'), Type.Literal('no_answer')], {
    description: 'missed: an inbound call nobody took; no_answer: an outbound call the customer did not take; voicemail: a message was left',
  }),
  duration_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'How long the call lasted (answered calls and voicemails)' })),
  notes: Type.Optional(Type.String({ maxLength: 2000, description: 'What was said or agreed' })),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'When the call took place, if not just now (within the last 90 days)' })),
  client_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w-]+$', description: 'Makes a retry safe: the same id never logs a second call' })),
});

export function callsRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/api/v1/conversations/:id/calls',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Log a call by hand (one made or taken outside Rapport): a call entry with me as its agent. Idempotent on client_id',
        params: IdParams,
        body: CallLogBody,
        response: { 200: Message, 201: Message, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const { message, created } = await logCall(ctx, auth, request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(presentMessage(message));
    },
  );
}

/**
 * "Request a callback" in the web chat: the visitor leaves a phone number and when to call. Their
 * conversation in the widget's inbox gets a call-request entry and the `callback` tag, so it waits
 * in the queue for an agent to call. The number becomes the visitor's phone identity only when no
 * other contact has it (unverified: a visitor typing someone else's number gains nothing of
 * theirs, SECURITY 26); otherwise it stays on the request for agents to see.
 */
import { sql } from 'kysely';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { Obj, Timestamp, errors } from '../../../core/http/schema.js';
import type { Api } from '../../../core/http/types.js';
import { createLimiter } from '../../../core/rate-limit.js';
import type { Visitor } from '../../widget/visitors.js';
import { recordContactUpdated } from '../../contacts/contacts.events.js';
import { checkPhone } from '../api/api.contacts.js';
import { emptyCall } from './call.js';
import { insertCallEntry } from './call-entries.js';

const CallbackRequest = Type.Object({
  id: Type.String({ description: 'The call-request entry' }),
  phone: Type.String(),
  preferred_time: Type.String(),
  requested_at: Timestamp,
});

// Control characters and direction overrides (SECURITY 11): a time or note reads as typed, nothing more.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** "asap", an instant (kept as ISO), or the visitor's words. */
function preferredTime(raw: string): string {
  const text = raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (!text) throw new AppError('validation_failed', 'Say when we should call: as soon as possible, a time, or in your words.', [{ field: 'preferred_time', message: 'must not be blank' }]);
  if (text.toLowerCase() === 'asap') return 'asap';
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', 'That time is not a valid date and time.', [{ field: 'preferred_time', message: 'is not a valid ISO date and time' }]);
    return at.toISOString();
  }
  return text;
}

/** The visitor's conversation in this inbox (the newest), or a new one; two requests at once make one. */
async function conversationOf(ctx: AppContext, v: Visitor): Promise<string> {
  return ctx.db.transaction().execute(async (t) => {
    // The same lock the widget takes to start a visitor's conversation.
    await sql`select pg_advisory_xact_lock(hashtext(${v.contactId}))`.execute(t);
    const ws = scoped(t, v.accountId);
    const current = await ws.selectFrom('conversations').select('id').where('contact_id', '=', v.contactId).where('inbox_id', '=', v.inboxId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (current) return current.id;
    return (await ws.insertInto('conversations', { inbox_id: v.inboxId, contact_id: v.contactId, subject: 'Callback requested' }).returning('id').executeTakeFirstOrThrow()).id;
  });
}

export function widgetCallbackRoutes(app: Api, ctx: AppContext, visitor: (request: FastifyRequest) => Promise<Visitor>): void {
  // A person asks once or twice; a script aiming calls at victims' numbers is stopped here.
  const perVisitor = createLimiter(`${ctx.config.redisPrefix}rl:widget-callback`, 3, 3600, ctx.redis);

  app.post(
    '/api/v1/widget/callback-requests',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: 'The visitor asks to be called back (header X-Visitor-Token): their conversation gets a call request and the callback tag',
        body: Obj({
          phone: Type.String({ minLength: 1, maxLength: 40, description: 'International (E.164) form, such as +4915123456789' }),
          preferred_time: Type.String({ minLength: 1, maxLength: 100, description: 'asap, an ISO date and time, or the visitor’s words ("after 5 pm")' }),
          note: Type.Optional(Type.String({ maxLength: 500 })),
          client_request_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w-]+$', description: 'Makes a retry safe: the same id never asks twice' })),
        }),
        response: { 200: CallbackRequest, 201: CallbackRequest, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const v = await visitor(request);
      const checked = checkPhone(request.body.phone);
      if (!checked.ok) throw new AppError('validation_failed', `That phone number cannot be called: it ${checked.message}.`, [{ field: 'phone', message: checked.message }]);
      const when = preferredTime(request.body.preferred_time);
      const note = request.body.note?.replace(CONTROL, ' ').trim() || null;
      const conversationId = await conversationOf(ctx, v);
      const ws = scoped(ctx.db, v.accountId);
      const answer = (m: { id: string; created_at: Date }) => ({ id: m.id, phone: checked.phone, preferred_time: when, requested_at: m.created_at.toISOString() });
      const clientId = request.body.client_request_id;
      const earlier = async () => (clientId ? ws.selectFrom('messages').select(['id', 'created_at']).where('conversation_id', '=', conversationId).where('client_message_id', '=', clientId).executeTakeFirst() : undefined);
      const repeat = await earlier();
      if (repeat) return reply.code(200).send(answer(repeat));
      await perVisitor.hit(v.contactId, 'You have asked for a callback several times already; we will call you.');

      let stored;
      try {
        stored = await ctx.db.transaction().execute(async (trx) => {
          const tws = scoped(trx, v.accountId);
          // The number is the visitor's only if nobody else is known by it.
          const taken = await tws
            .selectFrom('contact_identities')
            .select('contact_id')
            .where('kind', '=', 'phone')
            .where('value', '=', checked.phone)
            .where('inbox_id', 'is', null)
            .union(tws.selectFrom('contacts').select('id as contact_id').where('phone', '=', checked.phone))
            .execute();
          if (!taken.some((t) => t.contact_id !== v.contactId)) {
            const added = await tws.insertInto('contact_identities', { contact_id: v.contactId, kind: 'phone', value: checked.phone, inbox_id: null, verified: false }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
            const filled = await tws.updateTable('contacts').set({ phone: checked.phone }).where('id', '=', v.contactId).where('phone', 'is', null).executeTakeFirst();
            await recordContactUpdated(trx, v.accountId, v.contactId, [...(Number(added.numInsertedOrUpdatedRows ?? 0) > 0 ? (['identities'] as const) : []), ...(Number(filled.numUpdatedRows) > 0 ? (['phone'] as const) : [])]);
          }
          const call = emptyCall({ direction: 'outbound', status: 'requested', to: checked.phone, preferred_time: when, notes: note });
          return insertCallEntry(trx, v.accountId, { conversationId, author: { type: 'contact', id: v.contactId }, call, clientMessageId: clientId, tagCallback: true });
        });
      } catch (err) {
        const winner = (err as { code?: string }).code === '23505' ? await earlier() : undefined;
        if (!winner) throw err;
        return reply.code(200).send(answer(winner));
      }
      ctx.outbox.kick();
      return reply.code(201).send(answer(stored));
    },
  );
}

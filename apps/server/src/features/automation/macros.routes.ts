/**
 * Macros: several actions an agent applies to a conversation at once (tag, assign, set status,
 * reply with variables filled in…). Shared ones are the workspace's (admins keep them); personal
 * ones belong to one person. Applying one runs its actions as that agent, with their rights, in
 * one transaction: all of them or none.
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { atLeast } from '../../core/auth/roles.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member, type Auth } from '../../core/http/auth.js';
import { IdParams, Obj, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import type { FieldError } from '../../core/http/validation.js';
import { recordAudit } from '../accounts/audit.js';
import { presentConversation } from '../conversations/conversations.presenter.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { Conversation } from '../conversations/conversations.schema.js';
import { runActions } from './actions.js';
import { MACRO_ACTION_VARIANTS, Macro, MacroEnvelope, MacroInput, MacroPatch, MacroPatchEnvelope, type Action } from './automation.schema.js';
import { MACRO_COLUMNS, presentMacro } from './automation.presenter.js';
import { check, checkList } from './check.js';
import { checkReferences } from './references.js';
import { refuse } from './rules.routes.js';

type Member = Auth & { accountId: string; role: NonNullable<Auth['role']> };

export function macroErrors(body: unknown, partial: boolean): FieldError[] {
  const envelope = check(partial ? MacroPatchEnvelope : MacroEnvelope, body, '');
  if (envelope.length) return envelope;
  const actions = (body as { actions?: unknown[] }).actions;
  return actions ? checkList(actions, 'actions', 'type', MACRO_ACTION_VARIANTS) : [];
}

const Outcome = Type.Object({ type: Type.String(), outcome: Type.String(), detail: Type.String() });

export function macrosRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const visible = (auth: Member) => scoped(db, auth.accountId).selectFrom('macros').where((eb) => eb.or([eb('owner_user_id', 'is', null), eb('owner_user_id', '=', auth.userId)]));
  const find = async (auth: Member, id: string) => {
    const row = await visible(auth).select(MACRO_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Macro');
    return row;
  };
  const editable = async (auth: Member, id: string) => {
    const row = await find(auth, id);
    if (row.owner_user_id === null && !atLeast(auth.role, 'admin')) throw new AppError('forbidden', 'Only admins change the workspace’s shared macros; make a personal one instead.');
    return row;
  };
  const checked = async (auth: Member, body: unknown, partial: boolean) => {
    const errors = macroErrors(body, partial);
    if (errors.length) throw refuse('invalid_macro', 'The macro', errors);
    const actions = (body as { actions?: Action[] }).actions;
    const refs = actions ? await checkReferences(db, auth.accountId, actions) : [];
    if (refs.length) throw refuse('invalid_macro', 'The macro', refs);
  };

  app.get('/api/v1/macros', { config: { access: 'agent' }, schema: { tags: ['automation'], summary: 'Shared macros and your own', response: { 200: Type.Object({ data: Type.Array(Macro) }), ...errors(401, 403) } } }, async (request) => {
    const auth = member(request);
    const rows = await visible(auth).select(MACRO_COLUMNS).orderBy(sql`lower(name)`).limit(200).execute();
    return { data: rows.map(presentMacro) };
  });

  app.post(
    '/api/v1/macros',
    { attachValidation: true, config: { access: 'agent' }, schema: { tags: ['automation'], summary: 'Save a macro: yours alone, or shared (admins)', body: MacroInput, response: { 201: Macro, ...errors(401, 403, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      await checked(auth, request.body, false);
      const { name, shared, actions } = request.body;
      if (shared && !atLeast(auth.role, 'admin')) throw new AppError('forbidden', 'Only admins share macros with the workspace; save it as your own.', [{ field: 'shared', message: 'needs an admin' }]);
      const row = await db.transaction().execute(async (trx) => {
        const created = await scoped(trx, auth.accountId)
          .insertInto('macros', { name: name.trim(), actions: JSON.stringify(actions), owner_user_id: shared ? null : auth.userId, created_by: auth.userId })
          .returning(MACRO_COLUMNS)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, auth.accountId, { action: 'macro.created', targetType: 'macro', targetId: created.id, metadata: { name: created.name, shared: created.owner_user_id === null } }, request);
        return created;
      });
      return reply.code(201).send(presentMacro(row));
    },
  );

  app.patch(
    '/api/v1/macros/:id',
    { attachValidation: true, config: { access: 'agent' }, schema: { tags: ['automation'], summary: 'Change a macro (a shared one: admins)', params: IdParams, body: MacroPatch, response: { 200: Macro, ...errors(401, 403, 404, 422) } } },
    async (request) => {
      const auth = member(request);
      if (request.validationError && request.validationError.validationContext !== 'body') throw notFound('Macro');
      const current = await editable(auth, request.params.id);
      await checked(auth, request.body, true);
      const { name, actions } = request.body;
      const row = await db.transaction().execute(async (trx) => {
        const updated = await scoped(trx, auth.accountId)
          .updateTable('macros')
          .set({ ...(name !== undefined ? { name: name.trim() } : {}), ...(actions !== undefined ? { actions: JSON.stringify(actions) } : {}), updated_at: sql<Date>`now()` })
          .where('id', '=', current.id)
          .returning(MACRO_COLUMNS)
          .executeTakeFirstOrThrow();
        const changed = [...(name !== undefined ? ['name'] : []), ...(actions !== undefined ? ['actions'] : [])];
        await recordAudit(trx, auth.accountId, { action: 'macro.updated', targetType: 'macro', targetId: updated.id, metadata: { name: updated.name, shared: updated.owner_user_id === null, changed } }, request);
        return updated;
      });
      return presentMacro(row);
    },
  );

  app.delete('/api/v1/macros/:id', { config: { access: 'agent' }, schema: { tags: ['automation'], summary: 'Delete a macro (a shared one: admins)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    const current = await editable(auth, request.params.id);
    await db.transaction().execute(async (trx) => {
      await scoped(trx, auth.accountId).deleteFrom('macros').where('id', '=', current.id).execute();
      await recordAudit(trx, auth.accountId, { action: 'macro.deleted', targetType: 'macro', targetId: current.id, metadata: { name: current.name, shared: current.owner_user_id === null } }, request);
    });
    return reply.code(204).send(null);
  });

  app.post(
    '/api/v1/conversations/:id/macros/:macro_id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['automation'],
        summary: 'Apply a macro to the conversation: all its actions, as you, at once (or none, with the reason)',
        params: Obj({ id: Uuid, macro_id: Uuid }),
        response: { 200: Type.Object({ conversation: Conversation, actions: Type.Array(Outcome) }), ...errors(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      const macro = await find(auth, request.params.macro_id);
      // The queue is ready before the transaction (on the embedded database its one connection is the transaction's).
      await ctx.jobs.start();
      const result = await db.transaction().execute((trx) =>
        runActions({ ctx, trx, actor: auth, author: { type: 'user', id: auth.userId }, conversationId: conversation.id, lenient: false }, macro.actions as Action[]),
      );
      await ctx.outbox.flush();
      for (const queue of result.queues) ctx.jobs.notify(queue);
      return { conversation: presentConversation((await findConversation(db, auth, conversation.id))!), actions: result.outcomes };
    },
  );
}

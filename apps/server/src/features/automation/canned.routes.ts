/**
 * Canned responses: texts with variables an agent inserts from the composer by typing `/` and a
 * shortcut. Shared ones (the workspace's, kept by admins) and personal ones (each person's own,
 * seen by nobody else). With a conversation named, the list comes with each text filled in for
 * it, on the server, from the conversation, its contact and the agent asking.
 */
import { Type } from '@sinclair/typebox';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { atLeast } from '../../core/auth/roles.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member, type Auth } from '../../core/http/auth.js';
import { IdParams, Obj, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { recordAudit } from '../accounts/audit.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { Canned, CannedInput, CannedPatch } from './automation.schema.js';
import { CANNED_COLUMNS, presentCanned } from './automation.presenter.js';
import { renderTemplate, unknownVariables, unknownVariablesMessage, variablesOf, type VariableValues } from './variables.js';

type Db = Kysely<DB> | Transaction<DB>;
type Member = Auth & { accountId: string; role: NonNullable<Auth['role']> };

/** The variables of a conversation as the person `agentName` sees it; 404 when they may not see it. */
export async function conversationVariables(db: Db, viewer: Member | { accountId: string; userId: string; role: 'owner' }, conversationId: string, agentName: string | null): Promise<VariableValues> {
  const conversation = await findConversation(db, viewer, conversationId);
  if (!conversation) throw notFound('Conversation');
  return variablesOf({ conversationId: conversation.id, contactName: conversation.contact_name, contactEmail: conversation.contact_email, agentName: agentName ?? conversation.assignee_name });
}

export function checkTemplate(field: string, text: string): void {
  const unknown = unknownVariables(text);
  if (unknown.length) throw new AppError('invalid_template', `The ${field} ${unknownVariablesMessage(unknown)}.`, [{ field, message: unknownVariablesMessage(unknown) }]);
}

/** What the audit log says of a canned response: its name and shortcut, not its text. */
const auditDetails = (r: { shortcut: string; title: string; owner_user_id: string | null }) => ({ name: r.title, shortcut: r.shortcut, shared: r.owner_user_id === null });

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
const shortcutTaken = () => new AppError('conflict', 'Another canned response already uses this shortcut; pick another.', [{ field: 'shortcut', message: 'is already used' }]);

export function cannedRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  /** Shared ones and the caller's own: anyone else's personal response does not exist for them. */
  const visible = (auth: Member) => scoped(db, auth.accountId).selectFrom('canned_responses').where((eb) => eb.or([eb('owner_user_id', 'is', null), eb('owner_user_id', '=', auth.userId)]));
  const editable = async (auth: Member, id: string) => {
    const row = await visible(auth).select(CANNED_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Canned response');
    if (row.owner_user_id === null && !atLeast(auth.role, 'admin')) throw new AppError('forbidden', 'Only admins change the workspace’s shared canned responses; make a personal one instead.');
    return row;
  };

  app.get(
    '/api/v1/canned-responses',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['automation'],
        summary: 'Shared canned responses and your own, by shortcut; with conversation_id each comes filled in for that conversation',
        querystring: Obj({ conversation_id: Type.Optional(Uuid), q: Type.Optional(Type.String({ maxLength: 40, description: 'Shortcut or title containing this' })) }),
        response: { 200: Type.Object({ data: Type.Array(Canned) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const auth = member(request);
      const { conversation_id: conversationId, q } = request.query;
      const values = conversationId ? await conversationVariables(db, auth, conversationId, auth.name) : undefined;
      let query = visible(auth).select(CANNED_COLUMNS);
      if (q) {
        const like = `%${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
        query = query.where((eb) => eb.or([eb(sql`lower(shortcut)`, 'like', like), eb(sql`lower(title)`, 'like', like)]));
      }
      const rows = await query.orderBy(sql`lower(shortcut)`).orderBy('owner_user_id').limit(200).execute();
      return { data: rows.map((r) => presentCanned(r, values ? renderTemplate(r.body, values) : undefined)) };
    },
  );

  app.post(
    '/api/v1/canned-responses',
    { config: { access: 'agent' }, schema: { tags: ['automation'], summary: 'Save a canned response: yours alone, or shared (admins)', body: CannedInput, response: { 201: Canned, ...errors(400, 401, 403, 409, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      const { shortcut, title, body, shared } = request.body;
      if (shared && !atLeast(auth.role, 'admin')) throw new AppError('forbidden', 'Only admins share canned responses with the workspace; save it as your own.', [{ field: 'shared', message: 'needs an admin' }]);
      checkTemplate('body', body);
      try {
        const row = await db.transaction().execute(async (trx) => {
          const created = await scoped(trx, auth.accountId)
            .insertInto('canned_responses', { shortcut, title: title.trim(), body, owner_user_id: shared ? null : auth.userId, created_by: auth.userId })
            .returning(CANNED_COLUMNS)
            .executeTakeFirstOrThrow();
          await recordAudit(trx, auth.accountId, { action: 'canned_response.created', targetType: 'canned_response', targetId: created.id, metadata: auditDetails(created) }, request);
          return created;
        });
        return reply.code(201).send(presentCanned(row));
      } catch (err) {
        if (isUniqueViolation(err)) throw shortcutTaken();
        throw err;
      }
    },
  );

  app.patch(
    '/api/v1/canned-responses/:id',
    { config: { access: 'agent' }, schema: { tags: ['automation'], summary: 'Change a canned response (a shared one: admins)', params: IdParams, body: CannedPatch, response: { 200: Canned, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request) => {
      const auth = member(request);
      const current = await editable(auth, request.params.id);
      const { shortcut, title, body } = request.body;
      if (body !== undefined) checkTemplate('body', body);
      try {
        const row = await db.transaction().execute(async (trx) => {
          const updated = await scoped(trx, auth.accountId)
            .updateTable('canned_responses')
            .set({ ...(shortcut !== undefined ? { shortcut } : {}), ...(title !== undefined ? { title: title.trim() } : {}), ...(body !== undefined ? { body } : {}), updated_at: sql<Date>`now()` })
            .where('id', '=', current.id)
            .returning(CANNED_COLUMNS)
            .executeTakeFirstOrThrow();
          const changed = Object.entries({ shortcut, title, body }).filter(([, v]) => v !== undefined).map(([k]) => k);
          await recordAudit(trx, auth.accountId, { action: 'canned_response.updated', targetType: 'canned_response', targetId: updated.id, metadata: { ...auditDetails(updated), changed } }, request);
          return updated;
        });
        return presentCanned(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw shortcutTaken();
        throw err;
      }
    },
  );

  app.delete('/api/v1/canned-responses/:id', { config: { access: 'agent' }, schema: { tags: ['automation'], summary: 'Delete a canned response (a shared one: admins)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    const current = await editable(auth, request.params.id);
    await db.transaction().execute(async (trx) => {
      await scoped(trx, auth.accountId).deleteFrom('canned_responses').where('id', '=', current.id).execute();
      await recordAudit(trx, auth.accountId, { action: 'canned_response.deleted', targetType: 'canned_response', targetId: current.id, metadata: auditDetails(current) }, request);
    });
    return reply.code(204).send(null);
  });
}

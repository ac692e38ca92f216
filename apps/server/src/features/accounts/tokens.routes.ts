/** API tokens: shown once, stored as a hash, scoped to one workspace and a role. */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, Page, PageQuery, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { atLeast } from '../../core/auth/roles.js';
import { scoped } from '../../core/db/tenant.js';
import { ApiToken, RoleSchema } from './accounts.schema.js';
import { presentToken } from './accounts.presenter.js';
import { createApiToken } from './commands/create-api-token.js';
import { recordAudit } from './audit.js';

export function tokensRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const list = (accountId: string) =>
    scoped(db, accountId)
      .selectFrom('api_tokens')
      .innerJoin('users as u', 'u.id', 'api_tokens.user_id')
      .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.role', 'api_tokens.prefix', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.user_id', 'u.name as user_name'])
      .where('api_tokens.revoked_at', 'is', null);

  app.get(
    '/api/v1/tokens',
    { config: { access: 'agent' }, schema: { tags: ['tokens'], summary: 'API tokens: all of them for admins, my own for agents', querystring: PageQuery, response: { 200: Page(ApiToken), ...errors(401, 403) } } },
    async (request) => {
      const auth = member(request);
      let q = list(auth.accountId).orderBy('api_tokens.created_at', 'desc');
      if (!atLeast(auth.role, 'admin')) q = q.where('api_tokens.user_id', '=', auth.userId);
      return { data: (await q.execute()).map(presentToken), next_cursor: null };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token for myself, with a role no higher than mine; the token is in this answer only',
        body: Obj({ name: Type.String({ minLength: 1, maxLength: 80 }), role: RoleSchema }),
        response: { 201: Type.Composite([ApiToken, Type.Object({ token: Type.String({ description: 'Send as Authorization: Bearer …; not shown again' }) })]), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const { id, token } = await createApiToken(db, { accountId: auth.accountId, userId: auth.userId, actorRole: auth.role, name: request.body.name.trim(), role: request.body.role }, request);
      const row = await list(auth.accountId).where('api_tokens.id', '=', id).executeTakeFirstOrThrow();
      return reply.code(201).send({ ...presentToken(row), token });
    },
  );

  app.delete('/api/v1/tokens/:id', { config: { access: 'agent' }, schema: { tags: ['tokens'], summary: 'Revoke a token (agents: only their own)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    await db.transaction().execute(async (trx) => {
      let q = scoped(trx, auth.accountId).updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', request.params.id).where('revoked_at', 'is', null);
      if (!atLeast(auth.role, 'admin')) q = q.where('user_id', '=', auth.userId);
      const row = await q.returning('id').executeTakeFirst();
      if (!row) throw notFound('Token');
      await recordAudit(trx, auth.accountId, { action: 'token.revoked', targetType: 'api_token', targetId: row.id }, request);
    });
    return reply.code(204).send(null);
  });
}

/** Members of the workspace ("users" in the API): list, add, change role, remove, reset link. */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, Page, PageQuery, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { hashPassword, hashToken, newToken } from '../../core/auth/secrets.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { Email, Member, Password, PersonName, RoleSchema } from './accounts.schema.js';
import { presentMember } from './accounts.presenter.js';
import { assertMayGrant, assertMayManage } from './accounts.policy.js';
import { recordAudit } from './audit.js';

const RESET_LINK_TTL_MS = 24 * 60 * 60_000;

function members(ctx: AppContext, accountId: string) {
  return scoped(ctx.db, accountId)
    .selectFrom('memberships')
    .innerJoin('users as u', 'u.id', 'memberships.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.avatar_url', 'u.time_zone', 'u.language', 'u.totp_enabled_at', 'u.created_at', 'memberships.role']);
}

export function usersRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const findMember = async (accountId: string, id: string) => {
    const row = await members(ctx, accountId).where('u.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('User');
    return row;
  };

  app.get(
    '/api/v1/users',
    { config: { access: 'agent' }, schema: { tags: ['users'], summary: 'Members of the workspace', querystring: PageQuery, response: { 200: Page(Member), ...errors(401, 403) } } },
    async (request) => {
      const auth = member(request);
      const rows = await members(ctx, auth.accountId).orderBy('u.name').execute();
      return { data: rows.map(presentMember), next_cursor: null };
    },
  );

  app.get('/api/v1/users/:id', { config: { access: 'agent' }, schema: { tags: ['users'], summary: 'One member', params: IdParams, response: { 200: Member, ...errors(401, 403, 404) } } }, async (request) => {
    const auth = member(request);
    return presentMember(await findMember(auth.accountId, request.params.id));
  });

  app.post(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: { tags: ['users'], summary: 'Add a teammate with a first password (or send an invitation instead)', body: Obj({ name: PersonName, email: Email, password: Password, role: RoleSchema }), response: { 201: Member, ...errors(400, 401, 403, 409) } },
    },
    async (request, reply) => {
      const auth = member(request);
      const { name, password, role } = request.body;
      const email = request.body.email.toLowerCase();
      assertMayGrant(auth.role, role);
      const existing = await db.selectFrom('users').select('id').where(({ fn }) => fn('lower', ['email']), '=', email).executeTakeFirst();
      // An existing Rapport user joins by accepting an invitation, never by an admin's say-so.
      if (existing) throw new AppError('email_taken', 'Someone with this email already has a Rapport account; send them an invitation instead.');
      const hash = await hashPassword(password);
      const userId = await db.transaction().execute(async (trx) => {
        const user = await trx.insertInto('users').values({ email, name: name.trim(), password_hash: hash }).returning('id').executeTakeFirstOrThrow();
        await scoped(trx, auth.accountId).insertInto('memberships', { user_id: user.id, role }).execute();
        await recordAudit(trx, auth.accountId, { action: 'member.added', targetType: 'user', targetId: user.id, metadata: { email, role } }, request);
        return user.id;
      });
      return reply.code(201).send(presentMember(await findMember(auth.accountId, userId)));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['users'], summary: "Change a member's role or name", params: IdParams, body: Obj({ role: Type.Optional(RoleSchema), name: Type.Optional(PersonName) }), response: { 200: Member, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const auth = member(request);
      const target = await findMember(auth.accountId, request.params.id);
      const { role, name } = request.body;
      await db.transaction().execute(async (trx) => {
        if (role && role !== target.role) {
          assertMayManage(auth.role, target.role);
          assertMayGrant(auth.role, role);
          if (target.role === 'owner') await assertAnotherOwner(trx, auth.accountId, target.id);
          await scoped(trx, auth.accountId).updateTable('memberships').set({ role }).where('user_id', '=', target.id).execute();
          await recordAudit(trx, auth.accountId, { action: 'member.role_changed', targetType: 'user', targetId: target.id, metadata: { from: target.role, to: role } }, request);
        }
        if (name !== undefined && name.trim() !== target.name) {
          assertMayManage(auth.role, target.role);
          await assertOnlyHere(trx, auth.accountId, target.id, 'they can change their own name in their profile');
          await trx.updateTable('users').set({ name: name.trim(), updated_at: new Date() }).where('id', '=', target.id).execute();
        }
      });
      return presentMember(await findMember(auth.accountId, target.id));
    },
  );

  app.delete('/api/v1/users/:id', { config: { access: 'admin' }, schema: { tags: ['users'], summary: 'Remove a member from the workspace', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 422) } } }, async (request, reply) => {
    const auth = member(request);
    const target = await findMember(auth.accountId, request.params.id);
    assertMayManage(auth.role, target.role);
    await db.transaction().execute(async (trx) => {
      if (target.role === 'owner') await assertAnotherOwner(trx, auth.accountId, target.id);
      const ws = scoped(trx, auth.accountId);
      await ws.deleteFrom('team_members').where('user_id', '=', target.id).execute();
      await ws.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', target.id).where('revoked_at', 'is', null).execute();
      await ws.deleteFrom('memberships').where('user_id', '=', target.id).execute();
      await recordAudit(trx, auth.accountId, { action: 'member.removed', targetType: 'user', targetId: target.id, metadata: { email: target.email, role: target.role } }, request);
    });
    return reply.code(204).send(null);
  });

  app.post(
    '/api/v1/users/:id/password-reset-link',
    {
      config: { access: 'admin' },
      schema: { tags: ['users'], summary: 'A one-time password reset link for a member, for the admin to pass on', params: IdParams, response: { 201: Type.Object({ url: Type.String(), expires_at: Type.String() }), ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      const auth = member(request);
      const target = await findMember(auth.accountId, request.params.id);
      assertMayManage(auth.role, target.role);
      await assertOnlyHere(db, auth.accountId, target.id, 'they can reset their own password from the sign-in page');
      const token = newToken();
      const expires = new Date(Date.now() + RESET_LINK_TTL_MS);
      await db.insertInto('password_resets').values({ user_id: target.id, token_hash: hashToken(token), expires_at: expires }).execute();
      return reply.code(201).send({ url: `${ctx.config.publicUrl}/reset-password?token=${token}`, expires_at: expires.toISOString() });
    },
  );
}

async function assertAnotherOwner(trx: Parameters<typeof scoped>[0], accountId: string, leaving: string): Promise<void> {
  const others = await scoped(trx, accountId).selectFrom('memberships').select('user_id').where('role', '=', 'owner').where('user_id', '!=', leaving).executeTakeFirst();
  if (!others) throw new AppError('invalid_state', 'A workspace needs at least one owner; make someone else owner first.');
}

/** A person who also belongs to another workspace is not this workspace's to take over or rename. */
async function assertOnlyHere(db: Parameters<typeof scoped>[0], accountId: string, userId: string, alternative: string): Promise<void> {
  const elsewhere = await unscoped(db).selectFrom('memberships').select('account_id').where('user_id', '=', userId).where('account_id', '!=', accountId).executeTakeFirst();
  if (elsewhere) throw new AppError('invalid_state', `This person also belongs to another workspace; ${alternative}.`);
}

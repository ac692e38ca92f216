/** The signed-in person: profile, password, two-factor, workspaces. */
import { Type } from '@sinclair/typebox';
import QRCode from 'qrcode';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { caller, member } from '../../core/http/auth.js';
import { Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { hashPassword, verifyPassword } from '../../core/auth/secrets.js';
import { unscoped } from '../../core/db/tenant.js';
import type { Role } from '../../core/db/schema.js';
import { Me, Password, Profile, ProfileUpdate, TotpCode, Workspace, WorkspaceName } from './accounts.schema.js';
import { presentProfile } from './accounts.presenter.js';
import { recordAudit } from './audit.js';
import { createWorkspace } from './commands/create-workspace.js';
import { newTotpSecret, totpFor, verifyTotp } from './commands/two-factor.js';

export async function loadMe(ctx: AppContext, who: { userId: string; accountId: string | null; kind: 'session' | 'token'; tokenRole?: Role | null }) {
  const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', who.userId).executeTakeFirstOrThrow();
  // A person's own workspaces: spans workspaces by design, filtered to this person.
  const workspaces = await unscoped(ctx.db)
    .selectFrom('memberships as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['a.id', 'a.name', 'm.role'])
    .where('m.user_id', '=', who.userId)
    .orderBy('m.created_at')
    .execute();
  // A token sees only its own workspace.
  const visible = who.kind === 'token' ? workspaces.filter((w) => w.id === who.accountId) : workspaces;
  const current = visible.find((w) => w.id === who.accountId) ?? null;
  return {
    user: presentProfile(user),
    workspace: current ? { id: current.id, name: current.name } : null,
    // A token acts with its own (possibly lower) role.
    role: (who.kind === 'token' ? who.tokenRole : current?.role) ?? null,
    workspaces: visible,
    auth: who.kind,
  };
}

export function meRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/v1/me', { config: { access: 'user' }, schema: { tags: ['me'], summary: 'Who am I: profile, current workspace and role, my workspaces', response: { 200: Me, ...errors(401) } } }, async (request) => {
    const auth = caller(request);
    return loadMe(ctx, { userId: auth.userId, accountId: auth.accountId, kind: auth.kind, tokenRole: auth.kind === 'token' ? auth.role : null });
  });

  app.patch(
    '/api/v1/me',
    { config: { access: 'user', sessionOnly: true }, schema: { tags: ['me'], summary: 'Update my profile', body: ProfileUpdate, response: { 200: Type.Object({ user: Profile }), ...errors(400, 401) } } },
    async (request) => {
      const auth = caller(request);
      const { time_zone } = request.body;
      if (time_zone !== undefined && !Intl.supportedValuesOf('timeZone').includes(time_zone) && time_zone !== 'UTC') {
        throw new AppError('validation_failed', undefined, [{ field: 'time_zone', message: 'must be an IANA time zone such as Europe/Amsterdam' }]);
      }
      const user = await db
        .updateTable('users')
        .set({ ...request.body, updated_at: new Date() })
        .where('id', '=', auth.userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { user: presentProfile(user) };
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { access: 'user', sessionOnly: true },
      schema: { tags: ['me'], summary: 'Change my password; signs out my other sessions', body: Obj({ current_password: Type.String({ minLength: 1, maxLength: 1024 }), new_password: Password }), response: { 204: Type.Null(), ...errors(400, 401, 403) } },
    },
    async (request, reply) => {
      const auth = caller(request);
      const user = await db.selectFrom('users').select(['password_hash']).where('id', '=', auth.userId).executeTakeFirstOrThrow();
      if (!(await verifyPassword(user.password_hash, request.body.current_password))) throw new AppError('wrong_password');
      const hash = await hashPassword(request.body.new_password);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', auth.userId).execute();
        await trx.deleteFrom('sessions').where('user_id', '=', auth.userId).where('id', '!=', auth.sessionId!).execute();
        if (auth.accountId) await recordAudit(trx, auth.accountId, { action: 'auth.password_changed', targetType: 'user', targetId: auth.userId }, request);
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/workspace',
    { config: { access: 'user', sessionOnly: true }, schema: { tags: ['me'], summary: 'Switch my current workspace', body: Obj({ account_id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...errors(400, 401, 404) } } },
    async (request, reply) => {
      const auth = caller(request);
      const membership = await db.selectFrom('memberships').select('role').where('account_id', '=', request.body.account_id).where('user_id', '=', auth.userId).executeTakeFirst();
      if (!membership) throw new AppError('not_found', 'Workspace not found.');
      await db.updateTable('sessions').set({ current_account_id: request.body.account_id }).where('id', '=', auth.sessionId!).execute();
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/workspaces',
    { config: { access: 'user', sessionOnly: true }, schema: { tags: ['workspace'], summary: 'Create a workspace; I become its owner and switch to it', body: Obj({ name: WorkspaceName }), response: { 201: Workspace, ...errors(400, 401) } } },
    async (request, reply) => {
      const auth = caller(request);
      const { accountId } = await createWorkspace(db, { name: request.body.name.trim(), userId: auth.userId });
      await db.updateTable('sessions').set({ current_account_id: accountId }).where('id', '=', auth.sessionId!).execute();
      return reply.code(201).send({ id: accountId, name: request.body.name.trim() });
    },
  );

  app.patch(
    '/api/v1/workspace',
    { config: { access: 'admin' }, schema: { tags: ['workspace'], summary: 'Rename the current workspace', body: Obj({ name: WorkspaceName }), response: { 200: Workspace, ...errors(400, 401, 403) } } },
    async (request) => {
      const auth = member(request);
      const row = await db.updateTable('accounts').set({ name: request.body.name.trim() }).where('id', '=', auth.accountId).returning(['id', 'name']).executeTakeFirstOrThrow();
      await recordAudit(db, auth.accountId, { action: 'workspace.renamed', targetType: 'account', targetId: auth.accountId, metadata: { name: row.name } }, request);
      return row;
    },
  );

  app.post(
    '/api/v1/me/two-factor/setup',
    {
      config: { access: 'user', sessionOnly: true },
      schema: { tags: ['me'], summary: 'Start two-factor setup: a new secret and its QR code (not active until enabled)', response: { 200: Type.Object({ secret: Type.String(), otpauth_url: Type.String(), qr_svg: Type.String() }), ...errors(401, 422) } },
    },
    async (request) => {
      const auth = caller(request);
      const user = await db.selectFrom('users').select(['totp_secret']).where('id', '=', auth.userId).executeTakeFirstOrThrow();
      if (user.totp_secret) throw new AppError('invalid_state', 'Two-factor authentication is already on; turn it off first to set up a new device.');
      const secret = newTotpSecret();
      await db.updateTable('users').set({ totp_pending_secret: ctx.box.seal(secret) }).where('id', '=', auth.userId).execute();
      const url = totpFor(secret, auth.email).toString();
      return { secret, otpauth_url: url, qr_svg: await QRCode.toString(url, { type: 'svg', margin: 1 }) };
    },
  );

  app.post(
    '/api/v1/me/two-factor/enable',
    { config: { access: 'user', sessionOnly: true }, schema: { tags: ['me'], summary: 'Turn on two-factor with a code from the new device', body: Obj({ code: TotpCode }), response: { 204: Type.Null(), ...errors(400, 401, 422) } } },
    async (request, reply) => {
      const auth = caller(request);
      const user = await db.selectFrom('users').select(['totp_pending_secret']).where('id', '=', auth.userId).executeTakeFirstOrThrow();
      if (!user.totp_pending_secret) throw new AppError('invalid_state', 'Start the setup first.');
      const step = verifyTotp(ctx.box.open(user.totp_pending_secret), request.body.code, null);
      if (step === null) throw new AppError('invalid_two_factor_code');
      await db
        .updateTable('users')
        .set({ totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_enabled_at: new Date(), totp_last_step: step })
        .where('id', '=', auth.userId)
        .execute();
      if (auth.accountId) await recordAudit(db, auth.accountId, { action: 'auth.two_factor_enabled', targetType: 'user', targetId: auth.userId }, request);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/two-factor/disable',
    { config: { access: 'user', sessionOnly: true }, schema: { tags: ['me'], summary: 'Turn off two-factor (needs my password)', body: Obj({ password: Type.String({ minLength: 1, maxLength: 1024 }) }), response: { 204: Type.Null(), ...errors(400, 401, 403) } } },
    async (request, reply) => {
      const auth = caller(request);
      const user = await db.selectFrom('users').select(['password_hash']).where('id', '=', auth.userId).executeTakeFirstOrThrow();
      if (!(await verifyPassword(user.password_hash, request.body.password))) throw new AppError('wrong_password');
      await db.updateTable('users').set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', auth.userId).execute();
      if (auth.accountId) await recordAudit(db, auth.accountId, { action: 'auth.two_factor_disabled', targetType: 'user', targetId: auth.userId }, request);
      return reply.code(204).send(null);
    },
  );
}

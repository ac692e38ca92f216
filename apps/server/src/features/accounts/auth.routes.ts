/** Sign-in, sign-out, password reset and joining by invitation. */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { caller } from '../../core/http/auth.js';
import { Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { hashPassword, hashToken, newToken, verifyAgainstDummy, verifyPassword } from '../../core/auth/secrets.js';
import { unscoped } from '../../core/db/tenant.js';
import { Email, Me, Password, PersonName, TotpCode } from './accounts.schema.js';
import { recordAudit } from './audit.js';
import { clearSessionCookie, openSession } from './commands/sessions.js';
import { verifyTotp } from './commands/two-factor.js';
import { loadMe } from './me.routes.js';

const RESET_TTL_MS = 60 * 60_000;

export function authRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: Obj({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }), totp_code: Type.Optional(Type.String({ maxLength: 10 })) }),
        response: { 200: Me, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const email = request.body.email.trim().toLowerCase();
      await ctx.limiters.loginPerIp.hit(request.ip);
      await ctx.limiters.loginFailuresPerEmail.check(email);
      const user = await db.selectFrom('users').selectAll().where(({ fn }) => fn('lower', ['email']), '=', email).executeTakeFirst();
      // Unknown email and wrong password: same answer, same work (an argon2 verification).
      const ok = user ? await verifyPassword(user.password_hash, request.body.password) : await verifyAgainstDummy(request.body.password);
      // Where the failure is logged: every workspace the person belongs to.
      const memberships = user
        ? await unscoped(db).selectFrom('memberships').select(['account_id']).where('user_id', '=', user.id).orderBy('created_at').execute()
        : [];
      const fail = async (reason: string, code: 'invalid_credentials' | 'invalid_two_factor_code' = 'invalid_credentials') => {
        await ctx.limiters.loginFailuresPerEmail.hit(email);
        for (const m of memberships) {
          await recordAudit(db, m.account_id, { action: 'auth.sign_in_failed', actorUserId: user?.id ?? null, targetType: 'user', targetId: user?.id, metadata: { reason } }, request);
        }
        request.log.info({ reason }, 'sign-in failed');
        return new AppError(code);
      };
      if (!user || !ok) throw await fail('bad_password');
      if (user.totp_secret) {
        const code = request.body.totp_code;
        if (!code) throw new AppError('two_factor_required');
        const step = /^[0-9]{6}$/.test(code) ? verifyTotp(ctx.box.open(user.totp_secret), code, user.totp_last_step) : null;
        if (step === null) throw await fail('bad_two_factor_code', 'invalid_two_factor_code');
        await db.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
      }
      await ctx.limiters.loginFailuresPerEmail.reset(email);
      const accountId = memberships[0]?.account_id ?? null;
      await openSession(ctx, request, reply, user.id, accountId);
      for (const m of memberships) await recordAudit(db, m.account_id, { action: 'auth.sign_in', actorUserId: user.id, actorTokenId: null, targetType: 'user', targetId: user.id }, request);
      return loadMe(ctx, { userId: user.id, accountId, kind: 'session' });
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: 'user', sessionOnly: true }, schema: { tags: ['auth'], summary: 'Sign out of this session', response: { 204: Type.Null(), ...errors(401) } } },
    async (request, reply) => {
      await db.deleteFrom('sessions').where('id', '=', caller(request).sessionId!).execute();
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/logout-all',
    { config: { access: 'user', sessionOnly: true }, schema: { tags: ['auth'], summary: 'Sign out everywhere: ends every session of this person', response: { 204: Type.Null(), ...errors(401) } } },
    async (request, reply) => {
      const auth = caller(request);
      await db.deleteFrom('sessions').where('user_id', '=', auth.userId).execute();
      if (auth.accountId) await recordAudit(db, auth.accountId, { action: 'auth.sign_out_everywhere', targetType: 'user', targetId: auth.userId }, request);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Ask for a password reset link (same answer whether or not the email is known)', body: Obj({ email: Email }), response: { 202: Type.Object({ ok: Type.Boolean() }), ...errors(400, 429) } },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      await ctx.limiters.passwordResetPerIp.hit(request.ip);
      const user = await db.selectFrom('users').select(['id', 'email']).where(({ fn }) => fn('lower', ['email']), '=', email).executeTakeFirst();
      let capped = false;
      try {
        await ctx.limiters.passwordResetPerEmail.hit(email); // at most 3 reset mails an hour per address
      } catch {
        capped = true;
      }
      if (user && !capped) {
        const token = newToken();
        await db.insertInto('password_resets').values({ user_id: user.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + RESET_TTL_MS) }).execute();
        // Email delivery arrives with the email channel; until then the link goes to the server log.
        request.log.warn({ to: user.email, url: `${ctx.config.publicUrl}/reset-password?token=${token}` }, 'password reset link (no mail transport configured yet)');
      }
      return reply.code(202).send({ ok: true });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Set a new password with a reset token; ends every session', body: Obj({ token: Type.String({ minLength: 10, maxLength: 200 }), password: Password }), response: { 204: Type.Null(), ...errors(400, 429) } },
    },
    async (request, reply) => {
      await ctx.limiters.publicTokenLookupPerIp.hit(request.ip);
      const live = await db.selectFrom('password_resets').select('id').where('token_hash', '=', hashToken(request.body.token)).where('used_at', 'is', null).where('expires_at', '>', new Date()).executeTakeFirst();
      if (!live) throw new AppError('reset_token_invalid');
      const passwordHash = await hashPassword(request.body.password); // only for a token worth the work
      const userId = await db.transaction().execute(async (trx) => {
        const reset = await trx
          .updateTable('password_resets')
          .set({ used_at: new Date() })
          .where('token_hash', '=', hashToken(request.body.token))
          .where('used_at', 'is', null)
          .where('expires_at', '>', new Date())
          .returning('user_id')
          .executeTakeFirst();
        if (!reset) throw new AppError('reset_token_invalid');
        await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date() }).where('id', '=', reset.user_id).execute();
        await trx.deleteFrom('sessions').where('user_id', '=', reset.user_id).execute();
        const memberships = await unscoped(trx).selectFrom('memberships').select('account_id').where('user_id', '=', reset.user_id).execute();
        for (const m of memberships) await recordAudit(trx, m.account_id, { action: 'auth.password_reset', actorUserId: reset.user_id, targetType: 'user', targetId: reset.user_id }, request);
        return reset.user_id;
      });
      request.log.info({ userId }, 'password reset');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/accept-invitation',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Join a workspace with an invitation token; creates the account if needed and signs in',
        body: Obj({ token: Type.String({ minLength: 10, maxLength: 200 }), name: PersonName, password: Password, totp_code: Type.Optional(TotpCode) }),
        response: { 200: Me, ...errors(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      await ctx.limiters.publicTokenLookupPerIp.hit(request.ip);
      const tokenHash = hashToken(request.body.token);
      // The invitation token names its workspace, so this lookup spans workspaces by design.
      const invite = await unscoped(db)
        .selectFrom('invitations')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .executeTakeFirst();
      if (!invite) throw new AppError('invitation_invalid');
      const existing = await db.selectFrom('users').selectAll().where(({ fn }) => fn('lower', ['email']), '=', invite.email.toLowerCase()).executeTakeFirst();
      if (existing) {
        // An existing person proves who they are with their current password (and code).
        if (!(await verifyPassword(existing.password_hash, request.body.password))) throw new AppError('invalid_credentials', 'You already have a Rapport account with this email: enter its password to join.');
        if (existing.totp_secret) {
          const step = request.body.totp_code ? verifyTotp(ctx.box.open(existing.totp_secret), request.body.totp_code, existing.totp_last_step) : null;
          if (step === null) throw new AppError(request.body.totp_code ? 'invalid_two_factor_code' : 'two_factor_required');
        }
      }
      const passwordHash = existing ? undefined : await hashPassword(request.body.password);
      const userId = await db.transaction().execute(async (trx) => {
        const taken = await trx
          .updateTable('invitations')
          .set({ accepted_at: new Date() })
          .where('id', '=', invite.id)
          .where('account_id', '=', invite.account_id)
          .where('accepted_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!taken) throw new AppError('invitation_invalid');
        const uid =
          existing?.id ??
          (await trx.insertInto('users').values({ email: invite.email.toLowerCase(), name: request.body.name, password_hash: passwordHash! }).returning('id').executeTakeFirstOrThrow()).id;
        await trx
          .insertInto('memberships')
          .values({ account_id: invite.account_id, user_id: uid, role: invite.role })
          .onConflict((oc) => oc.columns(['account_id', 'user_id']).doNothing())
          .execute();
        await recordAudit(trx, invite.account_id, { action: 'invitation.accepted', actorUserId: uid, actorTokenId: null, targetType: 'invitation', targetId: invite.id, metadata: { role: invite.role } }, request);
        return uid;
      });
      await openSession(ctx, request, reply, userId, invite.account_id);
      return loadMe(ctx, { userId, accountId: invite.account_id, kind: 'session' });
    },
  );
}

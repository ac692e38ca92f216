/** Invitations: a link an admin copies (email delivery arrives with the email channel). */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, Page, PageQuery, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { hashToken, newToken } from '../../core/auth/secrets.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { Email, Invitation, RoleSchema } from './accounts.schema.js';
import { presentInvitation } from './accounts.presenter.js';
import { assertMayGrant } from './accounts.policy.js';
import { recordAudit } from './audit.js';

const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;

export function invitationsRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const pending = (accountId: string) =>
    scoped(db, accountId)
      .selectFrom('invitations')
      .leftJoin('users as u', 'u.id', 'invitations.invited_by')
      .select(['invitations.id', 'invitations.email', 'invitations.role', 'invitations.expires_at', 'invitations.created_at', 'u.id as inviter_id', 'u.name as inviter_name'])
      .where('invitations.accepted_at', 'is', null)
      .where('invitations.revoked_at', 'is', null)
      .where('invitations.expires_at', '>', new Date());

  app.get('/api/v1/invitations', { config: { access: 'admin' }, schema: { tags: ['invitations'], summary: 'Pending invitations', querystring: PageQuery, response: { 200: Page(Invitation), ...errors(401, 403) } } }, async (request) => {
    const rows = await pending(member(request).accountId).orderBy('invitations.created_at', 'desc').execute();
    return { data: rows.map((r) => presentInvitation(r)), next_cursor: null };
  });

  app.post(
    '/api/v1/invitations',
    { config: { access: 'admin' }, schema: { tags: ['invitations'], summary: 'Invite someone by email; answers the link to pass on', body: Obj({ email: Email, role: RoleSchema }), response: { 201: Invitation, ...errors(400, 401, 403, 409) } } },
    async (request, reply) => {
      const auth = member(request);
      const email = request.body.email.toLowerCase();
      assertMayGrant(auth.role, request.body.role);
      const already = await scoped(db, auth.accountId)
        .selectFrom('memberships')
        .innerJoin('users as u', 'u.id', 'memberships.user_id')
        .select('u.id')
        .where(({ fn }) => fn('lower', ['u.email']), '=', email)
        .executeTakeFirst();
      if (already) throw new AppError('email_taken');
      const token = newToken();
      const id = await db.transaction().execute(async (trx) => {
        const ws = scoped(trx, auth.accountId);
        // A new invitation for the same address replaces the older ones.
        await ws.updateTable('invitations').set({ revoked_at: new Date() }).where('email', '=', email).where('accepted_at', 'is', null).where('revoked_at', 'is', null).execute();
        const row = await ws
          .insertInto('invitations', { email, role: request.body.role, token_hash: hashToken(token), invited_by: auth.userId, expires_at: new Date(Date.now() + INVITE_TTL_MS) })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, auth.accountId, { action: 'invitation.created', targetType: 'invitation', targetId: row.id, metadata: { email, role: request.body.role } }, request);
        return row.id;
      });
      const row = await pending(auth.accountId).where('invitations.id', '=', id).executeTakeFirstOrThrow();
      return reply.code(201).send(presentInvitation(row, `${ctx.config.publicUrl}/invite/${token}`));
    },
  );

  app.delete('/api/v1/invitations/:id', { config: { access: 'admin' }, schema: { tags: ['invitations'], summary: 'Revoke an invitation', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    const row = await scoped(db, auth.accountId)
      .updateTable('invitations')
      .set({ revoked_at: new Date() })
      .where('id', '=', request.params.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('Invitation');
    await recordAudit(db, auth.accountId, { action: 'invitation.revoked', targetType: 'invitation', targetId: row.id }, request);
    return reply.code(204).send(null);
  });

  app.get(
    '/api/v1/invitations/lookup/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link invites to (for the join page)',
        params: Obj({ token: Type.String({ minLength: 10, maxLength: 200 }) }),
        response: { 200: Type.Object({ workspace: Type.Object({ id: Type.String(), name: Type.String() }), email: Type.String(), role: RoleSchema }), ...errors(404, 429) },
      },
    },
    async (request) => {
      await ctx.limiters.publicTokenLookupPerIp.hit(request.ip);
      // The token names its workspace: a lookup across workspaces by design.
      const row = await unscoped(db)
        .selectFrom('invitations as i')
        .innerJoin('accounts as a', 'a.id', 'i.account_id')
        .select(['a.id', 'a.name', 'i.email', 'i.role'])
        .where('i.token_hash', '=', hashToken(request.params.token))
        .where('i.accepted_at', 'is', null)
        .where('i.revoked_at', 'is', null)
        .where('i.expires_at', '>', new Date())
        .executeTakeFirst();
      if (!row) throw new AppError('invitation_invalid');
      return { workspace: { id: row.id, name: row.name }, email: row.email, role: row.role };
    },
  );
}

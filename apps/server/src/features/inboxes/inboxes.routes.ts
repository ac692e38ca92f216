/**
 * Inboxes: one per channel instance. This is where the web chat inbox gets its widget key and
 * snippet, an email inbox its servers and an API inbox its webhook (channels/api/api.inbox.ts).
 */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Obj, Page, PageQuery, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { atLeast } from '../../core/auth/roles.js';
import { scoped } from '../../core/db/tenant.js';
import type { Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { BusinessHours, checkBusinessHours } from '../business-hours/business-hours.schema.js';
import { slaSettingsChanged } from '../sla/retime-slas.js';
import type { Schedule } from '../business-hours/schedule.js';
import { recordAudit } from '../accounts/audit.js';
import { ImapInput, ImapSettings, SmtpInput, SmtpSettings, mergeSettings, openSecrets, presentSettings, testImap, testSmtp, type EmailConfig, type ImapInputT, type SmtpInputT } from '../channels/email/settings.js';
import { checkAddress } from '../channels/email/addresses.js';
import { MessagingInboxFields, ProviderSettingsInput, changedMessagingColumns, connectInbox, newMessagingColumns, presentMessagingInbox } from '../channels/messaging/inbox.js';
import { MESSAGING_CHANNELS, isMessagingChannel } from '../channels/messaging/provider.js';
import { ApiInboxFields, WebhookUrlField, checkedWebhookUrl, newApiInboxColumns, presentApiInbox, rotatedSecretColumns, webhookUrlColumns } from '../channels/api/api.inbox.js';

const Origin = Type.String({ pattern: '^https?://[^/\\s?#]+/?$', maxLength: 200, description: 'An origin such as https://shop.example (scheme, host and optional port)' });
const Origins = Type.Array(Origin, { maxItems: 50, uniqueItems: true });
const InboxName = Type.String({ minLength: 1, maxLength: 80 });
const MemberIds = Type.Array(Uuid, { maxItems: 500, uniqueItems: true });

export const Inbox = Type.Object({
  id: Uuid,
  name: Type.String(),
  channel: Type.String(),
  widget_key: Nullable(Type.String()),
  allowed_origins: Type.Array(Type.String()),
  greeting: Type.String(),
  member_ids: Type.Array(Uuid),
  business_hours: Nullable(BusinessHours),
  snippet: Nullable(Type.String({ description: 'The tag to paste on the website (web chat inboxes)' })),
  identity_secret: Type.Optional(Type.String({ description: 'Signs a signed-in visitor id (HMAC-SHA256); admins only' })),
  email: Nullable(Type.String({ description: 'The support address of an email inbox' })),
  forwarding_address: Nullable(Type.String({ description: 'Forward mail here when the built-in SMTP receiver is on (SMTP_RECEIVER_PORT)' })),
  imap: Nullable(ImapSettings),
  smtp: Nullable(SmtpSettings),
  ...ApiInboxFields,
  ...MessagingInboxFields,
  connection: Type.Object({
    status: Type.Union([Type.Literal('ok'), Type.Literal('failing'), Type.Literal('unknown')]),
    error: Nullable(Type.String()),
    part: Nullable(Type.String({ description: 'Which server a failure is about: imap, smtp or webhook' })),
    checked_at: Nullable(Timestamp),
  }),
  created_at: Timestamp,
});

type InboxRow = {
  id: string;
  name: string;
  channel: string;
  widget_key: string | null;
  allowed_origins: string[];
  greeting: string;
  identity_secret: string | null;
  business_hours: Schedule | null;
  email_address: string | null;
  channel_config: Record<string, unknown>;
  channel_secrets: string | null;
  forward_key: string | null;
  connection_status: 'ok' | 'failing' | 'unknown';
  connection_error: string | null;
  connection_part: string | null;
  connection_checked_at: Date | null;
  webhook_url: string | null;
  webhook_disabled_at: Date | null;
  inbound_key: string | null;
  created_at: Date;
};

const EmailAddressField = Type.String({ minLength: 3, maxLength: 254, description: 'The support address customers write to, such as support@shop.example' });
const WebchatInboxBody = Obj({ channel: Type.Literal('webchat'), name: InboxName, allowed_origins: Type.Optional(Origins), greeting: Type.Optional(Type.String({ maxLength: 500 })), member_ids: Type.Optional(MemberIds), business_hours: Type.Optional(Nullable(BusinessHours)) });
const EmailInboxBody = Obj({ channel: Type.Literal('email'), name: InboxName, email: EmailAddressField, imap: Type.Optional(ImapInput), smtp: SmtpInput, member_ids: Type.Optional(MemberIds), business_hours: Type.Optional(Nullable(BusinessHours)) });
const ApiInboxBody = Obj({ channel: Type.Literal('api'), name: InboxName, webhook_url: WebhookUrlField, member_ids: Type.Optional(MemberIds), business_hours: Type.Optional(Nullable(BusinessHours)) });
const MessagingInboxBody = Obj({
  channel: Type.Union(MESSAGING_CHANNELS.map((c) => Type.Literal(c))),
  name: InboxName,
  settings: ProviderSettingsInput,
  member_ids: Type.Optional(MemberIds),
  business_hours: Type.Optional(Nullable(BusinessHours)),
});
const ConnectionResult = Type.Object({ ok: Type.Boolean(), error: Nullable(Type.String()) });

const newIdentitySecret = () => randomBytes(32).toString('base64url');

/** Origins are compared as browsers send them: lower-case, no trailing slash, no default port. */
export function normaliseOrigin(origin: string): string {
  const u = new URL(origin);
  return u.origin;
}

export function inboxesRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const snippet = (key: string) => `<script src="${ctx.config.publicUrl}/widget.js" data-inbox="${key}" async></script>`;

  // The identity secret goes to admins on the detail and creation answers only, not on every list.
  const present = (row: InboxRow, memberIds: string[], admin: boolean) => ({
    id: row.id,
    name: row.name,
    channel: row.channel,
    widget_key: row.widget_key,
    allowed_origins: row.allowed_origins,
    greeting: row.greeting,
    member_ids: memberIds,
    business_hours: row.business_hours,
    snippet: row.widget_key ? snippet(row.widget_key) : null,
    ...(admin && row.identity_secret ? { identity_secret: ctx.box.open(row.identity_secret) } : {}),
    email: row.email_address,
    forwarding_address: row.forward_key && ctx.config.smtpReceiverPort !== undefined ? `${row.forward_key}@${ctx.config.emailForwardDomain}` : null,
    ...(row.channel === 'email' ? presentSettings(row.channel_config as EmailConfig, openSecrets(ctx.box, row.channel_secrets)) : { imap: null, smtp: null }),
    ...presentApiInbox(ctx.box, row, admin),
    ...presentMessagingInbox(ctx, row),
    connection: { status: row.connection_status, error: row.connection_error, part: row.connection_part, checked_at: row.connection_checked_at?.toISOString() ?? null },
    created_at: row.created_at.toISOString(),
  });

  /** Settings, sealed passwords and the support address of an email inbox, checked; refuses with every problem at once. */
  function emailColumns(current: { config: EmailConfig; sealed: string | null }, change: { email?: string; imap?: ImapInputT | null; smtp?: SmtpInputT }) {
    const problems: Array<{ field: string; message: string }> = [];
    let address: string | undefined;
    if (change.email !== undefined) {
      const checked = checkAddress(change.email);
      if (checked.ok) address = checked.address;
      else problems.push({ field: 'email', message: checked.message });
    }
    const merged = mergeSettings({ config: current.config, secrets: openSecrets(ctx.box, current.sealed) }, change);
    problems.push(...merged.missing);
    if (!merged.config.smtp) problems.push({ field: 'smtp', message: 'is required to send replies' });
    if (problems.length) throw new AppError('validation_failed', `Invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);
    return {
      ...(address !== undefined ? { email_address: address } : {}),
      channel_config: JSON.stringify(merged.config),
      channel_secrets: ctx.box.seal(JSON.stringify(merged.secrets)),
      // New settings have not been tried yet.
      connection_status: 'unknown' as const,
      connection_error: null,
      connection_checked_at: null,
    };
  }

  /** A second inbox of the workspace with the same support address is refused by a unique index. */
  const duplicateAddress = (err: unknown) =>
    (err as { code?: string; constraint?: string; message?: string }).code === '23505' && /inboxes_email_address_key/.test(`${(err as { constraint?: string }).constraint ?? ''} ${(err as Error).message}`)
      ? new AppError('conflict', 'Another inbox of this workspace already uses this support address.', [{ field: 'email', message: 'is already used by another inbox' }])
      : err;

  async function load(accountId: string, userId: string, admin: boolean, id?: string) {
    const ws = scoped(db, accountId);
    let q = ws
      .selectFrom('inboxes')
      .select(['id', 'name', 'channel', 'widget_key', 'allowed_origins', 'greeting', 'identity_secret', 'business_hours', 'email_address', 'channel_config', 'channel_secrets', 'forward_key', 'connection_status', 'connection_error', 'connection_part', 'connection_checked_at', 'webhook_url', 'webhook_disabled_at', 'inbound_key', 'created_at'])
      .orderBy('name');
    if (id) q = q.where('id', '=', id);
    // Agents see the inboxes they work in; admins see them all.
    if (!admin) q = q.where('id', 'in', ws.selectFrom('inbox_members').select('inbox_members.inbox_id').where('inbox_members.user_id', '=', userId));
    const rows = await q.execute();
    if (!rows.length) return [];
    const links = await ws.selectFrom('inbox_members').select(['inbox_id', 'user_id']).where('inbox_id', 'in', rows.map((r) => r.id)).execute();
    return rows.map((r) => present(r, links.filter((l) => l.inbox_id === r.id).map((l) => l.user_id), admin));
  }

  async function setMembers(trx: Transaction<DB>, accountId: string, inboxId: string, ids: string[]) {
    const ws = scoped(trx, accountId);
    if (ids.length) {
      const found = new Set((await ws.selectFrom('memberships').select('user_id').where('user_id', 'in', ids).execute()).map((r) => r.user_id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) throw new AppError('invalid_reference', 'Some member ids are not members of this workspace.', missing.map((id) => ({ field: 'member_ids', id, message: 'is not a member of this workspace' })));
    }
    await ws.deleteFrom('inbox_members').where('inbox_id', '=', inboxId).execute();
    if (ids.length) await ws.insertInto('inbox_members', ids.map((user_id) => ({ inbox_id: inboxId, user_id }))).execute();
  }

  app.get('/api/v1/inboxes', { config: { access: 'agent' }, schema: { tags: ['inboxes'], summary: 'Inboxes I work in (admins: all)', querystring: PageQuery, response: { 200: Page(Inbox), ...errors(401, 403) } } }, async (request) => {
    const auth = member(request);
    const inboxes = await load(auth.accountId, auth.userId, atLeast(auth.role, 'admin'));
    return { data: inboxes.map(({ identity_secret: _secret, webhook_secret: _webhook, ...inbox }) => inbox), next_cursor: null };
  });

  app.get('/api/v1/inboxes/:id', { config: { access: 'agent' }, schema: { tags: ['inboxes'], summary: 'One inbox', params: IdParams, response: { 200: Inbox, ...errors(401, 403, 404) } } }, async (request) => {
    const auth = member(request);
    const [inbox] = await load(auth.accountId, auth.userId, atLeast(auth.role, 'admin'), request.params.id);
    if (!inbox) throw notFound('Inbox');
    return inbox;
  });

  app.post(
    '/api/v1/inboxes',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['inboxes'],
        summary: 'Create an inbox; a web chat inbox answers its widget key and the snippet to paste, an email inbox its servers (passwords are never returned), an API inbox its webhook secret, a messaging inbox (sms, whatsapp, messenger, instagram, telegram; fields per GET /api/v1/channels) the webhook URL to paste at the provider',
        body: Type.Union([WebchatInboxBody, EmailInboxBody, ApiInboxBody, MessagingInboxBody]),
        response: { 201: Inbox, ...errors(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const body = request.body;
      const hours = body.business_hours ? checkBusinessHours(body.business_hours) : null;
      const channelColumns =
        body.channel === 'webchat'
          ? {
              widget_key: `wk_${randomBytes(18).toString('base64url')}`,
              allowed_origins: JSON.stringify((body.allowed_origins ?? []).map(normaliseOrigin)),
              identity_secret: ctx.box.seal(newIdentitySecret()),
              greeting: body.greeting ?? '',
            }
          : body.channel === 'email'
            ? { ...emailColumns({ config: {}, sealed: null }, body), forward_key: `inbox-${randomBytes(12).toString('hex')}` }
            : body.channel === 'api'
              ? newApiInboxColumns(ctx.box, await checkedWebhookUrl(ctx, body.webhook_url))
              : newMessagingColumns(ctx, body.channel, body.settings);
      const id = await db.transaction().execute(async (trx) => {
        const row = await scoped(trx, auth.accountId)
          .insertInto('inboxes', { name: body.name.trim(), channel: body.channel, business_hours: hours ? JSON.stringify(hours) : null, ...channelColumns })
          .returning('id')
          .executeTakeFirstOrThrow()
          .catch((err: unknown) => {
            throw duplicateAddress(err);
          });
        // The creator works in the new inbox unless told otherwise.
        await setMembers(trx, auth.accountId, row.id, body.member_ids ?? [auth.userId]);
        return row.id;
      });
      if (isMessagingChannel(body.channel)) await connectInbox(ctx, auth.accountId, id);
      const [inbox] = await load(auth.accountId, auth.userId, true, id);
      ctx.inboxChanged?.(auth.accountId, id);
      return reply.code(201).send(inbox);
    },
  );

  app.patch(
    '/api/v1/inboxes/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['inboxes'],
        summary: 'Rename an inbox, change its allowed origins, greeting, members or business hours (null: always open); an email inbox its address and servers (a password left out is kept); an API inbox its webhook URL (saving it switches a disabled webhook back on); a messaging inbox its provider settings (a secret left out is kept)',
        params: IdParams,
        body: Obj({
          name: Type.Optional(InboxName),
          allowed_origins: Type.Optional(Origins),
          greeting: Type.Optional(Type.String({ maxLength: 500 })),
          member_ids: Type.Optional(MemberIds),
          business_hours: Type.Optional(Nullable(BusinessHours)),
          email: Type.Optional(EmailAddressField),
          imap: Type.Optional(Nullable(ImapInput)),
          smtp: Type.Optional(SmtpInput),
          webhook_url: Type.Optional(WebhookUrlField),
          settings: Type.Optional(ProviderSettingsInput),
        }),
        response: { 200: Inbox, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const { name, allowed_origins, greeting, member_ids, business_hours, email, imap, smtp, webhook_url, settings } = request.body;
      const hours = business_hours ? checkBusinessHours(business_hours) : business_hours;
      // Checked (and resolved) before the transaction, which must not wait on DNS; an inbox the caller cannot see is a 404 first.
      if (webhook_url !== undefined && !(await scoped(db, auth.accountId).selectFrom('inboxes').select('id').where('id', '=', request.params.id).executeTakeFirst())) throw notFound('Inbox');
      const webhookUrl = webhook_url === undefined ? undefined : await checkedWebhookUrl(ctx, webhook_url);
      await db.transaction().execute(async (trx) => {
        const ws = scoped(trx, auth.accountId);
        const found = await ws.selectFrom('inboxes').select(['id', 'channel', 'channel_config', 'channel_secrets', 'inbound_key']).where('id', '=', request.params.id).forUpdate().executeTakeFirst();
        if (!found) throw notFound('Inbox');
        const emailChange = email !== undefined || imap !== undefined || smtp !== undefined;
        if (emailChange && found.channel !== 'email') throw new AppError('validation_failed', 'Only email inboxes have an address and mail servers.', [{ field: email !== undefined ? 'email' : imap !== undefined ? 'imap' : 'smtp', message: 'only for email inboxes' }]);
        if (webhookUrl !== undefined && found.channel !== 'api') throw new AppError('validation_failed', 'Only API inboxes have a webhook URL.', [{ field: 'webhook_url', message: 'only for API inboxes' }]);
        const changes = {
          ...(name !== undefined ? { name: name.trim() } : {}),
          ...(allowed_origins !== undefined ? { allowed_origins: JSON.stringify(allowed_origins.map(normaliseOrigin)) } : {}),
          ...(greeting !== undefined ? { greeting } : {}),
          ...(hours !== undefined ? { business_hours: hours && JSON.stringify(hours) } : {}),
          ...(emailChange ? emailColumns({ config: found.channel_config as EmailConfig, sealed: found.channel_secrets }, { email, imap, smtp }) : {}),
          ...(webhookUrl !== undefined ? webhookUrlColumns(webhookUrl) : {}),
          ...(settings !== undefined ? changedMessagingColumns(ctx, found, settings) : {}),
        };
        if (Object.keys(changes).length)
          await ws
            .updateTable('inboxes')
            .set(changes)
            .where('id', '=', found.id)
            .execute()
            .catch((err: unknown) => {
              throw duplicateAddress(err);
            });
        if (member_ids) await setMembers(trx, auth.accountId, found.id, member_ids);
      });
      // New hours re-time the SLA clocks of the inbox's open conversations.
      if (hours !== undefined) slaSettingsChanged(ctx);
      if (settings !== undefined) await connectInbox(ctx, auth.accountId, request.params.id);
      const [inbox] = await load(auth.accountId, auth.userId, true, request.params.id);
      ctx.inboxChanged?.(auth.accountId, request.params.id);
      return inbox;
    },
  );

  app.post(
    '/api/v1/inboxes/connection-test',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['inboxes'],
        summary: 'Try IMAP and/or SMTP settings before saving them: signs in and leaves. A password left out is taken from the inbox named by inbox_id',
        body: Obj({ inbox_id: Type.Optional(Uuid), imap: Type.Optional(ImapInput), smtp: Type.Optional(SmtpInput) }),
        response: { 200: Type.Object({ imap: Nullable(ConnectionResult), smtp: Nullable(ConnectionResult) }), ...errors(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request) => {
      const auth = member(request);
      const { inbox_id, imap, smtp } = request.body;
      if (!imap && !smtp) throw new AppError('validation_failed', 'Give the imap or the smtp settings to try.', [{ field: 'imap', message: 'or smtp is required' }]);
      await ctx.limiters.connectionTestsPerUser.hit(auth.userId, 'You are testing connections too fast; wait a moment.');
      let stored = {} as ReturnType<typeof openSecrets>;
      if (inbox_id) {
        const row = await scoped(db, auth.accountId).selectFrom('inboxes').select(['channel_secrets']).where('id', '=', inbox_id).where('channel', '=', 'email').executeTakeFirst();
        if (!row) throw notFound('Inbox');
        stored = openSecrets(ctx.box, row.channel_secrets);
      }
      const imapPassword = imap?.password ?? stored.imap_password;
      const smtpPassword = smtp?.password ?? stored.smtp_password;
      const missing = [...(imap && !imapPassword ? [{ field: 'imap.password', message: 'is required' }] : []), ...(smtp && !smtpPassword ? [{ field: 'smtp.password', message: 'is required' }] : [])];
      if (missing.length) throw new AppError('validation_failed', 'Give the password to try (it is not stored yet).', missing);
      const [imapResult, smtpResult] = await Promise.all([
        imap ? testImap({ ...imap, mailbox: imap.mailbox ?? 'INBOX', password: imapPassword! }) : null,
        smtp ? testSmtp({ ...smtp, password: smtpPassword! }) : null,
      ]);
      return { imap: imapResult, smtp: smtpResult };
    },
  );

  /**
   * A route that replaces one secret of one kind of inbox (when it may have leaked): the new one
   * works at once and the old one stops; audited.
   */
  const rotation = (path: string, rotate: { channel: string; what: string; summary: string; action: 'inbox.identity_secret_rotated' | 'inbox.webhook_secret_rotated'; columns: () => Record<string, string> }) =>
    app.post(path, { config: { access: 'admin' }, schema: { tags: ['inboxes'], summary: rotate.summary, params: IdParams, response: { 200: Inbox, ...errors(401, 403, 404, 422) } } }, async (request) => {
      const auth = member(request);
      await db.transaction().execute(async (trx) => {
        const ws = scoped(trx, auth.accountId);
        const found = await ws.selectFrom('inboxes').select(['id', 'channel']).where('id', '=', request.params.id).forUpdate().executeTakeFirst();
        if (!found) throw notFound('Inbox');
        if (found.channel !== rotate.channel) throw new AppError('invalid_state', `Only ${rotate.what}.`);
        await ws.updateTable('inboxes').set(rotate.columns()).where('id', '=', found.id).execute();
        await recordAudit(trx, auth.accountId, { action: rotate.action, targetType: 'inbox', targetId: found.id }, request);
      });
      const [inbox] = await load(auth.accountId, auth.userId, true, request.params.id);
      return inbox;
    });

  rotation('/api/v1/inboxes/:id/identity-secret', {
    channel: 'webchat',
    what: 'web chat inboxes have an identity secret',
    summary: 'Replace the identity secret of a web chat inbox (when it may have leaked): hashes made with the old one stop working at once',
    action: 'inbox.identity_secret_rotated',
    columns: () => ({ identity_secret: ctx.box.seal(newIdentitySecret()) }),
  });
  rotation('/api/v1/inboxes/:id/webhook-secret', {
    channel: 'api',
    what: 'API inboxes have a webhook secret',
    summary: 'Replace the webhook secret of an API inbox (when it may have leaked): deliveries from now on are signed with the new one',
    action: 'inbox.webhook_secret_rotated',
    columns: () => rotatedSecretColumns(ctx.box),
  });

  app.delete('/api/v1/inboxes/:id', { config: { access: 'admin' }, schema: { tags: ['inboxes'], summary: 'Delete an inbox and its conversations', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    const row = await scoped(db, auth.accountId).deleteFrom('inboxes').where('id', '=', request.params.id).returning('id').executeTakeFirst();
    if (!row) throw notFound('Inbox');
    return reply.code(204).send(null);
  });
}

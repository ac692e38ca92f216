/**
 * Outgoing webhooks, managed by admins: subscriptions to events (a public https URL checked like
 * every webhook target, SECURITY 19), the secret that signs them (shown to admins: it is the very
 * secret that signs, SECURITY 20; rotated at will), the log of deliveries with their status codes,
 * redelivery of one, and a ping to try the receiver. A webhook switched off by failures says why
 * and is switched on by saving it enabled.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Obj, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { recordAudit } from '../accounts/audit.js';
import { checkedWebhookUrl } from '../channels/api/api.inbox.js';
import { MAX_WEBHOOK_URL } from '../channels/api/webhook-target.js';
import type { WebhookBody } from './dispatch.js';
import { EVENT_HELP, WEBHOOK_EVENTS } from './events.js';

const EventName = Type.Union(WEBHOOK_EVENTS.map((e) => Type.Literal(e)));
const Events = Type.Array(EventName, { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true, description: 'The events to receive (GET /api/v1/webhooks/events lists them)' });
const Url = Type.String({ minLength: 1, maxLength: MAX_WEBHOOK_URL, description: 'Where events are POSTed: a public https:// URL' });
const Description = Type.String({ maxLength: 200 });

const Webhook = Type.Object({
  id: Uuid,
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabled_reason: Nullable(Type.String({ description: 'Why Rapport switched it off (410 Gone, repeated failures)' })),
  secret: Type.Optional(Type.String({ description: 'Signs every delivery: X-Rapport-Signature is sha256=hex(HMAC-SHA256(secret, id + "." + timestamp + "." + body)); on the detail, creation and rotation answers' })),
  created_at: Timestamp,
});

const Delivery = Type.Object({
  id: Uuid,
  event: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  response_status: Nullable(Type.Integer({ description: 'The HTTP status of the last attempt (the answer itself is never kept)' })),
  error: Nullable(Type.String()),
  created_at: Timestamp,
  finished_at: Nullable(Timestamp),
});

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

type Row = { id: string; url: string; description: string; events: string[]; enabled: boolean; disabled_reason: string | null; secret: string; created_at: Date };

export function webhooksRoutes(app: Api, ctx: AppContext): void {
  const columns = ['id', 'url', 'description', 'events', 'enabled', 'disabled_reason', 'secret', 'created_at'] as const;
  const present = (r: Row, withSecret: boolean) => ({
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events,
    enabled: r.enabled,
    disabled_reason: r.disabled_reason,
    ...(withSecret ? { secret: ctx.box.open(r.secret) } : {}),
    created_at: r.created_at.toISOString(),
  });
  const find = async (accountId: string, id: string) => {
    const row = await scoped(ctx.db, accountId).selectFrom('webhooks').select(columns).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Webhook');
    return row;
  };
  const checkedUrl = (raw: string) =>
    checkedWebhookUrl(ctx, raw).catch((err: unknown) => {
      if (err instanceof AppError) throw new AppError(err.code, err.message.replace('The webhook URL', 'The URL'), [{ field: 'url', message: (err.details as Array<{ message: string }>)[0].message }]);
      throw err;
    });

  app.get('/api/v1/webhooks/events', { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'The events a webhook can receive', response: { 200: Type.Object({ data: Type.Array(Type.Object({ event: Type.String(), description: Type.String() })) }), ...errors(401, 403) } } }, async () => ({
    data: WEBHOOK_EVENTS.map((event) => ({ event, description: EVENT_HELP[event] })),
  }));

  app.get('/api/v1/webhooks', { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'The workspace’s webhooks (without their secrets)', response: { 200: Type.Object({ data: Type.Array(Webhook) }), ...errors(401, 403) } } }, async (request) => {
    const auth = member(request);
    const rows = await scoped(ctx.db, auth.accountId).selectFrom('webhooks').select(columns).orderBy('created_at').execute();
    return { data: rows.map((r) => present(r, false)) };
  });

  app.post(
    '/api/v1/webhooks',
    { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'Subscribe a URL to events; answers the signing secret', body: Obj({ url: Url, events: Events, description: Type.Optional(Description) }), response: { 201: Webhook, ...errors(400, 401, 403, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      const url = await checkedUrl(request.body.url);
      const row = await ctx.db.transaction().execute(async (trx) => {
        const created = await scoped(trx, auth.accountId)
          .insertInto('webhooks', { url, events: request.body.events, description: request.body.description?.trim() ?? '', secret: ctx.box.seal(newSecret()) })
          .returning(columns)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, auth.accountId, { action: 'webhook.created', targetType: 'webhook', targetId: created.id, metadata: { url, events: request.body.events } }, request);
        return created;
      });
      return reply.code(201).send(present(row, true));
    },
  );

  app.get('/api/v1/webhooks/:id', { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'One webhook, with its signing secret', params: IdParams, response: { 200: Webhook, ...errors(401, 403, 404) } } }, async (request) => {
    const auth = member(request);
    return present(await find(auth.accountId, request.params.id), true);
  });

  app.patch(
    '/api/v1/webhooks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Change a webhook’s URL, events or description, or switch it off and on (on again forgets its failures)',
        params: IdParams,
        body: Obj({ url: Type.Optional(Url), events: Type.Optional(Events), description: Type.Optional(Description), enabled: Type.Optional(Type.Boolean()) }),
        response: { 200: Webhook, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      await find(auth.accountId, request.params.id);
      const { url, events, description, enabled } = request.body;
      const checked = url === undefined ? undefined : await checkedUrl(url);
      await scoped(ctx.db, auth.accountId)
        .updateTable('webhooks')
        .set({
          ...(checked !== undefined ? { url: checked } : {}),
          ...(events ? { events } : {}),
          ...(description !== undefined ? { description: description.trim() } : {}),
          ...(enabled === true ? { enabled: true, disabled_reason: null, failures: 0 } : enabled === false ? { enabled: false, disabled_reason: null } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', request.params.id)
        .execute();
      return present(await find(auth.accountId, request.params.id), true);
    },
  );

  app.delete('/api/v1/webhooks/:id', { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'Delete a webhook and its delivery log', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    await ctx.db.transaction().execute(async (trx) => {
      const row = await scoped(trx, auth.accountId).deleteFrom('webhooks').where('id', '=', request.params.id).returning('url').executeTakeFirst();
      if (!row) throw notFound('Webhook');
      await recordAudit(trx, auth.accountId, { action: 'webhook.deleted', targetType: 'webhook', targetId: request.params.id, metadata: { url: row.url } }, request);
    });
    return reply.code(204).send(null);
  });

  app.post('/api/v1/webhooks/:id/secret', { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'Replace the signing secret (when it may have leaked): deliveries from now on are signed with the new one', params: IdParams, response: { 200: Webhook, ...errors(401, 403, 404) } } }, async (request) => {
    const auth = member(request);
    await ctx.db.transaction().execute(async (trx) => {
      const row = await scoped(trx, auth.accountId).updateTable('webhooks').set({ secret: ctx.box.seal(newSecret()), updated_at: sql<Date>`now()` }).where('id', '=', request.params.id).returning('id').executeTakeFirst();
      if (!row) throw notFound('Webhook');
      await recordAudit(trx, auth.accountId, { action: 'webhook.secret_rotated', targetType: 'webhook', targetId: row.id }, request);
    });
    return present(await find(auth.accountId, request.params.id), true);
  });

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: { access: 'admin' },
      schema: { tags: ['webhooks'], summary: 'The webhook’s deliveries, newest first', params: IdParams, querystring: Obj({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }), response: { 200: Type.Object({ data: Type.Array(Delivery) }), ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const auth = member(request);
      await find(auth.accountId, request.params.id);
      const rows = await scoped(ctx.db, auth.accountId)
        .selectFrom('webhook_deliveries')
        .select(['id', 'event', 'status', 'attempts', 'response_status', 'error', 'created_at', 'finished_at'])
        .where('webhook_id', '=', request.params.id)
        .orderBy('created_at', 'desc')
        .limit(request.query.limit ?? 50)
        .execute();
      return { data: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString(), finished_at: r.finished_at?.toISOString() ?? null })) };
    },
  );

  app.post(
    '/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'Send a failed delivery again (the same delivery id and body)', params: Obj({ id: Uuid, delivery_id: Uuid }), response: { 202: Delivery, ...errors(401, 403, 404, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      const hook = await find(auth.accountId, request.params.id);
      if (!hook.enabled) throw new AppError('invalid_state', 'This webhook is switched off; switch it on first.');
      // The queue is ready before the transaction (on the embedded database, its one connection is the transaction's).
      await ctx.jobs.start();
      const row = await ctx.db.transaction().execute(async (trx) => {
        const updated = await scoped(trx, auth.accountId)
          .updateTable('webhook_deliveries')
          .set({ status: 'pending', finished_at: null })
          .where('id', '=', request.params.delivery_id)
          .where('webhook_id', '=', hook.id)
          .where('status', '=', 'failed')
          .returning(['id', 'event', 'status', 'attempts', 'response_status', 'error', 'created_at', 'finished_at'])
          .executeTakeFirst();
        if (!updated) {
          const exists = await scoped(trx, auth.accountId).selectFrom('webhook_deliveries').select('status').where('id', '=', request.params.delivery_id).where('webhook_id', '=', hook.id).executeTakeFirst();
          if (!exists) throw notFound('Delivery');
          throw new AppError('invalid_state', 'Only a failed delivery can be sent again.');
        }
        await ctx.jobs.send('webhook.deliver', { accountId: auth.accountId, deliveryId: updated.id }, { id: randomUUID(), trx });
        return updated;
      });
      ctx.jobs.notify('webhook.deliver');
      return reply.code(202).send({ ...row, created_at: row.created_at.toISOString(), finished_at: null });
    },
  );

  app.post('/api/v1/webhooks/:id/ping', { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'Send a ping event now, to try the receiver; answers the delivery (see the log for its outcome)', params: IdParams, response: { 202: Delivery, ...errors(401, 403, 404, 422) } } }, async (request, reply) => {
    const auth = member(request);
    const hook = await find(auth.accountId, request.params.id);
    if (!hook.enabled) throw new AppError('invalid_state', 'This webhook is switched off; switch it on first.');
    await ctx.jobs.start();
    const id = randomUUID();
    const body: WebhookBody = { id, event: 'ping', created_at: new Date().toISOString(), data: { webhook_id: hook.id, message: 'Rapport is checking that this URL takes its webhooks.' } };
    const row = await ctx.db.transaction().execute(async (trx) => {
      const created = await scoped(trx, auth.accountId)
        .insertInto('webhook_deliveries', { id, webhook_id: hook.id, event: 'ping', event_id: null, body: JSON.stringify(body) })
        .returning(['id', 'event', 'status', 'attempts', 'response_status', 'error', 'created_at', 'finished_at'])
        .executeTakeFirstOrThrow();
      await ctx.jobs.send('webhook.deliver', { accountId: auth.accountId, deliveryId: id }, { id, trx });
      return created;
    });
    ctx.jobs.notify('webhook.deliver');
    return reply.code(202).send({ ...row, created_at: row.created_at.toISOString(), finished_at: null });
  });
}

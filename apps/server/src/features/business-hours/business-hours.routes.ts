/**
 * Named business-hours schedules (admins): the workspace default, and schedules inboxes and teams
 * pick instead of keeping their own hours. Which hours apply is `effective.ts`.
 */
import { Type } from '@sinclair/typebox';
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Obj, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { BusinessHours, checkBusinessHours } from './business-hours.schema.js';
import type { Schedule } from './schedule.js';
import { slaSettingsChanged } from '../sla/retime-slas.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const NamedSchedule = Type.Object({ id: Uuid, name: Type.String(), is_default: Type.Boolean({ description: 'The workspace default: inboxes and teams without hours of their own follow it' }), business_hours: BusinessHours, created_at: Timestamp, updated_at: Timestamp });
const Assignee = Type.Object({
  id: Uuid,
  name: Type.String(),
  schedule_id: Nullable(Uuid),
  own_hours: Type.Boolean({ description: 'Has hours of its own, which come before any schedule' }),
  business_hours: Nullable(BusinessHours),
});
const Assignments = Type.Object({ default_schedule_id: Nullable(Uuid), inboxes: Type.Array(Assignee), teams: Type.Array(Assignee) });

type Row = { id: string; name: string; is_default: boolean; schedule: Schedule; created_at: Date; updated_at: Date };
const columns = ['id', 'name', 'is_default', 'schedule', 'created_at', 'updated_at'] as const;
const present = (r: Row) => ({ id: r.id, name: r.name, is_default: r.is_default, business_hours: r.schedule, created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() });

const presentAssignee = (r: { id: string; name: string; business_hours_id: string | null; business_hours: Schedule | null }) => ({
  id: r.id,
  name: r.name,
  schedule_id: r.business_hours_id,
  own_hours: r.business_hours !== null,
  business_hours: r.business_hours,
});

/** A schedule id given for an inbox or team must be one of this workspace's (422 naming the field otherwise). */
async function checkScheduleId(trx: Transaction<DB>, accountId: string, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const found = await scoped(trx, accountId).selectFrom('business_hours_schedules').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) throw new AppError('invalid_reference', 'That business-hours schedule does not exist in this workspace.', [{ field: 'schedule_id', message: 'is not a schedule of this workspace' }]);
}

export function businessHoursRoutes(app: Api, ctx: AppContext): void {
  const find = async (accountId: string, id: string) => {
    const row = await scoped(ctx.db, accountId).selectFrom('business_hours_schedules').select(columns).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Business-hours schedule');
    return row;
  };
  const clearDefault = (trx: Transaction<DB>, accountId: string) => scoped(trx, accountId).updateTable('business_hours_schedules').set({ is_default: false }).where('is_default', '=', true).execute();

  app.get('/api/v1/business-hours', { config: { access: 'admin' }, schema: { tags: ['business hours'], summary: 'The workspace’s named business-hours schedules', response: { 200: Type.Object({ data: Type.Array(NamedSchedule) }), ...errors(401, 403) } } }, async (request) => {
    const rows = await scoped(ctx.db, member(request).accountId).selectFrom('business_hours_schedules').select(columns).orderBy('is_default', 'desc').orderBy('name').execute();
    return { data: rows.map(present) };
  });

  app.post(
    '/api/v1/business-hours',
    { config: { access: 'admin' }, schema: { tags: ['business hours'], summary: 'Add a named schedule (is_default: true makes it the workspace default)', body: Obj({ name: Name, business_hours: BusinessHours, is_default: Type.Optional(Type.Boolean()) }), response: { 201: NamedSchedule, ...errors(400, 401, 403, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      const schedule = checkBusinessHours(request.body.business_hours);
      const row = await ctx.db.transaction().execute(async (trx) => {
        if (request.body.is_default) await clearDefault(trx, auth.accountId);
        const created = await scoped(trx, auth.accountId)
          .insertInto('business_hours_schedules', { name: request.body.name.trim(), schedule: JSON.stringify(schedule), is_default: request.body.is_default ?? false })
          .returning(columns)
          .executeTakeFirstOrThrow();
        return created;
      });
      slaSettingsChanged(ctx);
      return reply.code(201).send(present(row));
    },
  );

  app.get('/api/v1/business-hours/assignments', { config: { access: 'admin' }, schema: { tags: ['business hours'], summary: 'Which schedule each inbox and team follows', response: { 200: Assignments, ...errors(401, 403) } } }, async (request) => {
    const ws = scoped(ctx.db, member(request).accountId);
    const [inboxes, teams, fallback] = await Promise.all([
      ws.selectFrom('inboxes').select(['id', 'name', 'business_hours_id', 'business_hours']).orderBy('name').execute(),
      ws.selectFrom('teams').select(['id', 'name', 'business_hours_id', 'business_hours']).orderBy('name').execute(),
      ws.selectFrom('business_hours_schedules').select('id').where('is_default', '=', true).executeTakeFirst(),
    ]);
    return { default_schedule_id: fallback?.id ?? null, inboxes: inboxes.map(presentAssignee), teams: teams.map(presentAssignee) };
  });

  app.get('/api/v1/business-hours/:id', { config: { access: 'admin' }, schema: { tags: ['business hours'], summary: 'One schedule', params: IdParams, response: { 200: NamedSchedule, ...errors(401, 403, 404) } } }, async (request) => {
    return present(await find(member(request).accountId, request.params.id));
  });

  app.patch(
    '/api/v1/business-hours/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['business hours'], summary: 'Rename a schedule, change its hours, or make it the default', params: IdParams, body: Obj({ name: Type.Optional(Name), business_hours: Type.Optional(BusinessHours), is_default: Type.Optional(Type.Boolean()) }), response: { 200: NamedSchedule, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const auth = member(request);
      await find(auth.accountId, request.params.id);
      const { name, business_hours, is_default } = request.body;
      const schedule = business_hours ? checkBusinessHours(business_hours) : undefined;
      await ctx.db.transaction().execute(async (trx) => {
        if (is_default) await clearDefault(trx, auth.accountId);
        await scoped(trx, auth.accountId)
          .updateTable('business_hours_schedules')
          .set({ ...(name !== undefined ? { name: name.trim() } : {}), ...(schedule ? { schedule: JSON.stringify(schedule) } : {}), ...(is_default !== undefined ? { is_default } : {}), updated_at: sql<Date>`now()` })
          .where('id', '=', request.params.id)
          .execute();
      });
      slaSettingsChanged(ctx);
      return present(await find(auth.accountId, request.params.id));
    },
  );

  app.delete('/api/v1/business-hours/:id', { config: { access: 'admin' }, schema: { tags: ['business hours'], summary: 'Delete a schedule (inboxes and teams that picked it fall back to the next hours in line)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    await ctx.db.transaction().execute(async (trx) => {
      const row = await scoped(trx, auth.accountId).deleteFrom('business_hours_schedules').where('id', '=', request.params.id).returning('name').executeTakeFirst();
      if (!row) throw notFound('Business-hours schedule');
    });
    slaSettingsChanged(ctx);
    return reply.code(204).send(null);
  });

  app.put(
    '/api/v1/inboxes/:id/business-hours-schedule',
    { config: { access: 'admin' }, schema: { tags: ['business hours'], summary: 'Pick the named schedule an inbox follows when it has no hours of its own (null: its team’s, then the default)', params: IdParams, body: Obj({ schedule_id: Nullable(Uuid) }), response: { 200: Assignee, ...errors(400, 401, 403, 404, 422) } } },
    async (request) => {
      const auth = member(request);
      const assigned = await ctx.db.transaction().execute(async (trx) => {
        await checkScheduleId(trx, auth.accountId, request.body.schedule_id);
        const row = await scoped(trx, auth.accountId).updateTable('inboxes').set({ business_hours_id: request.body.schedule_id }).where('id', '=', request.params.id).returning(['id', 'name', 'business_hours_id', 'business_hours']).executeTakeFirst();
        if (!row) throw notFound('Inbox');
        return presentAssignee(row);
      });
      slaSettingsChanged(ctx);
      return assigned;
    },
  );

  app.put(
    '/api/v1/teams/:id/business-hours',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['business hours'],
        summary: 'A team’s hours: a named schedule, or hours of its own (which come first); null clears either',
        params: IdParams,
        body: Obj({ schedule_id: Type.Optional(Nullable(Uuid)), business_hours: Type.Optional(Nullable(BusinessHours)) }),
        response: { 200: Assignee, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const { schedule_id, business_hours } = request.body;
      const own = business_hours ? checkBusinessHours(business_hours) : business_hours;
      const assigned = await ctx.db.transaction().execute(async (trx) => {
        await checkScheduleId(trx, auth.accountId, schedule_id);
        const row = await scoped(trx, auth.accountId)
          .updateTable('teams')
          .set({ ...(schedule_id !== undefined ? { business_hours_id: schedule_id } : {}), ...(own !== undefined ? { business_hours: own && JSON.stringify(own) } : {}) })
          .where('id', '=', request.params.id)
          .returning(['id', 'name', 'business_hours_id', 'business_hours'])
          .executeTakeFirst();
        if (!row) throw notFound('Team');
        return presentAssignee(row);
      });
      slaSettingsChanged(ctx);
      return assigned;
    },
  );
}

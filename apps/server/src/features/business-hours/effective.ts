/**
 * Which business hours apply: the inbox's own hours, else the named schedule it picked, else its
 * conversation's team's (own, then picked), else the workspace default; none at all is always open.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { Schedule } from './schedule.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function effectiveSchedule(db: Db, accountId: string, where: { inboxId: string; teamId?: string | null }): Promise<Schedule | null> {
  const ws = scoped(db, accountId);
  const row = await ws
    .selectFrom('inboxes')
    .leftJoin('business_hours_schedules as ib', (j) => j.onRef('ib.id', '=', 'inboxes.business_hours_id').onRef('ib.account_id', '=', 'inboxes.account_id'))
    .leftJoin('teams as t', (j) => j.onRef('t.account_id', '=', 'inboxes.account_id').on('t.id', '=', where.teamId ?? sql<string>`null::uuid`))
    .leftJoin('business_hours_schedules as tb', (j) => j.onRef('tb.id', '=', 't.business_hours_id').onRef('tb.account_id', '=', 'inboxes.account_id'))
    .leftJoin('business_hours_schedules as d', (j) => j.onRef('d.account_id', '=', 'inboxes.account_id').on('d.is_default', '=', true))
    .select(['inboxes.business_hours as own', 'ib.schedule as picked', 't.business_hours as team_own', 'tb.schedule as team_picked', 'd.schedule as fallback'])
    .where('inboxes.id', '=', where.inboxId)
    .executeTakeFirst();
  if (!row) return null;
  return row.own ?? row.picked ?? row.team_own ?? row.team_picked ?? row.fallback ?? null;
}

/** An inbox's or a team's hours: its own, and the named schedule it picked. */
export interface HoursChoice {
  own: Schedule | null;
  picked: string | null;
}

/** A workspace's hours in memory: enough to answer `effectiveSchedule` for any inbox and team without a query. */
export interface Calendars {
  fallback: Schedule | null;
  schedules: ReadonlyMap<string, Schedule>;
  inboxes: ReadonlyMap<string, HoursChoice>;
  teams: ReadonlyMap<string, HoursChoice>;
}

/** The same order as `effectiveSchedule`, from calendars already read. */
export function scheduleFor(calendars: Calendars, where: { inboxId: string; teamId?: string | null }): Schedule | null {
  const chosen = (c: HoursChoice | undefined) => c?.own ?? (c?.picked ? calendars.schedules.get(c.picked) : undefined) ?? null;
  const team = where.teamId ? calendars.teams.get(where.teamId) : undefined;
  return chosen(calendars.inboxes.get(where.inboxId)) ?? chosen(team) ?? calendars.fallback;
}

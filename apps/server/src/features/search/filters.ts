/**
 * The conversation filters search and the export share, as SQL conditions on the conversations
 * table. Every value is a bound parameter; only column names written here are SQL.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { DateTime, IANAZone } from 'luxon';
import { AppError } from '../../core/errors.js';
import { decodeCursor, type Cursor } from '../../core/http/pagination.js';
import { toFieldErrors } from '../../core/http/validation.js';
import { atLeast } from '../../core/auth/roles.js';
import type { DB, Role } from '../../core/db/schema.js';
import type { filterFields } from './search.schema.js';

type FilterQuery = { [K in keyof typeof filterFields]?: Static<(typeof filterFields)[K]> };

export interface Filters {
  status?: string;
  inboxId?: string;
  teamId?: string;
  /** A user id, or null for unassigned. */
  assignee?: string | null;
  tag?: string;
  channel?: string;
  from?: Date;
  to?: Date;
}

export interface Viewer {
  accountId: string;
  userId: string;
  role: Role;
}

export const invalidFilter = (field: string, message: string) => new AppError('invalid_filter', `The ${field} filter is not valid: it ${message}.`, [{ field, message }]);

/** Routes that take filters validate with attachValidation, so a bad one answers 422 naming the field. */
export function refuseInvalid(request: FastifyRequest): void {
  const failed = request.validationError as (Error & { validation?: unknown[] }) | undefined;
  if (!failed) return;
  const details = toFieldErrors((failed.validation ?? []) as never);
  const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
  throw new AppError('invalid_filter', `Some search parameters are not valid: ${summary}.`, details);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A from/to bound. A date-time with its offset is that instant; a date is a day in the caller's
 * time zone (their profile's, the one the app shows times in): "from 2026-03-01" starts at its
 * local midnight, "to 2026-03-01" includes that whole day.
 */
function bound(field: 'from' | 'to', value: string | undefined, zone: string): Date | undefined {
  if (value === undefined) return undefined;
  const day = DAY.test(value);
  if (!day && !INSTANT.test(value)) throw invalidFilter(field, 'must be a date (2026-03-01) or a date-time with its offset (2026-03-01T09:00:00Z)');
  const at = day ? DateTime.fromISO(value, { zone }) : DateTime.fromISO(value, { setZone: true });
  if (!at.isValid) throw invalidFilter(field, 'is not a real date');
  return (day && field === 'to' ? at.plus({ days: 1 }) : at).toJSDate();
}

/** Whether the bounds name days, which begin and end in the caller's time zone. */
const namesDays = (query: FilterQuery) => [query.from, query.to].some((v) => v !== undefined && DAY.test(v));

/** The caller's time zone, read only when a bound is a day ('UTC' when unknown). */
async function zoneFor(db: Kysely<DB>, query: FilterQuery, userId: string): Promise<string> {
  if (!namesDays(query)) return 'UTC';
  const row = await db.selectFrom('users').select('time_zone').where('id', '=', userId).executeTakeFirst();
  return row && IANAZone.isValidZone(row.time_zone) ? row.time_zone : 'UTC';
}

export async function readFilters(db: Kysely<DB>, query: FilterQuery, viewer: Viewer): Promise<Filters> {
  const who = query.assignee_id ?? (query.assignee === 'any' ? undefined : query.assignee);
  const zone = await zoneFor(db, query, viewer.userId);
  const f: Filters = {
    status: query.status && query.status !== 'all' ? query.status : undefined,
    inboxId: query.inbox_id,
    teamId: query.team_id,
    assignee: who === undefined ? undefined : who === 'me' ? viewer.userId : who === 'unassigned' ? null : who,
    tag: query.tag?.toLowerCase(),
    channel: query.channel,
    from: bound('from', query.from, zone),
    to: bound('to', query.to, zone),
  };
  if (f.from && f.to && f.from >= f.to) throw invalidFilter('to', 'must be after from');
  return f;
}

export function readCursor(cursor: string | undefined): Cursor | undefined {
  try {
    return decodeCursor(cursor);
  } catch {
    throw invalidFilter('cursor', 'is not one this search gave; start again from the first page');
  }
}

/** Whether any filter narrows conversations (dates aside, which apply to what is listed). */
export const narrowsConversations = (f: Filters) => [f.status, f.inboxId, f.teamId, f.assignee, f.tag, f.channel].some((v) => v !== undefined);

/** The condition on `conversations` for what the viewer may see: agents, their inboxes only (SECURITY 6). */
export function visibleTo(viewer: Viewer): RawBuilder<boolean>[] {
  if (atLeast(viewer.role, 'admin')) return [];
  // The agent's inboxes as one array, read once: a cheap test on each row, before costlier ones.
  return [sql<boolean>`conversations.inbox_id = any(array(select inbox_members.inbox_id from inbox_members where inbox_members.account_id = ${viewer.accountId} and inbox_members.user_id = ${viewer.userId}))`];
}

/** Conditions on `conversations` for the filters alone. */
export function filterConditions(f: Filters, accountId: string): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (f.status) out.push(sql<boolean>`conversations.status = ${f.status}`);
  if (f.inboxId) out.push(sql<boolean>`conversations.inbox_id = ${f.inboxId}`);
  if (f.teamId) out.push(sql<boolean>`conversations.team_id = ${f.teamId}`);
  if (f.assignee === null) out.push(sql<boolean>`conversations.assignee_id is null`);
  else if (f.assignee) out.push(sql<boolean>`conversations.assignee_id = ${f.assignee}`);
  if (f.tag) out.push(sql<boolean>`conversations.tags @> array[${f.tag}]::text[]`);
  if (f.channel) out.push(sql<boolean>`conversations.inbox_id in (select inboxes.id from inboxes where inboxes.account_id = ${accountId} and inboxes.channel = ${f.channel})`);
  return out;
}

/** Conditions on `conversations` for the filters and for what the viewer may see (SECURITY 6). */
export function conversationConditions(f: Filters, viewer: Viewer): RawBuilder<boolean>[] {
  return [...visibleTo(viewer), ...filterConditions(f, viewer.accountId)];
}

/** Conditions on a timestamp column for the from/to filters. */
export function dateConditions(f: Filters, column: RawBuilder<unknown>): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (f.from) out.push(sql<boolean>`${column} >= ${f.from}`);
  if (f.to) out.push(sql<boolean>`${column} < ${f.to}`);
  return out;
}

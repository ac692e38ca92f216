/**
 * Business hours: a weekly schedule in one time zone, with holidays. Pure functions — a schedule
 * and an instant in, a decision out — so inboxes today and workspaces, teams and SLAs later share
 * one answer to "are we open, and when do we open or close next". Wall-clock arithmetic across
 * daylight-saving changes is luxon's, never ours.
 */
import { DateTime, IANAZone } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening and closing time on the wall clock, "HH:MM"; closing may be "24:00" (the end of the day). */
export type Interval = [open: string, close: string];

export interface Schedule {
  /** IANA time zone the times and holidays are in, e.g. "Europe/Berlin". */
  time_zone: string;
  /** Open intervals per weekday; a missing or empty day is closed. */
  days: Partial<Record<Weekday, Interval[]>>;
  /** Dates ("YYYY-MM-DD", in the schedule's zone) closed all day. */
  holidays?: string[];
}

export interface Availability {
  open: boolean;
  /** When closed: the next opening; null if the schedule never opens again (within a year). */
  next_open_at: Date | null;
  /** When open: when it closes, following intervals that run on into the next day; null if not within a week. */
  closes_at: Date | null;
}

/** How far ahead to look for an opening: a year of holidays plus a week. */
const HORIZON_DAYS = 373;
/** How far to follow back-to-back intervals for the closing time (an always-open schedule never closes). */
const CLOSING_HORIZON_MS = 8 * 86_400_000;

export const ALWAYS_OPEN: Availability = { open: true, next_open_at: null, closes_at: null };

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant a wall-clock time falls on in that day; a time skipped by a DST change moves forward. */
function onDay(day: DateTime, hhmm: string): DateTime {
  const m = minutes(hhmm);
  if (m >= 24 * 60) return day.plus({ days: 1 }).startOf('day');
  return day.set({ hour: Math.floor(m / 60), minute: m % 60, second: 0, millisecond: 0 });
}

/** The schedule's open intervals as instants, in order, from the day `from` falls on onwards. */
function* openIntervals(schedule: Schedule, from: Date): Generator<[DateTime, DateTime]> {
  const holidays = new Set(schedule.holidays ?? []);
  const first = DateTime.fromJSDate(from, { zone: schedule.time_zone }).startOf('day');
  for (let d = 0; d < HORIZON_DAYS; d++) {
    const day = first.plus({ days: d });
    if (holidays.has(day.toISODate() ?? '')) continue;
    const list = [...(schedule.days[WEEKDAYS[day.weekday - 1]] ?? [])].sort((a, b) => minutes(a[0]) - minutes(b[0]));
    for (const [open, close] of list) {
      const start = onDay(day, open);
      const end = onDay(day, close);
      if (end > start) yield [start, end];
    }
  }
}

/** Is the schedule open at `at`, and when does that change. A null schedule is always open. */
export function availabilityAt(schedule: Schedule | null, at: Date): Availability {
  if (!schedule) return ALWAYS_OPEN;
  const now = at.getTime();
  let open = false;
  let closesAt: DateTime | null = null;
  for (const [start, end] of openIntervals(schedule, at)) {
    if (end.toMillis() <= now) continue;
    if (!open) {
      if (start.toMillis() > now) return { open: false, next_open_at: start.toJSDate(), closes_at: null };
      open = true;
      closesAt = end;
      continue;
    }
    // Open: an interval that starts when the last one ends (17:00–24:00, then 00:00–02:00) runs on.
    if (!closesAt || start.toMillis() !== closesAt.toMillis()) break;
    if (end.toMillis() - now > CLOSING_HORIZON_MS) return { open: true, next_open_at: null, closes_at: null };
    closesAt = end;
  }
  return open ? { open: true, next_open_at: null, closes_at: closesAt?.toJSDate() ?? null } : { open: false, next_open_at: null, closes_at: null };
}

const MINUTE_MS = 60_000;

/**
 * The instant `minutes` business minutes after `from`: time counts only while the schedule is
 * open (a null schedule is always open, so this is plain calendar time). Null if the schedule does
 * not open long enough within a year.
 */
export function addBusinessMinutes(schedule: Schedule | null, from: Date, minutes: number): Date | null {
  if (!schedule) return new Date(from.getTime() + minutes * MINUTE_MS);
  let left = Math.max(0, minutes) * MINUTE_MS;
  const start = from.getTime();
  for (const [s, e] of openIntervals(schedule, from)) {
    const end = e.toMillis();
    if (end <= start) continue;
    const begin = Math.max(s.toMillis(), start);
    if (left <= end - begin) return new Date(begin + left);
    left -= end - begin;
  }
  return null;
}

/** Business minutes (fractional) between two instants: the time the schedule is open in [from, to); negative when `to` is earlier. */
export function businessMinutesBetween(schedule: Schedule | null, from: Date, to: Date): number {
  if (to < from) return -businessMinutesBetween(schedule, to, from);
  if (!schedule) return (to.getTime() - from.getTime()) / MINUTE_MS;
  const a = from.getTime();
  const b = to.getTime();
  let total = 0;
  for (const [s, e] of openIntervals(schedule, from)) {
    if (s.toMillis() >= b) break;
    const overlap = Math.min(e.toMillis(), b) - Math.max(s.toMillis(), a);
    if (overlap > 0) total += overlap;
  }
  return total / MINUTE_MS;
}

export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);

export interface ScheduleProblem {
  field: string;
  message: string;
}

/**
 * What the shape alone cannot check: a real time zone, opening before closing, no overlaps,
 * real dates. Field names are relative to the schedule ("days.mon.0").
 */
export function scheduleProblems(schedule: Schedule): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (!isTimeZone(schedule.time_zone)) problems.push({ field: 'time_zone', message: `"${schedule.time_zone}" is not a known IANA time zone (such as Europe/Berlin or America/New_York)` });
  for (const day of WEEKDAYS) {
    const list = schedule.days[day] ?? [];
    list.forEach(([open, close], i) => {
      if (minutes(open) >= minutes(close)) problems.push({ field: `days.${day}.${i}`, message: `opens at ${open} but closes at ${close}: the opening must come before the closing (use two intervals to stay open past midnight)` });
    });
    const sorted = list.map(([o, c]) => [minutes(o), minutes(c)]).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i][0] < sorted[i - 1][1]) {
        problems.push({ field: `days.${day}`, message: 'has overlapping intervals' });
        break;
      }
    }
  }
  (schedule.holidays ?? []).forEach((date, i) => {
    if (!DateTime.fromISO(date).isValid) problems.push({ field: `holidays.${i}`, message: `"${date}" is not a real date` });
  });
  return problems;
}

/** "today at 09:00", "tomorrow at 09:00", "Monday at 09:00" or "on 6 January at 09:00", in the schedule's zone. */
export function describeOpening(at: Date, now: Date, zone: string): string {
  const when = DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
  const days = Math.round(when.startOf('day').diff(DateTime.fromJSDate(now, { zone }).startOf('day'), 'days').days);
  const day = days === 0 ? 'today' : days === 1 ? 'tomorrow' : days < 7 ? when.toFormat('cccc') : `on ${when.toFormat('d LLLL')}`;
  return `${day} at ${when.toFormat('HH:mm')}`;
}

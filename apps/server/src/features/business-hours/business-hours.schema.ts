/** The business-hours shape the API takes and answers, and its checks beyond the shape (422). */
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { Obj } from '../../core/http/schema.js';
import { scheduleProblems, type Schedule, type Weekday } from './schedule.js';

const Time = Type.String({ pattern: '^(?:(?:[01]\\d|2[0-3]):[0-5]\\d|24:00)$', description: 'Wall-clock time "HH:MM"; a closing time may be "24:00"' });
const Interval = Type.Tuple([Time, Time], { description: 'Open from, to (the closing minute is not included)' });
const Day = Type.Array(Interval, { maxItems: 4, description: 'Open intervals of the day; empty: closed' });

export const BusinessHours = Obj(
  {
    time_zone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone the times and holidays are in, e.g. Europe/Berlin' }),
    days: Obj(
      { mon: Type.Optional(Day), tue: Type.Optional(Day), wed: Type.Optional(Day), thu: Type.Optional(Day), fri: Type.Optional(Day), sat: Type.Optional(Day), sun: Type.Optional(Day) } satisfies Record<Weekday, unknown>,
      { description: 'mon … sun; a missing day is closed' },
    ),
    holidays: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 200, uniqueItems: true, description: 'Dates (YYYY-MM-DD, in the time zone) closed all day' })),
  },
  { description: 'Weekly opening hours in one time zone, with holidays; null means always open' },
);

export type BusinessHoursInput = Static<typeof BusinessHours>;

/** Refuses a schedule the shape allows but the calendar does not (unknown zone, 18:00–09:00, …). */
export function checkBusinessHours(schedule: BusinessHoursInput, field = 'business_hours'): Schedule {
  const problems = scheduleProblems(schedule);
  if (problems.length) {
    const details = problems.map((p) => ({ field: `${field}.${p.field}`, message: p.message }));
    throw new AppError('invalid_business_hours', `The business hours are not valid: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}.`, details);
  }
  return { time_zone: schedule.time_zone, days: schedule.days, holidays: [...(schedule.holidays ?? [])].sort() };
}

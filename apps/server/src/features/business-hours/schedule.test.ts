import { describe, expect, it } from 'vitest';
import { availabilityAt, describeOpening, scheduleProblems, type Schedule } from './schedule.js';

const nineToFive = [['09:00', '17:30']] as Schedule['days']['mon'];
const berlin: Schedule = {
  time_zone: 'Europe/Berlin',
  days: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: [['09:00', '12:00'], ['13:00', '17:00']] },
  holidays: ['2025-12-25', '2025-12-26'],
};
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('availabilityAt', () => {
  it('is always open without a schedule', () => {
    expect(availabilityAt(null, at('2025-06-01T03:00:00Z'))).toEqual({ open: true, next_open_at: null, closes_at: null });
  });

  it('is open inside an interval and says when it closes, in the schedule’s zone', () => {
    // Wednesday 2025-06-04 10:00 in Berlin (CEST, UTC+2)
    const a = availabilityAt(berlin, at('2025-06-04T08:00:00Z'));
    expect(a.open).toBe(true);
    expect(iso(a.closes_at)).toBe('2025-06-04T15:30:00.000Z');
  });

  it('opens on the minute and closes before the closing minute', () => {
    expect(availabilityAt(berlin, at('2025-06-04T07:00:00Z')).open).toBe(true);
    expect(availabilityAt(berlin, at('2025-06-04T06:59:59Z')).open).toBe(false);
    expect(availabilityAt(berlin, at('2025-06-04T15:30:00Z')).open).toBe(false);
  });

  it('is closed over lunch and opens again the same afternoon', () => {
    const a = availabilityAt(berlin, at('2025-06-06T10:30:00Z')); // Friday 12:30
    expect(a).toMatchObject({ open: false, closes_at: null });
    expect(iso(a.next_open_at)).toBe('2025-06-06T11:00:00.000Z');
  });

  it('is closed over the weekend and opens on Monday morning', () => {
    for (const moment of ['2025-06-06T15:00:00Z', '2025-06-07T12:00:00Z', '2025-06-08T21:59:00Z']) {
      const a = availabilityAt(berlin, at(moment));
      expect(a.open).toBe(false);
      expect(iso(a.next_open_at)).toBe('2025-06-09T07:00:00.000Z');
    }
  });

  it('keeps 09:00 on the wall clock across the change to summer time', () => {
    // Clocks go forward on Sunday 2025-03-30: Friday 09:00 is 08:00Z (CET), Monday 09:00 is 07:00Z (CEST).
    expect(iso(availabilityAt(berlin, at('2025-03-28T18:00:00Z')).next_open_at)).toBe('2025-03-31T07:00:00.000Z');
    expect(availabilityAt(berlin, at('2025-03-28T08:00:00Z')).open).toBe(true);
  });

  it('keeps 09:00 on the wall clock across the change back to winter time', () => {
    // Clocks go back on Sunday 2025-10-26.
    expect(iso(availabilityAt(berlin, at('2025-10-24T18:00:00Z')).next_open_at)).toBe('2025-10-27T08:00:00.000Z');
  });

  it('handles a day 23 hours long for a schedule open on Sundays', () => {
    const sunday: Schedule = { time_zone: 'Europe/Berlin', days: { sun: [['00:00', '24:00']] } };
    const a = availabilityAt(sunday, at('2025-03-30T12:00:00Z'));
    expect(a.open).toBe(true);
    // Midnight after the 23-hour day is 22:00Z (CEST).
    expect(iso(a.closes_at)).toBe('2025-03-30T22:00:00.000Z');
  });

  it('skips holidays, closed all day', () => {
    // Wednesday 2025-12-24 after closing: Thursday and Friday are holidays, then the weekend.
    const a = availabilityAt(berlin, at('2025-12-24T17:00:00Z'));
    expect(iso(a.next_open_at)).toBe('2025-12-29T08:00:00.000Z');
    expect(availabilityAt(berlin, at('2025-12-25T10:00:00Z')).open).toBe(false);
  });

  it('wraps from the end of the week to its start', () => {
    const weekend: Schedule = { time_zone: 'America/New_York', days: { sun: [['18:00', '24:00']], mon: [['00:00', '06:00']] } };
    // Sunday 2025-06-08 20:00 in New York (EDT, UTC-4): open, and runs on through midnight to Monday 06:00.
    const sunday = availabilityAt(weekend, at('2025-06-09T00:00:00Z'));
    expect(sunday.open).toBe(true);
    expect(iso(sunday.closes_at)).toBe('2025-06-09T10:00:00.000Z');
    // Monday 07:00: next opening is Sunday evening, six days on.
    const monday = availabilityAt(weekend, at('2025-06-09T11:00:00Z'));
    expect(monday.open).toBe(false);
    expect(iso(monday.next_open_at)).toBe('2025-06-15T22:00:00.000Z');
  });

  it('does not name a closing time for a schedule open around the clock', () => {
    const all = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) as Schedule['days'];
    expect(availabilityAt({ time_zone: 'Asia/Tokyo', days: all }, at('2025-06-04T08:00:00Z'))).toEqual({ open: true, next_open_at: null, closes_at: null });
  });

  it('never opens when no day has hours', () => {
    expect(availabilityAt({ time_zone: 'UTC', days: {} }, at('2025-06-04T08:00:00Z'))).toEqual({ open: false, next_open_at: null, closes_at: null });
  });
});

describe('scheduleProblems', () => {
  it('accepts a sound schedule', () => {
    expect(scheduleProblems(berlin)).toEqual([]);
  });

  it('names each problem with its field', () => {
    const problems = scheduleProblems({
      time_zone: 'Mars/Olympus_Mons',
      days: { mon: [['18:00', '09:00']], tue: [['09:00', '13:00'], ['12:00', '17:00']], wed: [['24:00', '24:00']] },
      holidays: ['2025-02-30'],
    });
    expect(problems.map((p) => p.field)).toEqual(['time_zone', 'days.mon.0', 'days.tue', 'days.wed.0', 'holidays.0']);
    expect(problems[0].message).toContain('not a known IANA time zone');
  });
});

describe('describeOpening', () => {
  const now = at('2025-06-06T15:00:00Z'); // Friday 17:00 in Berlin
  it('says today, tomorrow, a weekday or a date', () => {
    expect(describeOpening(at('2025-06-06T16:00:00Z'), now, 'Europe/Berlin')).toBe('today at 18:00');
    expect(describeOpening(at('2025-06-07T07:00:00Z'), now, 'Europe/Berlin')).toBe('tomorrow at 09:00');
    expect(describeOpening(at('2025-06-09T07:00:00Z'), now, 'Europe/Berlin')).toBe('Monday at 09:00');
    expect(describeOpening(at('2025-06-20T07:00:00Z'), now, 'Europe/Berlin')).toBe('on 20 June at 09:00');
  });
});

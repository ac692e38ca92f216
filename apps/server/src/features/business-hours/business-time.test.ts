import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, type Schedule } from './schedule.js';

const day = [['09:00', '17:00']] as Schedule['days']['mon'];
const berlin: Schedule = { time_zone: 'Europe/Berlin', days: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: ['2025-12-25', '2025-12-26'] };
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('addBusinessMinutes', () => {
  it('is calendar time without a schedule', () => {
    expect(iso(addBusinessMinutes(null, at('2025-06-07T23:50:00Z'), 30))).toBe('2025-06-08T00:20:00.000Z');
  });

  it('counts within the same open interval', () => {
    // Wednesday 10:00 Berlin (UTC+2) + 90 min = 11:30
    expect(iso(addBusinessMinutes(berlin, at('2025-06-04T08:00:00Z'), 90))).toBe('2025-06-04T09:30:00.000Z');
  });

  it('carries what is left over the night to the next opening', () => {
    // Wednesday 16:30 + 60 min: 30 today, 30 from Thursday 09:00
    expect(iso(addBusinessMinutes(berlin, at('2025-06-04T14:30:00Z'), 60))).toBe('2025-06-05T07:30:00.000Z');
  });

  it('starts counting at the next opening when it starts while closed, over the weekend', () => {
    // Saturday noon + 60 min = Monday 10:00
    expect(iso(addBusinessMinutes(berlin, at('2025-06-07T10:00:00Z'), 60))).toBe('2025-06-09T08:00:00.000Z');
  });

  it('skips holidays', () => {
    // Wednesday 24 Dec 16:00 (UTC+1) + 120 min: 60 that day, Thu 25 and Fri 26 are holidays, weekend, Monday 29 10:00
    expect(iso(addBusinessMinutes(berlin, at('2025-12-24T15:00:00Z'), 120))).toBe('2025-12-29T09:00:00.000Z');
  });

  it('keeps wall-clock hours across the spring DST change', () => {
    // Friday 28 March 2025 16:00 CET (UTC+1) + 120 min: 60 on Friday, then Monday 31 March 10:00 CEST (UTC+2)
    expect(iso(addBusinessMinutes(berlin, at('2025-03-28T15:00:00Z'), 120))).toBe('2025-03-31T08:00:00.000Z');
  });

  it('counts the real length of a night interval shortened by the DST change', () => {
    const nights: Schedule = { time_zone: 'Europe/Berlin', days: { sun: [['00:00', '04:00']] } };
    // Sunday 30 March 2025 00:00–04:00 lasts three hours (02:00 does not exist): 200 min end the next Sunday at 00:20.
    expect(iso(addBusinessMinutes(nights, at('2025-03-29T23:00:00Z'), 180))).toBe('2025-03-30T02:00:00.000Z');
    expect(iso(addBusinessMinutes(nights, at('2025-03-29T23:00:00Z'), 200))).toBe('2025-04-05T22:20:00.000Z');
  });

  it('is null for a schedule that never opens', () => {
    expect(addBusinessMinutes({ time_zone: 'UTC', days: {} }, at('2025-06-04T08:00:00Z'), 10)).toBeNull();
  });

  it('answers the start itself for zero minutes while open', () => {
    expect(iso(addBusinessMinutes(berlin, at('2025-06-04T08:00:00Z'), 0))).toBe('2025-06-04T08:00:00.000Z');
  });
});

describe('businessMinutesBetween', () => {
  it('is calendar minutes without a schedule', () => {
    expect(businessMinutesBetween(null, at('2025-06-04T08:00:00Z'), at('2025-06-04T09:15:00Z'))).toBe(75);
  });

  it('counts only open time, over nights and weekends', () => {
    // Friday 16:00 to Monday 10:00: 60 + 60
    expect(businessMinutesBetween(berlin, at('2025-06-06T14:00:00Z'), at('2025-06-09T08:00:00Z'))).toBe(120);
  });

  it('counts nothing on a holiday', () => {
    expect(businessMinutesBetween(berlin, at('2025-12-25T08:00:00Z'), at('2025-12-26T16:00:00Z'))).toBe(0);
  });

  it('is the inverse of addBusinessMinutes across the autumn DST change', () => {
    const from = at('2025-10-24T14:10:00Z'); // Friday 16:10 CEST
    const due = addBusinessMinutes(berlin, from, 95)!;
    expect(iso(due)).toBe('2025-10-27T08:45:00.000Z'); // 50 min on Friday, then Monday 09:45 CET (UTC+1)
    expect(businessMinutesBetween(berlin, from, due)).toBe(95);
  });

  it('is negative when the end comes first', () => {
    expect(businessMinutesBetween(berlin, at('2025-06-04T09:00:00Z'), at('2025-06-04T08:00:00Z'))).toBe(-60);
  });
});

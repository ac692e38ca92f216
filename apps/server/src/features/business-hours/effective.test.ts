import { describe, expect, it } from 'vitest';
import { scheduleFor, type Calendars } from './effective.js';
import type { Schedule } from './schedule.js';

const hours = (zone: string): Schedule => ({ time_zone: zone, days: { mon: [['09:00', '17:00']] } });
const [inboxOwn, inboxPicked, teamOwn, teamPicked, fallback] = ['Europe/Berlin', 'Europe/Paris', 'Asia/Tokyo', 'America/Chicago', 'UTC'].map(hours);

describe('scheduleFor', () => {
  const calendars: Calendars = {
    fallback,
    schedules: new Map([
      ['s-inbox', inboxPicked],
      ['s-team', teamPicked],
    ]),
    inboxes: new Map([
      ['own', { own: inboxOwn, picked: 's-inbox' }],
      ['picked', { own: null, picked: 's-inbox' }],
      ['gone', { own: null, picked: 's-deleted' }],
    ]),
    teams: new Map([
      ['own', { own: teamOwn, picked: 's-team' }],
      ['picked', { own: null, picked: 's-team' }],
    ]),
  };

  it('takes the inbox’s own hours, its schedule, the team’s own, the team’s schedule, then the default', () => {
    expect(scheduleFor(calendars, { inboxId: 'own', teamId: 'own' })).toBe(inboxOwn);
    expect(scheduleFor(calendars, { inboxId: 'picked', teamId: 'own' })).toBe(inboxPicked);
    expect(scheduleFor(calendars, { inboxId: 'plain', teamId: 'own' })).toBe(teamOwn);
    expect(scheduleFor(calendars, { inboxId: 'plain', teamId: 'picked' })).toBe(teamPicked);
    expect(scheduleFor(calendars, { inboxId: 'plain', teamId: null })).toBe(fallback);
  });

  it('passes over a schedule that is gone, and is always open (null) with nothing set', () => {
    expect(scheduleFor(calendars, { inboxId: 'gone' })).toBe(fallback);
    expect(scheduleFor({ ...calendars, fallback: null }, { inboxId: 'plain', teamId: 'unknown' })).toBeNull();
  });
});

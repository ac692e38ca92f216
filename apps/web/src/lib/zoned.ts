// Wall-clock times in a named time zone (the user's profile zone), without a date library.

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 = Sunday
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The calendar date and time of an instant as seen in `zone` (undefined: the browser's zone). */
export function zonedParts(date: Date, zone?: string): Parts {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  const get = (type: string) => fmt.formatToParts(date).find((p) => p.type === type)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')) % 24,
    minute: Number(get('minute')),
    weekday: weekdays.indexOf(get('weekday')),
  };
}

/** The instant when the clock in `zone` shows the given date and time (day may overflow: 32 → next month). */
export function zonedTime(zone: string | undefined, year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  // Two rounds settle the zone's offset, also across a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(guess), zone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - shown;
  }
  return new Date(guess);
}

export interface SnoozeOption {
  label: string;
  until: Date;
}

/** The preset snooze times: in an hour, tomorrow at 9:00 and next Monday at 9:00, in the user's zone. */
export function snoozeOptions(zone: string | undefined, now = new Date()): SnoozeOption[] {
  const today = zonedParts(now, zone);
  const daysToMonday = ((8 - today.weekday) % 7) || 7;
  const options = [
    { label: '1 hour', until: new Date(now.getTime() + 3_600_000) },
    { label: 'Tomorrow, 9:00', until: zonedTime(zone, today.year, today.month, today.day + 1, 9) },
  ];
  // On a Sunday, next Monday is tomorrow: no need to offer it twice.
  if (daysToMonday > 1) options.push({ label: 'Next week, Monday 9:00', until: zonedTime(zone, today.year, today.month, today.day + daysToMonday, 9) });
  return options;
}

/** "2026-03-14T09:30" (a datetime-local value) read as a time in `zone`; null when incomplete. */
export function parseLocalInput(value: string, zone?: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  return zonedTime(zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** An instant as a datetime-local value in `zone`. */
export function toLocalInput(date: Date, zone?: string): string {
  const p = zonedParts(date, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

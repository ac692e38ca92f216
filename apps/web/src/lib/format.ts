import { useMemo } from 'react';
import { useMe } from '../api/queries';

export interface Formatters {
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  time: (iso: string | null | undefined) => string;
  relative: (iso: string | null | undefined) => string;
  /** Time only for today, day and time this year, full date otherwise. */
  smart: (iso: string | null | undefined) => string;
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

function relative(iso: string | null | undefined): string {
  if (!iso) return '—';
  let value = (new Date(iso).getTime() - Date.now()) / 1000;
  if (Number.isNaN(value)) return '—';
  if (Math.abs(value) < 45) return 'just now';
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return '—';
}

function safeZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** The signed-in user's time zone, when the browser knows it (undefined: the browser's own). */
export function useTimeZone(): string | undefined {
  const { data: me } = useMe();
  return safeZone(me?.user.time_zone);
}

/** Date formatters in the signed-in user's time zone. */
export function useFormat(): Formatters {
  const zone = useTimeZone();
  return useMemo(() => {
    const make = (options: Intl.DateTimeFormatOptions) => {
      const fmt = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
      return (iso: string | null | undefined) => {
        if (!iso) return '—';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? '—' : fmt.format(d);
      };
    };
    const time = make({ timeStyle: 'short' });
    const dayTime = make({ month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    const full = make({ dateStyle: 'medium', timeStyle: 'short' });
    const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const smart = (iso: string | null | undefined) => {
      if (!iso) return '—';
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return '—';
      const now = new Date();
      const [day, today] = [dayKey.format(d), dayKey.format(now)];
      if (day === today) return time(iso);
      return day.slice(0, 4) === today.slice(0, 4) ? dayTime(iso) : full(iso);
    };
    return {
      smart,
      date: make({ dateStyle: 'medium' }),
      dateTime: full,
      time,
      relative,
    };
  }, [zone]);
}

export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  return (parts[0].charAt(0) + (parts.length > 1 ? parts[parts.length - 1].charAt(0) : '')).toUpperCase();
}

const sizeUnits = ['bytes', 'KB', 'MB', 'GB'];

/** A file size for people: "820 bytes", "14 KB", "2.4 MB". */
export function fileSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < sizeUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${sizeUnits[unit]}`;
}

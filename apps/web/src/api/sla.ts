// SLA policies, named business-hours schedules and a conversation's SLA clock: types, keys and hooks.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { BusinessHours } from './types';

export type SlaTarget = 'first_response' | 'next_response' | 'resolution';

export const slaTargetLabels: Record<SlaTarget, string> = { first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' };

/** What the list and the header show: the target due next (a breached one stays until met). */
export interface SlaSummary {
  target: SlaTarget;
  due_at: string | null;
  warn_at: string | null;
  breached: boolean;
  /** Waiting on the customer: the clock stands still. */
  paused: boolean;
}

export interface SlaPolicy {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  priorities: string[];
  inbox_ids: string[];
  tags: string[];
  companies: string[];
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  warning_percent: number | null;
  warning_minutes: number | null;
  business_hours: boolean;
  created_at: string;
  updated_at: string;
}

export type SlaPolicyInput = Omit<SlaPolicy, 'id' | 'position' | 'created_at' | 'updated_at'>;

export interface NamedSchedule {
  id: string;
  name: string;
  is_default: boolean;
  business_hours: BusinessHours;
  created_at: string;
  updated_at: string;
}

export interface ScheduleAssignee {
  id: string;
  name: string;
  schedule_id: string | null;
  own_hours: boolean;
  /** Its own hours, which come before any schedule (set in the inbox's settings, or here for a team). */
  business_hours: BusinessHours | null;
}

export interface ScheduleAssignments {
  default_schedule_id: string | null;
  inboxes: ScheduleAssignee[];
  teams: ScheduleAssignee[];
}

export const slaKeys = {
  policies: ['sla-policies'] as const,
  schedules: ['business-hours'] as const,
  assignments: ['business-hours', 'assignments'] as const,
};

export function useSlaPolicies() {
  return useQuery({ queryKey: slaKeys.policies, queryFn: async () => (await api.get<{ data: SlaPolicy[] }>('/sla-policies')).data });
}

export function useSchedules() {
  return useQuery({ queryKey: slaKeys.schedules, queryFn: async () => (await api.get<{ data: NamedSchedule[] }>('/business-hours')).data });
}

export function useScheduleAssignments() {
  return useQuery({ queryKey: slaKeys.assignments, queryFn: () => api.get<ScheduleAssignments>('/business-hours/assignments') });
}

/** "12m", "3h 5m", "2d 4h": a compact span. */
export function shortSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/** "12 minutes", "3 hours 5 minutes": the same span, for a screen reader. */
export function longSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return part(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return [part(hours, 'hour'), minutes % 60 ? part(minutes % 60, 'minute') : ''].filter(Boolean).join(' ');
  const days = Math.floor(hours / 24);
  return [part(days, 'day'), hours % 24 ? part(hours % 24, 'hour') : ''].filter(Boolean).join(' ');
}

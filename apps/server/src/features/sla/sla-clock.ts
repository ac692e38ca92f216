/**
 * The SLA clock, pure: which policy applies to a conversation, and — from what the conversation
 * is now and what the clock was — each target's due and warning time, pauses, and what fires.
 * Reconciling state instead of following transitions one by one keeps it idempotent: running it
 * twice for one change, or late, gives the same answer.
 */
import type { ConversationPriority, ConversationStatus } from '../../core/db/schema.js';
import { addBusinessMinutes, businessMinutesBetween, type Schedule } from '../business-hours/schedule.js';

export const SLA_TARGETS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
/** Column prefix of each target in conversation_slas. */
export const PREFIX = { first_response: 'fr', next_response: 'nr', resolution: 'rs' } as const satisfies Record<SlaTarget, string>;

export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
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
}

export interface ConversationFacts {
  status: ConversationStatus;
  priority: ConversationPriority;
  inbox_id: string;
  tags: string[];
  company: string | null;
  created_at: Date;
  first_response_at: Date | null;
  waiting_since: Date | null;
  resolved_at: Date | null;
}

export interface Timer {
  started_at: Date | null;
  paused_minutes: number;
  due_at: Date | null;
  warn_at: Date | null;
  warned_at: Date | null;
  breached_at: Date | null;
  met_at: Date | null;
}

export interface SlaState {
  policy_id: string;
  paused_since: Date | null;
  timers: Record<SlaTarget, Timer>;
}

export interface Fired {
  kind: 'warning' | 'breached';
  target: SlaTarget;
  due_at: Date;
}

const lower = (s: string) => s.toLowerCase();

/** The first enabled policy (by position) whose every condition holds; an empty condition holds for all. */
export function matchPolicy<P extends SlaPolicy>(policies: readonly P[], c: Pick<ConversationFacts, 'priority' | 'inbox_id' | 'tags' | 'company'>): P | null {
  const tags = new Set(c.tags.map(lower));
  const company = c.company?.trim().toLowerCase() ?? '';
  const ordered = [...policies].sort((a, b) => a.position - b.position);
  return (
    ordered.find(
      (p) =>
        p.enabled &&
        (!p.priorities.length || p.priorities.includes(c.priority)) &&
        (!p.inbox_ids.length || p.inbox_ids.includes(c.inbox_id)) &&
        (!p.tags.length || p.tags.some((t) => tags.has(lower(t)))) &&
        (!p.companies.length || (company !== '' && p.companies.some((x) => lower(x.trim()) === company))),
    ) ?? null
  );
}

export const emptyTimer = (): Timer => ({ started_at: null, paused_minutes: 0, due_at: null, warn_at: null, warned_at: null, breached_at: null, met_at: null });

export function targetMinutes(policy: SlaPolicy, target: SlaTarget): number | null {
  return target === 'first_response' ? policy.first_response_minutes : target === 'next_response' ? policy.next_response_minutes : policy.resolution_minutes;
}

/** How many minutes before the due time the warning comes, for a target of `minutes`. */
export function warningLead(policy: SlaPolicy, minutes: number): number | null {
  if (policy.warning_minutes !== null) return policy.warning_minutes;
  if (policy.warning_percent !== null) return (minutes * (100 - policy.warning_percent)) / 100;
  return null;
}

/**
 * The clock stands still while waiting on the customer (pending, and no customer message waits for
 * an answer) and while the conversation is snoozed; it runs again when it wakes or is reopened.
 */
export const isPaused = (c: ConversationFacts) => c.status === 'snoozed' || (c.status === 'pending' && !c.waiting_since);

/**
 * The clock after a change. `schedule` is the conversation's effective business hours (used when
 * the policy counts business time); null policy: no SLA.
 */
export function reconcile(prev: SlaState | null, policy: SlaPolicy | null, c: ConversationFacts, schedule: Schedule | null, now: Date): SlaState | null {
  if (!policy) return null;
  const hours = policy.business_hours ? schedule : null;
  const timers = Object.fromEntries(SLA_TARGETS.map((t) => [t, { ...(prev?.timers[t] ?? emptyTimer()) }])) as Record<SlaTarget, Timer>;
  let pausedSince = prev?.paused_since ?? null;
  const paused = isPaused(c);

  // A pause that ends adds its length (in the policy's time) to every clock that ran through it.
  if (pausedSince && !paused) {
    for (const t of Object.values(timers)) {
      if (!t.started_at || t.met_at) continue;
      const from = t.started_at > pausedSince ? t.started_at : pausedSince;
      t.paused_minutes += Math.max(0, businessMinutesBetween(hours, from, now));
    }
    pausedSince = null;
  } else if (!pausedSince && paused) pausedSince = now;

  const resolved = c.status === 'resolved';
  const restart = (t: Timer, at: Date) => Object.assign(t, emptyTimer(), { started_at: at });

  // First response: from the start until the first public reply.
  const fr = timers.first_response;
  if (!fr.started_at) fr.started_at = c.created_at;
  if (c.first_response_at && !fr.met_at) fr.met_at = c.first_response_at;

  // Next response: each customer message that waits after the first reply, until the next reply.
  const nr = timers.next_response;
  if (c.first_response_at && c.waiting_since && c.waiting_since > c.first_response_at) {
    if (nr.started_at?.getTime() !== c.waiting_since.getTime()) restart(nr, c.waiting_since);
  } else if (nr.started_at && !nr.met_at && !c.waiting_since) nr.met_at = now;

  // Resolution: from the start until resolved; a reopened conversation starts a new one.
  const rs = timers.resolution;
  if (!rs.started_at) rs.started_at = c.created_at;
  if (resolved && !rs.met_at) rs.met_at = c.resolved_at ?? now;
  else if (!resolved && rs.met_at) restart(rs, now);

  for (const target of SLA_TARGETS) {
    const t = timers[target];
    const minutes = targetMinutes(policy, target);
    // Resolved stops the response clocks; a target the policy does not set has no clock.
    const running = minutes !== null && t.started_at && !t.met_at && !(resolved && target !== 'resolution');
    if (!running || paused) {
      t.due_at = null;
      t.warn_at = null;
      if (minutes === null) Object.assign(t, emptyTimer(), { started_at: t.started_at });
      continue;
    }
    t.due_at = addBusinessMinutes(hours, t.started_at!, minutes + t.paused_minutes);
    const lead = warningLead(policy, minutes);
    t.warn_at = lead === null ? null : addBusinessMinutes(hours, t.started_at!, Math.max(0, minutes - lead) + t.paused_minutes);
    // A later due time (a new policy, a longer target) takes back a breach or warning that is no longer true.
    if (t.breached_at && t.due_at && t.due_at > now) t.breached_at = null;
    if (t.warned_at && (!t.warn_at || t.warn_at > now)) t.warned_at = null;
  }
  return { policy_id: policy.id, paused_since: pausedSince, timers };
}

const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** The same clock: the same policy, pause and every time of every target (nothing to write). */
export function sameClock(a: SlaState, b: SlaState): boolean {
  if (a.policy_id !== b.policy_id || !sameInstant(a.paused_since, b.paused_since)) return false;
  return SLA_TARGETS.every((name) => {
    const [x, y] = [a.timers[name], b.timers[name]];
    return x.paused_minutes === y.paused_minutes && (['started_at', 'due_at', 'warn_at', 'warned_at', 'breached_at', 'met_at'] as const).every((f) => sameInstant(x[f], y[f]));
  });
}

/** Warnings and breaches due at `now` that have not fired; marks them in `state` so each fires once. */
export function fire(state: SlaState, now: Date): Fired[] {
  const fired: Fired[] = [];
  for (const target of SLA_TARGETS) {
    const t = state.timers[target];
    if (!t.due_at || t.met_at) continue;
    if (!t.breached_at && t.due_at <= now) {
      t.breached_at = now;
      // A breach makes its warning moot: it is not sent after the fact.
      t.warned_at ??= now;
      fired.push({ kind: 'breached', target, due_at: t.due_at });
    } else if (t.warn_at && !t.warned_at && t.warn_at <= now) {
      t.warned_at = now;
      fired.push({ kind: 'warning', target, due_at: t.due_at });
    }
  }
  return fired;
}

export interface SlaSummary {
  /** The target shown: the earliest due of those still running (a breached one first). */
  target: SlaTarget | null;
  due_at: Date | null;
  warn_at: Date | null;
  breached: boolean;
  paused: boolean;
  /** The next warning or due time still to fire (for timers and the scan). */
  next_check_at: Date | null;
}

export function summarize(state: SlaState): SlaSummary {
  let target: SlaTarget | null = null;
  let check: Date | null = null;
  for (const name of SLA_TARGETS) {
    const t = state.timers[name];
    if (!t.due_at || t.met_at) continue;
    if (!target || t.due_at < state.timers[target].due_at!) target = name;
    for (const at of [t.warned_at ? null : t.warn_at, t.breached_at ? null : t.due_at]) if (at && (!check || at < check)) check = at;
  }
  if (!target && state.paused_since) target = SLA_TARGETS.find((n) => state.timers[n].started_at && !state.timers[n].met_at) ?? null;
  const t = target ? state.timers[target] : null;
  return { target, due_at: t?.due_at ?? null, warn_at: t?.warn_at ?? null, breached: !!t?.breached_at, paused: !!state.paused_since, next_check_at: check };
}

import { describe, expect, it } from 'vitest';
import type { Schedule } from '../business-hours/schedule.js';
import { fire, matchPolicy, reconcile, sameClock, summarize, type ConversationFacts, type SlaPolicy } from './sla-clock.js';

const policy = (over: Partial<SlaPolicy> = {}): SlaPolicy => ({
  id: 'p1',
  name: 'Standard',
  position: 0,
  enabled: true,
  priorities: [],
  inbox_ids: [],
  tags: [],
  companies: [],
  first_response_minutes: 60,
  next_response_minutes: 30,
  resolution_minutes: 480,
  warning_percent: 80,
  warning_minutes: null,
  business_hours: false,
  ...over,
});
const t0 = new Date('2025-06-04T08:00:00Z');
const plus = (min: number, from = t0) => new Date(from.getTime() + min * 60_000);
const facts = (over: Partial<ConversationFacts> = {}): ConversationFacts => ({
  status: 'open',
  priority: 'normal',
  inbox_id: 'i1',
  tags: [],
  company: null,
  created_at: t0,
  first_response_at: null,
  waiting_since: t0,
  resolved_at: null,
  ...over,
});

describe('matchPolicy', () => {
  const urgent = policy({ id: 'urgent', position: 0, priorities: ['urgent'] });
  const vip = policy({ id: 'vip', position: 1, tags: ['VIP'] });
  const acme = policy({ id: 'acme', position: 2, companies: ['Acme Inc'] });
  const billing = policy({ id: 'billing', position: 3, inbox_ids: ['billing'] });
  const fallback = policy({ id: 'all', position: 9 });
  const all = [fallback, billing, acme, vip, urgent];

  it('takes the first policy by position whose conditions all hold', () => {
    expect(matchPolicy(all, facts({ priority: 'urgent', tags: ['vip'] }))?.id).toBe('urgent');
    expect(matchPolicy(all, facts({ tags: ['vip'] }))?.id).toBe('vip');
    expect(matchPolicy(all, facts({ company: ' acme inc ' }))?.id).toBe('acme');
    expect(matchPolicy(all, facts({ inbox_id: 'billing' }))?.id).toBe('billing');
    expect(matchPolicy(all, facts())?.id).toBe('all');
  });

  it('needs every condition of a policy and skips disabled ones', () => {
    const both = policy({ id: 'both', priorities: ['high'], tags: ['vip'] });
    expect(matchPolicy([both], facts({ priority: 'high' }))).toBeNull();
    expect(matchPolicy([both], facts({ priority: 'high', tags: ['vip'] }))?.id).toBe('both');
    expect(matchPolicy([policy({ enabled: false })], facts())).toBeNull();
  });
});

describe('reconcile and fire', () => {
  it('sets first response and resolution due times, warning at 80 %', () => {
    const s = reconcile(null, policy(), facts(), null, t0)!;
    expect(s.timers.first_response.due_at).toEqual(plus(60));
    expect(s.timers.first_response.warn_at).toEqual(plus(48));
    expect(s.timers.resolution.due_at).toEqual(plus(480));
    expect(s.timers.next_response.due_at).toBeNull();
    expect(summarize(s)).toMatchObject({ target: 'first_response', due_at: plus(60), breached: false, next_check_at: plus(48) });
  });

  it('fires the warning, then the breach, each once', () => {
    const s = reconcile(null, policy(), facts(), null, t0)!;
    expect(fire(s, plus(10))).toEqual([]);
    expect(fire(s, plus(50))).toEqual([{ kind: 'warning', target: 'first_response', due_at: plus(60) }]);
    expect(fire(s, plus(55))).toEqual([]);
    expect(fire(s, plus(61))).toEqual([{ kind: 'breached', target: 'first_response', due_at: plus(60) }]);
    expect(fire(s, plus(62))).toEqual([]);
    expect(summarize(s)).toMatchObject({ target: 'first_response', breached: true, next_check_at: plus(384) });
  });

  it('meets the first response with the first reply and starts next response on the customer’s next message', () => {
    let s = reconcile(null, policy(), facts(), null, t0)!;
    s = reconcile(s, policy(), facts({ first_response_at: plus(5), waiting_since: null }), null, plus(5))!;
    expect(s.timers.first_response.met_at).toEqual(plus(5));
    expect(summarize(s).target).toBe('resolution');
    s = reconcile(s, policy(), facts({ first_response_at: plus(5), waiting_since: plus(20) }), null, plus(20))!;
    expect(s.timers.next_response.due_at).toEqual(plus(50));
    expect(summarize(s).target).toBe('next_response');
    s = reconcile(s, policy(), facts({ first_response_at: plus(5), waiting_since: null }), null, plus(25))!;
    expect(s.timers.next_response.met_at).toEqual(plus(25));
  });

  it('pauses while waiting on the customer and moves the due time by the pause', () => {
    let s = reconcile(null, policy(), facts({ first_response_at: plus(1), waiting_since: null }), null, t0)!;
    s = reconcile(s, policy(), facts({ status: 'pending', first_response_at: plus(1), waiting_since: null }), null, plus(10))!;
    expect(summarize(s)).toMatchObject({ paused: true, due_at: null, target: 'resolution', next_check_at: null });
    s = reconcile(s, policy(), facts({ status: 'open', first_response_at: plus(1), waiting_since: plus(100) }), null, plus(100))!;
    expect(s.timers.resolution.due_at).toEqual(plus(480 + 90));
  });

  it('counts business time only when the policy says so', () => {
    const hours: Schedule = { time_zone: 'UTC', days: { wed: [['08:00', '09:00']], thu: [['08:00', '09:00']] } };
    const s = reconcile(null, policy({ business_hours: true }), facts(), hours, t0)!;
    // 60 business minutes from Wednesday 08:00 UTC: the whole hour that day.
    expect(s.timers.first_response.due_at).toEqual(plus(60));
    // Calendar time ignores the schedule.
    expect(reconcile(null, policy({ business_hours: false }), facts(), hours, t0)!.timers.resolution.due_at).toEqual(plus(480));
  });

  it('stops at resolution and starts a new resolution clock when reopened', () => {
    let s = reconcile(null, policy(), facts(), null, t0)!;
    s = reconcile(s, policy(), facts({ status: 'resolved', resolved_at: plus(30) }), null, plus(30))!;
    expect(summarize(s).target).toBeNull();
    expect(s.timers.resolution.met_at).toEqual(plus(30));
    s = reconcile(s, policy(), facts({ status: 'open' }), null, plus(40))!;
    expect(s.timers.resolution).toMatchObject({ started_at: plus(40), met_at: null, due_at: plus(520) });
  });

  it('takes back a breach when a new policy moves the due time later', () => {
    const s = reconcile(null, policy({ first_response_minutes: 5 }), facts(), null, t0)!;
    fire(s, plus(6));
    const later = reconcile(s, policy({ id: 'p2', first_response_minutes: 60 }), facts(), null, plus(7))!;
    expect(later.timers.first_response).toMatchObject({ due_at: plus(60), breached_at: null, warned_at: null });
  });

  it('has no clock without a policy', () => {
    expect(reconcile(null, null, facts(), null, t0)).toBeNull();
  });

  it('stands still while snoozed, even with a customer message waiting, and runs on when it wakes', () => {
    let s = reconcile(null, policy(), facts(), null, t0)!;
    s = reconcile(s, policy(), facts({ status: 'snoozed' }), null, plus(10))!;
    expect(summarize(s)).toMatchObject({ paused: true, due_at: null, target: 'first_response', next_check_at: null });
    expect(fire(s, plus(500))).toEqual([]);
    s = reconcile(s, policy(), facts({ status: 'open' }), null, plus(40))!;
    expect(s.paused_since).toBeNull();
    expect(s.timers.first_response.due_at).toEqual(plus(60 + 30));
    expect(s.timers.resolution.due_at).toEqual(plus(480 + 30));
  });
});

describe('sameClock', () => {
  it('is true for a clock reconciled again with nothing changed, false when any time moved', () => {
    const s = reconcile(null, policy(), facts(), null, t0)!;
    expect(sameClock(s, reconcile(s, policy(), facts(), null, plus(5))!)).toBe(true);
    expect(sameClock(s, reconcile(s, policy({ first_response_minutes: 45 }), facts(), null, plus(5))!)).toBe(false);
    expect(sameClock(s, reconcile(s, policy({ id: 'p2' }), facts(), null, plus(5))!)).toBe(false);
    expect(sameClock(s, reconcile(s, policy(), facts({ status: 'pending', waiting_since: null }), null, plus(5))!)).toBe(false);
    const fired = reconcile(s, policy(), facts(), null, plus(50))!;
    fire(fired, plus(50));
    expect(sameClock(s, fired)).toBe(false);
  });
});

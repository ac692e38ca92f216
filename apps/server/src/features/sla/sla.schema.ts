/** The SLA policy shape the API takes and answers, and the checks beyond the shape (422 naming the field). */
import { Type, type Static } from '@sinclair/typebox';
import type { Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError } from '../../core/errors.js';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';
import type { PolicyRow } from './sla.store.js';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const MAX_MINUTES = 365 * 24 * 60;

// Minutes and priorities are checked in code, not by the shape, so a bad one is a 422 that names the field.
const Minutes = (description: string) => Type.Optional(Nullable(Type.Integer({ description })));
const Strings = (description: string, maxLength = 100) => Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength }), { maxItems: 100, uniqueItems: true, description }));

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Policies are tried in this order (lowest first); the first that matches applies' })),
  priorities: Strings('Conversation priorities it applies to (low, normal, high, urgent); empty: any', 20),
  inbox_ids: Type.Optional(Type.Array(Uuid, { maxItems: 100, uniqueItems: true, description: 'Inboxes it applies to; empty: any' })),
  tags: Strings('Applies when the conversation has any of these tags; empty: any', 40),
  companies: Strings('Customer segment: applies when the contact’s company is one of these (case-insensitive); empty: any'),
  first_response_minutes: Minutes('Minutes from the start to the first reply; null: no target'),
  next_response_minutes: Minutes('Minutes from each customer message that waits to the next reply; null: no target'),
  resolution_minutes: Minutes('Minutes from the start to resolved; null: no target'),
  warning_percent: Minutes('Warn when this share of a target’s time is used (1–99); or give warning_minutes'),
  warning_minutes: Minutes('Warn this many minutes before a target is due'),
  business_hours: Type.Optional(Type.Boolean({ default: true, description: 'Count only business hours (the conversation’s inbox, team, then workspace hours); false: calendar time' })),
};

export const SlaPolicyBody = Obj(fields);
// A change leaves out what it does not mention: no defaults here, or a patch of one target would
// switch a calendar-time policy back to business hours.
export const SlaPolicyPatch = Obj({
  ...fields,
  name: Type.Optional(fields.name),
  enabled: Type.Optional(Type.Boolean()),
  business_hours: Type.Optional(Type.Boolean({ description: fields.business_hours.description })),
});
export type SlaPolicyInput = Static<typeof SlaPolicyPatch>;

export const SlaPolicy = Type.Object({
  id: Uuid,
  name: Type.String(),
  enabled: Type.Boolean(),
  position: Type.Integer(),
  priorities: Type.Array(Type.String()),
  inbox_ids: Type.Array(Uuid),
  tags: Type.Array(Type.String()),
  companies: Type.Array(Type.String()),
  first_response_minutes: Nullable(Type.Integer()),
  next_response_minutes: Nullable(Type.Integer()),
  resolution_minutes: Nullable(Type.Integer()),
  warning_percent: Nullable(Type.Integer()),
  warning_minutes: Nullable(Type.Integer()),
  business_hours: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const presentPolicy = (r: PolicyRow) => ({ ...r, created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() });

const TARGETS = ['first_response_minutes', 'next_response_minutes', 'resolution_minutes'] as const;

/**
 * Refuses what the shape allows but an SLA cannot mean: a negative or zero target, no target at
 * all, a warning that would come after the due time, an unknown priority or inbox. `merged` is the
 * policy as it will be (the stored one with a patch applied).
 */
export async function checkPolicy(trx: Transaction<DB>, accountId: string, merged: SlaPolicyInput): Promise<void> {
  const problems: Array<{ field: string; message: string }> = [];
  for (const f of TARGETS) {
    const v = merged[f];
    if (v !== null && v !== undefined && (v <= 0 || v > MAX_MINUTES)) problems.push({ field: f, message: `must be a number of minutes from 1 to ${MAX_MINUTES} (a year), or null for no target` });
  }
  const targets = TARGETS.map((f) => merged[f]).filter((v): v is number => typeof v === 'number' && v > 0);
  if (!TARGETS.some((f) => merged[f] !== null && merged[f] !== undefined)) problems.push({ field: 'first_response_minutes', message: 'is needed, or next_response_minutes or resolution_minutes: a policy without a target measures nothing' });
  const { warning_percent: pct, warning_minutes: before } = merged;
  if (pct !== null && pct !== undefined && (pct < 1 || pct > 99)) problems.push({ field: 'warning_percent', message: 'must be from 1 to 99 (per cent of the target used)' });
  if (pct != null && before != null) problems.push({ field: 'warning_minutes', message: 'cannot be given with warning_percent: choose one way to warn' });
  if (before !== null && before !== undefined) {
    if (before <= 0) problems.push({ field: 'warning_minutes', message: 'must be at least 1 minute before the due time' });
    else if (targets.length && before >= Math.min(...targets)) problems.push({ field: 'warning_minutes', message: `would warn before the clock starts: it must be shorter than the shortest target (${Math.min(...targets)} minutes)` });
  }
  (merged.priorities ?? []).forEach((p, i) => {
    if (!(PRIORITIES as readonly string[]).includes(p)) problems.push({ field: `priorities.${i}`, message: `"${p}" is not a priority (low, normal, high or urgent)` });
  });
  const inboxIds = merged.inbox_ids ?? [];
  if (inboxIds.length) {
    const found = new Set((await scoped(trx, accountId).selectFrom('inboxes').select('id').where('id', 'in', inboxIds).execute()).map((r) => r.id));
    inboxIds.forEach((id, i) => {
      if (!found.has(id)) problems.push({ field: `inbox_ids.${i}`, message: 'is not an inbox of this workspace' });
    });
  }
  if (problems.length) throw new AppError('invalid_sla_policy', `The SLA policy is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);
}

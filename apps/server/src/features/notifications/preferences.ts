/** Which notifications a person gets in the app and by email, per kind; what they never chose is the default. */
import type { Kysely, Transaction } from 'kysely';
import type { DB, NotificationKind } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['assigned', 'mention', 'message', 'generic'];

export interface Preference {
  in_app: boolean;
  email: boolean;
}

/** Being assigned or mentioned, and alerts (SLA), reach a person by email too; every new message by email would be too many. */
export const DEFAULT_PREFERENCES: Record<NotificationKind, Preference> = {
  assigned: { in_app: true, email: true },
  mention: { in_app: true, email: true },
  message: { in_app: true, email: false },
  generic: { in_app: true, email: true },
};

export const KIND_LABELS: Record<NotificationKind, string> = {
  assigned: 'A conversation is assigned to me',
  mention: 'A teammate mentions me in a note',
  message: 'New messages in conversations I follow or am assigned to',
  generic: 'Alerts, such as service level warnings and breaches',
};

/** Each person's preference of one kind. */
export async function preferencesOf(db: Kysely<DB> | Transaction<DB>, accountId: string, userIds: string[], kind: NotificationKind): Promise<Map<string, Preference>> {
  const out = new Map(userIds.map((id) => [id, DEFAULT_PREFERENCES[kind]]));
  if (userIds.length === 0) return out;
  const rows = await scoped(db, accountId).selectFrom('notification_preferences').select(['user_id', 'in_app', 'email']).where('user_id', 'in', userIds).where('kind', '=', kind).execute();
  for (const r of rows) out.set(r.user_id, { in_app: r.in_app, email: r.email });
  return out;
}

/** All kinds for one person. */
export async function allPreferences(db: Kysely<DB> | Transaction<DB>, accountId: string, userId: string): Promise<Record<NotificationKind, Preference>> {
  const rows = await scoped(db, accountId).selectFrom('notification_preferences').select(['kind', 'in_app', 'email']).where('user_id', '=', userId).execute();
  const out = { ...DEFAULT_PREFERENCES };
  for (const r of rows) out[r.kind] = { in_app: r.in_app, email: r.email };
  return out;
}

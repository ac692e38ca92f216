/**
 * A workspace's SLA settings in memory: its policies and business-hours calendars, which every
 * clock update reads but which change only when an admin edits them. An entry is good for one
 * settings version (`accounts.sla_settings_version`, bumped by the database on every change to
 * policies or hours, whoever makes it — migration 0026). The clock update reads the version with the
 * conversation, so a change made on another node is picked up at the very next update; no message
 * between nodes has to arrive first, and none can be missed.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import type { Calendars, HoursChoice } from '../business-hours/effective.js';
import type { Schedule } from '../business-hours/schedule.js';
import type { SlaPolicy } from './sla-clock.js';

export interface SlaSettings {
  version: string;
  /** In the order they are tried. */
  policies: SlaPolicy[];
  calendars: Calendars;
}

/** Workspaces kept per process; the least recently used goes first. */
const MAX_WORKSPACES = 2000;

type Row = {
  version: string;
  policies: SlaPolicy[];
  schedules: Array<{ id: string; schedule: Schedule; is_default: boolean }>;
  inboxes: Array<{ id: string; own: Schedule | null; picked: string | null }>;
  teams: Array<{ id: string; own: Schedule | null; picked: string | null }>;
};

/** Everything in one statement, so the version and the settings come from one snapshot. */
async function readSettings(trx: Transaction<DB>, accountId: string): Promise<SlaSettings | null> {
  const { rows } = await sql<Row>`
    select a.sla_settings_version::text as version,
      (select coalesce(jsonb_agg(to_jsonb(p) order by p.position, p.created_at), '[]'::jsonb) from sla_policies p where p.account_id = a.id) as policies,
      (select coalesce(jsonb_agg(jsonb_build_object('id', b.id, 'schedule', b.schedule, 'is_default', b.is_default)), '[]'::jsonb) from business_hours_schedules b where b.account_id = a.id) as schedules,
      (select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'own', i.business_hours, 'picked', i.business_hours_id)), '[]'::jsonb)
         from inboxes i where i.account_id = a.id and (i.business_hours is not null or i.business_hours_id is not null)) as inboxes,
      (select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'own', t.business_hours, 'picked', t.business_hours_id)), '[]'::jsonb)
         from teams t where t.account_id = a.id and (t.business_hours is not null or t.business_hours_id is not null)) as teams
    from accounts a where a.id = ${accountId}`.execute(trx);
  const r = rows[0];
  if (!r) return null;
  const choices = (list: Row['inboxes']) => new Map<string, HoursChoice>(list.map((x) => [x.id, { own: x.own, picked: x.picked }]));
  return {
    version: r.version,
    policies: r.policies,
    calendars: {
      fallback: r.schedules.find((s) => s.is_default)?.schedule ?? null,
      schedules: new Map(r.schedules.map((s) => [s.id, s.schedule])),
      inboxes: choices(r.inboxes),
      teams: choices(r.teams),
    },
  };
}

// One cache per database handle (each test app, each bench run has its own).
const caches = new WeakMap<object, Map<string, SlaSettings>>();

/**
 * The workspace's settings at `version` (the one the caller read with the conversation): from
 * memory when this node has that version, else read once in the caller's transaction.
 */
export async function slaSettings(trx: Transaction<DB>, db: object, accountId: string, version: string): Promise<SlaSettings | null> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const known = cache.get(accountId);
  if (known?.version === version) {
    cache.delete(accountId);
    cache.set(accountId, known);
    return known;
  }
  const read = await readSettings(trx, accountId);
  if (!read) return null;
  // A newer version read here than the caller's only means a change landed meanwhile: keep the
  // newer one (the caller's next update reads that version and finds it).
  if (!known || BigInt(read.version) >= BigInt(known.version)) {
    cache.delete(accountId);
    cache.set(accountId, read);
    while (cache.size > MAX_WORKSPACES) cache.delete(cache.keys().next().value!);
  }
  return read;
}

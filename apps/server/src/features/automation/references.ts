/**
 * Ids a rule or macro names (a teammate to assign, a team, a webhook, inboxes in a condition) must
 * be of this workspace; anything else is refused at save, naming the field (SECURITY 4).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { FieldError } from '../../core/http/validation.js';
import type { Action, Condition } from './automation.schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function checkReferences(db: Db, accountId: string, actions: readonly Action[], conditions: readonly Condition[] = []): Promise<FieldError[]> {
  const ws = scoped(db, accountId);
  const errors: FieldError[] = [];
  const exists = async (table: 'teams' | 'webhooks' | 'inboxes', ids: string[]) =>
    new Set(ids.length ? (await ws.selectFrom(table).select('id').where('id', 'in', ids).execute()).map((r) => r.id) : []);
  const userIds = actions.flatMap((a) => (a.type === 'assign' && a.user_id ? [a.user_id] : []));
  const members = new Set(userIds.length ? (await ws.selectFrom('memberships').select('user_id').where('user_id', 'in', userIds).execute()).map((r) => r.user_id) : []);
  const teams = await exists('teams', actions.flatMap((a) => (a.type === 'assign_team' && a.team_id ? [a.team_id] : [])));
  const hooks = await exists('webhooks', actions.flatMap((a) => (a.type === 'webhook' ? [a.webhook_id] : [])));
  const inboxes = await exists('inboxes', conditions.flatMap((c) => (c.field === 'inbox' ? c.values : [])));
  actions.forEach((a, i) => {
    if (a.type === 'assign' && a.user_id && !members.has(a.user_id)) errors.push({ field: `actions[${i}].user_id`, message: 'is not a member of this workspace' });
    if (a.type === 'assign_team' && a.team_id && !teams.has(a.team_id)) errors.push({ field: `actions[${i}].team_id`, message: 'is not a team of this workspace' });
    if (a.type === 'webhook' && !hooks.has(a.webhook_id)) errors.push({ field: `actions[${i}].webhook_id`, message: 'is not a webhook of this workspace' });
  });
  conditions.forEach((c, i) => {
    if (c.field !== 'inbox') return;
    c.values.forEach((id, j) => {
      if (!inboxes.has(id)) errors.push({ field: `conditions[${i}].values[${j}]`, message: 'is not an inbox of this workspace' });
    });
  });
  return errors;
}

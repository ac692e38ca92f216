/**
 * Automation rules, managed by admins: a trigger, conditions and actions, run in order of
 * position; and each rule's run log. A rule that does not hold together is refused with 422
 * naming the exact field (`actions[1].priority`).
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import type { FieldError } from '../../core/http/validation.js';
import { recordAudit } from '../accounts/audit.js';
import { ACTION_VARIANTS, CONDITION_VARIANTS, Rule, RuleEnvelope, RuleInput, RulePatch, Run, TRIGGER_VARIANTS, type Action, type Condition, type RuleFields } from './automation.schema.js';
import { presentRule, presentRun, RULE_COLUMNS, type RuleRow } from './automation.presenter.js';
import { check, checkList, checkVariant } from './check.js';
import { checkReferences } from './references.js';

const PatchEnvelope = Type.Partial(RuleEnvelope, { additionalProperties: false });

/** Everything wrong with a rule body, each error naming its field. */
export function ruleErrors(body: unknown, partial: boolean): FieldError[] {
  const envelope = check(partial ? PatchEnvelope : RuleEnvelope, body, '');
  if (envelope.length) return envelope;
  const b = body as Record<string, unknown>;
  const errors = [
    ...(b.trigger !== undefined ? checkVariant(b.trigger, 'trigger', 'type', TRIGGER_VARIANTS) : []),
    ...(Array.isArray(b.conditions) ? checkList(b.conditions, 'conditions', 'field', CONDITION_VARIANTS) : []),
    ...(Array.isArray(b.actions) ? checkList(b.actions, 'actions', 'type', ACTION_VARIANTS) : []),
  ];
  if (errors.length) return errors;
  ((b.conditions ?? []) as Condition[]).forEach((c, i) => {
    if (c.field === 'contact' && (c.operator === 'equals' || c.operator === 'contains') && !c.value) errors.push({ field: `conditions[${i}].value`, message: `is required with ${c.operator}` });
  });
  return errors;
}

export const refuse = (code: 'invalid_rule' | 'invalid_macro', what: string, errors: FieldError[]) =>
  new AppError(code, `${what} is not valid: ${errors[0].field} ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`, errors);

export function rulesRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const find = async (accountId: string, id: string) => {
    const row = await scoped(db, accountId).selectFrom('automation_rules').select(RULE_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Rule');
    return row as RuleRow;
  };
  const lastRuns = async (accountId: string, ids: string[]) => {
    if (!ids.length) return new Map<string, { outcome: string; created_at: Date }>();
    const rows = await scoped(db, accountId)
      .selectFrom('automation_runs')
      .distinctOn('rule_id')
      .select(['rule_id', 'outcome', 'created_at'])
      .where('rule_id', 'in', ids)
      .orderBy('rule_id')
      .orderBy('created_at', 'desc')
      .execute();
    return new Map(rows.map((r) => [r.rule_id, r]));
  };
  const checked = async (accountId: string, body: unknown, partial: boolean, merged?: (b: Partial<RuleFields>) => RuleFields) => {
    const errors = ruleErrors(body, partial);
    if (errors.length) throw refuse('invalid_rule', 'The rule', errors);
    const fields = merged ? merged(body as Partial<RuleFields>) : (body as RuleFields);
    const refs = await checkReferences(db, accountId, fields.actions as Action[], (fields.conditions ?? []) as Condition[]);
    if (refs.length) throw refuse('invalid_rule', 'The rule', refs);
    return body as Partial<RuleFields>;
  };
  const respond = async (accountId: string, row: RuleRow) => presentRule(row, (await lastRuns(accountId, [row.id])).get(row.id) ?? null);

  app.get('/api/v1/automation-rules', { config: { access: 'admin' }, schema: { tags: ['automation'], summary: 'The workspace’s automation rules, in the order they run, each with its last run', response: { 200: Type.Object({ data: Type.Array(Rule) }), ...errors(401, 403) } } }, async (request) => {
    const auth = member(request);
    const rows = (await scoped(db, auth.accountId).selectFrom('automation_rules').select(RULE_COLUMNS).orderBy('position').orderBy('created_at').execute()) as RuleRow[];
    const last = await lastRuns(auth.accountId, rows.map((r) => r.id));
    return { data: rows.map((r) => presentRule(r, last.get(r.id) ?? null)) };
  });

  app.post(
    '/api/v1/automation-rules',
    { attachValidation: true, config: { access: 'admin' }, schema: { tags: ['automation'], summary: 'Create a rule: when (trigger) + if (conditions) → do (actions)', body: RuleInput, response: { 201: Rule, ...errors(401, 403, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      const body = (await checked(auth.accountId, request.body, false)) as RuleFields;
      const row = await db.transaction().execute(async (trx) => {
        const ws = scoped(trx, auth.accountId);
        const position = body.position ?? Number((await ws.selectFrom('automation_rules').select(sql<number>`coalesce(max(position) + 1, 0)`.as('next')).executeTakeFirstOrThrow()).next);
        const created = await ws
          .insertInto('automation_rules', {
            name: body.name.trim(),
            description: body.description?.trim() ?? '',
            enabled: body.enabled ?? true,
            trigger: JSON.stringify(body.trigger),
            match: body.match ?? 'all',
            conditions: JSON.stringify(body.conditions ?? []),
            actions: JSON.stringify(body.actions),
            position,
            created_by: auth.userId,
          })
          .returning(RULE_COLUMNS)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, auth.accountId, { action: 'automation_rule.created', targetType: 'automation_rule', targetId: created.id, metadata: { name: created.name, trigger: body.trigger.type, enabled: created.enabled } }, request);
        return created;
      });
      return reply.code(201).send(presentRule(row as RuleRow, null));
    },
  );

  app.get('/api/v1/automation-rules/:id', { config: { access: 'admin' }, schema: { tags: ['automation'], summary: 'One rule', params: IdParams, response: { 200: Rule, ...errors(401, 403, 404) } } }, async (request) => {
    const auth = member(request);
    return respond(auth.accountId, await find(auth.accountId, request.params.id));
  });

  app.patch(
    '/api/v1/automation-rules/:id',
    { attachValidation: true, config: { access: 'admin' }, schema: { tags: ['automation'], summary: 'Change a rule, switch it on or off, or move it', params: IdParams, body: RulePatch, response: { 200: Rule, ...errors(401, 403, 404, 422) } } },
    async (request) => {
      const auth = member(request);
      // Params are checked by the schema too; with attachValidation a bad id must still be a 404, not a query error.
      if (request.validationError && request.validationError.validationContext !== 'body') throw notFound('Rule');
      const current = await find(auth.accountId, request.params.id);
      const b = await checked(auth.accountId, request.body, true, (p) => ({
        name: current.name,
        trigger: current.trigger,
        actions: p.actions ?? current.actions,
        conditions: p.conditions ?? current.conditions,
      }));
      const row = await db.transaction().execute(async (trx) => {
        const updated = await scoped(trx, auth.accountId)
          .updateTable('automation_rules')
          .set({
            ...(b.name !== undefined ? { name: b.name.trim() } : {}),
            ...(b.description !== undefined ? { description: b.description.trim() } : {}),
            ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
            ...(b.trigger !== undefined ? { trigger: JSON.stringify(b.trigger) } : {}),
            ...(b.match !== undefined ? { match: b.match } : {}),
            ...(b.conditions !== undefined ? { conditions: JSON.stringify(b.conditions) } : {}),
            ...(b.actions !== undefined ? { actions: JSON.stringify(b.actions) } : {}),
            ...(b.position !== undefined ? { position: b.position } : {}),
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', current.id)
          .returning(RULE_COLUMNS)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, auth.accountId, { action: 'automation_rule.updated', targetType: 'automation_rule', targetId: updated.id, metadata: { name: updated.name, changed: Object.keys(b).sort(), ...(b.enabled !== undefined ? { enabled: b.enabled } : {}) } }, request);
        return updated;
      });
      return respond(auth.accountId, row as RuleRow);
    },
  );

  app.delete('/api/v1/automation-rules/:id', { config: { access: 'admin' }, schema: { tags: ['automation'], summary: 'Delete a rule and its run log', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    await db.transaction().execute(async (trx) => {
      const row = await scoped(trx, auth.accountId).deleteFrom('automation_rules').where('id', '=', request.params.id).returning(['id', 'name']).executeTakeFirst();
      if (!row) throw notFound('Rule');
      await recordAudit(trx, auth.accountId, { action: 'automation_rule.deleted', targetType: 'automation_rule', targetId: row.id, metadata: { name: row.name } }, request);
    });
    return reply.code(204).send(null);
  });

  app.get(
    '/api/v1/automation-rules/:id/runs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'The rule’s runs, newest first: what fired it, what each action did, or why it failed',
        params: IdParams,
        querystring: Obj({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }),
        response: { 200: Type.Object({ data: Type.Array(Run) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const auth = member(request);
      await find(auth.accountId, request.params.id);
      const rows = await scoped(db, auth.accountId)
        .selectFrom('automation_runs')
        .select(['id', 'conversation_id', 'trigger', 'outcome', 'actions', 'error', 'depth', 'created_at'])
        .where('rule_id', '=', request.params.id)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(request.query.limit ?? 50)
        .execute();
      return { data: rows.map(presentRun) };
    },
  );
}

/**
 * SLA policies (admins: which conversations get which response and resolution targets) and a
 * conversation's SLA clock (whoever may see the conversation).
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { SLA_TARGETS, summarize, targetMinutes } from './sla-clock.js';
import { SlaPolicy, SlaPolicyBody, SlaPolicyPatch, checkPolicy, presentPolicy } from './sla.schema.js';
import { POLICY_COLUMNS, stateOf } from './sla.store.js';
import { slaSettingsChanged } from './retime-slas.js';

const Target = Type.Union(SLA_TARGETS.map((t) => Type.Literal(t)));
const ConversationSla = Type.Object({
  policy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  paused_since: Nullable(Timestamp),
  next: Nullable(Type.Object({ target: Target, due_at: Nullable(Timestamp), warn_at: Nullable(Timestamp), breached: Type.Boolean() })),
  targets: Type.Array(
    Type.Object({
      target: Target,
      minutes: Nullable(Type.Integer()),
      started_at: Nullable(Timestamp),
      due_at: Nullable(Timestamp),
      warn_at: Nullable(Timestamp),
      warned_at: Nullable(Timestamp),
      breached_at: Nullable(Timestamp),
      met_at: Nullable(Timestamp),
    }),
  ),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function slaRoutes(app: Api, ctx: AppContext): void {
  const find = async (accountId: string, id: string) => {
    const row = await scoped(ctx.db, accountId).selectFrom('sla_policies').select(POLICY_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('SLA policy');
    return row;
  };
  const tags = ['sla'];

  app.get('/api/v1/sla-policies', { config: { access: 'admin' }, schema: { tags, summary: 'SLA policies, in the order they are tried', response: { 200: Type.Object({ data: Type.Array(SlaPolicy) }), ...errors(401, 403) } } }, async (request) => {
    const rows = await scoped(ctx.db, member(request).accountId).selectFrom('sla_policies').select(POLICY_COLUMNS).orderBy('position').orderBy('created_at').execute();
    return { data: rows.map(presentPolicy) };
  });

  app.post(
    '/api/v1/sla-policies',
    { config: { access: 'admin' }, schema: { tags, summary: 'Add a policy (last in order unless position is given); open conversations it matches are re-timed in the background', body: SlaPolicyBody, response: { 201: SlaPolicy, ...errors(400, 401, 403, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      const b = request.body;
      const row = await ctx.db.transaction().execute(async (trx) => {
        await checkPolicy(trx, auth.accountId, b);
        const last = await scoped(trx, auth.accountId).selectFrom('sla_policies').select(sql<number | null>`max(position)`.as('max')).executeTakeFirst();
        return scoped(trx, auth.accountId)
          .insertInto('sla_policies', {
            name: b.name.trim(),
            enabled: b.enabled ?? true,
            position: b.position ?? (last?.max ?? -1) + 1,
            priorities: b.priorities ?? [],
            inbox_ids: b.inbox_ids ?? [],
            tags: (b.tags ?? []).map((t) => t.toLowerCase()),
            companies: b.companies ?? [],
            first_response_minutes: b.first_response_minutes ?? null,
            next_response_minutes: b.next_response_minutes ?? null,
            resolution_minutes: b.resolution_minutes ?? null,
            warning_percent: b.warning_percent ?? null,
            warning_minutes: b.warning_minutes ?? null,
            business_hours: b.business_hours ?? true,
          })
          .returning(POLICY_COLUMNS)
          .executeTakeFirstOrThrow();
      });
      slaSettingsChanged(ctx);
      return reply.code(201).send(presentPolicy(row));
    },
  );

  app.get('/api/v1/sla-policies/:id', { config: { access: 'admin' }, schema: { tags, summary: 'One SLA policy', params: IdParams, response: { 200: SlaPolicy, ...errors(401, 403, 404) } } }, async (request) => {
    return presentPolicy(await find(member(request).accountId, request.params.id));
  });

  app.patch(
    '/api/v1/sla-policies/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Change a policy; open conversations are re-timed in the background', params: IdParams, body: SlaPolicyPatch, response: { 200: SlaPolicy, ...errors(400, 401, 403, 404, 422) } } },
    async (request) => {
      const auth = member(request);
      const current = await find(auth.accountId, request.params.id);
      const patch = Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined));
      if (typeof patch.name === 'string') patch.name = patch.name.trim();
      if (Array.isArray(patch.tags)) patch.tags = (patch.tags as string[]).map((t) => t.toLowerCase());
      await ctx.db.transaction().execute(async (trx) => {
        await checkPolicy(trx, auth.accountId, { ...current, ...patch });
        await scoped(trx, auth.accountId)
          .updateTable('sla_policies')
          .set({ ...patch, updated_at: sql<Date>`now()` })
          .where('id', '=', request.params.id)
          .execute();
      });
      slaSettingsChanged(ctx);
      return presentPolicy(await find(auth.accountId, request.params.id));
    },
  );

  app.delete('/api/v1/sla-policies/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Delete a policy; open conversations under it are re-timed in the background (by the next matching policy, or none)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const row = await scoped(ctx.db, member(request).accountId).deleteFrom('sla_policies').where('id', '=', request.params.id).returning('id').executeTakeFirst();
    if (!row) throw notFound('SLA policy');
    slaSettingsChanged(ctx);
    return reply.code(204).send(null);
  });

  app.get(
    '/api/v1/conversations/:id/sla',
    { config: { access: 'agent' }, schema: { tags, summary: 'The conversation’s SLA clock: its policy and each target’s due, warning, breach and met times', params: IdParams, response: { 200: ConversationSla, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      if (!(await findConversation(ctx.db, auth, request.params.id))) throw notFound('Conversation');
      const state = await stateOf(ctx.db, auth.accountId, request.params.id);
      if (!state) return { policy: null, paused_since: null, next: null, targets: [] };
      const policy = await scoped(ctx.db, auth.accountId).selectFrom('sla_policies').select(POLICY_COLUMNS).where('id', '=', state.policy_id).executeTakeFirst();
      const s = summarize(state);
      return {
        policy: policy ? { id: policy.id, name: policy.name } : null,
        paused_since: iso(state.paused_since),
        next: s.target ? { target: s.target, due_at: iso(s.due_at), warn_at: iso(s.warn_at), breached: s.breached } : null,
        targets: SLA_TARGETS.filter((t) => state.timers[t].started_at && (!policy || targetMinutes(policy, t) !== null)).map((t) => {
          const timer = state.timers[t];
          return {
            target: t,
            minutes: policy ? targetMinutes(policy, t) : null,
            started_at: iso(timer.started_at),
            due_at: iso(timer.due_at),
            warn_at: iso(timer.warn_at),
            warned_at: iso(timer.warned_at),
            breached_at: iso(timer.breached_at),
            met_at: iso(timer.met_at),
          };
        }),
      };
    },
  );
}

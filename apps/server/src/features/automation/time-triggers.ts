/**
 * Time-based rules ("pending for 3 days", "open and unassigned for 2 hours") and auto-close, by a
 * periodic sweep on every node. Durable without a timer per conversation: the database says when
 * each conversation entered its state (status_changed_at, assignee_changed_at, kept by a trigger),
 * and a run's unique key (rule, conversation, that moment) makes each rule fire once per entry into
 * the state, also with several nodes sweeping at once.
 */
import type { FastifyBaseLogger } from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { startSweeper, type Sweeper } from '../../core/sweeper.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { autoCloseDue } from './auto-close.js';
import type { Trigger } from './automation.schema.js';
import { RULE_COLUMNS, type RuleRow } from './automation.presenter.js';
import { runRule } from './engine.js';

type TimeTrigger = Extract<Trigger, { type: 'time_in_state' }>;
const BATCH = 100;

const STATES: Record<TimeTrigger['state'], { status: string; unassigned?: boolean; words: string }> = {
  pending: { status: 'pending', words: 'pending' },
  open: { status: 'open', words: 'open' },
  open_unassigned: { status: 'open', unassigned: true, words: 'open and unassigned' },
  snoozed: { status: 'snoozed', words: 'snoozed' },
};

export function describeWait(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** One sweep of every workspace's time-based rules; answers how many runs it made. */
export async function runTimedRules(ctx: AppContext): Promise<number> {
  // The sweep serves every workspace; each rule then works within its own.
  const rules = (await unscoped(ctx.db)
    .selectFrom('automation_rules')
    .select([...RULE_COLUMNS, 'account_id'])
    .where('enabled', '=', true)
    .where(sql<boolean>`trigger->>'type' = 'time_in_state'`)
    .orderBy('position')
    .execute()) as Array<RuleRow & { account_id: string }>;
  if (!rules.length) return 0;
  await ctx.jobs.start();
  let runs = 0;
  for (const rule of rules) {
    const trigger = rule.trigger as TimeTrigger;
    const state = STATES[trigger.state];
    const since: RawBuilder<Date> = state.unassigned ? sql<Date>`greatest(status_changed_at, assignee_changed_at)` : sql<Date>`status_changed_at`;
    // The moment the conversation entered the state, to the microsecond: the run's key.
    const key = sql<string>`'state:' || (extract(epoch from ${since}) * 1000000)::bigint::text`;
    const due = (conversations: ReturnType<typeof scoped>) => {
      let q = conversations
        .selectFrom('conversations')
        .select(['id', key.as('key')])
        .where('status', '=', state.status as 'open')
        .where(sql<boolean>`${since} <= now() - make_interval(mins => ${trigger.minutes}::int)`);
      if (state.unassigned) q = q.where('assignee_id', 'is', null);
      return q;
    };
    const candidates = await due(scoped(ctx.db, rule.account_id))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('automation_runs as r').select('r.id').where('r.account_id', '=', rule.account_id).where('r.rule_id', '=', rule.id).whereRef('r.conversation_id', '=', 'conversations.id').where(sql<boolean>`r.dedupe_key = ${key}`))),
      )
      .limit(BATCH)
      .execute();
    for (const c of candidates) {
      const ran = await ctx.db.transaction().execute(async (trx) => {
        // Still in that state, entered at the same moment, and no other node at it.
        const still = await due(scoped(trx, rule.account_id)).where('id', '=', c.id).forUpdate().skipLocked().executeTakeFirst();
        if (!still || still.key !== c.key) return false;
        return runRule(trx, ctx, rule, {
          conversationId: c.id,
          trigger: `${state.words} for ${describeWait(trigger.minutes)}`,
          dedupeKey: c.key,
          eventId: null,
          cause: { rules: [], depth: 0 },
          message: null,
          mood: null,
        });
      });
      if (ran) runs++;
    }
  }
  if (runs) ctx.outbox.kick();
  return runs;
}

/** How long the run log keeps a run. */
export const RUN_LOG_DAYS = 30;

/**
 * Deletes runs older than RUN_LOG_DAYS, a batch per sweep, across every workspace (housekeeping).
 * A time-based run stays while it still stops its rule firing twice: until its conversation's
 * status changed after it (every state's key then starts later), or the conversation is gone.
 */
export async function purgeOldRuns(ctx: AppContext): Promise<number> {
  const old = await unscoped(ctx.db)
    .deleteFrom('automation_runs')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('automation_runs as r')
        .select('r.id')
        .where('r.created_at', '<', sql<Date>`now() - make_interval(days => ${RUN_LOG_DAYS})`)
        .where((w) =>
          w.or([
            w('r.event_id', 'is not', null),
            w('r.conversation_id', 'is', null),
            w.exists(w.selectFrom('conversations as c').select('c.id').whereRef('c.id', '=', 'r.conversation_id').whereRef('c.account_id', '=', 'r.account_id').whereRef('c.status_changed_at', '>', 'r.created_at')),
          ]),
        )
        .limit(5000),
    )
    .executeTakeFirst();
  return Number(old.numDeletedRows);
}

export type AutomationTimers = Sweeper;

/** Sweeps time-based rules and auto-close every `intervalMs` on this node, one sweep at a time. */
export function startAutomationTimers(ctx: AppContext, log: FastifyBaseLogger, intervalMs = 15_000): AutomationTimers {
  return startSweeper(
    async () => {
      await runTimedRules(ctx);
      await autoCloseDue(ctx);
      await purgeOldRuns(ctx);
    },
    { intervalMs, onError: (err) => log.warn({ err }, 'the automation sweep failed; trying again shortly') },
  );
}

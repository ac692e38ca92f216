/**
 * Reactions: work that follows a change, in the database, once. Routing, SLA timers and automation
 * rules all answer "something happened to a conversation"; they are reactors registered here
 * instead of hooks scattered through every writer.
 *
 * Every outbox event is marked for reactions as it is written (a trigger, migration 0015, so every
 * writer is covered, the one-statement message writer included). A dispatcher on each node claims
 * marked events in id order with skip locked (several nodes may run it; each event is claimed once)
 * and runs the reactors in the claiming transaction: the claim and what the reactors wrote commit
 * together, so a crash before the commit leaves the events marked for the next run and a crash after
 * it leaves nothing undone. Each reactor's work on each event runs in its own savepoint: a reactor
 * that throws is logged and undone for that event, and the others go on. Reactors do external I/O by
 * queuing a job in the transaction, never in it.
 */
import { sql, type Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from './context.js';
import type { DB } from './db/schema.js';
import { unscoped } from './db/tenant.js';
import { startSweeper } from './sweeper.js';

export interface ReactionEvent {
  /** The outbox event's id. */
  id: number;
  accountId: string;
  event: string;
  conversationId: string | null;
  inboxId: string | null;
  /** What the outbox recorded (the presented conversation or message, and for updates what changed). */
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface Reactor {
  name: string;
  /** The outbox event names it wants. */
  events: readonly string[];
  /** Runs inside the claiming transaction; use only `trx` there (PGlite has one connection). */
  react(trx: Transaction<DB>, ctx: AppContext, event: ReactionEvent): Promise<void>;
}

/** The customer's first message: the moment a conversation starts, for reactors that care. */
export function isConversationStart(e: ReactionEvent): boolean {
  if (e.event !== 'message.created') return false;
  const message = e.payload.message as { seq?: number; direction?: string } | undefined;
  return message?.seq === 1 && message.direction === 'incoming';
}

export const REACTION_BATCH = 100;

/** One run: claims up to a batch of marked events and runs the reactors on them. Answers how many events it read. */
export async function runReactions(ctx: AppContext, reactors: readonly Reactor[], log: Pick<FastifyBaseLogger, 'error'>): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const claimed = await unscoped(trx)
      .updateTable('outbox_events')
      .set({ react_pending: false })
      .where('id', 'in', (eb) => eb.selectFrom('outbox_events').select('id').where('react_pending', '=', true).orderBy('id').limit(REACTION_BATCH).forUpdate().skipLocked())
      .returning(['id', 'account_id', 'event', 'conversation_id', 'inbox_id', 'payload', 'created_at'])
      .execute();
    if (!claimed.length) return 0;
    const events = claimed.sort((a, b) => Number(a.id) - Number(b.id));
    for (const row of events) {
      const event: ReactionEvent = {
        id: Number(row.id),
        accountId: row.account_id,
        event: row.event,
        conversationId: row.conversation_id,
        inboxId: row.inbox_id,
        payload: row.payload,
        createdAt: new Date(row.created_at),
      };
      for (const reactor of reactors) {
        if (!reactor.events.includes(event.event)) continue;
        await sql`savepoint reaction`.execute(trx);
        try {
          await reactor.react(trx, ctx, event);
          await sql`release savepoint reaction`.execute(trx);
        } catch (err) {
          await sql`rollback to savepoint reaction`.execute(trx);
          log.error({ err, reactor: reactor.name, event: event.event, event_id: event.id }, 'a reaction failed; its changes were undone');
        }
      }
    }
    return events.length;
  });
}

export interface Reactions {
  /** Runs soon (after a commit that wrote events). */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Runs the dispatcher whenever an event is published (on any node: each node hears every event and
 * skip locked shares the work) and every second for what a crash or a lost push left marked.
 */
export function startReactions(ctx: AppContext, log: Pick<FastifyBaseLogger, 'error' | 'warn'>, reactors: readonly Reactor[], intervalMs = 1000): Reactions {
  const sweeper = startSweeper(
    async () => {
      const read = await runReactions(ctx, reactors, log);
      // What the reactors wrote (assignments, notes, their own events) reaches every screen now.
      if (read) ctx.outbox.kick();
      return read === REACTION_BATCH;
    },
    { intervalMs, onError: (err) => log.warn({ err }, 'running reactions failed; trying again shortly') },
  );
  const unsubscribe = ctx.bus.subscribe((e) => {
    if (!e.transient) sweeper.kick();
  });
  return {
    kick: sweeper.kick,
    async stop() {
      unsubscribe();
      await sweeper.stop();
    },
  };
}

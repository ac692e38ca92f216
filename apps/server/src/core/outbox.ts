/**
 * The outbox: an event is written in the same transaction as the change it describes, and only
 * committed rows are published. `flush()` runs right after a commit; a periodic sweep publishes
 * whatever a crash left behind, so an acknowledged change is never silently lost.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Bus } from './bus.js';
import type { DB } from './db/schema.js';
import { scoped, unscoped } from './db/tenant.js';

export type EventName = 'message.created' | 'conversation.updated' | 'messages.read' | 'mention.created';

export async function recordEvent(
  trx: Transaction<DB>,
  accountId: string,
  event: EventName,
  payload: Record<string, unknown>,
  where: { conversationId?: string; inboxId?: string } = {},
): Promise<void> {
  await scoped(trx, accountId)
    .insertInto('outbox_events', { event, payload: JSON.stringify(payload), conversation_id: where.conversationId ?? null, inbox_id: where.inboxId ?? null })
    .execute();
}

export interface Outbox {
  flush(): Promise<number>;
  /**
   * Flushes without waiting: for a request that has committed and need not hold its answer for
   * the push (the events are stored; if this flush fails, the sweep publishes them).
   */
  kick(): void;
  startSweeping(intervalMs?: number): void;
  stop(): void;
}

export function createOutbox(db: Kysely<DB>, bus: Bus): Outbox {
  let running: Promise<number> | undefined;
  let queued: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function publishBatch(): Promise<number> {
    // A row is marked before it is sent, so a crash in between loses only the push, never the
    // data (clients resync by sequence number when they reconnect); a bus that is away gets the
    // rows back to send later.
    // Claims a batch across every workspace (the publisher serves them all); skip locked lets
    // several nodes sweep at once without publishing a row twice.
    // One statement claims and marks the batch (no transaction round trips); the answer comes back
    // in no particular order, so it is put in event order here.
    const claimed = await unscoped(db)
      .updateTable('outbox_events')
      .set({ published_at: sql<Date>`now()` })
      .where('id', 'in', (eb) => eb.selectFrom('outbox_events').select('id').where('published_at', 'is', null).orderBy('id').limit(500).forUpdate().skipLocked())
      .returning(['id', 'account_id', 'event', 'conversation_id', 'inbox_id', 'payload'])
      .execute();
    const rows = claimed.sort((a, b) => Number(a.id) - Number(b.id));
    for (const [i, r] of rows.entries()) {
      try {
        await bus.publish({ id: r.id, accountId: r.account_id, event: r.event, conversationId: r.conversation_id, inboxId: r.inbox_id, payload: r.payload });
      } catch {
        // The bus is away (Redis lost). The change is committed, so the request that made it must
        // not fail for its push: the rest of this batch goes back to the queue, and the sweep
        // pushes it once the bus returns (listeners drop a repeat by its id).
        const unsent = rows.slice(i).map((u) => u.id);
        await unscoped(db)
          .updateTable('outbox_events')
          .set({ published_at: null })
          .where('id', 'in', unsent)
          .execute()
          .catch(() => {
            /* the database is away too: these pushes are lost, as after a crash; clients resync */
          });
        break;
      }
    }
    return rows.length;
  }

  const outbox: Outbox = {
    flush() {
      // One flush at a time per node. Everyone who asks while one runs shares the single next one
      // (it starts after their commits, so it carries their events): under load, one batch
      // publishes many requests' events instead of each request paying for its own.
      if (queued) return queued;
      const start = () => {
        queued = undefined;
        running = publishBatch().finally(() => (running = undefined));
        return running;
      };
      if (!running) return start();
      queued = running.then(start, start);
      return queued;
    },
    kick() {
      outbox.flush().catch(() => {
        /* the sweep publishes them */
      });
    },
    startSweeping(intervalMs = 1000) {
      timer = setInterval(() => {
        outbox.flush().catch(() => {
          /* the database is away; the next sweep tries again */
        });
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
  return outbox;
}

/**
 * The outbox: an event is written in the same transaction as the change it describes, and only
 * committed rows are published. `flush()` runs right after a commit; a periodic sweep publishes
 * whatever a crash left behind, so an acknowledged change is never silently lost.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Bus } from './bus.js';
import type { DB } from './db/schema.js';
import { scoped, unscoped } from './db/tenant.js';

export type EventName = 'message.created' | 'message.updated' | 'conversation.updated' | 'messages.read' | 'notification.created'
  // SLA (features/sla): a target's warning and breach, and a changed SLA clock for the list.
  | 'sla.warning'
  | 'sla.breached'
  | 'sla.updated'
  // Contacts (features/contacts): a contact's fields or identities changed, or another was merged into it.
  | 'contact.updated';

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

/**
 * What of an event's payload may leave the server (agents' sockets, webhooks): all but the chain
 * of automation rules that caused it (`automation`, written by a trigger, migration 0020), which
 * only the rules' loop protection reads, from the stored event.
 */
export function publicPayload(payload: Record<string, unknown>): Record<string, unknown> {
  if (!('automation' in payload)) return payload;
  const { automation: _internal, ...rest } = payload;
  return rest;
}

/** An outbox row as read back for publishing. */
export interface OutboxRow {
  id: number;
  account_id: string;
  event: string;
  conversation_id: string | null;
  inbox_id: string | null;
  payload: Record<string, unknown>;
}

export interface Outbox {
  flush(): Promise<number>;
  /**
   * Publishes rows its caller wrote already marked as published, right after their commit (the
   * writer has them in hand, so nobody reads them back). As with a claimed batch, a crash before
   * the push loses only the push; a bus that is away gets them back to the queue.
   */
  publishClaimed(rows: OutboxRow[]): Promise<void>;
  /**
   * Flushes without waiting: for a request that has committed and need not hold its answer for
   * the push (the events are stored; if this flush fails, the sweep publishes them).
   */
  kick(): void;
  /** Deletes published events older than an hour (the sweep does this every minute). */
  purge(): Promise<void>;
  startSweeping(intervalMs?: number): void;
  stop(): void;
}

export function createOutbox(db: Kysely<DB>, bus: Bus): Outbox {
  let running: Promise<number> | undefined;
  let queued: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  /** Publishes rows already marked as published, in event order; a bus that is away gets the rest back to send later. */
  async function publishRows(rows: OutboxRow[]): Promise<void> {
    for (const [i, r] of rows.entries()) {
      try {
        await bus.publish({ id: r.id, accountId: r.account_id, event: r.event, conversationId: r.conversation_id, inboxId: r.inbox_id, payload: r.payload });
      } catch {
        // The bus is away (Redis lost). The change is committed, so the request that made it must
        // not fail for its push: the rest goes back to the queue, and the sweep pushes it once
        // the bus returns (listeners drop a repeat by its id).
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
  }

  async function publishBatch(): Promise<number> {
    // A row is marked before it is sent, so a crash in between loses only the push, never the
    // data (clients resync by sequence number when they reconnect).
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
    await publishRows(rows);
    return rows.length;
  }

  /** Published events are kept an hour (to look into), then deleted a batch at a time; never one the webhook dispatcher or the reactors have yet to read. */
  async function purge(): Promise<void> {
    await unscoped(db)
      .deleteFrom('outbox_events')
      .where('id', 'in', (eb) => eb.selectFrom('outbox_events').select('id').where('published_at', '<', sql<Date>`now() - interval '1 hour'`).where('webhook_pending', '=', false).where('react_pending', '=', false).limit(5000))
      .execute();
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
    purge,
    publishClaimed(rows) {
      return publishRows([...rows].sort((a, b) => Number(a.id) - Number(b.id)));
    },
    kick() {
      outbox.flush().catch(() => {
        /* the sweep publishes them */
      });
    },
    startSweeping(intervalMs = 1000) {
      let sweeps = 0;
      timer = setInterval(() => {
        outbox.flush().catch(() => {
          /* the database is away; the next sweep tries again */
        });
        if (++sweeps % 60 === 0)
          outbox.purge().catch(() => {
            /* the next purge tries again */
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

/**
 * What routing does besides reacting to conversations: presence is not stored as events, so each
 * node listens for it on the bus. Someone coming online gets the waiting queue routed; someone
 * going offline has their chats handed on after a grace period (a reload is not leaving). A sweep
 * every few seconds covers what no event says: an app that stopped checking in (its node or
 * network went away), and anything a crash left waiting. Started with the server's other workers
 * (server.ts), it also hears of changed routing settings (ctx.routeSoon).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { unscoped } from '../../core/db/tenant.js';
import { PRESENCE_STALE_MS } from '../realtime/realtime.routes.js';
import { handOnFrom, offlineHolders } from './commands/hand-on.js';
import { routeWaiting } from './commands/route-conversation.js';

export const routingTimings = { sweepMs: 10_000, offlineGraceMs: 30_000, queueDebounceMs: 100 };

export interface RoutingSweeper {
  /** Routes a workspace's waiting queue soon (several calls close together make one run). */
  queue(accountId: string): void;
  sweep(): Promise<void>;
  stop(): void;
}

export function startRoutingSweeper(ctx: AppContext, log: FastifyBaseLogger): RoutingSweeper {
  const soon = new Map<string, NodeJS.Timeout>();
  const later = new Set<NodeJS.Timeout>();
  let stopped = false;

  const inTransaction = async (what: string, work: (trx: Transaction<DB>) => Promise<number>) => {
    if (stopped) return;
    try {
      const changed = await ctx.db.transaction().execute(work);
      if (changed) ctx.outbox.kick();
    } catch (err) {
      if (!stopped) log.warn({ err }, `routing: ${what} failed; the next sweep tries again`);
    }
  };

  const queue = (accountId: string) => {
    if (stopped || soon.has(accountId)) return;
    const timer = setTimeout(() => {
      soon.delete(accountId);
      void inTransaction('routing the waiting queue', (trx) => routeWaiting(trx, accountId));
    }, routingTimings.queueDebounceMs);
    timer.unref();
    soon.set(accountId, timer);
  };

  const handOnLater = (accountId: string, userId: string) => {
    const timer = setTimeout(() => {
      later.delete(timer);
      void inTransaction('handing on chats', (trx) => handOnFrom(trx, accountId, userId));
    }, routingTimings.offlineGraceMs);
    timer.unref();
    later.add(timer);
  };

  ctx.routeSoon = queue;
  const unsubscribe = ctx.bus.subscribe((event) => {
    if (event.event !== 'presence.updated') return;
    const { user_id: userId, status } = event.payload as { user_id?: string; status?: string };
    if (status === 'online') queue(event.accountId);
    else if (status === 'offline' && userId) handOnLater(event.accountId, userId);
  });

  async function sweep() {
    // Which workspaces route at all: a question across workspaces, by design.
    const accounts = await unscoped(ctx.db)
      .selectFrom('routing_rules')
      .select('account_id')
      .distinct()
      .where((eb) => eb.or([eb('mode', '!=', 'manual'), eb('hand_on_offline', '=', true), eb('route_to_team_id', 'is not', null)]))
      .execute();
    for (const { account_id: accountId } of accounts) {
      const holders = await ctx.db.transaction().execute((trx) => offlineHolders(trx, accountId, PRESENCE_STALE_MS));
      for (const userId of holders) await inTransaction('handing on chats', (trx) => handOnFrom(trx, accountId, userId));
      await inTransaction('routing the waiting queue', (trx) => routeWaiting(trx, accountId));
    }
  }

  const timer = setInterval(() => {
    sweep().catch((err: unknown) => {
      if (!stopped) log.warn({ err }, 'routing sweep failed; trying again shortly');
    });
  }, routingTimings.sweepMs);
  timer.unref();

  return {
    queue,
    sweep,
    stop() {
      stopped = true;
      if (ctx.routeSoon === queue) ctx.routeSoon = undefined;
      clearInterval(timer);
      unsubscribe();
      for (const t of soon.values()) clearTimeout(t);
      for (const t of later) clearTimeout(t);
    },
  };
}


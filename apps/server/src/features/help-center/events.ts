/**
 * "This workspace's help center changed" (an article, a category, the settings): every node drops
 * its cached pages of that workspace and reloads the custom domain map. It travels on the bus, so
 * with Redis every node hears it; it is transient (nothing to replay: a node that missed it
 * re-checks the content stamp within a second anyway, see page-cache.ts).
 */
import type { AppContext } from '../../core/context.js';
import type { BusEvent } from '../../core/bus.js';

export const HELP_CENTER_CHANGED = 'help_center.changed';

type Handler = (accountId: string, domains: boolean) => void;
// This node's listeners hear a change at once, before the answer to the request that made it; other
// nodes hear it through the bus (with Redis, a moment later).
const local = new WeakMap<object, Set<Handler>>();

/** Call after any write that changes what a help center shows. */
export async function helpCenterChanged(ctx: Pick<AppContext, 'bus'>, accountId: string, what: { domains?: boolean } = {}): Promise<void> {
  for (const handler of local.get(ctx.bus) ?? []) handler(accountId, what.domains === true);
  await ctx.bus.publish({ id: 0, transient: true, accountId, event: HELP_CENTER_CHANGED, conversationId: null, inboxId: null, payload: { domains: what.domains === true } });
}

export function onHelpCenterChanged(ctx: Pick<AppContext, 'bus'>, handler: Handler): () => void {
  const mine = local.get(ctx.bus) ?? new Set<Handler>();
  local.set(ctx.bus, mine);
  mine.add(handler);
  const unsubscribe = ctx.bus.subscribe((e: BusEvent) => {
    // Article writes from the knowledge base's own events count too.
    if (e.event === HELP_CENTER_CHANGED || e.event.startsWith('kb.')) handler(e.accountId, e.payload?.domains === true);
  });
  return () => {
    mine.delete(handler);
    unsubscribe();
  };
}

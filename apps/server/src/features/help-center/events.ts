/**
 * "This workspace's help center changed" (an article, a category, the settings): every node drops
 * its cached pages of that workspace and reloads the custom domain map. It travels on the bus, so
 * with Redis every node hears it; it is transient (nothing to replay: a node that missed it
 * re-checks the content stamp within a second anyway, see page-cache.ts).
 */
import type { AppContext } from '../../core/context.js';
import type { BusEvent } from '../../core/bus.js';

export const HELP_CENTER_CHANGED = 'help_center.changed';

/** Call after any write that changes what a help center shows. */
export async function helpCenterChanged(ctx: Pick<AppContext, 'bus'>, accountId: string, what: { domains?: boolean } = {}): Promise<void> {
  await ctx.bus.publish({ id: 0, transient: true, accountId, event: HELP_CENTER_CHANGED, conversationId: null, inboxId: null, payload: { domains: what.domains === true } });
}

export function onHelpCenterChanged(ctx: Pick<AppContext, 'bus'>, handler: (accountId: string, domains: boolean) => void): () => void {
  return ctx.bus.subscribe((e: BusEvent) => {
    // Article writes from the knowledge base's own events count too.
    if (e.event === HELP_CENTER_CHANGED || e.event.startsWith('kb.')) handler(e.accountId, e.payload?.domains === true);
  });
}

/**
 * Custom domains: a request whose Host is a help center's custom domain is that help center's,
 * from its root (`https://help.shop.example/en/articles/…`). Fastify's rewriteUrl is synchronous,
 * so the domains live in memory: loaded before the app serves, reloaded when a help center's
 * settings change (on any node, through the bus). The rewritten request carries the help center's
 * slug, so its pages link from the domain's root.
 */
import type { IncomingMessage } from 'node:http';
import type { Database } from '../../core/db/index.js';
import { unscoped } from '../../core/db/tenant.js';

const MARK = Symbol('help center host');
type Marked = IncomingMessage & { [MARK]?: string };

export interface HelpCenterHosts {
  rewrite(req: IncomingMessage): string;
  reload(): Promise<void>;
  /** Whether this request arrived on a custom domain (its pages then link from the root). */
  viaDomain(req: IncomingMessage): boolean;
}

export function hostOf(header: string | undefined): string {
  return (header ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

export async function helpCenterHosts(db: Database, publicUrl: string): Promise<HelpCenterHosts> {
  const own = new URL(publicUrl).hostname.toLowerCase();
  let domains = new Map<string, string>();
  const reload = async () => {
    // Every workspace's domain at once: this map answers "whose Host is this?" before any workspace is known.
    const rows = await unscoped(db).selectFrom('help_centers').select(['custom_domain', 'slug']).where('custom_domain', 'is not', null).where('enabled', '=', true).execute();
    domains = new Map(rows.filter((r) => r.custom_domain && r.custom_domain.toLowerCase() !== own).map((r) => [r.custom_domain!.toLowerCase(), r.slug]));
  };
  await reload();
  return {
    reload,
    rewrite(req) {
      const url = req.url ?? '/';
      if (!domains.size) return url;
      const slug = domains.get(hostOf(req.headers.host));
      if (!slug) return url;
      (req as Marked)[MARK] = slug;
      return `/help/${encodeURIComponent(slug)}${url.startsWith('/') ? url : `/${url}`}`;
    },
    viaDomain(req) {
      return (req as Marked)[MARK] !== undefined;
    },
  };
}

/**
 * Where a workspace's help center lives: `${PUBLIC_URL}/help/<slug>/…`, or the root of its custom
 * domain (`https://help.shop.example/…`, matched on the Host header). Article pages are
 * `<base>/<locale>/articles/<id>-<slug>`. The help center row is made on first use, with a slug
 * from the workspace's name.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, HelpCentersTable } from '../../core/db/schema.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { slugify } from './markdown.js';

type Executor = Kysely<DB> | Transaction<DB>;
export type HelpCenter = Selectable<HelpCentersTable>;

/** The workspace's help center settings, made with defaults on first use. */
export async function helpCenterOf(db: Executor, accountId: string): Promise<HelpCenter> {
  const found = await scoped(db, accountId).selectFrom('help_centers').selectAll().executeTakeFirst();
  if (found) return found;
  const account = await unscoped(db).selectFrom('accounts').select('name').where('id', '=', accountId).executeTakeFirstOrThrow();
  const base = slugify(account.name, 40) || 'help';
  for (let attempt = 0; ; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    const taken = await unscoped(db).selectFrom('help_centers').select('account_id').where((eb) => eb(eb.fn('lower', ['slug']), '=', slug)).executeTakeFirst();
    if (taken) continue;
    const row = await scoped(db, accountId)
      .insertInto('help_centers', { slug, name: account.name })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
    // Another request made it (or took the slug) meanwhile: read again.
    const again = await scoped(db, accountId).selectFrom('help_centers').selectAll().executeTakeFirst();
    if (again) return again;
    if (attempt > 5) throw new Error('could not choose a help center address');
  }
}

/** The languages a help center is published in (its default alone when none are listed). */
export function helpCenterLocales(hc: Pick<HelpCenter, 'locales' | 'default_locale'>): string[] {
  return hc.locales.length ? hc.locales : [hc.default_locale];
}

/** The help center's base URL, without a trailing slash. */
export function helpCenterBase(publicUrl: string, hc: Pick<HelpCenter, 'slug' | 'custom_domain'>): string {
  if (hc.custom_domain) return `${new URL(publicUrl).protocol}//${hc.custom_domain}`;
  return `${publicUrl}/help/${encodeURIComponent(hc.slug)}`;
}

export function articlePath(locale: string, article: { id: string; slug: string }): string {
  return `/${encodeURIComponent(locale)}/articles/${article.id}${article.slug ? `-${article.slug}` : ''}`;
}

/** The public address of a published article. */
export function articleUrl(publicUrl: string, hc: Pick<HelpCenter, 'slug' | 'custom_domain'>, locale: string, article: { id: string; slug: string }): string {
  return helpCenterBase(publicUrl, hc) + articlePath(locale, article);
}

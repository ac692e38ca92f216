/**
 * What a help center shows, read for one workspace: only published translations of public
 * articles (internal articles and drafts never reach a public page, the sitemap or search), in
 * the categories and sections they belong to. Names of categories and sections are per locale,
 * falling back to the help center's default language.
 */
import { sql } from 'kysely';
import type { Database } from '../../core/db/index.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import type { Localized } from '../../core/db/schema.js';
import { helpCenterLocales, type HelpCenter } from '../kb/help-center-address.js';

export interface Named {
  id: string;
  slug: string;
  name: string;
  description: string;
}
export interface CategoryTree extends Named {
  sections: Array<Named & { articles: ArticleLink[] }>;
  article_count: number;
}
export interface ArticleLink {
  id: string;
  title: string;
  slug: string;
  description: string;
  locale: string;
}
export interface ArticlePage extends ArticleLink {
  body: string;
  published_at: Date | null;
  updated_at: Date;
  section: Named | null;
  category: Named | null;
  /** Locales this article is published in (for the language switch and hreflang). */
  translations: Array<{ locale: string; slug: string; title: string }>;
  related: ArticleLink[];
}

/** A name in the reader's language, else the help center's default, else any. */
export function localized(values: Localized | null | undefined, locale: string, fallback: string): string {
  const v = values ?? {};
  return v[locale] ?? v[locale.split('-')[0]!] ?? v[fallback] ?? Object.values(v)[0] ?? '';
}

/** The enabled help center at this address. Crosses workspaces on purpose: the slug is what names one. */
export async function helpCenterBySlug(db: Database, slug: string): Promise<HelpCenter | undefined> {
  return unscoped(db)
    .selectFrom('help_centers')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase()))
    .where('enabled', '=', true)
    .executeTakeFirst();
}

function publicTranslations(db: Database, accountId: string, locale: string) {
  return scoped(db, accountId)
    .selectFrom('kb_article_translations')
    .innerJoin('kb_articles', (j) => j.onRef('kb_articles.id', '=', 'kb_article_translations.article_id').onRef('kb_articles.account_id', '=', 'kb_article_translations.account_id'))
    .where('kb_article_translations.status', '=', 'published')
    .where('kb_articles.visibility', '=', 'public')
    .where('kb_article_translations.locale', '=', locale);
}

const LINK = ['kb_article_translations.article_id as id', 'kb_article_translations.title', 'kb_article_translations.slug', 'kb_article_translations.description', 'kb_article_translations.locale'] as const;

export async function categoryTree(db: Database, hc: HelpCenter, locale: string): Promise<CategoryTree[]> {
  const s = scoped(db, hc.account_id);
  const [categories, sections, articles] = [
    await s.selectFrom('kb_categories').select(['id', 'slug', 'names', 'descriptions']).orderBy('position').orderBy('created_at').execute(),
    await s.selectFrom('kb_sections').select(['id', 'category_id', 'slug', 'names', 'descriptions']).orderBy('position').orderBy('created_at').execute(),
    await publicTranslations(db, hc.account_id, locale).select([...LINK, 'kb_articles.section_id']).orderBy('kb_articles.position').orderBy('kb_article_translations.title').execute(),
  ];
  const named = (r: { id: string; slug: string; names: Localized; descriptions: Localized }): Named => ({
    id: r.id,
    slug: r.slug,
    name: localized(r.names, locale, hc.default_locale),
    description: localized(r.descriptions, locale, hc.default_locale),
  });
  return categories.map((c) => {
    const own = sections.filter((x) => x.category_id === c.id).map((x) => ({ ...named(x), articles: articles.filter((a) => a.section_id === x.id) }));
    return { ...named(c), sections: own, article_count: own.reduce((n, x) => n + x.articles.length, 0) };
  });
}

export async function popularArticles(db: Database, hc: HelpCenter, locale: string, limit = 6): Promise<ArticleLink[]> {
  return publicTranslations(db, hc.account_id, locale).select(LINK).orderBy('kb_articles.view_count', 'desc').orderBy('kb_articles.helpful_count', 'desc').orderBy('kb_article_translations.title').limit(limit).execute();
}

export async function articlePage(db: Database, hc: HelpCenter, locale: string, articleId: string): Promise<ArticlePage | undefined> {
  const row = await publicTranslations(db, hc.account_id, locale)
    .where('kb_article_translations.article_id', '=', articleId)
    .select([...LINK, 'kb_article_translations.body', 'kb_article_translations.published_at', 'kb_article_translations.updated_at', 'kb_articles.section_id'])
    .executeTakeFirst();
  if (!row) return undefined;
  const s = scoped(db, hc.account_id);
  const section = row.section_id ? await s.selectFrom('kb_sections').select(['id', 'slug', 'names', 'descriptions', 'category_id']).where('id', '=', row.section_id).executeTakeFirst() : undefined;
  const category = section ? await s.selectFrom('kb_categories').select(['id', 'slug', 'names', 'descriptions']).where('id', '=', section.category_id).executeTakeFirst() : undefined;
  const translations = await scoped(db, hc.account_id)
    .selectFrom('kb_article_translations')
    .select(['locale', 'slug', 'title'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'published')
    .orderBy('locale')
    .execute();
  const explicit = await publicTranslations(db, hc.account_id, locale)
    .innerJoin('kb_related_articles', (j) => j.onRef('kb_related_articles.related_id', '=', 'kb_article_translations.article_id').onRef('kb_related_articles.account_id', '=', 'kb_article_translations.account_id'))
    .where('kb_related_articles.article_id', '=', articleId)
    .select(LINK)
    .orderBy('kb_related_articles.position')
    .limit(5)
    .execute();
  // With no related articles chosen, the others of the same section stand in.
  const related = explicit.length || !row.section_id
    ? explicit
    : await publicTranslations(db, hc.account_id, locale).where('kb_articles.section_id', '=', row.section_id).where('kb_article_translations.article_id', '!=', articleId).select(LINK).orderBy('kb_articles.position').orderBy('kb_article_translations.title').limit(5).execute();
  const named = (r: { id: string; slug: string; names: Localized; descriptions: Localized } | undefined): Named | null =>
    r ? { id: r.id, slug: r.slug, name: localized(r.names, locale, hc.default_locale), description: localized(r.descriptions, locale, hc.default_locale) } : null;
  return {
    id: row.id,
    title: row.title,
    slug: row.slug,
    description: row.description,
    locale: row.locale,
    body: row.body,
    published_at: row.published_at,
    updated_at: row.updated_at,
    section: named(section),
    category: named(category),
    translations,
    related,
  };
}

export async function categoryOf(db: Database, hc: HelpCenter, locale: string, id: string): Promise<CategoryTree | undefined> {
  return (await categoryTree(db, hc, locale)).find((c) => c.id === id);
}

export async function sectionOf(db: Database, hc: HelpCenter, locale: string, id: string): Promise<{ category: CategoryTree; section: CategoryTree['sections'][number] } | undefined> {
  for (const category of await categoryTree(db, hc, locale)) {
    const section = category.sections.find((x) => x.id === id);
    if (section) return { category, section };
  }
  return undefined;
}

/** Every published public translation, for the sitemap. */
export async function sitemapEntries(db: Database, hc: HelpCenter): Promise<Array<{ id: string; slug: string; locale: string; updated_at: Date }>> {
  return scoped(db, hc.account_id)
    .selectFrom('kb_article_translations')
    .innerJoin('kb_articles', (j) => j.onRef('kb_articles.id', '=', 'kb_article_translations.article_id').onRef('kb_articles.account_id', '=', 'kb_article_translations.account_id'))
    .where('kb_article_translations.status', '=', 'published')
    .where('kb_articles.visibility', '=', 'public')
    .where('kb_article_translations.locale', 'in', helpCenterLocales(hc))
    .select(['kb_article_translations.article_id as id', 'kb_article_translations.slug', 'kb_article_translations.locale', 'kb_article_translations.updated_at'])
    .orderBy('kb_article_translations.locale')
    .orderBy(sql`kb_article_translations.updated_at`, 'desc')
    .limit(50_000)
    .execute();
}

/**
 * Ranked retrieval over the knowledge base: the one search the help center, the widget, the
 * composer's article picker, `GET /api/v1/kb/suggest` and the answer bot all use.
 *
 * THIS IS THE FIRST CUT (plain full-text match): the retrieval work replaces the body of
 * findArticles with language-aware stemming, trigram typo tolerance, synonyms and learnt answers,
 * keeping the signature.
 */
import { sql } from 'kysely';
import type { Database } from '../../core/db/index.js';
import { scoped } from '../../core/db/tenant.js';

export interface FindArticlesOptions {
  /** The question or search words, as a person typed them. */
  q: string;
  /** Prefer (and, when `onlyLocale`, restrict to) this language. */
  locale?: string;
  onlyLocale?: boolean;
  /** `public`: published public articles (help center, widget, bot); `agent`: internal ones too. */
  audience: 'public' | 'agent';
  limit?: number;
}

export interface ArticleHit {
  article_id: string;
  locale: string;
  title: string;
  slug: string;
  description: string;
  /** The passage of the body that best matches the question (plain text, a few sentences). */
  passage: string;
  /** 0…1: how sure retrieval is that this article answers the question. The bot compares it with its threshold. */
  score: number;
}

export async function findArticles(db: Database, accountId: string, o: FindArticlesOptions): Promise<ArticleHit[]> {
  const q = o.q.trim().slice(0, 500);
  if (!q) return [];
  let query = scoped(db, accountId)
    .selectFrom('kb_article_translations')
    .innerJoin('kb_articles', (j) => j.onRef('kb_articles.id', '=', 'kb_article_translations.article_id').onRef('kb_articles.account_id', '=', 'kb_article_translations.account_id'))
    .select(['kb_article_translations.article_id', 'kb_article_translations.locale', 'kb_article_translations.title', 'kb_article_translations.slug', 'kb_article_translations.description', 'kb_article_translations.body'])
    .select(sql<number>`ts_rank_cd(kb_article_translations.search_vector, websearch_to_tsquery(kb_search_config(kb_article_translations.locale), unaccent(${q})))`.as('rank'))
    .where('kb_article_translations.status', '=', 'published')
    .where(sql<boolean>`kb_article_translations.search_vector @@ websearch_to_tsquery(kb_search_config(kb_article_translations.locale), unaccent(${q}))`);
  if (o.audience === 'public') query = query.where('kb_articles.visibility', '=', 'public');
  if (o.locale && o.onlyLocale) query = query.where('kb_article_translations.locale', '=', o.locale);
  const rows = await query.orderBy('rank', 'desc').limit(o.limit ?? 5).execute();
  return rows.map((r) => ({
    article_id: r.article_id,
    locale: r.locale,
    title: r.title,
    slug: r.slug,
    description: r.description,
    passage: r.body.slice(0, 400),
    score: Math.min(1, Number(r.rank)),
  }));
}

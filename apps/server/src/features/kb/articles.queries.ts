/** Reading articles for agents (internal ones included), and the JSON shapes the API answers. */
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { KbStatus } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { decodeCursor, page } from '../../core/http/pagination.js';
import { articleUrl, helpCenterOf } from './help-center-address.js';
import type { Executor } from './articles.store.js';

const ARTICLE_COLUMNS = ['id', 'section_id', 'visibility', 'position', 'import_key', 'author_id', 'view_count', 'helpful_count', 'unhelpful_count', 'deflection_count', 'created_at', 'updated_at'] as const;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function helpfulPercent(helpful: number, unhelpful: number): number | null {
  const votes = helpful + unhelpful;
  return votes ? Math.round((100 * helpful) / votes) : null;
}

const stats = (a: { view_count: number | string; helpful_count: number; unhelpful_count: number; deflection_count: number }) => ({
  // bigint arrives as text from node-postgres.
  view_count: Number(a.view_count),
  helpful_count: a.helpful_count,
  unhelpful_count: a.unhelpful_count,
  deflection_count: a.deflection_count,
  helpful_percent: helpfulPercent(a.helpful_count, a.unhelpful_count),
});

/** The title to show for an article in `locale`: that translation, else the first one written. */
function pick<T extends { locale: string }>(translations: T[], locale?: string): T | undefined {
  return translations.find((t) => t.locale === locale) ?? translations[0];
}

/** One article with its translations (or only `locale`'s), related articles and counts; undefined when not this workspace's. */
export async function loadArticle(ctx: AppContext, db: Executor, accountId: string, id: string, locale?: string) {
  const ws = scoped(db, accountId);
  const article = await ws.selectFrom('kb_articles').select(ARTICLE_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!article) return undefined;
  let tq = ws.selectFrom('kb_article_translations').select(['locale', 'title', 'slug', 'body', 'description', 'keywords', 'status', 'published_at', 'updated_at']).where('article_id', '=', id).orderBy('created_at');
  if (locale) tq = tq.where('locale', '=', locale);
  const translations = await tq.execute();
  const hc = translations.some((t) => t.status === 'published') && article.visibility === 'public' ? await helpCenterOf(db, accountId) : null;

  // Chosen related articles; when there are none, others of the same section (a cheap, useful default).
  const explicit = await ws.selectFrom('kb_related_articles').select('related_id').where('article_id', '=', id).orderBy('position').execute();
  let relatedIds = explicit.map((r) => r.related_id);
  const source: 'explicit' | 'section' = relatedIds.length ? 'explicit' : 'section';
  if (!relatedIds.length && article.section_id) {
    relatedIds = (await ws.selectFrom('kb_articles').select('id').where('section_id', '=', article.section_id).where('id', '!=', id).orderBy('position').orderBy('created_at').limit(5).execute()).map((r) => r.id);
  }
  const relatedTranslations = relatedIds.length
    ? await ws.selectFrom('kb_article_translations').select(['article_id', 'locale', 'title', 'status']).where('article_id', 'in', relatedIds).orderBy('created_at').execute()
    : [];
  const related = relatedIds.flatMap((rid) => {
    const t = pick(
      relatedTranslations.filter((r) => r.article_id === rid),
      locale ?? translations[0]?.locale,
    );
    return t ? [{ id: rid, locale: t.locale, title: t.title, status: t.status }] : [];
  });

  return {
    id: article.id,
    section_id: article.section_id,
    visibility: article.visibility,
    position: article.position,
    import_key: article.import_key,
    author_id: article.author_id,
    ...stats(article),
    created_at: article.created_at.toISOString(),
    updated_at: article.updated_at.toISOString(),
    translations: translations.map((t) => ({
      locale: t.locale,
      title: t.title,
      slug: t.slug,
      body: t.body,
      description: t.description,
      keywords: t.keywords,
      status: t.status,
      published_at: iso(t.published_at),
      updated_at: t.updated_at.toISOString(),
      url: hc && t.status === 'published' ? articleUrl(ctx.config.publicUrl, hc, t.locale, { id: article.id, slug: t.slug }) : null,
    })),
    related,
    related_source: source,
  };
}

export interface ArticleFilters {
  status?: KbStatus;
  locale?: string;
  section_id?: string;
  visibility?: 'public' | 'internal';
  q?: string;
  cursor?: string;
  limit?: number;
}

/** A page of articles, newest first; status, locale and q match any of an article's translations. */
export async function listArticles(db: Executor, accountId: string, f: ArticleFilters) {
  const limit = f.limit ?? 50;
  const cursor = decodeCursor(f.cursor);
  const ws = scoped(db, accountId);
  let q = ws.selectFrom('kb_articles').select(ARTICLE_COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
  if (cursor) q = q.where(({ eb, tuple, refTuple }) => eb(refTuple('created_at', 'id'), '<', tuple(cursor.createdAt, cursor.id)));
  if (f.section_id === 'none') q = q.where('section_id', 'is', null);
  else if (f.section_id) q = q.where('section_id', '=', f.section_id);
  if (f.visibility) q = q.where('visibility', '=', f.visibility);
  if (f.status || f.locale || f.q) {
    let t = scoped(db, accountId).selectFrom('kb_article_translations').select('article_id');
    if (f.status) t = t.where('status', '=', f.status);
    if (f.locale) t = t.where('locale', '=', f.locale);
    // A literal match of what was typed (SECURITY 9): LIKE's own wildcards are escaped.
    if (f.q?.trim()) t = t.where(sql<boolean>`title ilike ${`%${f.q.trim().replace(/[\\%_]/g, '\\$&')}%`}`);
    q = q.where('id', 'in', t);
  }
  const result = page(await q.execute(), limit);
  const ids = result.rows.map((r) => r.id);
  const translations = ids.length
    ? await ws.selectFrom('kb_article_translations').select(['article_id', 'locale', 'title', 'slug', 'status', 'published_at', 'updated_at']).where('article_id', 'in', ids).orderBy('created_at').execute()
    : [];
  return {
    data: result.rows.map((a) => ({
      id: a.id,
      section_id: a.section_id,
      visibility: a.visibility,
      position: a.position,
      ...stats(a),
      created_at: a.created_at.toISOString(),
      updated_at: a.updated_at.toISOString(),
      translations: translations
        .filter((t) => t.article_id === a.id)
        .map((t) => ({ locale: t.locale, title: t.title, slug: t.slug, status: t.status, published_at: iso(t.published_at), updated_at: t.updated_at.toISOString() })),
    })),
    next_cursor: result.next_cursor,
  };
}

/** An article's revisions, newest first (of one locale when given). */
export async function listRevisions(db: Executor, accountId: string, articleId: string, locale?: string) {
  let q = scoped(db, accountId)
    .selectFrom('kb_revisions')
    .leftJoin('users', 'users.id', 'kb_revisions.author_id')
    .select(['kb_revisions.id', 'kb_revisions.locale', 'kb_revisions.title', 'kb_revisions.body', 'kb_revisions.description', 'kb_revisions.status', 'kb_revisions.author_id', 'users.name as author_name', 'kb_revisions.created_at'])
    .where('kb_revisions.article_id', '=', articleId)
    .orderBy('kb_revisions.created_at', 'desc')
    .orderBy('kb_revisions.id', 'desc')
    .limit(200);
  if (locale) q = q.where('kb_revisions.locale', '=', locale);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    locale: r.locale,
    title: r.title,
    body: r.body,
    description: r.description,
    status: r.status,
    author: r.author_id && r.author_name ? { id: r.author_id, name: r.author_name } : null,
    created_at: r.created_at.toISOString(),
  }));
}

/** Votes and views of an article, and the comments readers left with their votes (newest first). */
export async function articleFeedback(db: Executor, accountId: string, articleId: string) {
  const ws = scoped(db, accountId);
  const article = await ws.selectFrom('kb_articles').select(['view_count', 'helpful_count', 'unhelpful_count', 'deflection_count']).where('id', '=', articleId).executeTakeFirst();
  if (!article) return undefined;
  const comments = await ws
    .selectFrom('kb_votes')
    .select(['helpful', 'comment', 'locale', 'updated_at'])
    .where('article_id', '=', articleId)
    .where('comment', 'is not', null)
    .orderBy('updated_at', 'desc')
    .limit(200)
    .execute();
  return { ...stats(article), comments: comments.map((c) => ({ helpful: c.helpful, comment: c.comment ?? '', locale: c.locale, created_at: c.updated_at.toISOString() })) };
}

/**
 * Writing articles: the commands the API, the Markdown import and the demo seed share. Every save
 * of a translation writes a kb_revisions row (history is never rewritten: restoring an old
 * revision saves it again as a new one), and a translation's published_at is set the first time it
 * is published and kept after that (unpublishing and publishing again does not move it).
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, KbArticleTranslationsTable, KbStatus, KbVisibility } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { slugify } from './markdown.js';
import { checkLocale, invalidArticle, type ArticleInput, type ArticlePatchInput, type Problem } from './kb.schema.js';

type Executor = Kysely<DB> | Transaction<DB>;
export type TranslationRow = Selectable<KbArticleTranslationsTable>;

export interface TranslationFields {
  title?: string;
  body?: string;
  description?: string;
  keywords?: string[];
  slug?: string;
  status?: KbStatus;
}

const TRANSLATION_COLUMNS = ['id', 'article_id', 'locale', 'title', 'slug', 'body', 'description', 'keywords', 'status', 'published_at', 'updated_by', 'created_at', 'updated_at'] as const;

/** Refuses a section or related articles that are not this workspace's (SECURITY 4): 422 naming each id. */
async function checkReferences(trx: Transaction<DB>, accountId: string, articleId: string | null, sectionId: string | null | undefined, relatedIds: string[] | undefined): Promise<void> {
  const problems: Problem[] = [];
  if (sectionId) {
    const section = await scoped(trx, accountId).selectFrom('kb_sections').select('id').where('id', '=', sectionId).executeTakeFirst();
    if (!section) problems.push({ field: 'section_id', message: 'is not a section of this workspace' });
  }
  if (relatedIds?.length) {
    const found = new Set((await scoped(trx, accountId).selectFrom('kb_articles').select('id').where('id', 'in', relatedIds).execute()).map((r) => r.id));
    relatedIds.forEach((id, i) => {
      if (id === articleId) problems.push({ field: `related_ids.${i}`, message: 'is this article itself' });
      else if (!found.has(id)) problems.push({ field: `related_ids.${i}`, message: 'is not an article of this workspace' });
    });
  }
  if (problems.length) throw new AppError('invalid_reference', `Some referenced objects do not exist in this workspace: ${problems.map((p) => p.field).join(', ')}.`, problems);
}

function checkTranslation(fields: TranslationFields, creating: boolean, problems: Problem[]): void {
  if (fields.title !== undefined && !fields.title.trim()) problems.push({ field: 'title', message: 'must not be empty' });
  if (creating && fields.title === undefined) problems.push({ field: 'title', message: 'is needed for a new translation' });
  if (fields.slug !== undefined && fields.slug !== '' && slugify(fields.slug) !== fields.slug) problems.push({ field: 'slug', message: `may hold only lower-case letters, digits and dashes (such as "${slugify(fields.slug) || 'reset-password'}")` });
}

async function setRelated(trx: Transaction<DB>, accountId: string, articleId: string, relatedIds: string[]): Promise<void> {
  await scoped(trx, accountId).deleteFrom('kb_related_articles').where('article_id', '=', articleId).execute();
  if (relatedIds.length) await scoped(trx, accountId).insertInto('kb_related_articles', relatedIds.map((related_id, position) => ({ article_id: articleId, related_id, position }))).execute();
}

async function writeRevision(trx: Transaction<DB>, accountId: string, authorId: string | null, t: Pick<TranslationRow, 'article_id' | 'locale' | 'title' | 'body' | 'description' | 'status'>): Promise<void> {
  await scoped(trx, accountId).insertInto('kb_revisions', { article_id: t.article_id, locale: t.locale, title: t.title, body: t.body, description: t.description, status: t.status, author_id: authorId }).execute();
}

/**
 * Adds or changes one translation of an article and writes its revision. Answers whether anything
 * changed (an import of the same file changes nothing and writes no revision when `onlyIfChanged`).
 */
export async function saveTranslation(trx: Transaction<DB>, accountId: string, authorId: string | null, articleId: string, locale: string, fields: TranslationFields, options: { onlyIfChanged?: boolean } = {}): Promise<boolean> {
  const current = await scoped(trx, accountId).selectFrom('kb_article_translations').select(TRANSLATION_COLUMNS).where('article_id', '=', articleId).where('locale', '=', locale).forUpdate().executeTakeFirst();
  const problems: Problem[] = [];
  checkTranslation(fields, !current, problems);
  if (problems.length) throw invalidArticle(problems);
  const title = fields.title?.trim() ?? current!.title;
  const next = {
    title,
    // Trailing blank space means nothing in Markdown; without it a file exported and imported again compares equal.
    body: fields.body !== undefined ? fields.body.replace(/\s+$/, '') : (current?.body ?? ''),
    description: fields.description?.trim() ?? current?.description ?? '',
    keywords: fields.keywords?.map((k) => k.trim()).filter(Boolean) ?? current?.keywords ?? [],
    slug: fields.slug || current?.slug || slugify(title) || 'article',
    status: fields.status ?? current?.status ?? 'draft',
  };
  // A new title gives a new slug while the translation was never published; published links keep working.
  if (!fields.slug && current && fields.title !== undefined && !current.published_at) next.slug = slugify(title) || current.slug;
  if (current && options.onlyIfChanged) {
    const same = current.title === next.title && current.body === next.body && current.description === next.description && current.slug === next.slug && current.status === next.status && JSON.stringify(current.keywords) === JSON.stringify(next.keywords);
    if (same) return false;
  }
  const publishedAt = next.status === 'published' ? sql<Date>`coalesce(published_at, now())` : sql<Date | null>`published_at`;
  let row: Pick<TranslationRow, 'article_id' | 'locale' | 'title' | 'body' | 'description' | 'status'>;
  if (current) {
    row = await scoped(trx, accountId)
      .updateTable('kb_article_translations')
      .set({ ...next, published_at: publishedAt, updated_by: authorId, updated_at: sql<Date>`now()` })
      .where('id', '=', current.id)
      .returning(['article_id', 'locale', 'title', 'body', 'description', 'status'])
      .executeTakeFirstOrThrow();
  } else {
    row = await scoped(trx, accountId)
      // clock_timestamp, not the transaction's now(): translations added in one transaction keep their order (the first is the article's original language).
      .insertInto('kb_article_translations', { article_id: articleId, locale, ...next, published_at: next.status === 'published' ? new Date() : null, updated_by: authorId, created_at: sql<Date>`clock_timestamp()` as unknown as Date })
      .returning(['article_id', 'locale', 'title', 'body', 'description', 'status'])
      .executeTakeFirstOrThrow();
  }
  await writeRevision(trx, accountId, authorId, row);
  await scoped(trx, accountId).updateTable('kb_articles').set({ updated_at: sql<Date>`now()` }).where('id', '=', articleId).execute();
  return true;
}

/** A new article with its first translation (and first revision). */
export async function createArticle(trx: Transaction<DB>, accountId: string, authorId: string | null, input: ArticleInput & { import_key?: string | null }): Promise<string> {
  const problems: Problem[] = [];
  checkLocale('locale', input.locale, problems);
  checkTranslation(input, true, problems);
  if (problems.length) throw invalidArticle(problems);
  await checkReferences(trx, accountId, null, input.section_id, input.related_ids);
  let position = input.position;
  if (position === undefined) {
    const last = await scoped(trx, accountId)
      .selectFrom('kb_articles')
      .select(sql<number | null>`max(position)`.as('max'))
      .where((eb) => (input.section_id ? eb('section_id', '=', input.section_id) : eb('section_id', 'is', null)))
      .executeTakeFirst();
    position = (last?.max ?? -1) + 1;
  }
  const article = await scoped(trx, accountId)
    .insertInto('kb_articles', { section_id: input.section_id ?? null, visibility: input.visibility ?? 'public', position, author_id: authorId, import_key: input.import_key ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await saveTranslation(trx, accountId, authorId, article.id, input.locale, { title: input.title, body: input.body, description: input.description, keywords: input.keywords, slug: input.slug, status: input.status });
  if (input.related_ids?.length) await setRelated(trx, accountId, article.id, input.related_ids);
  return article.id;
}

/**
 * Changes an article's own fields and, given `locale` (or when it has one translation only), that
 * translation's fields; a locale it does not have yet adds a translation.
 */
export async function updateArticle(trx: Transaction<DB>, accountId: string, authorId: string | null, articleId: string, patch: ArticlePatchInput, options: { onlyIfChanged?: boolean } = {}): Promise<boolean> {
  const article = await scoped(trx, accountId).selectFrom('kb_articles').select(['id', 'section_id', 'visibility', 'position']).where('id', '=', articleId).forUpdate().executeTakeFirst();
  if (!article) throw notFound('Article');
  const problems: Problem[] = [];
  checkLocale('locale', patch.locale, problems);
  if (problems.length) throw invalidArticle(problems);
  await checkReferences(trx, accountId, articleId, patch.section_id, patch.related_ids);

  const translationFields: TranslationFields = { title: patch.title, body: patch.body, description: patch.description, keywords: patch.keywords, slug: patch.slug, status: patch.status };
  const touchesTranslation = Object.values(translationFields).some((v) => v !== undefined);
  let locale = patch.locale;
  if (touchesTranslation && !locale) {
    const locales = await scoped(trx, accountId).selectFrom('kb_article_translations').select('locale').where('article_id', '=', articleId).execute();
    if (locales.length !== 1) throw invalidArticle([{ field: 'locale', message: `is needed to say which translation to change (this article has ${locales.map((l) => l.locale).join(', ')})` }]);
    locale = locales[0]!.locale;
  }
  let changed = false;
  const own: { section_id?: string | null; visibility?: KbVisibility; position?: number } = {};
  if (patch.section_id !== undefined && patch.section_id !== article.section_id) own.section_id = patch.section_id;
  if (patch.visibility !== undefined && patch.visibility !== article.visibility) own.visibility = patch.visibility;
  if (patch.position !== undefined && patch.position !== article.position) own.position = patch.position;
  if (Object.keys(own).length) {
    await scoped(trx, accountId).updateTable('kb_articles').set({ ...own, updated_at: sql<Date>`now()` }).where('id', '=', articleId).execute();
    changed = true;
  }
  if (patch.related_ids) {
    const before = (await scoped(trx, accountId).selectFrom('kb_related_articles').select('related_id').where('article_id', '=', articleId).orderBy('position').execute()).map((r) => r.related_id);
    if (JSON.stringify(before) !== JSON.stringify(patch.related_ids)) {
      await setRelated(trx, accountId, articleId, patch.related_ids);
      changed = true;
    }
  }
  if (locale && (touchesTranslation || patch.locale)) {
    if (await saveTranslation(trx, accountId, authorId, articleId, locale, translationFields, options)) changed = true;
  }
  return changed;
}

/** Saves an old revision's title, body and description as the translation's newest revision (its status stays). */
export async function restoreRevision(trx: Transaction<DB>, accountId: string, authorId: string | null, articleId: string, revisionId: string): Promise<void> {
  const revision = await scoped(trx, accountId).selectFrom('kb_revisions').select(['locale', 'title', 'body', 'description']).where('id', '=', revisionId).where('article_id', '=', articleId).executeTakeFirst();
  if (!revision) throw notFound('Revision');
  const translation = await scoped(trx, accountId).selectFrom('kb_article_translations').select('id').where('article_id', '=', articleId).where('locale', '=', revision.locale).executeTakeFirst();
  if (!translation) throw new AppError('invalid_state', `The ${revision.locale} translation of this article was deleted; add it again before restoring one of its revisions.`);
  await saveTranslation(trx, accountId, authorId, articleId, revision.locale, { title: revision.title, body: revision.body, description: revision.description });
}

/** Deletes one translation; the last one cannot go (delete the article instead). */
export async function deleteTranslation(trx: Transaction<DB>, accountId: string, articleId: string, locale: string): Promise<void> {
  const rows = await scoped(trx, accountId).selectFrom('kb_article_translations').select('locale').where('article_id', '=', articleId).forUpdate().execute();
  if (!rows.length) throw notFound('Article');
  if (!rows.some((r) => r.locale === locale)) throw notFound('Translation');
  if (rows.length === 1) throw new AppError('invalid_state', 'This is the article’s only translation; delete the article instead.');
  await scoped(trx, accountId).deleteFrom('kb_article_translations').where('article_id', '=', articleId).where('locale', '=', locale).execute();
  // Its revisions go too: a translation added again later starts a history of its own.
  await scoped(trx, accountId).deleteFrom('kb_revisions').where('article_id', '=', articleId).where('locale', '=', locale).execute();
}

export type { Executor };

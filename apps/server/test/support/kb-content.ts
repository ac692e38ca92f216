/**
 * Knowledge base content written straight to the database, for tests of retrieval and the help
 * center (the authoring API is its own feature; these tests only need rows).
 */
import type { Database } from '../../src/core/db/index.js';
import { scoped } from '../../src/core/db/tenant.js';
import { slugify } from '../../src/features/kb/markdown.js';

export interface ArticleInput {
  title: string;
  body?: string;
  locale?: string;
  status?: 'draft' | 'published' | 'archived';
  visibility?: 'public' | 'internal';
  sectionId?: string | null;
  description?: string;
  keywords?: string[];
  slug?: string;
}

export async function makeCategory(db: Database, accountId: string, names: Record<string, string>, descriptions: Record<string, string> = {}): Promise<string> {
  const row = await scoped(db, accountId)
    .insertInto('kb_categories', { names: JSON.stringify(names), descriptions: JSON.stringify(descriptions), slug: slugify(Object.values(names)[0] ?? 'category') })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function makeSection(db: Database, accountId: string, categoryId: string, names: Record<string, string>): Promise<string> {
  const row = await scoped(db, accountId)
    .insertInto('kb_sections', { category_id: categoryId, names: JSON.stringify(names), slug: slugify(Object.values(names)[0] ?? 'section') })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addTranslation(db: Database, accountId: string, articleId: string, a: ArticleInput): Promise<void> {
  const status = a.status ?? 'published';
  await scoped(db, accountId)
    .insertInto('kb_article_translations', {
      article_id: articleId,
      locale: a.locale ?? 'en',
      title: a.title,
      slug: a.slug ?? slugify(a.title),
      body: a.body ?? '',
      description: a.description ?? '',
      keywords: a.keywords ?? [],
      status,
      published_at: status === 'published' ? new Date() : null,
    })
    .execute();
}

/** A new article with one translation (published and public unless told otherwise). */
export async function makeArticle(db: Database, accountId: string, a: ArticleInput): Promise<string> {
  const row = await scoped(db, accountId)
    .insertInto('kb_articles', { visibility: a.visibility ?? 'public', section_id: a.sectionId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addTranslation(db, accountId, row.id, a);
  return row.id;
}

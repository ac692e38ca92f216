/**
 * The knowledge base as a folder of Markdown files, one file per translation, with YAML front
 * matter:
 *
 *   ---
 *   id: reset-password          # stable key: translations of one article share it
 *   title: Reset your password
 *   locale: en                  # else from the file name (reset-password.de.md), else en
 *   status: published           # draft (default) | published | archived
 *   visibility: public          # public (default) | internal
 *   category: Account
 *   section: Signing in
 *   slug: reset-your-password
 *   keywords: [password, login]
 *   description: How to get back into your account.
 *   related: [two-factor]       # ids of other articles
 *   ---
 *   Markdown body…
 *
 * Import is idempotent: an article is found again by its `id` (an article's own uuid, or the key
 * it was imported under), so importing the same folder twice updates and never duplicates, and a
 * file whose content did not change writes no revision. Each file is written in a transaction of
 * its own: a bad file is reported with its reason and leaves nothing half-written, the others go
 * in. Export writes `<category>/<section>/<id>.<locale>.md` in the same format, so export → import
 * round-trips. Both the CLI and the API use these functions.
 */
import { sql, type Transaction } from 'kysely';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Database } from '../../core/db/index.js';
import type { DB, KbStatus, KbVisibility } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError } from '../../core/errors.js';
import { helpCenterOf } from './help-center-address.js';
import { slugify } from './markdown.js';
import { createArticle, updateArticle } from './articles.store.js';
import { LOCALE_PATTERN, MAX_BODY } from './kb.schema.js';

export interface KbFile {
  path: string;
  content: string;
}

export interface ImportFileResult {
  path: string;
  status: 'created' | 'updated' | 'unchanged' | 'failed';
  article_id: string | null;
  locale: string | null;
  error: string | null;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  files: ImportFileResult[];
}

export const IMPORT_LIMITS = { files: 2000, fileBytes: 1024 * 1024, totalBytes: 50 * 1024 * 1024 };

class FileError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES: readonly KbStatus[] = ['draft', 'published', 'archived'];
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;

interface ParsedFile {
  key: string;
  locale: string;
  title: string;
  body: string;
  status: KbStatus;
  visibility?: KbVisibility;
  category?: string;
  section?: string;
  slug?: string;
  keywords?: string[];
  description?: string;
  related?: string[];
}

const text = (meta: Record<string, unknown>, field: string, max: number): string | undefined => {
  const v = meta[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new FileError(`"${field}" must be text`);
  const s = String(v).trim();
  if (s.length > max) throw new FileError(`"${field}" is longer than ${max} characters`);
  return s;
};

const list = (meta: Record<string, unknown>, field: string): string[] | undefined => {
  const v = meta[field];
  if (v === undefined || v === null) return undefined;
  const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : null;
  if (!items || items.some((k) => typeof k !== 'string' && typeof k !== 'number')) throw new FileError(`"${field}" must be a list of words`);
  return items.map((k) => String(k).trim()).filter(Boolean).slice(0, 30);
};

/** One file's front matter and body, checked; throws FileError naming what is wrong. */
export function parseArticleFile(file: KbFile): ParsedFile {
  const content = file.content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = FRONT_MATTER.exec(content);
  if (!match) throw new FileError('has no front matter (a block between --- lines at the top, with at least a title)');
  let meta: unknown;
  try {
    // The core schema: plain data only, no custom tags; aliases are capped against expansion bombs.
    meta = parseYaml(match[1]!, { schema: 'core', maxAliasCount: 20 });
  } catch (err) {
    throw new FileError(`has front matter that is not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new FileError('has front matter that is not a list of fields');
  const m = meta as Record<string, unknown>;
  const title = text(m, 'title', 200);
  if (!title) throw new FileError('has no title in its front matter');
  const fromName = /\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.md$/i.exec(file.path)?.[1];
  const locale = text(m, 'locale', 20) ?? fromName ?? 'en';
  if (!LOCALE_PATTERN.test(locale)) throw new FileError(`has locale "${locale}", which is not a language tag (such as en, de or pt-BR)`);
  const status = (text(m, 'status', 20) ?? 'draft') as KbStatus;
  if (!STATUSES.includes(status)) throw new FileError(`has status "${status}"; use draft, published or archived`);
  const visibility = text(m, 'visibility', 20) as KbVisibility | undefined;
  if (visibility !== undefined && visibility !== 'public' && visibility !== 'internal') throw new FileError(`has visibility "${visibility}"; use public or internal`);
  const slug = text(m, 'slug', 80);
  if (slug && slugify(slug) !== slug) throw new FileError(`has slug "${slug}"; a slug holds only lower-case letters, digits and dashes`);
  const category = text(m, 'category', 120);
  const section = text(m, 'section', 120);
  if (section && !category) throw new FileError(`names section "${section}" but no category to put it in`);
  const body = content.slice(match[0].length).replace(/^\n/, '');
  if (body.length > MAX_BODY) throw new FileError(`has a body longer than ${MAX_BODY} characters`);
  const key = text(m, 'id', 100) || slug || slugify(title);
  if (!key) throw new FileError('has no id, slug or title to know the article by');
  return { key, locale, title, body, status, visibility, category, section, slug, keywords: list(m, 'keywords'), description: text(m, 'description', 300), related: list(m, 'related') };
}

/** The article an import key names in this workspace: its own uuid, or the key it was imported under. */
async function articleByKey(trx: Transaction<DB>, accountId: string, key: string): Promise<string | undefined> {
  const row = await scoped(trx, accountId)
    .selectFrom('kb_articles')
    .select('id')
    .where((eb) => (UUID.test(key) ? eb.or([eb('id', '=', key), eb('import_key', '=', key)]) : eb('import_key', '=', key)))
    .executeTakeFirst();
  return row?.id;
}

/** Finds a category (or a section in `categoryId`) by its slug or any of its names; makes it when missing. */
async function structureByName(trx: Transaction<DB>, accountId: string, table: 'kb_categories' | 'kb_sections', name: string, locale: string, categoryId?: string): Promise<string> {
  let q = scoped(trx, accountId).selectFrom(table).select(['id', 'slug', 'names']);
  if (categoryId) q = q.where(sql<boolean>`category_id = ${categoryId}`);
  const rows = await q.orderBy('position').execute();
  const slug = slugify(name) || (table === 'kb_categories' ? 'category' : 'section');
  const lower = name.toLowerCase();
  const found = rows.find((r) => r.slug === slug || Object.values(r.names).some((n) => n.toLowerCase() === lower));
  if (found) {
    if (!found.names[locale]) await scoped(trx, accountId).updateTable(table).set({ names: JSON.stringify({ ...found.names, [locale]: name }) }).where('id', '=', found.id).execute();
    return found.id;
  }
  const position = rows.length;
  if (table === 'kb_categories') {
    return (await scoped(trx, accountId).insertInto('kb_categories', { names: JSON.stringify({ [locale]: name }), slug, position }).returning('id').executeTakeFirstOrThrow()).id;
  }
  return (await scoped(trx, accountId).insertInto('kb_sections', { category_id: categoryId!, names: JSON.stringify({ [locale]: name }), slug, position }).returning('id').executeTakeFirstOrThrow()).id;
}

/** Where an article is (section, category) and the language it was first written in. */
async function placement(trx: Transaction<DB>, accountId: string, articleId: string): Promise<{ sectionId: string | null; categoryId: string | null; primaryLocale: string | undefined }> {
  const article = await scoped(trx, accountId).selectFrom('kb_articles').select('section_id').where('id', '=', articleId).executeTakeFirstOrThrow();
  const section = article.section_id ? await scoped(trx, accountId).selectFrom('kb_sections').select('category_id').where('id', '=', article.section_id).executeTakeFirst() : undefined;
  const first = await scoped(trx, accountId).selectFrom('kb_article_translations').select('locale').where('article_id', '=', articleId).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return { sectionId: article.section_id, categoryId: section?.category_id ?? null, primaryLocale: first?.locale };
}

async function nameInLocale(trx: Transaction<DB>, accountId: string, table: 'kb_categories' | 'kb_sections', id: string, locale: string, name: string | undefined): Promise<void> {
  if (!name) return;
  const row = await scoped(trx, accountId).selectFrom(table).select('names').where('id', '=', id).executeTakeFirstOrThrow();
  if (!row.names[locale]) await scoped(trx, accountId).updateTable(table).set({ names: JSON.stringify({ ...row.names, [locale]: name }) }).where('id', '=', id).execute();
}

/** Imports files (see the top of this file); `authorId` is the person importing, null from the CLI. */
export async function importFiles(db: Database, accountId: string, authorId: string | null, files: KbFile[]): Promise<ImportReport> {
  if (files.length > IMPORT_LIMITS.files) throw new AppError('invalid_article', `An import takes at most ${IMPORT_LIMITS.files} files; split the folder.`);
  const results: ImportFileResult[] = [];
  const relatedOf: Array<{ index: number; articleId: string; keys: string[] }> = [];
  // Files in the help center's default language go first, so articles are created, and categories
  // named, in it; the other translations then join them.
  const { default_locale: defaultLocale } = await helpCenterOf(db, accountId);
  const rank = (f: KbFile) => {
    try {
      return parseArticleFile(f).locale === defaultLocale ? 0 : 1;
    } catch {
      return 1;
    }
  };
  const ranks = new Map(files.map((f) => [f, rank(f)]));
  for (const file of [...files].sort((a, b) => ranks.get(a)! - ranks.get(b)! || a.path.localeCompare(b.path))) {
    const result: ImportFileResult = { path: file.path, status: 'failed', article_id: null, locale: null, error: null };
    results.push(result);
    try {
      if (Buffer.byteLength(file.content) > IMPORT_LIMITS.fileBytes) throw new FileError(`is larger than ${IMPORT_LIMITS.fileBytes / 1024} KB`);
      const f = parseArticleFile(file);
      result.locale = f.locale;
      await db.transaction().execute(async (trx) => {
        const existing = await articleByKey(trx, accountId, f.key);
        let sectionId: string | undefined;
        const placed = existing ? await placement(trx, accountId, existing) : undefined;
        if (placed?.sectionId && f.category && f.locale !== placed.primaryLocale) {
          // A translation names the category and section in its own language: they learn that name; the article stays where it is.
          await nameInLocale(trx, accountId, 'kb_sections', placed.sectionId, f.locale, f.section);
          await nameInLocale(trx, accountId, 'kb_categories', placed.categoryId!, f.locale, f.category);
        } else if (f.category) {
          const categoryId = await structureByName(trx, accountId, 'kb_categories', f.category, f.locale);
          sectionId = f.section ? await structureByName(trx, accountId, 'kb_sections', f.section, f.locale, categoryId) : undefined;
        }
        const fields = { title: f.title, body: f.body, status: f.status, ...(f.slug ? { slug: f.slug } : {}), ...(f.keywords ? { keywords: f.keywords } : {}), ...(f.description !== undefined ? { description: f.description } : {}) };
        if (existing) {
          const changed = await updateArticle(trx, accountId, authorId, existing, { locale: f.locale, ...fields, ...(sectionId ? { section_id: sectionId } : {}), ...(f.visibility ? { visibility: f.visibility } : {}) }, { onlyIfChanged: true });
          result.article_id = existing;
          result.status = changed ? 'updated' : 'unchanged';
        } else {
          // A uuid from another workspace's export is only a key here (it never names their article).
          result.article_id = await createArticle(trx, accountId, authorId, { locale: f.locale, ...fields, section_id: sectionId ?? null, visibility: f.visibility ?? 'public', import_key: f.key });
          result.status = 'created';
        }
      });
      if (f.related) relatedOf.push({ index: results.length - 1, articleId: result.article_id!, keys: f.related });
    } catch (err) {
      result.status = 'failed';
      result.article_id = null;
      result.error = err instanceof FileError ? `${file.path} ${err.message}.` : err instanceof AppError ? `${file.path}: ${err.message}` : `${file.path}: could not be imported (${(err as Error).message}).`;
    }
  }
  // Related articles last: they may name articles of files imported after them.
  for (const r of relatedOf) {
    const result = results[r.index]!;
    try {
      await db.transaction().execute(async (trx) => {
        const ids: string[] = [];
        for (const key of r.keys) {
          const id = await articleByKey(trx, accountId, key);
          if (!id) throw new FileError(`names related article "${key}", which is not in this workspace or this import`);
          if (id !== r.articleId && !ids.includes(id)) ids.push(id);
        }
        if (await updateArticle(trx, accountId, authorId, r.articleId, { related_ids: ids }, { onlyIfChanged: true })) {
          if (result.status === 'unchanged') result.status = 'updated';
        }
      });
    } catch (err) {
      // The article itself went in; only its related list is reported.
      result.error = `${result.path} ${err instanceof FileError ? err.message : (err as Error).message}.`;
    }
  }
  const count = (s: ImportFileResult['status']) => results.filter((r) => r.status === s).length;
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), failed: count('failed'), files: results };
}

/** Every article of the workspace as files, one per translation, in `<category>/<section>/<id>.<locale>.md`. */
export async function exportFiles(db: Database, accountId: string): Promise<KbFile[]> {
  const ws = scoped(db, accountId);
  const categories = new Map((await ws.selectFrom('kb_categories').select(['id', 'names', 'slug']).execute()).map((c) => [c.id, c]));
  const sections = new Map((await ws.selectFrom('kb_sections').select(['id', 'category_id', 'names', 'slug']).execute()).map((s) => [s.id, s]));
  const articles = await ws.selectFrom('kb_articles').select(['id', 'import_key', 'section_id', 'visibility']).orderBy('position').orderBy('created_at').execute();
  const keyOf = new Map(articles.map((a) => [a.id, a.import_key ?? a.id]));
  const translations = await ws.selectFrom('kb_article_translations').select(['article_id', 'locale', 'title', 'slug', 'body', 'description', 'keywords', 'status']).orderBy('created_at').execute();
  const related = await ws.selectFrom('kb_related_articles').select(['article_id', 'related_id']).orderBy('position').execute();
  const files: KbFile[] = [];
  const used = new Set<string>();
  for (const a of articles) {
    const section = a.section_id ? sections.get(a.section_id) : undefined;
    const category = section ? categories.get(section.category_id) : undefined;
    const key = keyOf.get(a.id)!;
    // File names come from slugs: no "..", slashes or odd characters reach a disk from a key.
    const base = slugify(key) || a.id;
    const folder = category && section ? `${category.slug || 'category'}/${section.slug || 'section'}` : '_unsorted';
    const relatedKeys = related.filter((r) => r.article_id === a.id).map((r) => keyOf.get(r.related_id)!);
    for (const t of translations.filter((x) => x.article_id === a.id)) {
      let path = `${folder}/${base}.${t.locale}.md`;
      if (used.has(path)) path = `${folder}/${base}-${a.id.slice(0, 8)}.${t.locale}.md`;
      used.add(path);
      const meta: Record<string, unknown> = { id: key, title: t.title, locale: t.locale, status: t.status, visibility: a.visibility };
      if (category && section) {
        meta.category = category.names[t.locale] ?? Object.values(category.names)[0] ?? category.slug;
        meta.section = section.names[t.locale] ?? Object.values(section.names)[0] ?? section.slug;
      }
      meta.slug = t.slug;
      if (t.keywords.length) meta.keywords = t.keywords;
      if (t.description) meta.description = t.description;
      if (relatedKeys.length) meta.related = relatedKeys;
      files.push({ path, content: `---\n${stringifyYaml(meta, { lineWidth: 0 })}---\n\n${t.body}\n` });
    }
  }
  return files;
}

export function zipFiles(files: KbFile[]): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(files.map((f) => [f.path, strToU8(f.content)])), { level: 6 }));
}

/** The Markdown files of a zip, within the import limits (declared sizes are checked before inflating, actual ones after). */
export function unzipFiles(zip: Uint8Array): KbFile[] {
  let total = 0;
  let count = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (f) => {
        if (!/\.md$/i.test(f.name) || f.name.startsWith('__MACOSX/') || f.name.split('/').some((p) => p.startsWith('.'))) return false;
        count++;
        total += f.originalSize;
        if (count > IMPORT_LIMITS.files || f.originalSize > IMPORT_LIMITS.fileBytes || total > IMPORT_LIMITS.totalBytes) {
          throw new AppError('invalid_article', `A zip may hold at most ${IMPORT_LIMITS.files} Markdown files of at most ${IMPORT_LIMITS.fileBytes / 1024} KB each, ${IMPORT_LIMITS.totalBytes / 1024 / 1024} MB in all.`);
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid_article', 'This file is not a zip archive that can be read.');
  }
  return Object.entries(entries).map(([path, bytes]) => {
    if (bytes.length > IMPORT_LIMITS.fileBytes) throw new AppError('invalid_article', `${path} is larger than ${IMPORT_LIMITS.fileBytes / 1024} KB.`);
    return { path, content: strFromU8(bytes) };
  });
}

/** The labelled Velora help center in bench/data/kb/, read and stored as a workspace's knowledge base. */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../apps/server/src/core/db/index.js';
import { scoped } from '../apps/server/src/core/db/tenant.js';
import { slugify } from '../apps/server/src/features/kb/markdown.js';

const DATA = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'data/kb');

export interface Article {
  id: string;
  title: string;
  locale: string;
  category: string;
  section: string;
  keywords: string[];
  body: string;
}
export interface Question {
  q: string;
  article: string | null;
  locale: string;
}

export function readArticles(): Article[] {
  return fs
    .readdirSync(path.join(DATA, 'articles'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(DATA, 'articles', file), 'utf8');
      const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      if (!m) throw new Error(`${file}: no front matter`);
      const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(m[1]!)?.[1]?.trim() ?? '';
      const list = field('keywords').replace(/^\[|\]$/g, '');
      return { id: field('id'), title: field('title'), locale: field('locale'), category: field('category'), section: field('section'), keywords: list ? list.split(',').map((k) => k.trim()) : [], body: m[2]!.trim() };
    });
}

export const readQuestions = (set: string): Question[] =>
  fs
    .readFileSync(path.join(DATA, `questions.${set}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Question);

/** Categories, sections and articles as the authoring side would store them; answers data id → article id. */
export async function load(db: Database, accountId: string, articles: Article[]): Promise<Map<string, string>> {
  const s = scoped(db, accountId);
  const english = articles.filter((a) => a.locale === 'en');
  const categories = new Map<string, string>();
  const sections = new Map<string, string>();
  const ids = new Map<string, string>();
  for (const a of english) {
    if (!categories.has(a.category)) categories.set(a.category, (await s.insertInto('kb_categories', { names: JSON.stringify({ en: a.category }), slug: slugify(a.category) }).returning('id').executeTakeFirstOrThrow()).id);
    const key = `${a.category}/${a.section}`;
    if (!sections.has(key)) sections.set(key, (await s.insertInto('kb_sections', { category_id: categories.get(a.category)!, names: JSON.stringify({ en: a.section }), slug: slugify(a.section) }).returning('id').executeTakeFirstOrThrow()).id);
    ids.set(a.id, (await s.insertInto('kb_articles', { section_id: sections.get(key)! }).returning('id').executeTakeFirstOrThrow()).id);
  }
  for (const a of articles) {
    await s
      .insertInto('kb_article_translations', { article_id: ids.get(a.id)!, locale: a.locale, title: a.title, slug: slugify(a.title), body: a.body, keywords: a.keywords, status: 'published', published_at: new Date() })
      .execute();
  }
  return ids;
}


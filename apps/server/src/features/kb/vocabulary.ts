/**
 * The words a workspace's published articles use (from each translation's word list), kept in
 * memory per workspace so a misspelt question word can be corrected without a query: a word no
 * article uses is replaced by the known word within the fewest edits (a swap of two letters
 * counts as one: "refnud" → "refund", which trigrams miss), the more common one on a tie.
 * The list is re-read when the workspace's articles change (a stamp checked at most every second).
 */
import { sql } from 'kysely';
import type { Database } from '../../core/db/index.js';

export interface Vocabulary {
  /** word → number of published translations using it; `publicOnly` counts public articles only. */
  all: Map<string, number>;
  publicOnly: Map<string, number>;
  /** Words by length, for the edit-distance search. */
  byLength: { all: Map<number, string[]>; publicOnly: Map<number, string[]> };
  /** Lexeme → published translations having it (any language), per audience; read on first use. */
  df: { all: Promise<Map<string, number>> | null; publicOnly: Promise<Map<string, number>> | null };
  /** Language configuration → its locales and how many published translations it has. */
  configs: Map<string, { locales: string[]; all: number; publicOnly: number }>;
}

const STAMP_MS = 1000;
const cache = new Map<string, { stamp: string; checkedAt: number; vocabulary: Promise<Vocabulary> }>();

async function stampOf(db: Database, accountId: string): Promise<string> {
  // Raw SQL (one round trip); both sub-selects are filtered by account_id.
  const { rows } = await sql<{ s: string }>`
    select concat_ws('|',
      (select concat(max(updated_at), '/', count(*)) from kb_article_translations where account_id = ${accountId}),
      (select concat(max(updated_at), '/', count(*)) from kb_articles where account_id = ${accountId})) as s`.execute(db);
  return rows[0]?.s ?? '';
}

function push(map: Map<number, string[]>, key: number, word: string): void {
  const list = map.get(key);
  if (list) list.push(word);
  else map.set(key, [word]);
}

async function load(db: Database, accountId: string): Promise<Vocabulary> {
  const { rows } = await sql<{ w: string; n: number; pub: number }>`
    select w, count(*)::int as n, count(*) filter (where a.visibility = 'public')::int as pub
    from kb_article_translations t
    join kb_articles a on a.id = t.article_id and a.account_id = ${accountId}
    cross join lateral regexp_split_to_table(t.search_words, ' ') as w
    where t.account_id = ${accountId} and t.status = 'published' and w <> ''
    group by w`.execute(db);
  const v: Vocabulary = { all: new Map(), publicOnly: new Map(), byLength: { all: new Map(), publicOnly: new Map() }, df: { all: null, publicOnly: null }, configs: new Map() };
  for (const r of rows) {
    v.all.set(r.w, r.n);
    const len = [...r.w].length;
    push(v.byLength.all, len, r.w);
    if (r.pub > 0) {
      v.publicOnly.set(r.w, r.pub);
      push(v.byLength.publicOnly, len, r.w);
    }
  }
  const { rows: languages } = await sql<{ locale: string; cfg: string; n: number; pub: number }>`
    select t.locale, kb_search_config(t.locale)::text as cfg, count(*)::int as n, count(*) filter (where a.visibility = 'public')::int as pub
    from kb_article_translations t join kb_articles a on a.id = t.article_id and a.account_id = ${accountId}
    where t.account_id = ${accountId} and t.status = 'published'
    group by t.locale`.execute(db);
  for (const l of languages) {
    const c = v.configs.get(l.cfg) ?? { locales: [], all: 0, publicOnly: 0 };
    v.configs.set(l.cfg, c);
    c.locales.push(l.locale);
    c.all += l.n;
    c.publicOnly += l.pub;
  }
  return v;
}

export async function vocabularyOf(db: Database, accountId: string): Promise<Vocabulary> {
  const now = Date.now();
  const known = cache.get(accountId);
  if (known && now - known.checkedAt < STAMP_MS) return known.vocabulary;
  const stamp = await stampOf(db, accountId);
  if (known && known.stamp === stamp) {
    known.checkedAt = now;
    return known.vocabulary;
  }
  const vocabulary = load(db, accountId);
  cache.set(accountId, { stamp, checkedAt: now, vocabulary });
  vocabulary.catch(() => cache.delete(accountId));
  if (cache.size > 5000) cache.delete(cache.keys().next().value!);
  return vocabulary;
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits), stopping past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

/** How many edits a word of this length may be off by and still be corrected. */
export const allowedEdits = (length: number) => (length < 4 ? 0 : length < 6 ? 1 : 2);

/** The known word closest to `word` within the allowed edits, or undefined (also when `word` is known). */
export function correct(v: Vocabulary, word: string, audience: 'public' | 'agent'): string | undefined {
  const words = audience === 'public' ? v.publicOnly : v.all;
  if (words.has(word) || /^\d+$/.test(word)) return undefined;
  const max = allowedEdits([...word].length);
  if (!max) return undefined;
  const byLength = audience === 'public' ? v.byLength.publicOnly : v.byLength.all;
  let best: string | undefined;
  let bestDistance = max + 1;
  let bestCount = 0;
  const len = [...word].length;
  for (let l = len - max; l <= len + max; l++) {
    for (const candidate of byLength.get(l) ?? []) {
      const d = editDistance(word, candidate, Math.min(max, bestDistance));
      const n = words.get(candidate) ?? 0;
      if (d < bestDistance || (d === bestDistance && d <= max && n > bestCount)) {
        best = candidate;
        bestDistance = d;
        bestCount = n;
      }
    }
  }
  return bestDistance <= max ? best : undefined;
}

/** The most used known word that starts with `prefix` (a word still being typed), or undefined. */
export function complete(v: Vocabulary, prefix: string, audience: 'public' | 'agent'): string | undefined {
  const words = audience === 'public' ? v.publicOnly : v.all;
  if (prefix.length < 2 || words.has(prefix)) return undefined;
  let best: string | undefined;
  let bestCount = 0;
  for (const [word, n] of words) {
    if (n > bestCount && word.startsWith(prefix)) [best, bestCount] = [word, n];
  }
  return best;
}

/**
 * How many published translations (of public articles, for the public) contain each lexeme: the
 * IDF of retrieval's scoring. One ts_stat pass over the workspace's search vectors when first
 * needed after the articles changed, then lookups in memory.
 */
export async function documentFrequencies(db: Database, accountId: string, audience: 'public' | 'agent'): Promise<{ v: Vocabulary; df: Map<string, number> }> {
  const v = await vocabularyOf(db, accountId);
  const key = audience === 'public' ? 'publicOnly' : 'all';
  // ts_stat takes its query as text: the account id is a uuid (checked), nothing else varies.
  if (!/^[0-9a-f-]{36}$/i.test(accountId)) throw new Error('not a workspace id');
  const visibility = audience === 'public' ? "and a.visibility = 'public'" : '';
  const inner = `select t.search_vector from kb_article_translations t join kb_articles a on a.id = t.article_id and a.account_id = '${accountId}' where t.account_id = '${accountId}' and t.status = 'published' ${visibility}`;
  v.df[key] ??= sql<{ word: string; ndoc: number }>`select word, ndoc from ts_stat(${inner})`
    .execute(db)
    .then(({ rows }) => new Map(rows.map((r) => [r.word, Number(r.ndoc)])));
  return { v, df: await v.df[key] };
}

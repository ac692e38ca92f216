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
  /** Memo of document frequencies ("<config> <lexeme>" → translations having it) and sizes, per audience. */
  df: { all: Map<string, number>; publicOnly: Map<string, number> };
  sizes: { all: Map<string, number>; publicOnly: Map<string, number> } | null;
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
  const v: Vocabulary = { all: new Map(), publicOnly: new Map(), byLength: { all: new Map(), publicOnly: new Map() }, df: { all: new Map(), publicOnly: new Map() }, sizes: null };
  for (const r of rows) {
    v.all.set(r.w, r.n);
    const len = [...r.w].length;
    push(v.byLength.all, len, r.w);
    if (r.pub > 0) {
      v.publicOnly.set(r.w, r.pub);
      push(v.byLength.publicOnly, len, r.w);
    }
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
 * How many published translations (of public articles, for the public) contain each lexeme, and
 * how many there are per language configuration: the IDF of retrieval's scoring. Remembered with
 * the vocabulary (so until the articles change); only lexemes not seen before are counted, each
 * by the full-text index.
 */
export async function documentFrequencies(db: Database, accountId: string, audience: 'public' | 'agent', wanted: Array<{ cfg: string; lexemes: string[] }>): Promise<{ df: Map<string, number>; n: Map<string, number> }> {
  const v = await vocabularyOf(db, accountId);
  const key = audience === 'public' ? 'publicOnly' : 'all';
  const df = v.df[key];
  const visibility = audience === 'public' ? sql`and a.visibility = 'public'` : sql``;
  if (!v.sizes) {
    const { rows } = await sql<{ cfg: string; n: number; pub: number }>`
      select kb_search_config(t.locale)::text as cfg, count(*)::int as n, count(*) filter (where a.visibility = 'public')::int as pub
      from kb_article_translations t join kb_articles a on a.id = t.article_id and a.account_id = ${accountId}
      where t.account_id = ${accountId} and t.status = 'published'
      group by 1`.execute(db);
    v.sizes = { all: new Map(rows.map((r) => [r.cfg, r.n])), publicOnly: new Map(rows.map((r) => [r.cfg, r.pub])) };
  }
  const missing = wanted.flatMap((w) => w.lexemes.filter((l) => !df.has(`${w.cfg} ${l}`)).map((l) => ({ cfg: w.cfg, l })));
  if (missing.length) {
    // Raw SQL: each lexeme counted through the GIN index; every table filtered by account_id.
    const { rows } = await sql<{ cfg: string; l: string; n: number }>`
      select m->>'cfg' as cfg, m->>'l' as l, (
        select count(*) from kb_article_translations t join kb_articles a on a.id = t.article_id and a.account_id = ${accountId}
        where t.account_id = ${accountId} and t.status = 'published' ${visibility}
          and t.search_vector @@ quote_literal(m->>'l')::tsquery
          and kb_search_config(t.locale) = (m->>'cfg')::regconfig
      )::int as n
      from jsonb_array_elements(${JSON.stringify(missing)}::jsonb) as m`.execute(db);
    for (const r of rows) df.set(`${r.cfg} ${r.l}`, r.n);
  }
  return { df, n: v.sizes[key] };
}

/**
 * Ranked retrieval over the knowledge base: the one search the help center, the widget, the
 * composer's article picker, `GET /api/v1/kb/suggest` and the answer bot all use.
 *
 * Customers write questions, not keywords ("how do i get my money back"), so every word of the
 * question may match (OR), and an article is scored by how much of the question it covers:
 *
 * 1. The question is split into words, accents folded. A word no article uses is corrected to the
 *    closest word the published articles do use (vocabulary.ts), so "refnud" still finds "refund";
 *    a real word is left alone (its stem is in the articles, or a built-in group knows it).
 *    Synonym groups (built-in ones per language, synonyms.ts, and those an admin added) add the
 *    other terms of a group as alternatives of the word(s) that matched; then filler words drop.
 * 2. Candidates are the published translations matching any word, each parsed in the
 *    translation's own language configuration (stemming, stop-words), plus the articles that
 *    answered a similar question before (kb_learned_answers).
 * 3. A candidate's score is the share of the question's information it covers: each word counts
 *    with its rarity among the workspace's articles (IDF; a word no article has counts fully, so a
 *    question about something no article covers scores low), and by where it matched (title and
 *    keywords over description over the body's best section over the rest of the body: the words
 *    of a question that one section answers stand together). Learnt answers move the score up
 *    (resolved a similar question) or down (did not help), and the helpful-vote ratio is a small
 *    prior.
 *
 * The score is calibrated on the labelled dev questions of bench/kb-answers.ts: below
 * ANSWER_THRESHOLD no article is likely to answer the question, and the bot hands over to a person.
 */
import { sql } from 'kysely';
import type { Database } from '../../core/db/index.js';
import { scoped } from '../../core/db/tenant.js';
import { markdownToText } from './markdown.js';
import { normalizeQuery } from './feedback.js';
import { BUILT_IN_SYNONYMS, BUILT_IN_WORDS, FILLER } from './synonyms.js';
import { complete, correct, documentFrequencies, vocabularyOf, type Vocabulary } from './vocabulary.js';

export interface FindArticlesOptions {
  /** The question or search words, as a person typed them. */
  q: string;
  /** Prefer (and, when `onlyLocale`, restrict to) this language. */
  locale?: string;
  onlyLocale?: boolean;
  /** `public`: published public articles (help center, widget, bot); `agent`: internal ones too. */
  audience: 'public' | 'agent';
  limit?: number;
  /** The last word may be unfinished (suggestions as a person types): it also matches the words it begins. */
  typing?: boolean;
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

/** Below this score no article is likely to answer the question (measured by bench/kb-answers.ts). */
export const ANSWER_THRESHOLD = 0.35;

/** Tuning knobs, exported so the benchmark can report the values it ran with. */
export const TUNING = {
  /**
   * How a misspelt word is corrected: 'edit' (the known word within the fewest edits, in memory:
   * vocabulary.ts) or 'trigram' (the most similar known word by pg_trgm, in SQL). bench/kb-answers.ts
   * measures both; 'edit' also catches swapped letters.
   */
  correction: 'edit' as 'edit' | 'trigram',
  /** With 'trigram': a misspelt word is replaced by a known word at least this similar. */
  correctionSimilarity: 0.35,
  /** How much a match counts by where it is: title or keywords, description, the body's best section, elsewhere in the body. */
  fieldWeight: { title: 1, description: 0.8, section: 0.6, body: 0.2 },
  /** Alternatives count a little less than the word itself. */
  altWeight: { word: 1, fix: 0.9, syn: 0.95 },
  /** A word no article uses weighs at most this much IDF (so one odd word does not sink a good match). */
  unknownIdfCap: 2.5,
  /** Share of the score from term frequency strength (ts_rank), the rest from coverage. */
  rankShare: 0.3,
  learnt: 0.5,
  votePrior: 0.1,
  otherLocale: 0.85,
  candidates: 40,
  /** Whether the generic synonym groups (BUILT_IN_SYNONYMS) apply besides the workspace's own. */
  builtInSynonyms: 1,
  /** Lexemes in more than this share of a language's articles do not select candidates (they still score). */
  commonShare: 0.2,
};

const MAX_WORDS = 24;

/** Question words as stored in the word lists: lower case, accents folded. */
export function questionWords(q: string): string[] {
  return normalizeQuery(q.slice(0, 500)).split(' ').filter(Boolean).slice(0, MAX_WORDS);
}

interface Alt {
  text: string;
  kind: 'word' | 'fix' | 'syn';
}
interface Slot {
  alts: Alt[];
}

interface CandidateRow {
  id: string;
  article_id: string;
  locale: string;
  title: string;
  slug: string;
  description: string;
  body: string;
  rank: number;
  helpful_count: number;
  unhelpful_count: number;
  n: number;
  /** [slot, alt, lexeme, in title/keywords, in description, anywhere, document frequency] */
  feats: Array<[number, number, string, boolean, boolean, boolean, number]>;
  /** Per section of the body: the question's lexemes it has. */
  sections: Array<Set<string>>;
}

/**
 * Corrections for words no published article uses: the closest known word by trigram similarity.
 * Raw SQL (the lateral word lists are beyond the query builder); account_id is in every branch.
 */
async function corrections(db: Database, accountId: string, words: string[]): Promise<Map<string, string>> {
  const candidates = [...new Set(words.filter((w) => w.length >= 4 && !/^\d+$/.test(w)))];
  if (!candidates.length) return new Map();
  const { rows } = await sql<{ word: string; known: boolean; fix: string | null; sim: number | null }>`
    select q.w as word, k.known, best.w as fix, best.sim
    from jsonb_array_elements_text(${JSON.stringify(candidates)}::jsonb) as q(w)
    cross join lateral (
      select exists (
        select 1 from kb_article_translations t
        where t.account_id = ${accountId} and t.status = 'published' and t.search_words ~ ('(^| )' || q.w || '( |$)')
      ) as known
    ) k
    left join lateral (
      select v.w, similarity(q.w, v.w) as sim
      from (
        select d.search_words from kb_article_translations d
        where not k.known and d.account_id = ${accountId} and d.status = 'published' and q.w <% d.search_words
        limit 30
      ) d
      cross join lateral regexp_split_to_table(d.search_words, ' ') as v(w)
      where similarity(q.w, v.w) >= ${TUNING.correctionSimilarity}
      order by sim desc, v.w
      limit 1
    ) best on true`.execute(db);
  const out = new Map<string, string>();
  for (const r of rows) if (!r.known && r.fix) out.set(r.word, r.fix);
  return out;
}

function editCorrections(v: Vocabulary, words: string[], audience: 'public' | 'agent', real: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of new Set(words)) {
    if (real.has(w) || BUILT_IN_WORDS.has(w)) continue;
    const fix = correct(v, w, audience);
    if (fix) out.set(w, fix);
  }
  return out;
}

/**
 * Question words that are real words although no article spells them so: their stem is one the
 * articles use ("parked" → park, from "parking"), or they are a stop-word of a language the
 * articles are in. Correcting them to the closest spelling ("packed") would change the question.
 */
async function realWords(db: Database, configs: string[], words: string[], df: Map<string, number>): Promise<Set<string>> {
  const unique = [...new Set(words)];
  if (!configs.length || !unique.length) return new Set();
  const { rows } = await sql<{ w: string; lexemes: string[] }>`
    select q.w, tsvector_to_array(to_tsvector(g.cfg::regconfig, unaccent(q.w))) as lexemes
    from jsonb_array_elements_text(${JSON.stringify(configs)}::jsonb) as g(cfg)
    cross join jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb) as q(w)`.execute(db);
  return new Set(rows.filter((r) => !r.lexemes.length || r.lexemes.some((l) => df.has(l))).map((r) => r.w));
}

async function synonymGroups(db: Database, accountId: string, locale: string | undefined): Promise<string[][][]> {
  let q = scoped(db, accountId).selectFrom('kb_synonyms').select(['terms', 'locale']);
  if (locale) q = q.where((eb) => eb.or([eb('locale', 'is', null), eb('locale', '=', locale)]));
  const rows = await q.limit(1000).execute();
  const language = locale?.split('-')[0];
  const builtIn = !TUNING.builtInSynonyms ? [] : language ? (BUILT_IN_SYNONYMS[language] ?? []) : Object.values(BUILT_IN_SYNONYMS).flat();
  return [...rows.map((r) => r.terms), ...builtIn].map((terms) => terms.map((t) => normalizeQuery(t).split(' ').filter(Boolean)).filter((t) => t.length));
}

/**
 * The question as slots: one per word, each with its alternatives (a correction, synonyms). Synonym
 * terms are matched before filler words are dropped, so "how much" can still mean a price.
 */
function buildSlots(words: string[], fixes: Map<string, string>, groups: string[][][]): Slot[] {
  const slots: Array<Slot | null> = words.map((w) => ({ alts: [{ text: w, kind: 'word' as const }, ...(fixes.has(w) ? [{ text: fixes.get(w)!, kind: 'fix' as const }] : [])] }));
  const seen = words.map((w) => fixes.get(w) ?? w);
  for (const group of groups) {
    for (const term of group) {
      for (let i = 0; i + term.length <= seen.length; i++) {
        if (!term.every((t, k) => seen[i + k] === t || words[i + k] === t)) continue;
        const slot = slots[i];
        if (!slot) continue;
        // A multi-word term ("money back") becomes one slot: its other words stop counting alone.
        for (let k = 1; k < term.length; k++) slots[i + k] = null;
        if (term.length > 1) slot.alts[0] = { text: term.join(' '), kind: 'word' };
        for (const other of group) if (other !== term) slot.alts.push({ text: other.join(' '), kind: 'syn' });
      }
    }
  }
  const kept = slots.filter((s): s is Slot => s !== null);
  const topical = kept.filter((s) => s.alts.some((a) => a.kind === 'syn') || !FILLER.has(s.alts[0]!.text));
  return topical.length ? topical : kept;
}

interface Learnt {
  sim: number;
  helped: number;
  notHelped: number;
}

/** Articles that resolved (or failed) a question like this one before. */
async function learntAnswers(db: Database, accountId: string, question: string): Promise<Map<string, Learnt>> {
  if (question.length < 3) return new Map();
  const { rows } = await sql<{ article_id: string; sim: number; helped: number; not_helped: number }>`
    select article_id, max(similarity(query, ${question}))::float8 as sim, sum(helped)::int as helped, sum(not_helped)::int as not_helped
    from kb_learned_answers
    where account_id = ${accountId} and query % ${question} and similarity(query, ${question}) >= 0.5
    group by article_id`.execute(db);
  return new Map(rows.map((r) => [r.article_id, { sim: Number(r.sim), helped: r.helped, notHelped: r.not_helped }]));
}

/** Each alternative's lexemes in each language configuration the workspace's articles use. */
async function lexemesOf(db: Database, configs: string[], slots: Slot[]): Promise<Map<string, Array<{ slot: number; alt: number; lexemes: string[] }>>> {
  const alts = slots.flatMap((s, slot) => s.alts.map((a, alt) => ({ slot, alt, text: a.text })));
  const out = new Map<string, Array<{ slot: number; alt: number; lexemes: string[] }>>();
  if (!configs.length || !alts.length) return out;
  const { rows } = await sql<{ cfg: string; slot: number; alt: number; lexemes: string[] }>`
    select g.cfg, (e->>'slot')::int as slot, (e->>'alt')::int as alt,
      tsvector_to_array(to_tsvector(g.cfg::regconfig, unaccent(e->>'text'))) as lexemes
    from jsonb_array_elements_text(${JSON.stringify(configs)}::jsonb) as g(cfg)
    cross join jsonb_array_elements(${JSON.stringify(alts)}::jsonb) as e`.execute(db);
  for (const r of rows) {
    const list = out.get(r.cfg) ?? [];
    out.set(r.cfg, list);
    list.push({ slot: r.slot, alt: r.alt, lexemes: r.lexemes });
  }
  return out;
}

/** A tsquery matching any of the lexemes (each quoted, so nothing in them is an operator). */
const anyOf = (lexemes: string[]) => lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');

interface RawCandidate {
  id: string;
  article_id: string;
  locale: string;
  cfg: string;
  title: string;
  slug: string;
  description: string;
  body: string;
  rank: number;
  helpful_count: number;
  unhelpful_count: number;
  in_a: string[];
  in_b: string[];
  in_any: string[];
  /** Per section of the body (split at its headings): the question's lexemes it has, space-separated. */
  sections: string[];
}

async function candidates(db: Database, accountId: string, o: FindArticlesOptions, slots: Slot[], learnt: string[]): Promise<CandidateRow[]> {
  const { v, df } = await documentFrequencies(db, accountId, o.audience);
  const languages = [...v.configs]
    .map(([cfg, c]) => ({ cfg, n: o.audience === 'public' ? c.publicOnly : c.all, locales: o.locale && o.onlyLocale ? c.locales.filter((l) => l === o.locale) : c.locales }))
    .filter((l) => l.locales.length && l.n > 0);
  const byConfig = await lexemesOf(db, languages.map((l) => l.cfg), slots);
  // Candidates are found by the words that tell articles apart: a lexeme in most articles still
  // counts in the score, but finding every article that has it is wasted work.
  const usable = languages
    .map((l) => {
      const lexemes = [...new Set((byConfig.get(l.cfg) ?? []).flatMap((a) => a.lexemes))];
      const telling = lexemes.filter((x) => (df.get(x) ?? 0) <= Math.max(TUNING.candidates, l.n * TUNING.commonShare));
      return { ...l, lexemes, find: telling.length ? telling : lexemes };
    })
    .filter((l) => l.lexemes.length);
  if (!usable.length && !learnt.length) return [];
  const visibility = o.audience === 'public' ? sql`and a.visibility = 'public'` : sql``;
  // One branch per language, with its tsquery as a constant so the full-text index finds the
  // candidates; the articles that answered a similar question before join them. Raw SQL (lexeme
  // sets per candidate); every table is filtered by account_id.
  const branch = (where: ReturnType<typeof sql>, rankq: string, lex: string[], cfg: string) => sql`
    select t.id, t.article_id, t.locale, ${cfg}::text as cfg, t.title, t.slug, t.description, t.body, t.search_vector,
      ${JSON.stringify(lex)}::jsonb as lex, a.helpful_count, a.unhelpful_count,
      ${rankq ? sql`ts_rank(t.search_vector, ${rankq}::tsquery, 1)::float8` : sql`0::float8`} as rank
    from kb_article_translations t
    join kb_articles a on a.id = t.article_id and a.account_id = ${accountId}
    where t.account_id = ${accountId} and t.status = 'published' ${visibility} and ${where}`;
  const branches = usable.map((l) => sql`(${branch(sql`t.locale in (${sql.join(l.locales)}) and t.search_vector @@ ${anyOf(l.find)}::tsquery`, anyOf(l.lexemes), l.lexemes, l.cfg)} order by rank desc limit ${TUNING.candidates})`);
  if (learnt.length) {
    for (const l of languages) {
      const lex = usable.find((u) => u.cfg === l.cfg)?.lexemes ?? [];
      branches.push(sql`(${branch(sql`t.locale in (${sql.join(l.locales)}) and t.article_id in (${sql.join(learnt)})`, lex.length ? anyOf(lex) : '', lex, l.cfg)})`);
    }
  }
  const { rows } = await sql<RawCandidate>`
    with top as (${sql.join(branches, sql` union all `)})
    select distinct on (id) id, article_id, locale, cfg, title, slug, description, body, rank, helpful_count, unhelpful_count,
      array(select jsonb_array_elements_text(lex) intersect select unnest(tsvector_to_array(ts_filter(search_vector, '{a}')))) as in_a,
      array(select jsonb_array_elements_text(lex) intersect select unnest(tsvector_to_array(ts_filter(search_vector, '{b}')))) as in_b,
      array(select jsonb_array_elements_text(lex) intersect select unnest(tsvector_to_array(search_vector))) as in_any,
      array(select array_to_string(array(select jsonb_array_elements_text(lex) intersect select unnest(tsvector_to_array(to_tsvector(cfg::regconfig, unaccent(sec))))), ' ')
        from regexp_split_to_table(left(body, 200000), '\n(?=#{1,6} )') as sec) as sections
    from top`.execute(db);
  const sizes = new Map(languages.map((l) => [l.cfg, l.n]));
  return rows.map((r) => {
    const inA = new Set(r.in_a);
    const inB = new Set(r.in_b);
    const inAny = new Set(r.in_any);
    const feats: CandidateRow['feats'] = (byConfig.get(r.cfg) ?? []).flatMap((a) => a.lexemes.map((l) => [a.slot, a.alt, l, inA.has(l), inB.has(l), inAny.has(l), df.get(l) ?? 0] as CandidateRow['feats'][number]));
    return { ...r, n: sizes.get(r.cfg) ?? 0, feats, sections: r.sections.map((x) => new Set(x.split(' '))) };
  });
}

function idf(df: number, n: number): number {
  const value = Math.log((n + 1) / (df + 0.5));
  return df === 0 ? Math.min(value, TUNING.unknownIdfCap) : Math.max(value, 0.05);
}

/**
 * 0…1: the share of the question's information (IDF-weighted words) this translation covers, with
 * the words in one section of the body (`section`) counting more than words scattered over it.
 */
function coverage(row: CandidateRow, slots: Slot[], section?: Set<string>): number {
  const bySlot = new Map<number, Map<number, Array<{ w: number; df: number }>>>();
  const f = TUNING.fieldWeight;
  for (const [slot, alt, lexeme, inA, inB, any, df] of row.feats) {
    const w = inA ? f.title : inB ? f.description : section?.has(lexeme) ? f.section : any ? f.body : 0;
    const alts = bySlot.get(slot) ?? new Map<number, Array<{ w: number; df: number }>>();
    bySlot.set(slot, alts);
    const list = alts.get(alt) ?? [];
    alts.set(alt, list);
    list.push({ w, df });
  }
  let got = 0;
  let total = 0;
  for (const [slot, alts] of bySlot) {
    const s = slots[slot];
    if (!s) continue;
    // A slot whose own word is a stop-word in this language has no lexemes and does not count.
    let best = 0;
    let weight = -1;
    for (const [alt, lexemes] of alts) {
      const match = Math.min(...lexemes.map((l) => l.w)) * TUNING.altWeight[s.alts[alt]?.kind ?? 'word'];
      const altIdf = lexemes.reduce((sum, l) => sum + idf(l.df, row.n), 0) / lexemes.length;
      if (match > best || (match === best && weight < 0)) {
        best = match;
        weight = match > 0 ? altIdf : Math.max(weight, altIdf);
      }
    }
    if (weight <= 0) continue;
    got += weight * best;
    total += weight;
  }
  return total ? got / total : 0;
}

/** The coverage of the translation's best section (passage-level scoring). */
const bestCoverage = (row: CandidateRow, slots: Slot[]) => Math.max(coverage(row, slots), ...row.sections.map((section) => coverage(row, slots, section)));

function scoreOf(row: CandidateRow, slots: Slot[], learnt: Map<string, Learnt>, locale: string | undefined): number {
  const cover = bestCoverage(row, slots);
  const strength = row.rank / (row.rank + 0.1);
  let score = (1 - TUNING.rankShare) * cover + TUNING.rankShare * strength;
  const l = learnt.get(row.article_id);
  if (l) score += TUNING.learnt * l.sim * ((l.helped - l.notHelped) / (l.helped + l.notHelped + 1));
  score += TUNING.votePrior * ((row.helpful_count + 1) / (row.helpful_count + row.unhelpful_count + 2) - 0.5);
  if (locale && row.locale !== locale && row.locale.split('-')[0] !== locale.split('-')[0]) score *= TUNING.otherLocale;
  return Math.max(0, Math.min(1, score));
}

/** Markdown blocks of a body, as plain text paragraphs. */
function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((b) => markdownToText(b).replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** The paragraph(s) of each hit's body that match the question best, ranked in the hit's language. */
async function passages(db: Database, hits: CandidateRow[], text: string): Promise<string[]> {
  const blocks = hits.flatMap((h, i) => paragraphs(h.body).slice(0, 200).map((p, n) => ({ i, n, p, locale: h.locale })));
  if (!blocks.length) return hits.map(() => '');
  const { rows } = await sql<{ i: number; n: number; rank: number }>`
    select (e->>'i')::int as i, (e->>'n')::int as n,
      coalesce(ts_rank(to_tsvector(kb_search_config(e->>'locale'), unaccent(e->>'p')),
        nullif(replace(plainto_tsquery(kb_search_config(e->>'locale'), unaccent(${text}))::text, ' & ', ' | '), '')::tsquery), 0)::float8 as rank
    from jsonb_array_elements(${JSON.stringify(blocks)}::jsonb) as e`.execute(db);
  return hits.map((_, i) => {
    const mine = blocks.filter((b) => b.i === i);
    if (!mine.length) return '';
    let best = 0;
    let bestRank = -1;
    for (const r of rows) if (r.i === i && Number(r.rank) > bestRank) [best, bestRank] = [r.n, Number(r.rank)];
    // A short paragraph (a heading or a lead-in) keeps the one after it.
    let passage = mine[best]!.p;
    if (passage.length < 160 && mine[best + 1]) passage += ` ${mine[best + 1]!.p}`;
    return passage.length > 600 ? `${passage.slice(0, 597).replace(/\s+\S*$/, '')}…` : passage;
  });
}

/** The question's real words (see realWords) in the languages retrieval searches for these options. */
async function realWordsOf(db: Database, accountId: string, o: FindArticlesOptions, words: string[]): Promise<Set<string>> {
  const { v, df } = await documentFrequencies(db, accountId, o.audience);
  const configs = [...v.configs].filter(([, c]) => !(o.locale && o.onlyLocale) || c.locales.includes(o.locale)).map(([cfg]) => cfg);
  return realWords(db, configs, words, df);
}

export async function findArticles(db: Database, accountId: string, o: FindArticlesOptions): Promise<ArticleHit[]> {
  const words = questionWords(o.q);
  if (!words.length) return [];
  const vocabulary = TUNING.correction === 'edit' || o.typing ? await vocabularyOf(db, accountId) : undefined;
  const fixes = TUNING.correction === 'edit' ? editCorrections(vocabulary!, words, o.audience, await realWordsOf(db, accountId, o, words)) : await corrections(db, accountId, words);
  const last = words[words.length - 1]!;
  const completed = o.typing ? complete(vocabulary!, last, o.audience) : undefined;
  // A word being typed counts as the word it most likely becomes, ahead of a typo correction; an
  // unfinished word that begins no known word yet does not count against the rest.
  if (completed) fixes.set(last, completed);
  else if (o.typing && words.length > 1 && !fixes.has(last) && !(o.audience === 'public' ? vocabulary!.publicOnly : vocabulary!.all).has(last)) words.pop();
  const [groups, learnt] = [await synonymGroups(db, accountId, o.locale), await learntAnswers(db, accountId, words.join(' '))];
  const slots = buildSlots(words, fixes, groups);
  const rows = await candidates(db, accountId, o, slots, [...learnt.keys()]);
  const best = new Map<string, { row: CandidateRow; score: number }>();
  for (const row of rows) {
    const score = scoreOf(row, slots, learnt, o.locale);
    const had = best.get(row.article_id);
    if (!had || score > had.score) best.set(row.article_id, { row, score });
  }
  const top = [...best.values()]
    .filter((h) => h.score > 0)
    .sort((a, b) => b.score - a.score || b.row.rank - a.row.rank)
    .slice(0, Math.max(1, Math.min(o.limit ?? 5, 50)));
  const text = slots.flatMap((s) => s.alts.map((a) => a.text)).join(' ');
  const texts = await passages(db, top.map((h) => h.row), text);
  return top.map((h, i) => ({
    article_id: h.row.article_id,
    locale: h.row.locale,
    title: h.row.title,
    slug: h.row.slug,
    description: h.row.description,
    passage: texts[i] ?? '',
    score: Math.round(h.score * 1000) / 1000,
  }));
}

/**
 * Answer quality of the knowledge base's retrieval (findArticles, which the bot, the widget, the
 * help center and GET /api/v1/kb/suggest use) on the labelled Velora help center in
 * bench/data/kb/: hit@1 and hit@3 over answerable questions, and the share of unanswerable
 * questions (label null) whose best score stays below ANSWER_THRESHOLD (the bot then says it will
 * get a person) — against a plain ILIKE keyword search in the same run. Also p50/p95 time per
 * question, with the set's articles and with 2,000 articles in the workspace.
 *
 * Report figures on the test questions (the default); tune only on the dev questions
 * (`--set dev`, `--set dev2` or both, `--set dev,dev2`, which also print a threshold sweep).
 *
 * Run: npm run bench:kb-answers [-- --set dev|dev2|dev,dev2|test] [--correction edit|trigram] [--large 2000].
 * Embedded database (PGlite) by default; BENCH_DATABASE_URL runs it on a PostgreSQL server.
 */
import { freshDatabaseUrl } from '../apps/server/test/databases.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../apps/server/src/core/config.js';
import { openDatabase, withPlugin, type Database } from '../apps/server/src/core/db/index.js';
import { migrate } from '../apps/server/src/core/db/migrate.js';
import { TenantGuardPlugin, scoped } from '../apps/server/src/core/db/tenant.js';
import { load, readArticles, readQuestions, type Article, type Question } from './kb-data.js';
import { ANSWER_THRESHOLD, TUNING, findArticles } from '../apps/server/src/features/kb/retrieval.js';

const { values: argv } = parseArgs({ options: { set: { type: 'string' }, correction: { type: 'string' }, large: { type: 'string' }, tune: { type: 'string', multiple: true } } });
// --tune rankShare=0.3 --tune fieldWeight.body=0.5: try a tuning value (on the dev set).
for (const pair of argv.tune ?? []) {
  const [key, value] = pair.split('=');
  const parts = key!.split('.');
  let target = TUNING as unknown as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) target = target[p] as Record<string, unknown>;
  target[parts.at(-1)!] = Number(value);
}
// Dev sets may be combined (`--set dev,dev2`); the test set is only ever run alone.
const DEV_SETS = ['dev', 'dev2'];
const requested = (argv.set ?? 'test').split(',').filter(Boolean);
const SET = requested.length && requested.every((s) => DEV_SETS.includes(s)) ? 'dev' : 'test';
if (SET === 'test' && requested.join() !== 'test') throw new Error(`--set takes test, or dev sets (${DEV_SETS.join(', ')}) separated by commas; got ${argv.set}`);
const SETS = SET === 'dev' ? requested : ['test'];
if (argv.correction === 'trigram' || argv.correction === 'edit') TUNING.correction = argv.correction;
const LARGE = Number(argv.large ?? 2000);
const pgServer = process.env.BENCH_DATABASE_URL || undefined;
const engine = pgServer ? 'PostgreSQL' : 'PGlite (embedded)';

/** Filler articles for the timing at size: sentences of the real articles, shuffled into new ones. */
async function loadFiller(db: Database, accountId: string, articles: Article[], count: number): Promise<void> {
  const sentences = articles.flatMap((a) => a.body.split(/(?<=[.!?])\s+/).filter((x) => x.length > 30));
  const titles = articles.map((a) => a.title);
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, k) => ({ n: i + k, title: `${pick(titles)} (${i + k})`, body: Array.from({ length: 12 }, () => pick(sentences)).join(' ') }));
    const rows = await scoped(db, accountId).insertInto('kb_articles', batch.map(() => ({}))).returning('id').execute();
    await scoped(db, accountId)
      .insertInto('kb_article_translations', batch.map((b, k) => ({ article_id: rows[k]!.id, locale: b.n % 5 === 0 ? 'de' : 'en', title: b.title, slug: `filler-${b.n}`, body: b.body, status: 'published' as const })))
      .execute();
  }
}

const STOP = new Set('the and for you your are was has have had how what when where why who can could would should will with this that from not but our out its into any all get got did does doing just also been some them they then than there here about which while very much more most many over only same such like need want know please thanks thank hello ich und der die das ein eine ist wie was wann wo mit von für auf nicht mein meine mir mich kann können bitte habe hat'.split(' '));

/** The baseline: a plain keyword search, ranking articles by how many of the question's words appear in title (counted twice) or body. */
async function ilikeSearch(db: Database, accountId: string, q: string): Promise<Array<{ article_id: string; matches: number }>> {
  const words = [...new Set(q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !STOP.has(w)))].slice(0, 12);
  if (!words.length) return [];
  const like = (w: string) => `%${w.replace(/[\\%_]/g, '\\$&')}%`;
  const { rows } = await sql<{ article_id: string; matches: number }>`
    select article_id, max(${sql.join(words.map((w) => sql`(case when title ilike ${like(w)} then 2 when body ilike ${like(w)} then 1 else 0 end)`), sql` + `)})::int as matches
    from kb_article_translations
    where account_id = ${accountId} and status = 'published' and (${sql.join(words.map((w) => sql`title ilike ${like(w)} or body ilike ${like(w)}`), sql` or `)})
    group by article_id order by matches desc, article_id limit 3`.execute(db);
  return rows;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const percent = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '–');

interface Outcome {
  label: string | null;
  ranked: string[];
  top: number;
  ms: number;
}

function summarise(name: string, outcomes: Outcome[], answered: (o: Outcome) => boolean) {
  const answerable = outcomes.filter((o) => o.label);
  const none = outcomes.filter((o) => !o.label);
  const hit1 = answerable.filter((o) => o.ranked[0] === o.label).length;
  const hit3 = answerable.filter((o) => o.ranked.slice(0, 3).includes(o.label!)).length;
  const noneRight = none.filter((o) => !answered(o)).length;
  // What the bot would do: answer with the top article when confident, else hand over.
  const botRight = outcomes.filter((o) => (o.label ? answered(o) && o.ranked[0] === o.label : !answered(o))).length;
  const wrongAnswers = answerable.filter((o) => answered(o) && o.ranked[0] !== o.label).length + none.filter(answered).length;
  return {
    method: name,
    'hit@1': percent(hit1, answerable.length),
    'hit@3': percent(hit3, answerable.length),
    'no article → person': percent(noneRight, none.length),
    'bot right': percent(botRight, outcomes.length),
    'bot answered wrongly': percent(wrongAnswers, outcomes.length),
    'p50 ms': pct(outcomes.map((o) => o.ms), 50).toFixed(1),
    'p95 ms': pct(outcomes.map((o) => o.ms), 95).toFixed(1),
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-kb-'));
  const database = pgServer ? await freshDatabaseUrl(pgServer) : { url: undefined, drop: async () => {} };
  const config = { ...loadConfig({ RAPPORT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RAPPORT_SEED_DEMO: 'false' }), databaseUrl: database.url };
  const handle = await openDatabase(config);
  const db = withPlugin(handle.db, new TenantGuardPlugin());
  try {
    await migrate(db);
    const articles = readArticles();
    const questions = SETS.flatMap((s) => readQuestions(s));
    const account = await db.insertInto('accounts').values({ name: 'Velora' }).returning('id').executeTakeFirstOrThrow();
    const ids = await load(db, account.id, articles);
    const byId = new Map([...ids].map(([data, db]) => [db, data]));
    const english = articles.filter((a) => a.locale === 'en').length;

    const run = async (accountId: string, search: (q: Question) => Promise<Array<{ id: string; score: number }>>): Promise<Outcome[]> => {
      for (const q of questions.slice(0, 10)) await search(q); // warm-up (plans, caches)
      const out: Outcome[] = [];
      for (const q of questions) {
        const started = performance.now();
        const hits = await search(q);
        out.push({ label: q.article, ranked: hits.map((h) => byId.get(h.id) ?? h.id), top: hits[0]?.score ?? 0, ms: performance.now() - started });
      }
      return out;
    };
    const retrieval = (accountId: string) => (q: Question) => findArticles(db, accountId, { q: q.q, locale: q.locale, audience: 'public', limit: 3 }).then((hs) => hs.map((h) => ({ id: h.article_id, score: h.score })));
    const ours = await run(account.id, retrieval(account.id));
    const baseline = await run(account.id, (q) => ilikeSearch(db, account.id, q.q).then((hs) => hs.map((h) => ({ id: h.article_id, score: h.matches }))));

    console.log(`\nKnowledge base answers — ${SET === 'test' ? 'TEST questions (figures to report; never tuned on)' : `DEV questions (${SETS.join(' + ')}; the sets tuning uses)`}, ${engine}`);
    console.log(`${english} articles (${articles.length - english} German translations), ${questions.length} questions (${questions.filter((q) => !q.article).length} that no article answers, ${questions.filter((q) => q.locale === 'de').length} in German); typo correction: ${TUNING.correction}; threshold ${ANSWER_THRESHOLD}\n`);
    console.table([
      summarise('findArticles (ranked retrieval)', ours, (o) => o.top >= ANSWER_THRESHOLD),
      // The keyword search has no score to trust: it "answers" whenever a word matched.
      summarise('baseline: ILIKE keywords', baseline, (o) => o.ranked.length > 0),
    ]);
    const de = (xs: Outcome[]) => xs.filter((_, i) => questions[i]!.locale === 'de');
    console.table([summarise('findArticles, German questions', de(ours), (o) => o.top >= ANSWER_THRESHOLD), summarise('ILIKE, German questions', de(baseline), (o) => o.ranked.length > 0)]);

    if (SET === 'dev') {
      const sweep = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5].map((th) => {
        const r = summarise(`threshold ${th}`, ours, (o) => o.top >= th);
        return { threshold: th, 'no article → person': r['no article → person'], 'bot right': r['bot right'], 'bot answered wrongly': r['bot answered wrongly'] };
      });
      console.table(sweep);
      const misses = ours.map((o, i) => ({ o, q: questions[i]! })).filter(({ o }) => o.label && !o.ranked.slice(0, 3).includes(o.label));
      console.log('dev misses (hit@3):');
      for (const { o, q } of misses) console.log(`  ${q.locale} ${JSON.stringify(q.q)} → want ${q.article}, got ${o.ranked.join(', ')} (${o.top})`);
    }

    // Timing with the workspace grown to LARGE articles (filler made of the set's own sentences).
    if (LARGE > english) {
      await loadFiller(db, account.id, articles, LARGE - english);
      const large = await run(account.id, retrieval(account.id));
      console.log(`\nTime per question (findArticles), ${engine}:`);
      console.table([
        { articles: english, 'p50 ms': pct(ours.map((o) => o.ms), 50).toFixed(1), 'p95 ms': pct(ours.map((o) => o.ms), 95).toFixed(1) },
        { articles: LARGE, 'p50 ms': pct(large.map((o) => o.ms), 50).toFixed(1), 'p95 ms': pct(large.map((o) => o.ms), 95).toFixed(1) },
      ]);
      const inSet = summarise('findArticles at size', large, (o) => o.top >= ANSWER_THRESHOLD);
      console.log(`quality with ${LARGE} articles (filler never labelled): hit@1 ${inSet['hit@1']}, hit@3 ${inSet['hit@3']}`);
    }
  } finally {
    await handle.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

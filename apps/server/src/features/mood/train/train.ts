/**
 * Trains the built-in mood model from bench/data/mood/train.jsonl and writes
 * apps/server/src/features/mood/mood-model.json. First it cross-validates (5 folds over the same
 * data) and prints accuracy and per-class recall, so a change to the features or the options is
 * judged on data the model did not see, without touching any held-out test set.
 *
 *   npm run mood:train            cross-validate, then train on everything and write the model
 *   npm run mood:train -- --cv    cross-validate only
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MOODS, loadModel, moodScores, type Mood } from '../model.js';
import { DEFAULT_OPTIONS, train, type Example } from './logistic.js';

const DATA = fileURLToPath(new URL('../../../../../../bench/data/mood/train.jsonl', import.meta.url));
const OUT = fileURLToPath(new URL('../mood-model.json', import.meta.url));

export function readExamples(file: string): Example[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Example);
}

function predict(model: ReturnType<typeof loadModel>, text: string): Mood {
  const p = moodScores(text, model);
  return MOODS.reduce((best, m) => (p[m] > p[best] ? m : best), 'neutral' as Mood);
}

function crossValidate(examples: Example[], folds = 5) {
  const hits = { total: 0 } as Record<string, number>;
  const seen = {} as Record<string, number>;
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const test = examples.filter((_, i) => i % folds === f);
    const model = loadModel(train(examples.filter((_, i) => i % folds !== f), MOODS));
    for (const e of test) {
      seen[e.mood] = (seen[e.mood] ?? 0) + 1;
      if (predict(model, e.text) === e.mood) {
        correct++;
        hits[e.mood] = (hits[e.mood] ?? 0) + 1;
      }
    }
  }
  console.log(`${folds}-fold cross-validation on ${examples.length} messages: accuracy ${((100 * correct) / examples.length).toFixed(1)}%`);
  for (const m of MOODS) console.log(`  recall ${m.padEnd(10)} ${((100 * (hits[m] ?? 0)) / (seen[m] ?? 1)).toFixed(1)}%  (${seen[m] ?? 0})`);
}

const examples = readExamples(DATA);
crossValidate(examples);
if (!process.argv.includes('--cv')) {
  const model = train(examples, MOODS, DEFAULT_OPTIONS);
  writeFileSync(OUT, JSON.stringify(model) + '\n');
  console.log(`wrote ${OUT}: ${model.features.split('\n').length} features`);
}

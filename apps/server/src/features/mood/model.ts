/**
 * The built-in mood model: a multinomial logistic regression over the features of features.ts,
 * trained offline by train/train.ts from bench/data/mood/train.jsonl. Its weights are the committed
 * mood-model.json; nothing is downloaded, and classifying is a few map look-ups per word.
 */
import stored from './mood-model.json' with { type: 'json' };
import { featuresOf } from './features.js';
import { detectLanguage } from './language.js';

export const MOODS = ['angry', 'frustrated', 'neutral', 'happy'] as const;
export type Mood = (typeof MOODS)[number];

/** The stored model: feature names one per line, and their weights class by class. */
export interface MoodModelFile {
  version: 1;
  classes: string[];
  features: string;
  weights: number[];
}

export interface MoodModel {
  classes: readonly Mood[];
  index: Map<string, number>;
  weights: Float32Array;
}

export function loadModel(file: MoodModelFile): MoodModel {
  const names = file.features ? file.features.split('\n') : [];
  if (names.length * file.classes.length !== file.weights.length) throw new Error('mood model: weights do not match its features');
  for (const c of file.classes) if (!(MOODS as readonly string[]).includes(c)) throw new Error(`mood model: unknown class ${c}`);
  return { classes: file.classes as Mood[], index: new Map(names.map((n, i) => [n, i])), weights: Float32Array.from(file.weights) };
}

let builtIn: MoodModel | undefined;
/** The committed model, read once on first use. */
export const builtInModel = (): MoodModel => (builtIn ??= loadModel(stored as MoodModelFile));

/** How sure the model is of each mood, summing to 1. */
export function moodScores(text: string, model: MoodModel = builtInModel()): Record<Mood, number> {
  const K = model.classes.length;
  const scores = new Array<number>(K).fill(0);
  for (const [name, value] of featuresOf(text)) {
    const i = model.index.get(name);
    if (i === undefined) continue;
    for (let k = 0; k < K; k++) scores[k] += value * model.weights[i * K + k];
  }
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const out = { angry: 0, frustrated: 0, neutral: 0, happy: 0 } as Record<Mood, number>;
  model.classes.forEach((c, k) => (out[c] = exp[k] / sum));
  return out;
}

/**
 * Sentiment from -1 (angry) to 1 (happy), read off the mood probabilities: frustration counts half
 * as negative as anger, neutral nothing. One number the list can sort and average by.
 */
export function sentimentOf(p: Record<Mood, number>): number {
  const s = p.happy - p.angry - 0.5 * p.frustrated;
  return Math.round(Math.max(-1, Math.min(1, s)) * 100) / 100;
}

export interface MoodReading {
  mood: Mood;
  /** -1 (angry) … 1 (happy). */
  sentiment: number;
  /** ISO 639-1, or null when the text is too short or unlike any language known. */
  language: string | null;
}

/** The mood, sentiment and language of a customer's text. */
export function readMood(text: string, model: MoodModel = builtInModel()): MoodReading {
  const p = moodScores(text, model);
  let mood: Mood = 'neutral';
  for (const m of MOODS) if (p[m] > p[mood]) mood = m;
  return { mood, sentiment: sentimentOf(p), language: detectLanguage(text) };
}

// Checks the evaluation data and prints its counts: every question's article exists (in the
// question's language too), every line parses, the labels are the allowed ones.
// Usage: node bench/data/check.mjs
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const problems = [];

const articlesDir = join(here, 'kb', 'articles');
const locales = new Map(); // id -> Set(locale)
for (const file of readdirSync(articlesDir).filter((f) => f.endsWith('.md'))) {
  const text = readFileSync(join(articlesDir, file), 'utf8');
  const fm = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!fm) { problems.push(`${file}: no front matter`); continue; }
  const field = (name) => new RegExp(`^${name}: (.+)$`, 'm').exec(fm[1])?.[1]?.trim();
  const id = field('id'), locale = field('locale');
  for (const name of ['id', 'title', 'locale', 'category', 'section']) if (!field(name)) problems.push(`${file}: no ${name}`);
  if (file !== (locale === 'en' ? `${id}.md` : `${id}.${locale}.md`)) problems.push(`${file}: name does not match id/locale`);
  const words = fm[2].split(/\s+/).filter(Boolean).length;
  if (words < 120 || words > 400) problems.push(`${file}: ${words} words`);
  if (!locales.has(id)) locales.set(id, new Set());
  locales.get(id).add(locale);
}
const translated = [...locales.values()].filter((s) => s.size > 1 && s.has('en')).length;
const english = [...locales.values()].filter((s) => s.has('en')).length;
console.log(`articles: ${english} in English, ${translated} also in German, ${[...locales.values()].reduce((n, s) => n + s.size, 0)} files`);

function readJsonl(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
    try { return JSON.parse(line); } catch { problems.push(`${path}:${i + 1}: not JSON`); return {}; }
  });
}

const seen = new Map();
for (const set of ['dev', 'test']) {
  const rows = readJsonl(join(here, 'kb', `questions.${set}.jsonl`));
  if (!rows.length) continue;
  const byLocale = {};
  let unanswered = 0;
  const used = new Set();
  rows.forEach((r, i) => {
    const where = `questions.${set}.jsonl:${i + 1}`;
    if (typeof r.q !== 'string' || !r.q.trim()) problems.push(`${where}: no q`);
    if (!['en', 'de'].includes(r.locale)) problems.push(`${where}: locale ${r.locale}`);
    byLocale[r.locale] = (byLocale[r.locale] ?? 0) + 1;
    if (r.article === null) unanswered++;
    else if (!locales.has(r.article)) problems.push(`${where}: unknown article ${r.article}`);
    else if (!locales.get(r.article).has(r.locale)) problems.push(`${where}: ${r.article} has no ${r.locale} version`);
    else used.add(r.article);
    const key = String(r.q).toLowerCase().trim();
    if (seen.has(key)) problems.push(`${where}: same question as ${seen.get(key)}`);
    seen.set(key, where);
  });
  console.log(`questions.${set}: ${rows.length} (${Object.entries(byLocale).map(([l, n]) => `${l} ${n}`).join(', ')}), ${unanswered} unanswered, ${rows.length - unanswered} answerable about ${used.size} articles`);
}

const moods = ['angry', 'frustrated', 'neutral', 'happy'];
const moodTexts = new Set();
for (const set of ['dev', 'test']) {
  const mood = readJsonl(join(here, 'mood', `${set}.jsonl`));
  if (!mood.length) continue;
  const byMood = Object.fromEntries(moods.map((m) => [m, 0]));
  const byLanguage = {};
  mood.forEach((r, i) => {
    const where = `mood/${set}.jsonl:${i + 1}`;
    if (!moods.includes(r.mood)) problems.push(`${where}: mood ${r.mood}`);
    else byMood[r.mood]++;
    if (typeof r.text !== 'string' || !r.text.trim()) problems.push(`${where}: no text`);
    if (typeof r.language !== 'string' || !/^[a-z]{2}$/.test(r.language)) problems.push(`${where}: language ${r.language}`);
    byLanguage[r.language] = (byLanguage[r.language] ?? 0) + 1;
    if (moodTexts.has(r.text)) problems.push(`${where}: duplicate text`);
    moodTexts.add(r.text);
  });
  const pct = (n) => `${n} (${Math.round((100 * n) / mood.length)}%)`;
  console.log(`mood.${set}: ${mood.length} messages; ${moods.map((m) => `${m} ${pct(byMood[m])}`).join(', ')}`);
  console.log(`mood.${set} languages: ${Object.entries(byLanguage).sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${pct(n)}`).join(', ')}`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('all labels check out');

/**
 * Transfer size of the website chat widget: the loader every page of a customer's site loads, and
 * everything the chat frame loads before its first message (frame.html, its scripts and styles),
 * beside Preact itself bundled the same way in the same run (an empty render with hooks).
 * Exits with 1 when a budget is exceeded.
 * Run: npm run build:widget && npx tsx bench/widget-size.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'widget');
const KB = 1024;
const LOADER_BUDGET = 5 * KB;
const FRAME_BUDGET = 35 * KB;

interface Row {
  name: string;
  raw: number;
  gzip: number;
  brotli: number;
}

function measure(name: string, bytes: Buffer): Row {
  return {
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const sum = (name: string, rows: Row[]): Row => ({ name, raw: rows.reduce((a, r) => a + r.raw, 0), gzip: rows.reduce((a, r) => a + r.gzip, 0), brotli: rows.reduce((a, r) => a + r.brotli, 0) });

/** dist/widget path of a URL under /widget/. */
const fileOf = (url: string) => path.join(dist, url.replace(/^\/widget\//, '').replace(/^\.\//, ''));

/** frame.html and what it pulls in before any script runs: scripts, preloads, stylesheets, and the scripts' static imports. */
function frameFiles(): Row[] {
  const html = fs.readFileSync(path.join(dist, 'frame.html'), 'utf8');
  const rows = [measure('frame.html', Buffer.from(html))];
  const queue: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) queue.push(fileOf(m[1]));
  for (const m of html.matchAll(/<link[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"|<link[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g)) queue.push(fileOf(m[1] ?? m[2]));
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const bytes = fs.readFileSync(file);
    rows.push(measure(path.relative(dist, file), bytes));
    if (file.endsWith('.js')) {
      // Static imports only (import … from "./x.js" / import "./x.js"); dynamic import() loads later.
      for (const m of bytes.toString('utf8').matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) queue.push(path.resolve(path.dirname(file), m[1]));
    }
  }
  return rows;
}

/** Preact with hooks and an empty render, bundled and minified like the frame. */
async function preactBaseline(): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-preact-baseline-'));
  try {
    const entry = path.join(dir, 'entry.js');
    fs.writeFileSync(
      entry,
      "import { h, render } from 'preact';\nimport { useState } from 'preact/hooks';\n" +
        "function App() { const [n, set] = useState(0); return h('button', { onClick: () => set(n + 1) }, String(n)); }\n" +
        "render(h(App, null), document.body);\n",
    );
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      root: dir,
      resolve: { alias: { preact: path.join(root, 'node_modules', 'preact') } },
      build: { write: false, target: 'es2020', modulePreload: { polyfill: false }, rolldownOptions: { input: entry } },
    });
    const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string }[] }[];
    const code = outputs.flatMap((o) => o.output).filter((c) => c.type === 'chunk').map((c) => c.code ?? '').join('\n');
    return measure('baseline: Preact + hooks, empty render', Buffer.from(code));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!fs.existsSync(path.join(dist, 'widget.js')) || !fs.existsSync(path.join(dist, 'frame.html'))) {
  console.error('dist/widget is missing: run `npm run build:widget` first.');
  process.exit(1);
}

const loader = measure('widget.js (loader)', fs.readFileSync(path.join(dist, 'widget.js')));
const frame = frameFiles();
const frameTotal = sum('frame before first message', frame);
const baseline = await preactBaseline();

const kb = (n: number) => `${(n / KB).toFixed(2)} KB`;
const line = (r: Row, note = '') => `${r.name.padEnd(44)} ${kb(r.raw).padStart(10)} ${kb(r.gzip).padStart(10)} ${kb(r.brotli).padStart(10)}  ${note}`;
console.log(`${'file'.padEnd(44)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)} ${'brotli'.padStart(10)}`);
console.log(line(loader, `budget ${kb(LOADER_BUDGET)} gzip: ${loader.gzip <= LOADER_BUDGET ? 'ok' : 'OVER'}`));
for (const r of frame) console.log(line({ ...r, name: `  ${r.name}` }));
console.log(line(frameTotal, `budget ${kb(FRAME_BUDGET)} gzip: ${frameTotal.gzip <= FRAME_BUDGET ? 'ok' : 'OVER'}`));
console.log(line(baseline));
console.log(`\nThe frame is ${(frameTotal.gzip / baseline.gzip).toFixed(1)}× Preact alone; the widget's own code and styles add ${kb(frameTotal.gzip - baseline.gzip)} gzip.`);
console.log(`A site visitor who never opens the chat downloads ${kb(loader.gzip + frameTotal.gzip)} gzip in all (loader + frame), after the page has loaded.`);

if (loader.gzip > LOADER_BUDGET || frameTotal.gzip > FRAME_BUDGET) process.exit(1);

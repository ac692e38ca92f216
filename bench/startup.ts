/**
 * Start-up time and idle memory of `rapport start` on the embedded database, beside a bare
 * Fastify server and a bare PGlite open measured in the same run on the same machine.
 * Run: npm run build && npx tsx bench/startup.ts
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

interface Sample {
  name: string;
  readyMs: number;
  idleRssMb: number;
}

async function measure(name: string, args: string[], env: Record<string, string>, readyUrl: string): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (;;) {
    try {
      if ((await fetch(readyUrl)).ok) break;
    } catch {
      /* not yet */
    }
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 3000)); // idle
  const idleRssMb = rssOf(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { name, readyMs, idleRssMb };
}

const bareFastify = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/readyz', async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;
const barePglite = `
import Fastify from 'fastify';
import { PGlite } from '@electric-sql/pglite';
const pg = await PGlite.create(process.env.DIR);
await pg.query('select 1');
const app = Fastify();
app.get('/readyz', async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => pg.close()).then(() => process.exit(0)));
`;

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(root, 'dist/server/cli.js'))) throw new Error('run `npm run build` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-'));
  const fastifyFile = path.join(root, 'bench/.bare-fastify.mjs');
  const pgliteFile = path.join(root, 'bench/.bare-pglite.mjs');
  fs.writeFileSync(fastifyFile, bareFastify);
  fs.writeFileSync(pgliteFile, barePglite);
  const port = '3977';
  const url = `http://127.0.0.1:${port}/readyz`;
  const env = { PORT: port, HOST: '127.0.0.1', RAPPORT_DATA_DIR: path.join(tmp, 'data'), LOG_LEVEL: 'warn', DIR: path.join(tmp, 'bare') };
  try {
    const rows: Sample[] = [];
    rows.push(await measure('baseline: bare Fastify', [fastifyFile], env, url));
    await measure('(bare PGlite first open)', [pgliteFile], env, url);
    rows.push(await measure('baseline: Fastify + warm PGlite open', [pgliteFile], env, url));
    rows.push(await measure('rapport start, first (initdb, migrate, seed)', ['bin/rapport.js', 'start'], env, url));
    for (let i = 1; i <= 3; i++) rows.push(await measure(`rapport start, warm #${i}`, ['bin/rapport.js', 'start'], env, url));
    console.log('\n| process | ready (ms) | idle RSS (MB) |\n|---|---:|---:|');
    for (const r of rows) console.log(`| ${r.name} | ${r.readyMs.toFixed(0)} | ${r.idleRssMb.toFixed(0)} |`);
    const warm = rows.filter((r) => r.name.includes('warm #')).map((r) => r.readyMs).sort((a, b) => a - b);
    const base = rows.find((r) => r.name.includes('warm PGlite'))!;
    console.log(`\nwarm start median ${warm[1].toFixed(0)} ms (target < 5000 ms); ${(warm[1] - base.readyMs).toFixed(0)} ms above a bare Fastify + PGlite open`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(fastifyFile, { force: true });
    fs.rmSync(pgliteFile, { force: true });
  }
}

await main();

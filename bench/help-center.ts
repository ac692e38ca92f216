/**
 * The public help center under load: 50 readers at once, each asking for its next page as soon as
 * the last one arrived, over keep-alive connections to a real listening server on the embedded
 * database with the Velora help center (70 articles, English and German). Measured: p50/p95/p99
 * per page kind — home, article, search results — with the page cache on and off, beside a
 * baseline in the same run: a bare Fastify route answering a fixed page of the same size.
 *
 * Run: npm run bench:help-center [-- --requests 2000 --readers 50].
 * BENCH_DATABASE_URL runs it on a PostgreSQL server instead of PGlite.
 */
import { freshDatabaseUrl } from '../apps/server/test/databases.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { build } from '../apps/server/src/app.js';
import { loadConfig, type Config } from '../apps/server/src/core/config.js';
import { createLimiters, type AppContext } from '../apps/server/src/core/context.js';
import { secretBox } from '../apps/server/src/core/crypto-box.js';
import { openDatabase, withPlugin } from '../apps/server/src/core/db/index.js';
import { migrate } from '../apps/server/src/core/db/migrate.js';
import { TenantGuardPlugin, scoped } from '../apps/server/src/core/db/tenant.js';
import { inProcessBus } from '../apps/server/src/core/bus.js';
import { createOutbox } from '../apps/server/src/core/outbox.js';
import { createJobs } from '../apps/server/src/core/jobs.js';
import { helpCenterOf } from '../apps/server/src/features/kb/help-center-address.js';
import { HELP_CENTER_CACHE, HELP_CENTER_LIMITS } from '../apps/server/src/features/help-center/pages.routes.js';
import { load, readArticles, readQuestions } from './kb-data.js';

const { values: argv } = parseArgs({ options: { requests: { type: 'string' }, readers: { type: 'string' } } });
const REQUESTS = Number(argv.requests ?? 2000);
const READERS = Number(argv.readers ?? 50);
const pgServer = process.env.BENCH_DATABASE_URL || undefined;
const engine = pgServer ? 'PostgreSQL' : 'PGlite (embedded)';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** READERS concurrent loops over keep-alive connections until REQUESTS answers; every answer must be 200. */
async function load50(port: number, paths: string[]): Promise<{ times: number[]; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: READERS });
  const get = (p: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = http.get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${p}: ${res.statusCode}`))));
      });
      req.on('error', reject);
    });
  for (const p of paths.slice(0, 200)) await get(p); // warm-up: each page once (so the cached rows measure cached pages)
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        times.push(await get(paths[i % paths.length]!));
      }
    }),
  );
  agent.destroy();
  return { times, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-hc-'));
  const database = pgServer ? await freshDatabaseUrl(pgServer) : { url: undefined, drop: async () => {} };
  const config: Config = { ...loadConfig({ RAPPORT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RAPPORT_SEED_DEMO: 'false' }), databaseUrl: database.url };
  const handle = await openDatabase(config);
  const db = withPlugin(handle.db, new TenantGuardPlugin());
  const bus = inProcessBus();
  const ctx: AppContext = { config, db, redis: undefined, bus, outbox: createOutbox(db, bus), jobs: createJobs(db), box: secretBox(randomBytes(32).toString('base64url')), limiters: createLimiters(config) };
  // Every reader comes from 127.0.0.1 here: the per-reader limits would stop the load, not measure it.
  Object.assign(HELP_CENTER_LIMITS, { searchesPerIpPerMinute: 1e9, searchesPerWorkspacePerMinute: 1e9, suggestionsPerIpPerMinute: 1e9 });
  const rows: Array<Record<string, string | number>> = [];
  try {
    await migrate(db);
    const account = await db.insertInto('accounts').values({ name: 'Velora' }).returning('id').executeTakeFirstOrThrow();
    const articles = readArticles();
    const ids = await load(db, account.id, articles);
    await helpCenterOf(db, account.id);
    await scoped(db, account.id).updateTable('help_centers').set({ slug: 'velora', locales: ['en', 'de'] }).execute();
    const translations = await scoped(db, account.id).selectFrom('kb_article_translations').select(['article_id', 'locale', 'slug']).execute();
    const pages = {
      home: ['/help/velora/en/', '/help/velora/de/'],
      article: translations.map((t) => `/help/velora/${t.locale}/articles/${t.article_id}-${t.slug}`),
      search: readQuestions('dev').map((q) => `/help/velora/${q.locale}/search?q=${encodeURIComponent(q.q)}`),
    };
    console.log(`Help center under load — ${engine}, ${ids.size} articles (${translations.length} translations), ${READERS} readers at once, ${REQUESTS} requests per row\n`);

    // Baseline: the same client against a bare route with a fixed page of an article page's size.
    const sample = (await (async () => {
      const app = await build(ctx, { logger: false });
      const res = await app.inject({ method: 'GET', url: pages.article[0]! });
      await app.close();
      return res.body;
    })());
    const bare = Fastify({ logger: false });
    bare.get('/page', async (_req, reply) => reply.type('text/html; charset=utf-8').send(sample));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const baseline = await load50((bare.server.address() as { port: number }).port, ['/page']);
    rows.push({ page: 'baseline: bare Fastify, fixed page', cache: '–', 'p50 ms': pct(baseline.times, 50).toFixed(1), 'p95 ms': pct(baseline.times, 95).toFixed(1), 'p99 ms': pct(baseline.times, 99).toFixed(1), 'req/s': Math.round(REQUESTS / baseline.seconds) });
    await bare.close();

    for (const cached of [true, false]) {
      HELP_CENTER_CACHE.maxEntries = cached ? 2000 : 0;
      const app = await build(ctx, { logger: false });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as { port: number }).port;
      for (const [kind, paths] of Object.entries(pages)) {
        if (kind === 'search' && !cached) continue; // search results are never cached: one row says it
        const r = await load50(port, paths);
        rows.push({ page: kind === 'search' ? 'search results (never cached)' : kind, cache: kind === 'search' ? '–' : cached ? 'on' : 'off', 'p50 ms': pct(r.times, 50).toFixed(1), 'p95 ms': pct(r.times, 95).toFixed(1), 'p99 ms': pct(r.times, 99).toFixed(1), 'req/s': Math.round(REQUESTS / r.seconds) });
      }
      await app.close();
    }
    console.table(rows);
  } finally {
    await handle.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

/**
 * The SLA work of Rapport at the size of a busy support floor: 200 online agents working in ten
 * inboxes, 5,000 open conversations with SLA clocks (some overdue), four policies. It measures
 * p50/p95 of (1) the SLA work one change costs — match the policy, compute the due and warning
 * times, write the clock, queue its timer job, in one transaction as the reactor runs it — the same
 * when the change moved nothing the clock reads, and (2) the scan for clocks whose warning or due time has passed (the sweep behind the timers),
 * each beside a baseline measured in the same run: a bare indexed SELECT of one conversation.
 * Also shown: the agents' conversation list sorted by SLA due time (one join).
 *
 * Run: npm run bench:sla. Embedded database (PGlite) by default; set BENCH_DATABASE_URL to a
 * PostgreSQL server to run there (a fresh database is created for the run and dropped after).
 */
import { freshDatabaseUrl } from '../apps/server/test/databases.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig, type Config } from '../apps/server/src/core/config.js';
import { createLimiters, type AppContext } from '../apps/server/src/core/context.js';
import { secretBox } from '../apps/server/src/core/crypto-box.js';
import { openDatabase, withPlugin, type DatabaseHandle } from '../apps/server/src/core/db/index.js';
import { migrate } from '../apps/server/src/core/db/migrate.js';
import { TenantGuardPlugin, scoped, unscoped } from '../apps/server/src/core/db/tenant.js';
import { inProcessBus } from '../apps/server/src/core/bus.js';
import { createOutbox } from '../apps/server/src/core/outbox.js';
import { createJobs } from '../apps/server/src/core/jobs.js';
import { applySla } from '../apps/server/src/features/sla/apply-sla.js';
import { overdueClocks } from '../apps/server/src/features/sla/sla.jobs.js';
import { conversations } from '../apps/server/src/features/conversations/conversations.queries.js';
// Type-only: the Fastify augmentations the server's app.ts brings into its program.
import type {} from '@fastify/cookie';
import type {} from '@fastify/swagger';

const { values: argv } = parseArgs({ options: { conversations: { type: 'string' }, agents: { type: 'string' }, samples: { type: 'string' } } });
const CONVERSATIONS = Number(argv.conversations ?? 5000);
const AGENTS = Number(argv.agents ?? 200);
const SAMPLES = Number(argv.samples ?? 300);
const INBOXES = 10;
const TARGET_MS = 10;
const pgServer = process.env.BENCH_DATABASE_URL || undefined;
const engine = pgServer ? 'PostgreSQL' : 'PGlite (embedded)';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(30, n); i++) await fn(i); // warm-up (plans, caches)
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function startContext(dataDir: string, databaseUrl: string | undefined): Promise<{ ctx: AppContext; handle: DatabaseHandle; close(): Promise<void> }> {
  const config: Config = { ...loadConfig({ RAPPORT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RAPPORT_SEED_DEMO: 'false' }), databaseUrl };
  const handle = await openDatabase(config);
  const db = withPlugin(handle.db, new TenantGuardPlugin());
  const bus = inProcessBus();
  const ctx: AppContext = { config, db, redis: undefined, bus, outbox: createOutbox(db, bus), jobs: createJobs(db), box: secretBox(randomBytes(32).toString('base64url')), limiters: createLimiters(config) };
  await migrate(ctx.db);
  await ctx.jobs.start();
  return {
    ctx,
    handle,
    async close() {
      await ctx.jobs.stop();
      await bus.close();
      await handle.close();
    },
  };
}

/** One workspace at size, written in a few set-based statements. */
async function seed(ctx: AppContext): Promise<{ accountId: string; agentId: string; ids: string[] }> {
  const db = unscoped(ctx.db);
  const { id: accountId } = await db.insertInto('accounts').values({ name: 'Bench' }).returning('id').executeTakeFirstOrThrow();
  await sql`insert into users (email, password_hash, name) select 'agent' || g || '@bench.example', 'x', 'Agent ' || g from generate_series(1, ${AGENTS}) g`.execute(ctx.db);
  await sql`insert into memberships (account_id, user_id, role, availability, last_active_at) select ${accountId}, id, 'agent', 'online', now() from users where email like '%@bench.example'`.execute(ctx.db);
  await sql`insert into inboxes (account_id, name, channel) select ${accountId}, 'Inbox ' || g, 'api' from generate_series(1, ${INBOXES}) g`.execute(ctx.db);
  await sql`insert into inbox_members (account_id, inbox_id, user_id) select ${accountId}, i.id, m.user_id from inboxes i cross join memberships m where i.account_id = ${accountId} and m.account_id = ${accountId}`.execute(ctx.db);
  await sql`insert into contacts (account_id, name, email, company) select ${accountId}, 'Customer ' || g, 'c' || g || '@customer.example', case when g % 7 = 0 then 'Acme' else null end from generate_series(1, ${CONVERSATIONS}) g`.execute(ctx.db);
  await sql`
    insert into conversations (account_id, inbox_id, contact_id, status, priority, tags, created_at, waiting_since, last_message_at)
    select ${accountId}, (select id from inboxes where account_id = ${accountId} order by name offset (c.n % ${INBOXES}) limit 1), c.id, 'open',
      (array['low','normal','normal','high','urgent'])[1 + c.n % 5],
      case when c.n % 11 = 0 then array['vip'] else array[]::text[] end,
      now() - ((c.n % 600) || ' minutes')::interval, now() - ((c.n % 600) || ' minutes')::interval, now() - ((c.n % 600) || ' minutes')::interval
    from (select id, row_number() over (order by created_at, id) as n from contacts where account_id = ${accountId}) c`.execute(ctx.db);
  const ws = scoped(ctx.db, accountId);
  const policy = (name: string, position: number, extra: Record<string, unknown>) => ws.insertInto('sla_policies', { name, position, business_hours: false, warning_percent: 80, ...extra }).execute();
  await policy('Urgent', 0, { priorities: ['urgent'], first_response_minutes: 15, next_response_minutes: 15, resolution_minutes: 240 });
  await policy('VIP', 1, { tags: ['vip'], first_response_minutes: 30, next_response_minutes: 30, resolution_minutes: 480 });
  await policy('Acme', 2, { companies: ['Acme'], first_response_minutes: 60, resolution_minutes: 960 });
  await policy('Standard', 3, { first_response_minutes: 240, next_response_minutes: 240, resolution_minutes: 2880 });
  const ids = (await ws.selectFrom('conversations').select('id').execute()).map((r) => r.id);
  const agent = await ws.selectFrom('memberships').select('user_id').limit(1).executeTakeFirstOrThrow();
  return { accountId, agentId: agent.user_id, ids };
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-sla-bench-'));
  const { url: dbUrl, drop: dropDb } = await freshDatabaseUrl(pgServer, 'rapport_bench');
  const bench = await startContext(tmp, dbUrl);
  try {
    const { ctx } = bench;
    console.error(`engine ${engine}; ${AGENTS} online agents, ${INBOXES} inboxes, ${CONVERSATIONS} open conversations, ${SAMPLES} samples each (${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)})`);
    const { accountId, agentId, ids } = await seed(ctx);
    const started = performance.now();
    for (const id of ids) await ctx.db.transaction().execute((trx) => applySla(trx, ctx, accountId, id));
    console.error(`clocks set for ${ids.length} conversations in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // A clock is checked when it is set, so none is overdue yet: put one in 25 (200) in the past,
    // as a node that was down for a while would find them, so the scan has rows to find.
    await sql`update conversation_slas set next_check_at = now() - interval '1 minute' where conversation_id in (select id from conversations where account_id = ${accountId} order by id limit ${Math.floor(ids.length / 25)})`.execute(ctx.db);
    const overdue = await unscoped(ctx.db).selectFrom('conversation_slas').select(sql<string>`count(*)`.as('n')).where('next_check_at', '<=', sql<Date>`now()`).executeTakeFirstOrThrow();

    const ws = scoped(ctx.db, accountId);
    const pick = (i: number) => ids[(i * 7919) % ids.length];
    const baseline = await time(SAMPLES, (i) => ws.selectFrom('conversations').select(['id', 'status', 'priority']).where('id', '=', pick(i)).executeTakeFirst());
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    const change: number[] = [];
    for (let i = 0; i < SAMPLES + 30; i++) {
      const id = pick(i);
      // The change itself (a new priority) is the writer's; the SLA work that follows it is timed.
      await ws.updateTable('conversations').set({ priority: priorities[i % 4] }).where('id', '=', id).execute();
      const t = performance.now();
      await ctx.db.transaction().execute((trx) => applySla(trx, ctx, accountId, id));
      if (i >= 30) change.push(performance.now() - t);
    }
    // The same work when the change moved nothing the clock reads (a timer, a retime walk, a second
    // customer message): the clock is read and compared, nothing is written.
    const unchanged = await time(SAMPLES, (i) => ctx.db.transaction().execute((trx) => applySla(trx, ctx, accountId, pick(i))));
    const scan = await time(SAMPLES, () => overdueClocks(ctx, 100));
    const viewer = { accountId, userId: agentId, role: 'agent' as const };
    const list = await time(Math.min(SAMPLES, 100), () =>
      conversations(ctx.db, viewer)
        .leftJoin('conversation_slas as sla', (j) => j.onRef('sla.conversation_id', '=', 'conversations.id').onRef('sla.account_id', '=', 'conversations.account_id'))
        .where('conversations.status', '=', 'open')
        .orderBy(sql`coalesce(sla.next_due_at, timestamptz '9999-12-31')`)
        .orderBy('conversations.id')
        .limit(50)
        .execute(),
    );

    const f = (x: number) => x.toFixed(2);
    const b95 = pct(baseline, 95);
    console.log(`\n### SLA (${engine}; ${AGENTS} online agents, ${CONVERSATIONS} open conversations, ${overdue.n} overdue clocks)\n`);
    console.log('| measure | p50 ms | p95 ms | baseline p95 ms | target | result |');
    console.log('|---|---|---|---|---|---|');
    console.log(`| baseline: bare indexed SELECT of one conversation | ${f(pct(baseline, 50))} | ${f(b95)} | | | |`);
    console.log(`| SLA work per change (match policy + due times + write clock + queue timer job, one transaction) | ${f(pct(change, 50))} | ${f(pct(change, 95))} | ${f(b95)} | p95 < ${TARGET_MS} ms | ${pct(change, 95) < TARGET_MS ? 'PASS' : 'MISS'} |`);
    console.log(`| SLA work when nothing the clock reads changed (read, compare, no write) | ${f(pct(unchanged, 50))} | ${f(pct(unchanged, 95))} | ${f(b95)} | p95 < ${TARGET_MS} ms | ${pct(unchanged, 95) < TARGET_MS ? 'PASS' : 'MISS'} |`);
    console.log(`| scan for overdue clocks (up to 100) | ${f(pct(scan, 50))} | ${f(pct(scan, 95))} | ${f(b95)} | p95 < ${TARGET_MS} ms | ${pct(scan, 95) < TARGET_MS ? 'PASS' : 'MISS'} |`);
    console.log(`| an agent's list, 50 open by SLA due (with the SLA join) | ${f(pct(list, 50))} | ${f(pct(list, 95))} | ${f(b95)} | (shown) | |`);
  } finally {
    await bench.close();
    await dropDb();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

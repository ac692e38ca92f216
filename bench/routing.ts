/**
 * Automatic assignment: milliseconds to assign a new conversation with 200 agents online (the
 * routing lock, the rules, the candidates with their presence, load, capacity and skills, the
 * chooser, and the assignment written as the product writes it: the conversation, its system
 * line, its outbox event, the log row, the cursor), all in one transaction, as the reactor runs
 * it. Beside it, in the same run: a bare single-row UPDATE of the conversation's assignee in its
 * own transaction, the least any assignment costs. Target: p95 under 10 ms.
 *
 * Run: npx tsx bench/routing.ts [--rounds N]   (or npm run bench:routing -- --rounds N)
 * Always on PGlite (embedded, on disk in a temporary folder, as the product keeps it); also on
 * PostgreSQL when BENCH_DATABASE_URL (or DATABASE_URL) names a server: a fresh database is created
 * for the run and dropped after.
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
import { TenantGuardPlugin, scoped } from '../apps/server/src/core/db/tenant.js';
import { inProcessBus } from '../apps/server/src/core/bus.js';
import { createOutbox } from '../apps/server/src/core/outbox.js';
import { createJobs } from '../apps/server/src/core/jobs.js';
import { routeConversation } from '../apps/server/src/features/routing/commands/route-conversation.js';
import type { RoutingMode } from '../apps/server/src/core/db/schema.js';
// Type-only: the Fastify augmentations the server's app.ts brings into its program.
import type {} from '@fastify/cookie';
import type {} from '@fastify/swagger';
import type {} from '@fastify/websocket';

const { values: argv } = parseArgs({ options: { rounds: { type: 'string' } } });
const ROUNDS = Number(argv.rounds ?? 300);
if (!Number.isInteger(ROUNDS) || ROUNDS < 20) throw new Error('--rounds must be a whole number ≥ 20');
const AGENTS = 200;
const OPEN_CHATS = 300;
const WARMUP = 30;
const TARGET_MS = 10;
const pgServer = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;

interface Setup {
  ctx: AppContext;
  handle: DatabaseHandle;
  accountId: string;
  inboxId: string;
  contactId: string;
  agentIds: string[];
}

async function open(dataDir: string, databaseUrl: string | undefined): Promise<Setup> {
  const config: Config = { ...loadConfig({ RAPPORT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RAPPORT_SEED_DEMO: 'false' }), databaseUrl };
  const handle = await openDatabase(config);
  const db = withPlugin(handle.db, new TenantGuardPlugin());
  const bus = inProcessBus();
  const ctx: AppContext = { config, db, redis: undefined, bus, outbox: createOutbox(db, bus), jobs: createJobs(db), box: secretBox(randomBytes(32).toString('base64url')), limiters: createLimiters(config) };
  await migrate(ctx.db);

  // A workspace of 200 agents in one live chat inbox, all online, a few with skills, and 300 open
  // chats already spread among them (so every pick weighs real loads).
  const account = await db.insertInto('accounts').values({ name: 'Routing bench' }).returning('id').executeTakeFirstOrThrow();
  const ws = scoped(db, account.id);
  const users = await db
    .insertInto('users')
    .values(Array.from({ length: AGENTS }, (_, i) => ({ email: `agent${i}.${account.id.slice(0, 6)}@bench.example`, name: `Agent ${String(i).padStart(3, '0')}`, password_hash: 'not-a-password' })))
    .returning('id')
    .execute();
  const agentIds = users.map((u) => u.id);
  await ws.insertInto('memberships', agentIds.map((user_id) => ({ user_id, role: 'agent' as const, availability: 'online' as const, last_active_at: new Date() }))).execute();
  const inbox = await ws.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
  await ws.insertInto('inbox_members', agentIds.map((user_id) => ({ inbox_id: inbox.id, user_id }))).execute();
  await ws.insertInto('agent_routing', agentIds.map((user_id, i) => ({ user_id, capacity: JSON.stringify({ chat: 1000 }), skills: i % 10 === 0 ? ['lang:de'] : i % 7 === 0 ? ['product:bikes'] : [] }))).execute();
  const contact = await ws.insertInto('contacts', { name: 'Visitor', attributes: JSON.stringify({ last_context: { language: 'de-DE' } }) }).returning('id').executeTakeFirstOrThrow();
  await ws
    .insertInto('conversations', Array.from({ length: OPEN_CHATS }, (_, i) => ({ inbox_id: inbox.id, contact_id: contact.id, assignee_id: agentIds[(i * 7) % AGENTS] })))
    .execute();
  await ws.insertInto('routing_rules', { inbox_id: inbox.id, mode: 'least_loaded' }).execute();
  return { ctx, handle, accountId: account.id, inboxId: inbox.id, contactId: contact.id, agentIds };
}

async function newConversation(s: Setup): Promise<string> {
  return (await scoped(s.ctx.db, s.accountId).insertInto('conversations', { inbox_id: s.inboxId, contact_id: s.contactId }).returning('id').executeTakeFirstOrThrow()).id;
}

async function timed(s: Setup, rounds: number, step: (id: string, i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Their apps check in (as the realtime heartbeat does), so presence never goes stale mid-run.
    if (i % 20 === 0) await scoped(s.ctx.db, s.accountId).updateTable('memberships').set({ last_active_at: new Date() }).execute();
    const id = await newConversation(s);
    const t0 = performance.now();
    await step(id, i);
    times.push(performance.now() - t0);
    // Put it away so the loads stay where they were.
    await scoped(s.ctx.db, s.accountId).updateTable('conversations').set({ status: 'resolved' }).where('id', '=', id).execute();
  }
  return times;
}

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

interface Row {
  engine: string;
  what: string;
  p50: number;
  p95: number;
  verdict: string;
}

async function measure(engine: string, databaseUrl: string | undefined): Promise<Row[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-routing-bench-'));
  const s = await open(tmp, databaseUrl);
  const setMode = (mode: RoutingMode) => scoped(s.ctx.db, s.accountId).updateTable('routing_rules').set({ mode }).where('inbox_id', '=', s.inboxId).execute();
  const route = async (id: string) => {
    const result = await s.ctx.db.transaction().execute((trx) => routeConversation(trx, s.accountId, id));
    if (!result?.assigneeId) throw new Error(`nobody was assigned: ${JSON.stringify(result)}`);
  };
  const bare = async (id: string, i: number) => {
    await s.ctx.db.transaction().execute((trx) => scoped(trx, s.accountId).updateTable('conversations').set({ assignee_id: s.agentIds[i % AGENTS] }).where('id', '=', id).execute());
  };
  try {
    const rows: Row[] = [];
    console.error(`${engine}: ${AGENTS} agents online, ${OPEN_CHATS} open chats; warm-up ${WARMUP}, then ${ROUNDS} rounds each…`);
    await timed(s, WARMUP, bare);
    const baseline = await timed(s, ROUNDS, bare);
    rows.push({ engine, what: 'baseline: bare UPDATE of the assignee', p50: pct(baseline, 50), p95: pct(baseline, 95), verdict: '—' });
    for (const mode of ['least_loaded', 'round_robin'] as const) {
      await setMode(mode);
      await timed(s, WARMUP, route);
      const times = await timed(s, ROUNDS, route);
      const p95 = pct(times, 95);
      rows.push({ engine, what: `assign a new conversation (${mode.replace('_', ' ')})`, p50: pct(times, 50), p95, verdict: p95 < TARGET_MS ? 'PASS' : 'MISS' });
    }
    // The log says what was decided: one row per routed conversation.
    const logged = await scoped(s.ctx.db, s.accountId).selectFrom('conversation_assignments').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    if (logged.n !== 2 * (ROUNDS + WARMUP)) throw new Error(`expected ${2 * (ROUNDS + WARMUP)} logged assignments, found ${logged.n}`);
    return rows;
  } finally {
    s.ctx.outbox.stop();
    await s.ctx.jobs.stop();
    await s.ctx.bus.close();
    await s.handle.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function onPostgres(): Promise<Row[]> {
  if (!pgServer) return [];
  const db = await freshDatabaseUrl(pgServer, 'rapport_bench');
  try {
    return await measure('PostgreSQL', db.url);
  } finally {
    await db.drop();
  }
}

async function main(): Promise<void> {
  console.error(`${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
  const rows = [...(await measure('PGlite', undefined)), ...(await onPostgres())];
  if (!pgServer) console.error('(set BENCH_DATABASE_URL to measure on PostgreSQL too)');
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const table = [['engine', 'what', 'p50', 'p95', `p95 < ${TARGET_MS} ms`], ...rows.map((r) => [r.engine, r.what, ms(r.p50), ms(r.p95), r.verdict])];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const [i, r] of table.entries()) {
    console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  if (rows.some((r) => r.verdict === 'MISS')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * The inbox list and search on a large workspace: 100,000 conversations and 1,000,000 messages
 * (by default), written with generate_series in a few statements. Then the first page of
 * GET /api/v1/conversations for each filter and sort, and GET /api/v1/search for each tab, are
 * timed through the real app (inject: routing, auth, validation, queries, presenters, JSON),
 * each beside the very same SQL statements replayed straight on the database in the same run.
 * Targets: list p95 ≤ 50 ms, search p95 ≤ 150 ms.
 *
 * Run: npm run bench:search
 * PostgreSQL: BENCH_DATABASE_URL=postgres://… (a fresh database is created and dropped after).
 * Otherwise the embedded PGlite; its generation is slow, so pick a smaller workspace with
 * BENCH_CONVERSATIONS (10 messages each), e.g. BENCH_CONVERSATIONS=20000.
 * BENCH_RUNS sets the timed runs per case (default 40, after 3 warm-ups); BENCH_KEEP=1 keeps the
 * PostgreSQL database (its URL is printed) to look at plans afterwards, and BENCH_REUSE=<that URL>
 * times it again without generating (pending migrations are applied first, so new indexes count).
 * BENCH_EXPLAIN=1 prints each case's statements with EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { scoped } from '../apps/server/src/core/db/tenant.js';
import { makeMember, makeWorkspace, startTestApp, tokenFor, type TestApp } from '../apps/server/test/helpers.js';

const reuse = process.env.BENCH_REUSE || undefined;
const pgServer = reuse ?? (process.env.BENCH_DATABASE_URL || undefined);
if (pgServer && !reuse) process.env.TEST_DATABASE_URL = pgServer;
else delete process.env.TEST_DATABASE_URL;
delete process.env.REDIS_URL;
const engine = pgServer ? 'PostgreSQL' : 'PGlite (embedded)';
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const PER_CONVERSATION = 10;
const CONTACTS = Math.max(1000, Math.round(CONVERSATIONS / 2));
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = 3;
const LIST_TARGET = 50;
const SEARCH_TARGET = 150;

// —— every statement a request sends, recorded at the driver, to replay the same SQL directly ——
type Statement = { text: string; values: unknown[]; on?: PGlite };
let recording: Statement[] | null = null;
/** The embedded database, once a query has shown it. */
let pglite: PGlite | undefined;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording && typeof args[0] === 'string') recording.push({ text: args[0], values: (args[1] as unknown[]) ?? [] });
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;
const pgliteQuery = PGlite.prototype.query;
PGlite.prototype.query = function (this: PGlite, ...args: Parameters<PGlite['query']>) {
  pglite ??= this as PGlite | undefined;
  if (recording) recording.push({ text: args[0], values: (args[1] as unknown[]) ?? [], on: this });
  return pgliteQuery.apply(this, args);
} as typeof PGlite.prototype.query;

// —— words: a few hundred of a support desk's, and made-up ones, drawn with a long tail ——
const COMMON = `order refund delivery parcel invoice payment account password login email address shipping return exchange kettle blender toaster warranty broken damaged missing late tracking number card charge subscription cancel renew upgrade discount coupon price receipt store pickup courier driver weekend monday tuesday friday morning evening please thanks hello help question problem issue update status confirm change size colour blue red green black white small large medium box label package arrived yet still waiting since week days hours support team manager call phone message chat reply answer soon today tomorrow again wrong item replacement repair technician visit appointment schedule bank transfer paypal voucher gift points loyalty member newsletter unsubscribe privacy delete data export app crash error screen button page website checkout basket cart stock available restock preorder backorder`.split(' ');
const syllables = ['ka', 'lo', 'mi', 'ren', 'tus', 'vo', 'bel', 'dra', 'nix', 'por', 'qui', 'sa', 'te', 'um', 'zor', 'fen', 'gal', 'hex'];
const MADE_UP = Array.from({ length: 3000 }, (_, i) => syllables[i % 18] + syllables[Math.floor(i / 18) % 18] + syllables[Math.floor(i / 324) % 18]);
const VOCABULARY = [...COMMON, ...MADE_UP];
const FIRST = ['Natalie', 'Omar', 'Li', 'Sofia', 'Jonas', 'Amara', 'Luca', 'Priya', 'Mateo', 'Hana', 'Ben', 'Chloe', 'Ivan', 'Zara', 'Noah', 'Mia'];
const LAST = ['Brooks', 'Haddad', 'Wei', 'Rossi', 'Berg', 'Okafor', 'Moretti', 'Sharma', 'Garcia', 'Sato', 'Cohen', 'Martin', 'Petrov', 'Khan', 'Smith', 'Novak'];

const ms = (t0: number) => performance.now() - t0;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main(): Promise<void> {
  console.log(`Inbox list and search benchmark on ${engine}: ${CONVERSATIONS.toLocaleString('en')} conversations, ${(CONVERSATIONS * PER_CONVERSATION).toLocaleString('en')} messages, ${CONTACTS.toLocaleString('en')} contacts`);
  const t = await startTestApp(reuse ? { databaseUrl: reuse } : {});
  const db = t.ctx.db;
  let direct: pg.Client | undefined;
  try {
    const { ws, admin, agent, agents, inboxes, teams } = reuse ? await kept(t) : await generate(t);
    if (pgServer) {
      direct = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
      await direct.connect();
    }
    void ws;

    const replay = async (statements: Statement[]) => {
      for (const s of statements) {
        if (direct) await (pgQuery as (this: pg.Client, text: string, values: unknown[]) => Promise<unknown>).call(direct, s.text, s.values);
        else await pgliteQuery.call(s.on ?? pglite!, s.text, s.values as never);
      }
    };

    // —— cases ——
    const inbox = inboxes[1];
    const list: Array<[string, string, Record<string, string>]> = [
      ['all, newest', '', admin],
      ['open', 'status=open', admin],
      ['resolved', 'status=resolved', admin],
      ['mine (agent)', 'assignee=me', agent],
      ['unassigned', 'assignee=unassigned', admin],
      ['one assignee', `assignee=${agents[3].id}`, admin],
      ['one inbox', `inbox_id=${inbox}`, admin],
      ['one team', `team_id=${teams[1]}`, admin],
      ['tag vip', 'tag=vip', admin],
      ['tag rare', 'tag=rare', admin],
      ['oldest first', 'sort=oldest', admin],
      ['waiting longest', 'sort=waiting&status=open', admin],
      ['agent, all visible', '', agent],
      ['agent, open, unassigned', 'status=open&assignee=unassigned', agent],
      ['channel email', 'channel=email', admin],
      ['last week (days)', `from=${day(-7)}&to=${day(0)}`, admin],
      ['a day a month ago, open', `from=${day(-30)}&to=${day(-30)}&status=open`, admin],
    ];
    const mid = MADE_UP[40];
    const rare = MADE_UP[2900];
    const searches: Array<[string, string, Record<string, string>]> = [
      ['conversations: common word', 'q=order', admin],
      ['conversations: mid word', `q=${mid}`, admin],
      ['conversations: rare word', `q=${rare}`, admin],
      ['conversations: two words', `q=refund+${mid}`, admin],
      ['conversations: as typed (prefix)', `q=${rare.slice(0, 5)}`, admin],
      ['conversations: agent, open', `q=${mid}&status=open`, agent],
      ['messages: common word', 'q=order&type=messages', admin],
      ['messages: mid word', `q=${mid}&type=messages`, admin],
      ['messages: rare word, inbox', `q=${rare}&type=messages&inbox_id=${inbox}`, admin],
      ['messages: agent', `q=${mid}&type=messages`, agent],
      ['contacts: name', 'q=natalie+brooks&type=contacts', admin],
      ['contacts: email', 'q=customer4242@example.com&type=contacts', admin],
    ];

    const only = process.env.BENCH_CASES ? new RegExp(process.env.BENCH_CASES, 'i') : undefined;
    const rows: Array<{ kind: string; name: string; p50: number; p95: number; d50: number; d95: number; target: number; hits: number }> = [];
    const measure = async (kind: string, name: string, url: string, headers: Record<string, string>, target: number) => {
      if (only && !only.test(`${kind}: ${name}`)) return;
      let last: Statement[] = [];
      const appTimes: number[] = [];
      const sqlTimes: number[] = [];
      let hits = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        recording = [];
        const t0 = performance.now();
        const res = await t.app.inject({ method: 'GET', url, headers });
        const took = ms(t0);
        const statements = recording.filter((s) => !/^(begin|commit|rollback)$/i.test(s.text.trim()));
        recording = null;
        last = statements;
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
        hits = (res.json() as { data: unknown[] }).data.length;
        const s0 = performance.now();
        await replay(statements);
        const direct = ms(s0);
        if (i >= WARMUP) {
          appTimes.push(took);
          sqlTimes.push(direct);
        }
      }
      if (process.env.BENCH_EXPLAIN && direct) await explain(direct, `${kind}: ${name}`, last);
      rows.push({ kind, name, p50: pct(appTimes, 50), p95: pct(appTimes, 95), d50: pct(sqlTimes, 50), d95: pct(sqlTimes, 95), target, hits });
    };
    // The machine's floor: one trivial statement through the app's database handle, and directly.
    {
      const times: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const t0 = performance.now();
        await sql`select 1`.execute(db);
        const took = ms(t0);
        const s0 = performance.now();
        await replay([{ text: 'select 1', values: [], on: pglite }]);
        if (i >= WARMUP) {
          times.push(took);
          direct.push(ms(s0));
        }
      }
      console.log(`baseline: select 1 p50 ${pct(times, 50).toFixed(2)} ms, p95 ${pct(times, 95).toFixed(2)} ms (direct ${pct(direct, 50).toFixed(2)} / ${pct(direct, 95).toFixed(2)} ms); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores\n`);
    }
    for (const [name, query, headers] of list) await measure('list', name, `/api/v1/conversations${query ? `?${query}` : ''}`, headers, LIST_TARGET);
    for (const [name, query, headers] of searches) await measure('search', name, `/api/v1/search?${query}`, headers, SEARCH_TARGET);

    const f = (x: number) => x.toFixed(1).padStart(7);
    console.log(`${'case'.padEnd(44)} ${'hits'.padStart(4)}  ${'app p50'.padStart(7)} ${'app p95'.padStart(7)}  ${'SQL p50'.padStart(7)} ${'SQL p95'.padStart(7)}  target  result`);
    for (const r of rows) {
      console.log(`${`${r.kind}: ${r.name}`.padEnd(44)} ${String(r.hits).padStart(4)}  ${f(r.p50)} ${f(r.p95)}  ${f(r.d50)} ${f(r.d95)}  ≤${String(r.target).padStart(3)} ms  ${r.p95 <= r.target ? 'PASS' : 'MISS'}`);
    }
    for (const kind of ['list', 'search']) {
      const mine = rows.filter((r) => r.kind === kind);
      if (!mine.length) continue;
      const worst = mine.reduce((w, r) => (r.p95 > w.p95 ? r : w), mine[0]);
      console.log(`${kind}: ${mine.filter((r) => r.p95 <= r.target).length}/${mine.length} cases within ${mine[0].target} ms at p95; slowest ${worst.name} at ${worst.p95.toFixed(1)} ms (its SQL alone ${worst.d95.toFixed(1)} ms)`);
    }
    console.log(`(ms; ${RUNS} runs per case after ${WARMUP} warm-ups; "app" is the whole request through inject, "SQL" the same statements replayed on ${pgServer ? 'a direct connection' : 'the same PGlite'}; run ${randomUUID().slice(0, 8)})`);
  } finally {
    await direct?.end();
    if ((process.env.BENCH_KEEP || reuse) && pgServer) console.log(`kept ${t.ctx.config.databaseUrl}`);
    else await t.close();
  }
}

/** A day relative to today, as a date filter takes it. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Each statement of a case with its plan, timings and buffers (BENCH_EXPLAIN=1). */
async function explain(client: pg.Client, name: string, statements: Statement[]): Promise<void> {
  console.log(`\n—— ${name}`);
  for (const s of statements) {
    const { rows } = (await (pgQuery as (this: pg.Client, text: string, values: unknown[]) => Promise<{ rows: Array<{ 'QUERY PLAN': string }> }>).call(client, `explain (analyze, buffers) ${s.text}`, s.values)) as {
      rows: Array<{ 'QUERY PLAN': string }>;
    };
    console.log(`${s.text.slice(0, 400)}\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
  }
}

type Fixture = { ws: { accountId: string }; admin: Record<string, string>; agent: Record<string, string>; agents: Array<{ id: string }>; inboxes: string[]; teams: string[] };

/** The workspace: an owner, 20 agents in 2 of 6 inboxes each, 4 teams, and the generated rows. */
async function generate(t: TestApp): Promise<Fixture> {
  const db = t.ctx.db;
  const ws = await makeWorkspace(t, 'Big shop');
  const a = scoped(db, ws.accountId);
  const agents = await Promise.all(Array.from({ length: 20 }, () => makeMember(t, ws.accountId, 'agent')));
  const channels = ['web_chat', 'email', 'email', 'api', 'whatsapp', 'sms'];
  const inboxes: string[] = [];
  for (const [i, channel] of channels.entries()) inboxes.push((await a.insertInto('inboxes', { name: `Inbox ${i}`, channel }).returning('id').executeTakeFirstOrThrow()).id);
  const teams: string[] = [];
  for (const name of ['Billing', 'Shipping', 'Returns', 'VIP']) teams.push((await a.insertInto('teams', { name }).returning('id').executeTakeFirstOrThrow()).id);
  await a.insertInto('inbox_members', agents.flatMap((p, i) => [{ inbox_id: inboxes[i % 6], user_id: p.id }, { inbox_id: inboxes[(i + 1) % 6], user_id: p.id }])).execute();
  const admin = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
  const agent = await tokenFor(t, agents[0].id, ws.accountId, 'agent');

  // —— generation: a few set-based statements; the search index is built after the rows ——
  const started = performance.now();
  const acc = ws.accountId;
  const words = sql`${VOCABULARY}::text[]`;
  const n = VOCABULARY.length;
  await sql`drop index messages_search_idx`.execute(db);
  await sql`
    insert into contacts (account_id, name, email, phone, created_at)
    select ${acc}, (${FIRST}::text[])[1 + g % 16] || ' ' || (${LAST}::text[])[1 + (g / 16) % 16] || ' ' || g,
      'customer' || g || '@example.com', '+4420' || lpad(g::text, 8, '0'), now() - g * interval '1 minute'
    from generate_series(1, ${CONTACTS}) g`.execute(db);
  await sql`
    insert into conversations (account_id, inbox_id, contact_id, subject, status, priority, assignee_id, team_id, tags, last_message_at, waiting_since, last_seq, created_at)
    select ${acc}, (${inboxes}::uuid[])[1 + g % 6], c.id,
      initcap((${words})[1 + (g * 7) % 120]) || ' ' || (${words})[1 + floor(${n} * random() ^ 3)::int] || ' ' || (${words})[1 + floor(${n} * random() ^ 2)::int],
      (array['open','open','pending','snoozed','resolved','resolved','resolved','resolved'])[1 + g % 8],
      (array['normal','normal','normal','low','high','urgent'])[1 + g % 6],
      case when g % 3 = 0 then null else (${agents.map((p) => p.id)}::uuid[])[1 + (g / 7) % 20] end,
      case when g % 2 = 0 then (${teams}::uuid[])[1 + (g / 3) % 4] end,
      case when g % 10 = 0 then array['vip'] when g % 10 = 1 then array['refund', 'urgent'] when g % 50 = 2 then array['rare'] else '{}' end,
      now() - g * interval '13 seconds',
      case when g % 8 < 2 then now() - g * interval '13 seconds' end,
      ${PER_CONVERSATION}, now() - g * interval '13 seconds' - interval '1 hour'
    from generate_series(1, ${CONVERSATIONS}) g
    join (select id, row_number() over (order by id) as rn from contacts where account_id = ${acc}) c on c.rn = 1 + g % ${CONTACTS}`.execute(db);
  console.log(`  contacts and conversations: ${(ms(started) / 1000).toFixed(1)} s`);
  // The trigger's work (the workspace is 'simple') done in the statement, which is faster in bulk.
  await sql`alter table messages disable trigger messages_search_vector`.execute(db);
  await sql`
    insert into messages (account_id, conversation_id, seq, direction, private, content, search_vector, created_at)
    select ${acc}, x.id, x.s, x.direction, x.s = 4, x.content, to_tsvector('simple', x.content), x.at
    from (
      select c.id, s, case when s % 2 = 1 then 'incoming' else 'outgoing' end as direction, c.last_message_at - (${PER_CONVERSATION} - s) * interval '1 minute' as at,
        (select string_agg((${words})[1 + floor(${n} * random() ^ 3)::int], ' ') from generate_series(1, 6 + (s * 7 + length(c.subject)) % 24) w where s > 0) as content
      from conversations c cross join generate_series(1, ${PER_CONVERSATION}) s
      where c.account_id = ${acc}
    ) x`.execute(db);
  await sql`alter table messages enable trigger messages_search_vector`.execute(db);
  console.log(`  messages: ${(ms(started) / 1000).toFixed(1)} s`);
  await sql`create index messages_search_idx on messages using gin (search_vector)`.execute(db);
  // What autovacuum does on a live database: statistics, and the GIN indexes' pending entries merged.
  await sql`vacuum analyze`.execute(db);
  console.log(`  generated in ${(ms(started) / 1000).toFixed(1)} s (search index built after the rows, then vacuum analyze)\n`);

  return { ws, admin, agent, agents, inboxes, teams };
}

/** The workspace a kept database holds (BENCH_REUSE), with fresh tokens. */
async function kept(t: TestApp): Promise<Fixture> {
  const db = t.ctx.db;
  const account = await db.selectFrom('accounts').select('id').where('name', '=', 'Big shop').executeTakeFirstOrThrow();
  const a = scoped(db, account.id);
  const members = await a.selectFrom('memberships').select(['user_id', 'role']).orderBy('user_id').execute();
  const owner = members.find((m) => m.role === 'owner')!;
  const agents = members.filter((m) => m.role === 'agent').map((m) => ({ id: m.user_id }));
  const inboxes = (await a.selectFrom('inboxes').select('id').orderBy('name').execute()).map((r) => r.id);
  const teams = (await a.selectFrom('teams').select('id').orderBy('name').execute()).map((r) => r.id);
  const admin = await tokenFor(t, owner.user_id, account.id, 'owner');
  const agent = await tokenFor(t, agents[0].id, account.id, 'agent');
  console.log('  reusing the kept workspace (no generation)\n');
  return { ws: { accountId: account.id }, admin, agent, agents, inboxes, teams };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

/**
 * Real-time delivery of Rapport under load: visitor → agent latency at a steady rate, the
 * sustained persisted-and-delivered rate, and server memory per idle visitor socket, each beside
 * a baseline measured in the same run on the same machine (a bare WebSocket relay, a bare loop of
 * single-row INSERTs on the same database engine).
 *
 * Run: npm run build:server && npx tsx bench/realtime.ts [--visitors N] [--agents N] [--rate R] [--seconds S]
 * Embedded database (PGlite) by default; set BENCH_DATABASE_URL (or DATABASE_URL) to a PostgreSQL
 * server to run there: a fresh database is created for the run and dropped after.
 * Everything runs on loopback; visitors connect from 127.1.x.y source addresses so the per-IP
 * session limit (60/min) is not hit.
 */
import { freshDatabaseUrl } from '../apps/server/test/databases.js';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: argv } = parseArgs({
  options: { visitors: { type: 'string' }, agents: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' } },
});
const V = Number(argv.visitors ?? 2000);
const A = Number(argv.agents ?? 20);
const R = Number(argv.rate ?? 200);
const S = Number(argv.seconds ?? 20);
const SUSTAIN_S = 5;
const LOSS_MS = 5000;
const pgServer = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;
const engine = pgServer ? 'PostgreSQL' : 'PGlite (embedded)';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
/** Source address of visitor i: 40 visitors per address, all inside 127.0.0.0/8. */
const sourceOf = (i: number) => `127.1.${Math.floor(i / 40 / 250)}.${1 + (Math.floor(i / 40) % 250)}`;

// —— child processes: every one is killed at the end, also on error ——
const children = new Set<ChildProcess>();
function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const serverLog: string[] = [];
function run(args: string[], env: Record<string, string>, capture = true): { child: ChildProcess; out: () => string } {
  let out = '';
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.stdout?.on('data', (d: Buffer) => (out += capture ? d.toString() : ''));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out };
}
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
async function runToEnd(args: string[], env: Record<string, string>, timeoutMs: number): Promise<string> {
  const { child, out } = run(args, env);
  const code = await Promise.race([new Promise<number | null>((r) => child.once('exit', (c) => r(c))), sleep(timeoutMs).then(() => 'timeout' as const)]);
  if (code !== 0) {
    child.kill('SIGKILL');
    throw new Error(`${args.join(' ')} failed (${String(code)}): ${out()}`);
  }
  return out();
}
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

// —— statistics ——
function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
interface Latency {
  p50: number;
  p95: number;
  p99: number;
  sent: number;
  lost: number;
  deliveries: number;
}

/**
 * Paced sending: message k goes out at start + k/R; each agent socket records when it sees it.
 * Latency is over every (message, agent) delivery; lost = messages some agent did not get in 5 s.
 */
class Tracker {
  sentAt = new Map<number, number>();
  got = new Map<number, number>();
  latencies: number[] = [];
  firstDelivery: number[] = [];
  onFrame(raw: string): void {
    const m = /bench:(\d+):/.exec(raw);
    if (!m) return;
    const id = Number(m[1]);
    const t0 = this.sentAt.get(id);
    if (t0 === undefined) return;
    const dt = performance.now() - t0;
    if (dt > LOSS_MS) return;
    this.latencies.push(dt);
    const n = (this.got.get(id) ?? 0) + 1;
    this.got.set(id, n);
    if (n === 1) this.firstDelivery.push(performance.now());
  }
  summary(agents: number): Latency {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    let lost = 0;
    for (const id of this.sentAt.keys()) if ((this.got.get(id) ?? 0) < agents) lost++;
    return { p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99), sent: this.sentAt.size, lost, deliveries: sorted.length };
  }
}

/** Calls send(k) at R per second for S seconds; bounded by R*S calls and S+30 s. */
async function paced(rate: number, seconds: number, send: (k: number) => void): Promise<void> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  let k = 0;
  while (k < total && performance.now() - start < (seconds + 30) * 1000) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (k < due) send(k++);
    await sleep(2);
  }
}

async function openWs(url: string, options: WebSocket.ClientOptions, onMessage: (raw: string) => void, firstFrame?: string, readyType?: string): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout opening ${url}`)), 20_000);
    ws.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    ws.on('message', (data: WebSocket.RawData) => {
      const raw = data.toString();
      if (readyType && raw.includes(`"type":"${readyType}"`)) {
        clearTimeout(timer);
        resolve(ws);
        return;
      }
      onMessage(raw);
    });
    ws.once('open', () => {
      if (firstFrame) ws.send(firstFrame);
      if (!readyType) {
        clearTimeout(timer);
        resolve(ws);
      }
    });
  });
}

/** Runs fn over 0..n-1 with at most `limit` in flight. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** Waits (up to 10 s) until something listens on the port. */
async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); r(true); }).once('error', () => r(false)));
    if (ok) return;
    await sleep(50);
  }
}

// —— Baseline A: a bare ws relay ——
const relaySource = `
import { WebSocketServer } from 'ws';
const wss = new WebSocketServer({ port: Number(process.env.PORT), host: '127.0.0.1' });
const agents = new Set();
wss.on('connection', (ws, req) => {
  if (req.url === '/a') { agents.add(ws); ws.on('close', () => agents.delete(ws)); ws.send('{"type":"ready"}'); return; }
  ws.on('message', (d) => { const s = d.toString(); for (const a of agents) a.send(s); });
});
wss.on('listening', () => console.log('listening'));
`;

async function baselineRelay(): Promise<Latency> {
  const port = await freePort();
  const { child } = run(['--input-type=module', '-e', relaySource], { PORT: String(port) });
  try {
    await waitForPort(port);
    const tracker = new Tracker();
    const sockets: WebSocket[] = [];
    for (let a = 0; a < A; a++) sockets.push(await openWs(`ws://127.0.0.1:${port}/a`, {}, (raw) => tracker.onFrame(raw), undefined, 'ready'));
    const visitors: WebSocket[] = [];
    await pool(V, 50, async (i) => {
      visitors.push(await openWs(`ws://127.0.0.1:${port}/v`, { localAddress: sourceOf(i) }, () => {}));
    });
    await sleep(1000);
    await paced(R, S, (k) => {
      tracker.sentAt.set(k, performance.now());
      visitors[k % visitors.length].send(JSON.stringify({ type: 'message', content: `bench:${k}:${Date.now()}` }));
    });
    await sleep(LOSS_MS);
    for (const s of [...sockets, ...visitors]) s.terminate();
    return tracker.summary(A);
  } finally {
    await stop(child);
  }
}

// —— Baseline C: the same HTTP-in, WebSocket-out path with nothing stored ——
// The ceiling this machine and this load generator allow for "a visitor POSTs, every agent socket
// hears it": a bare node:http server that answers 201 and relays the body to the agent sockets.
const httpRelaySource = `
import http from 'node:http';
import { WebSocketServer } from 'ws';
const agents = new Set();
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const frame = JSON.stringify({ type: 'event', event: 'message.created', data: { message: JSON.parse(body) } });
    for (const a of agents) a.send(frame);
    res.writeHead(201, { 'content-type': 'application/json' }).end(body);
  });
});
const wss = new WebSocketServer({ server });
wss.on('connection', (ws) => { agents.add(ws); ws.on('close', () => agents.delete(ws)); ws.send('{"type":"ready"}'); });
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/** Sends as fast as 32 clients can for SUSTAIN_S seconds; answers first deliveries per second. */
async function sustained(t: Tracker, post: (k: number) => Promise<void>, cap = Infinity): Promise<{ perS: number; sent: number }> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() - start < SUSTAIN_S * 1000 && next < cap) await post(next++);
    }),
  );
  const sendEnd = performance.now();
  await sleep(LOSS_MS);
  const last = t.firstDelivery.length ? Math.max(...t.firstDelivery) : sendEnd;
  return { perS: t.firstDelivery.length / ((Math.max(last, sendEnd) - start) / 1000), sent: next };
}

async function baselineHttpRelay(): Promise<number> {
  const port = await freePort();
  const { child } = run(['--input-type=module', '-e', httpRelaySource], { PORT: String(port) });
  try {
    await waitForPort(port);
    const tracker = new Tracker();
    const sockets: WebSocket[] = [];
    for (let a = 0; a < A; a++) sockets.push(await openWs(`ws://127.0.0.1:${port}/`, {}, (raw) => tracker.onFrame(raw), undefined, 'ready'));
    const { perS } = await sustained(tracker, async (k) => {
      tracker.sentAt.set(k, performance.now());
      await request(port, 'POST', '/', {}, { content: `bench:${k}:${Date.now()}`, client_message_id: `b${k}` }, sourceOf(k % V));
    });
    for (const s of sockets) s.terminate();
    return perS;
  } finally {
    await stop(child);
  }
}

// —— Baseline B: a bare loop of single-row INSERTs ——
const insertSource = `
import { randomUUID } from 'node:crypto';
const seconds = Number(process.env.SECONDS);
let q, close;
if (process.env.PG_URL) {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: process.env.PG_URL });
  await c.connect();
  q = (s, p) => c.query(s, p); close = () => c.end();
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(process.env.DIR);
  q = (s, p) => db.query(s, p); close = () => db.close();
}
await q('create table bench_messages (id uuid primary key, content text not null, created_at timestamptz not null default now())');
let n = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) { await q('insert into bench_messages (id, content, created_at) values ($1, $2, now())', [randomUUID(), 'bench:' + n + ':' + Date.now()]); n++; }
await q('drop table bench_messages');
await close();
console.log(JSON.stringify({ rows: n, seconds }));
`;

async function baselineInsert(tmp: string, dbUrl: string | undefined): Promise<number> {
  const env: Record<string, string> = { SECONDS: String(S), DIR: path.join(tmp, 'bare-pglite') };
  if (dbUrl) env.PG_URL = dbUrl;
  const out = await runToEnd(['--input-type=module', '-e', insertSource], env, (S + 60) * 1000);
  const line = out.trim().split('\n').pop() ?? '';
  const r = JSON.parse(line) as { rows: number; seconds: number };
  return r.rows / r.seconds;
}

// —— Rapport ——
interface Res {
  status: number;
  body: string;
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
function request(port: number, method: string, url: string, headers: Record<string, string>, body: unknown, localAddress = '127.0.0.1'): Promise<Res> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: url, agent, localAddress, timeout: 30_000, headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

interface RapportResult {
  steady: Latency;
  sustainedPerS: number;
  sustainedSent: number;
  kbPerVisitor: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  statuses: Map<string, number>;
}

async function rapport(tmp: string, dbUrl: string | undefined): Promise<RapportResult> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = { RAPPORT_DATA_DIR: path.join(tmp, 'data'), RAPPORT_SEED_DEMO: 'false', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: publicUrl };
  if (dbUrl) env.DATABASE_URL = dbUrl;
  const email = 'bench@example.com';
  await runToEnd(['bin/rapport.js', 'create-admin', '--email', email, '--password', 'bench-password-1234', '--workspace', 'Bench'], env, 120_000);
  const token = (await runToEnd(['bin/rapport.js', 'create-token', '--email', email, '--name', 'bench'], env, 120_000)).trim().split('\n').pop() ?? '';
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load.
  const server = run([...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'bin/rapport.js', 'start'], env);
  server.child.stdout?.on('data', (d: Buffer) => serverLog.push(...d.toString().split('\n').filter(Boolean)));
  server.child.stderr?.on('data', (d: Buffer) => serverLog.push(...d.toString().split('\n').filter(Boolean)));
  const statuses = new Map<string, number>();
  const count = (phase: string, status: number | string) => statuses.set(`${phase} ${status}`, (statuses.get(`${phase} ${status}`) ?? 0) + 1);
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; ; i++) {
      if (server.child.exitCode !== null) throw new Error(`server exited: ${server.out()}`);
      if (i > 1200) throw new Error('server not ready in 60 s');
      try {
        if ((await request(port, 'GET', '/readyz', {}, undefined)).status === 200) break;
      } catch {
        /* not yet */
      }
      await sleep(50);
    }
    const bearer = { authorization: `Bearer ${token}` };
    const inboxRes = await request(port, 'POST', '/api/v1/inboxes', bearer, { channel: 'webchat', name: 'Bench' });
    if (inboxRes.status !== 201 && inboxRes.status !== 200) throw new Error(`create inbox: ${inboxRes.status} ${inboxRes.body}`);
    const widgetKey = (JSON.parse(inboxRes.body) as { widget_key: string }).widget_key;

    const tracker = new Tracker();
    const sustain = new Tracker();
    let onAgentFrame = (raw: string) => tracker.onFrame(raw);
    for (let a = 0; a < A; a++) sockets.push(await openWs(`ws://127.0.0.1:${port}/api/v1/realtime`, { headers: bearer }, (raw) => onAgentFrame(raw), undefined, 'ready'));

    const tokens: string[] = new Array<string>(V);
    await pool(V, 16, async (i) => {
      const res = await request(port, 'POST', '/api/v1/widget/sessions', {}, { widget_key: widgetKey }, sourceOf(i));
      count('session', res.status);
      if (res.status !== 200) throw new Error(`session ${i}: ${res.status} ${res.body}`);
      tokens[i] = (JSON.parse(res.body) as { visitor_token: string }).visitor_token;
    });
    await sleep(3000);
    const rssBeforeKb = rssKb(server.child.pid!);
    await pool(V, 50, async (i) => {
      sockets.push(await openWs(`ws://127.0.0.1:${port}/api/v1/widget/realtime`, { headers: { origin: publicUrl }, localAddress: sourceOf(i) }, () => {}, JSON.stringify({ type: 'auth', visitor_token: tokens[i] }), 'ready'));
    });
    await sleep(5000);
    const rssAfterKb = rssKb(server.child.pid!);

    // Steady rate.
    const sends: Promise<void>[] = [];
    const perVisitor = new Array<number>(V).fill(0);
    const post = (phase: string, k: number, t: Tracker) => {
      const v = k % V;
      perVisitor[v]++;
      t.sentAt.set(k, performance.now());
      return request(port, 'POST', '/api/v1/widget/messages', { 'x-visitor-token': tokens[v] }, { content: `bench:${k}:${Date.now()}`, client_message_id: `b${k}` }, sourceOf(v)).then(
        (res) => void count(phase, res.status),
        (e: Error) => void count(phase, e.message),
      );
    };
    await paced(R, S, (k) => sends.push(post('message', k, tracker)));
    await Promise.all(sends);
    await sleep(LOSS_MS);
    const steady = tracker.summary(A);

    // Sustained: as fast as possible with bounded concurrency, for SUSTAIN_S seconds, within the
    // per-visitor limit (20 per 30 s: at most 15 in all per visitor).
    await sleep(1000);
    onAgentFrame = (raw) => sustain.onFrame(raw);
    const base = 1_000_000;
    const { perS: sustainedPerS, sent } = await sustained(sustain, (k) => post('sustain', base + k, sustain), V * 15 - R * S);
    return { steady, sustainedPerS, sustainedSent: sent, kbPerVisitor: (rssAfterKb - rssBeforeKb) / V, rssBeforeKb, rssAfterKb, statuses };
  } finally {
    for (const s of sockets) s.terminate();
    await stop(server.child);
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(root, 'dist/server/cli.js'))) throw new Error('run `npm run build:server` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-rt-bench-'));
  const { url: dbUrl, drop: dropDb } = await freshDatabaseUrl(pgServer, 'rapport_bench');
  try {
    console.error(`engine ${engine}; ${V} visitors, ${A} agents, ${R} msg/s, ${S} s (${os.cpus().length} CPUs)`);
    console.error('baseline A: bare ws relay…');
    const relay = await baselineRelay();
    console.error('baseline B: bare INSERT loop…');
    const inserts = await baselineInsert(tmp, dbUrl);
    console.error('baseline C: bare HTTP → WebSocket relay…');
    const httpRelay = await baselineHttpRelay();
    console.error('rapport…');
    const r = await rapport(tmp, dbUrl);
    const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
    const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const ratio = (r.sustainedPerS / inserts) * 100;
    const defaults = V >= 2000 && A >= 20 && R >= 200;
    console.log(`\nEngine: **${engine}** · ${V} visitors, ${A} agents, ${R} msg/s for ${S} s · ${os.cpus().length} CPUs\n`);
    console.log('| measure | baseline | Rapport | target | result |\n|---|---:|---:|---|---|');
    console.log(`| delivery p50 (ms) | ${f(relay.p50)} (bare ws relay) | ${f(r.steady.p50)} | | |`);
    console.log(`| delivery p95 (ms) | ${f(relay.p95)} | ${f(r.steady.p95)} | | |`);
    console.log(`| delivery p99 (ms) | ${f(relay.p99)} | ${f(r.steady.p99)} | ≤ 50 ms at 200 msg/s, 2000 visitors, 20 agents | ${pass(r.steady.p99 <= 50)}${defaults ? '' : ' (smaller load than the target)'} |`);
    console.log(`| messages sent / lost (> 5 s or missing at some agent) | ${relay.sent} / ${relay.lost} | ${r.steady.sent} / ${r.steady.lost} | 0 lost | ${pass(r.steady.lost === 0)} |`);
    console.log(`| sustained persisted + delivered (msg/s) | ${f(inserts, 0)} (bare single-row INSERTs/s) | ${f(r.sustainedPerS, 0)} (${f(ratio, 0)} %) | ≥ 50 % of bare INSERT rate | ${pass(ratio >= 50)} |`);
    console.log(`| (for scale) the same POST → ${A} agent sockets path, nothing stored (msg/s) | ${f(httpRelay, 0)} (bare HTTP → ws relay) | ${f(r.sustainedPerS, 0)} (${f((r.sustainedPerS / httpRelay) * 100, 0)} %) | | |`);
    // A server whose memory shrank while the sockets opened (its garbage collector or the embedded
    // database gave memory back) says nothing about the sockets: no verdict then.
    const memory = r.kbPerVisitor < 0 ? 'n/a: RSS fell (collector noise); measure on PostgreSQL' : pass(r.kbPerVisitor <= 20);
    console.log(`| server RSS per idle visitor socket (KB) | | ${f(r.kbPerVisitor)} (${f(r.rssBeforeKb / 1024, 0)} → ${f(r.rssAfterKb / 1024, 0)} MB) | ≤ 20 KB | ${memory} |`);
    console.log(`\nHTTP results: ${[...r.statuses].map(([k, v]) => `${k}: ${v}`).join(', ')}; sustained phase sent ${r.sustainedSent} in ${SUSTAIN_S} s`);
    const warnings = serverLog.filter((l) => l.trim());
    console.log(`Server log lines at warn or above: ${warnings.length}${warnings.length ? '\n' + warnings.slice(0, 10).map((l) => '    ' + l.slice(0, 300)).join('\n') : ''}`);
  } finally {
    killAll();
    fs.rmSync(tmp, { recursive: true, force: true });
    await dropDb();
  }
}

await main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    agent.destroy();
    killAll();
  });
process.exit();

/**
 * SECURITY 34: PostgreSQL unreachable for 30 s under load. A server process reaches PostgreSQL
 * through a TCP proxy in this test, which the test cuts (PostgreSQL stopped: connections reset,
 * new ones refused) while visitors are writing through the widget's API and an agent is replying.
 * The clients behave as the widget does: a message keeps its client_message_id through every retry,
 * and a 5xx or a network error means "try again later". What must hold:
 * - while the database is away, requests are answered quickly with 503 `database_unavailable` and a
 *   Retry-After (never left hanging, never a 500), and /readyz says the database is unreachable;
 * - the server recovers by itself once PostgreSQL is back: no restart, the same process;
 * - afterwards every message the clients meant to send is stored exactly once (the retries of an
 *   acknowledged or half-answered write never duplicate), with the id and seq the API answered,
 *   and live delivery to the agent's socket works again.
 * Needs PostgreSQL (TEST_DATABASE_URL). PG_LOSS_SECONDS shortens the outage (default 30).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from './databases.js';
import { run, startServer, tempDataDir, type Server } from './process-harness.js';
import { tcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const outageMs = Number(process.env.PG_LOSS_SECONDS ?? 30) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Attempt {
  status: number;
  ms: number;
  code?: string;
  retryAfter?: string | null;
}

describe.runIf(!!process.env.TEST_DATABASE_URL)('PostgreSQL unreachable under load (SECURITY 34)', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let proxy: TcpProxy;
  let server: Server;
  let token: string;
  let widgetKey: string;
  let sql: pg.Client;

  beforeAll(async () => {
    db = await freshDatabaseUrl();
    proxy = await tcpProxy(db.url!, 5432);
    const env = {
      DATABASE_URL: proxy.url,
      RAPPORT_SECRET_KEY: randomBytes(32).toString('base64url'),
      RAPPORT_SEED_DEMO: 'false',
      LOG_LEVEL: 'fatal',
      REDIS_URL: undefined,
    };
    const admin = await run(['create-admin', '--email', 'ops@example.com', '--password', 'postgres loss password', '--workspace', 'Outage'], { ...env, RAPPORT_DATA_DIR: tempDataDir() });
    expect(admin.code, admin.stderr).toBe(0);
    token = (await run(['create-token', '--email', 'ops@example.com', '--name', 'postgres loss'], { ...env, RAPPORT_DATA_DIR: tempDataDir() })).stdout.trim();
    server = await startServer({ ...env, RAPPORT_DATA_DIR: tempDataDir() });
    const inbox = (await (
      await fetch(`${server.url}/api/v1/inboxes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'webchat', name: 'Site', allowed_origins: [server.url] }) })
    ).json()) as { widget_key: string };
    widgetKey = inbox.widget_key;
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await proxy?.close();
    await db?.drop();
  });

  /** One POST as a client makes it; a network error or timeout is status 0. */
  async function attempt(url: string, headers: Record<string, string>, body: unknown): Promise<Attempt & { json?: Record<string, unknown> }> {
    const started = Date.now();
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url, ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      return { status: res.status, ms: Date.now() - started, code: (json.error as { code?: string } | undefined)?.code, retryAfter: res.headers.get('retry-after'), json };
    } catch {
      return { status: 0, ms: Date.now() - started };
    }
  }

  /** Sends one message the widget's way: the same client id through every retry until it is stored. */
  async function sendUntilStored(url: string, headers: Record<string, string>, content: string, log: Attempt[]): Promise<{ id: string; seq: number; content: string }> {
    const client_message_id = randomUUID();
    for (let tries = 0; ; tries++) {
      const a = await attempt(url, headers, { content, client_message_id });
      log.push({ status: a.status, ms: a.ms, code: a.code, retryAfter: a.retryAfter });
      if (a.status === 201 || a.status === 200) {
        const m = (a.json!.message ?? a.json) as { id: string; seq: number };
        return { id: m.id, seq: m.seq, content };
      }
      if (a.status >= 400 && a.status < 500 && a.status !== 429) throw new Error(`refused for good: ${a.status} ${a.code}`);
      if (tries > 200) throw new Error(`${content} was never stored`);
      // As the widget does: wait as long as the server asks (503 and 429 say Retry-After), else back off a little.
      await sleep(a.retryAfter ? Number(a.retryAfter) * 1000 : 500);
    }
  }

  it(`writes during a ${outageMs / 1000} s outage are refused quickly and retryably, nothing is lost or doubled, and the server recovers by itself`, async () => {
    // Visitors open chats (each has a conversation once its first message is stored).
    const visitors = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const s = await attempt(`${server.url}/api/v1/widget/sessions`, {}, { widget_key: widgetKey });
        expect(s.status, JSON.stringify(s.json)).toBe(200);
        return { token: (s.json as { visitor_token: string }).visitor_token };
      }),
    );
    const attempts: Attempt[] = [];
    const stored: { id: string; seq: number; content: string }[] = [];
    const first = await Promise.all(visitors.map((v, i) => sendUntilStored(`${server.url}/api/v1/widget/messages`, { 'x-visitor-token': v.token }, `visitor ${i} hello`, attempts)));
    stored.push(...first);
    const { rows: conversations } = await sql.query<{ id: string }>('select conversation_id as id from messages where id = any($1::uuid[])', [first.map((m) => m.id)]);
    const agentUrl = `${server.url}/api/v1/conversations/${conversations[0]!.id}/messages`;
    const agentHeaders = { authorization: `Bearer ${token}` };

    // Load: every visitor writes a message every 600 ms and the agent replies every 400 ms, for the
    // whole outage and a little before and after it; each message is retried until stored.
    let writing = true;
    const writers = [
      ...visitors.map(async (v, i) => {
        for (let n = 1; writing; n++) {
          stored.push(await sendUntilStored(`${server.url}/api/v1/widget/messages`, { 'x-visitor-token': v.token }, `visitor ${i} message ${n}`, attempts));
          await sleep(600);
        }
      }),
      (async () => {
        for (let n = 1; writing; n++) {
          stored.push(await sendUntilStored(agentUrl, agentHeaders, `agent reply ${n}`, attempts));
          await sleep(400);
        }
      })(),
    ];
    await sleep(2000);
    const beforeCut = attempts.length;
    proxy.cut('reset');
    const cutAt = Date.now();
    // While it is away: readiness says so.
    await sleep(Math.min(3000, outageMs / 2));
    expect(server.child.exitCode, `the server exited when the database went away:\n${server.output().slice(-3000)}`).toBeNull();
    const readyz = await fetch(`${server.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ database: 'unreachable' });
    await sleep(Math.max(0, outageMs - (Date.now() - cutAt)));
    const during = attempts.slice(beforeCut);
    proxy.restore();
    await sleep(3000);
    writing = false;
    await Promise.all(writers);

    // During the outage: refused, quickly, with a code a client can act on; never a 500, never hanging.
    const refused = during.filter((a) => a.status !== 201 && a.status !== 200);
    expect(refused.filter((a) => a.status === 503).length, 'writes refused during the outage').toBeGreaterThanOrEqual(7);
    // 503 with a reason and a wait (429 only if a client hurried past its rate limit): never a 500, never dropped.
    expect(refused.filter((a) => a.status !== 503 && a.status !== 429), JSON.stringify(refused.slice(0, 5))).toEqual([]);
    expect(refused.filter((a) => a.status === 503).every((a) => a.code === 'database_unavailable' && a.retryAfter === '5')).toBe(true);
    expect(Math.max(...during.map((a) => a.ms)), 'slowest answer during the outage (ms)').toBeLessThan(8000);

    // Recovered without a restart: the same process is ready and live delivery works again.
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/realtime`, { headers: { authorization: `Bearer ${token}` } });
    const heard: string[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { type: string; event?: string; data?: { message?: { content: string } } };
        if (frame.type === 'ready') resolve();
        if (frame.event === 'message.created') heard.push(frame.data!.message!.content);
      });
      socket.on('error', reject);
    });
    stored.push(await sendUntilStored(`${server.url}/api/v1/widget/messages`, { 'x-visitor-token': visitors[1]!.token }, 'visitor 1 after the outage', attempts));
    for (const end = Date.now() + 5000; !heard.includes('visitor 1 after the outage') && Date.now() < end; ) await sleep(25);
    expect(heard).toContain('visitor 1 after the outage');
    socket.close();

    // Nothing lost, nothing doubled: every message each client sent is stored once, as answered.
    const { rows } = await sql.query<{ id: string; seq: number; content: string }>("select id, seq, content from messages where kind = 'text'");
    const contents = rows.map((r) => r.content);
    expect(contents.length).toBe(new Set(contents).size);
    expect(contents.sort()).toEqual(stored.map((m) => m.content).sort());
    for (const m of stored) expect(rows.find((r) => r.id === m.id)).toMatchObject({ seq: m.seq, content: m.content });
  }, 60_000 + outageMs * 2);
});

/**
 * SECURITY 35: Redis lost mid-traffic. Two server processes on one PostgreSQL reach Redis through a
 * TCP proxy in this test, which the test cuts and restores, so the nodes lose Redis while messages
 * are being written — without touching the machine's shared Redis server. Two ways to lose it:
 * Redis stops (every connection reset, new ones refused), and a network partition (connections
 * stay open and nothing answers; they are reset when it heals). What must hold:
 * - every message the API acknowledged is in the database (Redis carries no data), and writing
 *   goes on while Redis is away: no 5xx, no request left hanging;
 * - events that could not be pushed while Redis was away are pushed once it is back (a socket that
 *   still misses one notices the gap by sequence number and resyncs over REST);
 * - once Redis is back, live delivery resumes without restarting a server.
 * Needs PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_URL), like two-nodes.test.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from './databases.js';
import { run, startServer, tempDataDir, type Server } from './process-harness.js';
import { tcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const servers = !!process.env.TEST_DATABASE_URL && !!process.env.REDIS_URL;

interface EventMessage {
  id: string;
  seq: number;
  content: string;
}

/**
 * An agent's socket as the agent app keeps it: the conversation's messages by sequence number,
 * and a resync over REST whenever an event arrives after a gap.
 */
interface Agent {
  socket: WebSocket;
  /** Contents received live, in arrival order. */
  live: string[];
  /** The conversation as this client holds it, by seq. */
  held: Map<number, EventMessage>;
  /** Gaps noticed: [last seq held, seq that arrived]. */
  gaps: [number, number][];
  resyncs: Promise<void>[];
}

describe.runIf(servers)('Redis lost mid-traffic (SECURITY 35)', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let proxy: TcpProxy;
  let a: Server;
  let b: Server;
  let token: string;
  let conversationId: string;
  let inbox: { id: string };
  let sql: pg.Client;

  beforeAll(async () => {
    db = await freshDatabaseUrl();
    proxy = await tcpProxy(process.env.REDIS_URL!, 6379);
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: proxy.url,
      REDIS_PREFIX: `rapport-redisloss-${randomBytes(4).toString('hex')}:`,
      RAPPORT_SECRET_KEY: randomBytes(32).toString('base64url'),
      RAPPORT_SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    };
    const admin = await run(['create-admin', '--email', 'ops@example.com', '--password', 'redis loss password', '--workspace', 'Outage'], { ...env, RAPPORT_DATA_DIR: tempDataDir() });
    expect(admin.code, admin.stderr).toBe(0);
    token = (await run(['create-token', '--email', 'ops@example.com', '--name', 'redis loss'], { ...env, RAPPORT_DATA_DIR: tempDataDir() })).stdout.trim();
    [a, b] = await Promise.all([startServer({ ...env, RAPPORT_DATA_DIR: tempDataDir() }), startServer({ ...env, RAPPORT_DATA_DIR: tempDataDir() })]);

    inbox = (await (await fetch(`${a.url}/api/v1/inboxes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'webchat', name: 'Site' }) })).json()) as { id: string };
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 120_000);

  /** A fresh conversation per scenario (the customer side arrives with the widget): in SQL. */
  async function newConversation(name: string): Promise<string> {
    const { rows } = await sql.query<{ account_id: string }>('select account_id from inboxes where id = $1', [inbox.id]);
    const contact = await sql.query<{ id: string }>('insert into contacts (account_id, name) values ($1, $2) returning id', [rows[0].account_id, name]);
    const conversation = await sql.query<{ id: string }>('insert into conversations (account_id, inbox_id, contact_id) values ($1, $2, $3) returning id', [rows[0].account_id, inbox.id, contact.rows[0].id]);
    return conversation.rows[0].id;
  }

  afterAll(async () => {
    await sql?.end();
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy?.close();
    await db?.drop();
  });

  const messagesAfter = async (server: Server, after: number): Promise<EventMessage[]> => {
    const res = await fetch(`${server.url}/api/v1/conversations/${conversationId}/messages?after=${after}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { data: (EventMessage & { kind: string })[]; next_cursor: string | null };
    expect(page.next_cursor).toBeNull();
    return page.data;
  };

  function connectAgent(server: Server): Promise<Agent> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/realtime`, { headers: { authorization: `Bearer ${token}` } });
      const agent: Agent = { socket, live: [], held: new Map(), gaps: [], resyncs: [] };
      const seen = new Set<number>();
      const last = () => Math.max(0, ...agent.held.keys());
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { type: string; id?: number; event?: string; conversation_id?: string; data?: { message?: EventMessage } };
        if (frame.type === 'ready') resolve(agent);
        if (frame.event !== 'message.created' || frame.conversation_id !== conversationId) return;
        // A push that timed out in a partition may still have gone through before it is sent again:
        // like the apps, the client drops a repeat by its event id.
        if (seen.has(frame.id!)) return;
        seen.add(frame.id!);
        const m = frame.data!.message!;
        agent.live.push(m.content);
        const held = last();
        if (m.seq > held + 1) {
          // Missed events: fetch everything after the last one held.
          agent.gaps.push([held, m.seq]);
          agent.resyncs.push(messagesAfter(server, held).then((missed) => missed.forEach((x) => agent.held.set(x.seq, x))));
        }
        agent.held.set(m.seq, m);
      });
      socket.on('error', reject);
    });
  }

  interface Ack {
    content: string;
    status: number;
    id?: string;
    seq?: number;
    ms: number;
  }

  /** Posts a reply (with a client message id) and records what the API answered, and how fast. */
  async function post(server: Server, content: string): Promise<Ack> {
    const started = Date.now();
    const res = await fetch(`${server.url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content, client_message_id: randomUUID() }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { id?: string; seq?: number };
    return { content, status: res.status, id: body.id, seq: body.seq, ms: Date.now() - started };
  }

  const until = async (check: () => boolean, ms = 5000) => {
    for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
    return check();
  };

  async function outage(mode: 'reset' | 'silent') {
    conversationId = await newConversation(mode === 'reset' ? 'Olga' : 'Pavel');
    const agent = await connectAgent(b);
    const acks: Ack[] = [];

    // Before: live delivery across nodes works (written on A, heard on B).
    for (let i = 1; i <= 5; i++) acks.push(await post(i % 2 ? a : b, `before ${i}`));
    expect(await until(() => agent.live.length === 5)).toBe(true);
    expect(agent.live).toEqual(['before 1', 'before 2', 'before 3', 'before 4', 'before 5']);
    expect(proxy.open()).toBeGreaterThanOrEqual(4);

    // Redis goes away in the middle of a burst of writes on both nodes.
    const burst = Array.from({ length: 30 }, (_, i) => `during ${i + 1}`);
    const writes = burst.map((content, i) => new Promise<Ack>((resolve) => setTimeout(() => resolve(post(i % 2 ? a : b, content)), i * 40)));
    await new Promise((r) => setTimeout(r, 300));
    proxy.cut(mode);
    acks.push(...(await Promise.all(writes)));
    // And it stays away a while longer, with writes going on.
    for (let i = 1; i <= 5; i++) acks.push(await post(i % 2 ? a : b, `outage ${i}`));
    if (mode === 'reset') expect(proxy.open()).toBe(0);
    const readyz = await fetch(`${a.url}/readyz`);
    expect(readyz.status).toBe(200);

    // Writing does not need Redis: every request was answered, quickly, as stored.
    const failed = acks.filter((x) => x.status !== 201);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(Math.max(...acks.map((x) => x.ms)), 'slowest write (ms)').toBeLessThan(5000);
    // Both nodes are still alive.
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    // What the agent heard live stopped at the cut (some of the burst may have gone out before it).
    const heardDuringOutage = agent.live.length;
    expect(heardDuringOutage).toBeLessThan(acks.length);

    // Redis is back: live delivery resumes by itself on both nodes. Probe until a fresh write
    // through each node is heard live (each reconnects on its own backoff, at most 2 s apart).
    proxy.restore();
    let probes = 0;
    const resumed = async (server: Server) => {
      for (const end = Date.now() + 20_000; Date.now() < end; ) {
        const ack = await post(server, `probe ${++probes}`);
        acks.push(ack);
        if (await until(() => agent.live.includes(ack.content), 1000)) return true;
      }
      return false;
    };
    expect(await resumed(a), `live delivery did not resume through A:\n${a.output()}`).toBe(true);
    expect(await resumed(b), `live delivery did not resume through B:\n${b.output()}`).toBe(true);
    // From here on everything is live again, written on either node.
    for (let i = 1; i <= 10; i++) acks.push(await post(i % 2 ? a : b, `after ${i}`));
    expect(await until(() => agent.live.filter((c) => c.startsWith('after ')).length === 10)).toBe(true);
    expect(agent.live.filter((c) => c.startsWith('after '))).toEqual(Array.from({ length: 10 }, (_, i) => `after ${i + 1}`));

    // What could not be pushed while Redis was away went back to the outbox and was pushed when it
    // returned: with Redis stopped, every acknowledged message reached the open socket, late but
    // once. (In a partition a push can still be lost: Redis may take a publish while a node's
    // subscription is not yet back. Then the gap in sequence numbers makes the client resync.)
    if (mode === 'reset') {
      expect(await until(() => acks.every((x) => agent.live.includes(x.content)), 10_000), `not pushed after the outage: ${acks.filter((x) => !agent.live.includes(x.content)).map((x) => x.content).join(', ')}`).toBe(true);
    }
    expect(new Set(agent.live).size).toBe(agent.live.length);
    await Promise.all(agent.resyncs);

    // No acknowledged message is lost: each is in the database once, with the id and seq the API gave.
    expect(acks.every((x) => x.status === 201)).toBe(true);
    const stored = await sql.query<{ id: string; seq: number; content: string }>("select id, seq, content from messages where conversation_id = $1 and kind = 'text' order by seq", [conversationId]);
    expect(stored.rows.map((r) => r.content).sort()).toEqual(acks.map((x) => x.content).sort());
    for (const ack of acks) expect(stored.rows.find((r) => r.id === ack.id)).toMatchObject({ seq: ack.seq, content: ack.content });

    // What the client holds after resync is the whole conversation, in order, each once.
    const held = [...agent.held.values()].sort((x, y) => x.seq - y.seq);
    expect(held.map((m) => m.content)).toEqual(stored.rows.map((r) => r.content));
    expect(held.map((m) => m.id)).toEqual(stored.rows.map((r) => r.id));
    // And the REST history from the start agrees (the resync source).
    expect((await messagesAfter(b, 0)).map((m) => m.id)).toEqual(stored.rows.map((r) => r.id));
    agent.socket.close();
  }

  it('Redis stops: every acknowledged message is kept, a socket that missed events resyncs by seq, live delivery resumes when Redis is back', () => outage('reset'), 60_000);

  it('Redis unreachable without a word (partition): writes answer within seconds, and the same holds', () => outage('silent'), 60_000);
});

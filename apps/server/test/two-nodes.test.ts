/**
 * Scale-out: two server processes on one PostgreSQL and one Redis. An agent connected to node B
 * sees live what is written through node A, and the other way round.
 * Needs a PostgreSQL server (TEST_DATABASE_URL) and Redis (REDIS_URL): the embedded database
 * belongs to one process. `.ci/run` runs the suite against both, so this runs in CI.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from './databases.js';
import { run, startServer, tempDataDir, type Server } from './process-harness.js';

const servers = !!process.env.TEST_DATABASE_URL && !!process.env.REDIS_URL;

describe.runIf(servers)('two nodes, one PostgreSQL, one Redis', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let a: Server;
  let b: Server;
  let token: string;
  let conversationId: string;

  beforeAll(async () => {
    db = await freshDatabaseUrl();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: `rapport-2n-${randomBytes(4).toString('hex')}:`,
      RAPPORT_SECRET_KEY: randomBytes(32).toString('base64url'),
      RAPPORT_SEED_DEMO: 'false',
    };
    const admin = await run(['create-admin', '--email', 'ops@example.com', '--password', 'two nodes password', '--workspace', 'Scale'], { ...env, RAPPORT_DATA_DIR: tempDataDir() });
    expect(admin.code, admin.stderr).toBe(0);
    token = (await run(['create-token', '--email', 'ops@example.com', '--name', 'two nodes'], { ...env, RAPPORT_DATA_DIR: tempDataDir() })).stdout.trim();
    [a, b] = await Promise.all([startServer({ ...env, RAPPORT_DATA_DIR: tempDataDir() }), startServer({ ...env, RAPPORT_DATA_DIR: tempDataDir() })]);

    // A conversation to talk in (the customer side arrives with the widget): an inbox via the API, the rest in SQL.
    const inbox = (await (await fetch(`${a.url}/api/v1/inboxes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'webchat', name: 'Site' }) })).json()) as { id: string };
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ account_id: string }>('select account_id from inboxes where id = $1', [inbox.id]);
    const contact = await client.query<{ id: string }>('insert into contacts (account_id, name) values ($1, $2) returning id', [rows[0].account_id, 'Natalie']);
    const conversation = await client.query<{ id: string }>('insert into conversations (account_id, inbox_id, contact_id) values ($1, $2, $3) returning id', [rows[0].account_id, inbox.id, contact.rows[0].id]);
    conversationId = conversation.rows[0].id;
    await client.end();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  function listen(server: Server): Promise<{ socket: WebSocket; contents: string[] }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/realtime`, { headers: { authorization: `Bearer ${token}` } });
      const contents: string[] = [];
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { type: string; event?: string; data?: { message?: { content: string } } };
        if (frame.type === 'ready') resolve({ socket, contents });
        if (frame.event === 'message.created') contents.push(frame.data!.message!.content);
      });
      socket.on('error', reject);
    });
  }

  const send = (server: Server, content: string) =>
    fetch(`${server.url}/api/v1/conversations/${conversationId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ content }) });

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 150 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
    return check();
  };

  it('delivers a message written on node A to an agent on node B, and back', async () => {
    const onA = await listen(a);
    const onB = await listen(b);
    expect((await send(a, 'from node A')).status).toBe(201);
    expect(await until(() => onB.contents.includes('from node A'))).toBe(true);
    expect((await send(b, 'from node B')).status).toBe(201);
    expect(await until(() => onA.contents.includes('from node B'))).toBe(true);
    // Each node's listener gets each event exactly once.
    await new Promise((r) => setTimeout(r, 200));
    expect(onA.contents).toEqual(['from node A', 'from node B']);
    expect(onB.contents).toEqual(['from node A', 'from node B']);
    onA.socket.close();
    onB.socket.close();
  });
});

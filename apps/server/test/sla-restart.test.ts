/**
 * SLA timers are durable: a conversation starts under a two-minute first-response target, the
 * server (the app and its job workers) stops before the due time and starts again after it, and
 * the breach fires exactly once. Runs `rapport start` as a real process, on the embedded database
 * (its data folder survives the stop) and on PostgreSQL (and Redis) when TEST_DATABASE_URL (and
 * REDIS_URL) are set.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from './databases.js';
import { run, startServer, tempDataDir, type Server } from './process-harness.js';

describe('an SLA timer across a restart', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let env: Record<string, string | undefined>;
  let server: Server;
  let token: string;

  beforeAll(async () => {
    db = await freshDatabaseUrl();
    env = {
      RAPPORT_DATA_DIR: tempDataDir(),
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: `rapport-sla-${randomBytes(4).toString('hex')}:`,
      RAPPORT_SECRET_KEY: randomBytes(32).toString('base64url'),
      RAPPORT_SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    };
    const admin = await run(['create-admin', '--email', 'ops@example.com', '--password', 'sla restart password', '--workspace', 'Timers'], env, 240_000);
    expect(admin.code, admin.stderr).toBe(0);
    token = (await run(['create-token', '--email', 'ops@example.com', '--name', 'sla'], env, 240_000)).stdout.trim();
    server = await startServer(env, 180_000);
  }, 600_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.drop();
  });

  async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }): Promise<T> {
    const res = await fetch(`${server.url}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  type Sla = { next: { due_at: string | null; breached: boolean } | null; targets: Array<{ target: string; breached_at: string | null }> };

  it('fires the breach once after the server was down at its due time', async () => {
    await api('POST', '/api/v1/sla-policies', { name: 'Two minutes', first_response_minutes: 2, business_hours: false });
    const inbox = await api<{ widget_key: string }>('POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Site' });
    const session = await api<{ visitor_token: string }>('POST', '/api/v1/widget/sessions', { widget_key: inbox.widget_key }, {});
    await api('POST', '/api/v1/widget/messages', { content: 'Is anyone there?', client_message_id: 'first' }, { 'x-visitor-token': session.visitor_token });
    const [conversation] = (await api<{ data: Array<{ id: string }> }>('GET', '/api/v1/conversations?status=all')).data;

    // The reactor set the clock and its timer.
    let sla: Sla | undefined;
    for (let i = 0; i < 100 && !sla?.next?.due_at; i++) {
      sla = await api<Sla>('GET', `/api/v1/conversations/${conversation.id}/sla`);
      if (!sla.next?.due_at) await sleep(100);
    }
    const due = new Date(sla!.next!.due_at!);
    expect(due.getTime() - Date.now()).toBeGreaterThan(20_000);

    await server.stop();
    expect(server.child.exitCode).toBe(0);
    await sleep(due.getTime() - Date.now() + 2_000);
    server = await startServer(env, 180_000);

    const breached = async () => (await api<Sla>('GET', `/api/v1/conversations/${conversation.id}/sla`)).next?.breached;
    for (let i = 0; i < 150 && !(await breached()); i++) await sleep(200);
    expect(await breached()).toBe(true);
    // A moment longer: nothing fires it a second time.
    await sleep(3_000);
    const thread = await api<{ data: Array<{ kind: string; content: string }> }>('GET', `/api/v1/conversations/${conversation.id}/messages`);
    expect(thread.data.filter((m) => m.kind === 'system').map((m) => m.content)).toEqual(['First response SLA breached (policy “Two minutes”)']);
  }, 400_000);
});

/**
 * SECURITY 32: the server is killed (SIGKILL) right after a message commits, before the client got
 * its acknowledgement; after a restart the client retries with the same client_message_id → one
 * message, and the answer gives the client its server id.
 *
 * The visitor's request goes through a TCP relay in this test. The server answers only after the
 * message's transaction has committed, so the relay takes the first byte of the answer as the sign
 * that the commit happened: it kills the server at that moment and forwards nothing, so the client
 * never sees the acknowledgement. Runs on the embedded database (its data folder must survive the
 * kill) and on PostgreSQL (and Redis) when TEST_DATABASE_URL (and REDIS_URL) are set.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from './databases.js';
import { run, startServer, tempDataDir, type Server } from './process-harness.js';

describe('the server killed right after a message commits (SECURITY 32)', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let env: Record<string, string | undefined>;
  let server: Server;
  let token: string;
  let widgetKey: string;

  beforeAll(async () => {
    db = await freshDatabaseUrl();
    env = {
      RAPPORT_DATA_DIR: tempDataDir(),
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: `rapport-crash-${randomBytes(4).toString('hex')}:`,
      RAPPORT_SECRET_KEY: randomBytes(32).toString('base64url'),
      RAPPORT_SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    };
    const admin = await run(['create-admin', '--email', 'ops@example.com', '--password', 'crash retry password', '--workspace', 'Crash'], env);
    expect(admin.code, admin.stderr).toBe(0);
    token = (await run(['create-token', '--email', 'ops@example.com', '--name', 'crash'], env)).stdout.trim();
    server = await startServer(env);
    const inbox = await api<{ widget_key: string }>('POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Site' });
    widgetKey = inbox.widget_key;
  }, 120_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.drop();
  });

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  const send = (base: string, visitorToken: string, content: string, clientMessageId: string) =>
    fetch(`${base}/api/v1/widget/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-visitor-token': visitorToken, connection: 'close' },
      body: JSON.stringify({ content, client_message_id: clientMessageId }),
      signal: AbortSignal.timeout(20_000),
    });

  /** A relay to the server that SIGKILLs it when its answer starts, and forwards none of it. */
  async function killingRelay(target: Server): Promise<{ url: string; killed: () => boolean; close: () => void }> {
    let killed = false;
    const port = Number(new URL(target.url).port);
    const relay = net.createServer((client) => {
      const upstream = net.connect(port, '127.0.0.1');
      client.pipe(upstream);
      upstream.once('data', () => {
        if (!killed) target.child.kill('SIGKILL');
        killed = true;
        client.destroy();
        upstream.destroy();
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(relay.address() as net.AddressInfo).port}`, killed: () => killed, close: () => relay.close() };
  }

  it('stores the message once, and the retry with the same client id answers its server id', async () => {
    const session = (await (await fetch(`${server.url}/api/v1/widget/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ widget_key: widgetKey }) })).json()) as { visitor_token: string };
    const visitor = session.visitor_token;
    const first = await send(server.url, visitor, 'Hello, is anyone there?', randomUUID());
    expect(first.status).toBe(201);

    // The message whose acknowledgement is lost with the server.
    const clientId = randomUUID();
    const relay = await killingRelay(server);
    const lost = await send(relay.url, visitor, 'My order #7781 never arrived', clientId).then(
      (res) => `answered ${res.status}`,
      (err: Error) => `failed: ${err.message}`,
    );
    relay.close();
    expect(relay.killed()).toBe(true);
    expect(lost).toMatch(/^failed/);
    await server.stop();
    expect(server.child.signalCode).toBe('SIGKILL');

    // Restart on the same data; the client retries with the same client message id.
    server = await startServer(env);
    const retry = await send(server.url, visitor, 'My order #7781 never arrived', clientId);
    // 200, not 201: the message was already stored when the server died, and this is it.
    expect(retry.status).toBe(200);
    const acknowledged = (await retry.json()) as { id: string; seq: number; client_message_id: string; content: string };
    expect(acknowledged).toMatchObject({ client_message_id: clientId, content: 'My order #7781 never arrived' });

    // Exactly one such message, and it is the one the retry named.
    const list = await api<{ data: { id: string; contact: { name: string } }[] }>('GET', '/api/v1/conversations?status=all');
    expect(list.data).toHaveLength(1);
    const messages = await api<{ data: { id: string; seq: number; content: string; client_message_id: string | null }[] }>('GET', `/api/v1/conversations/${list.data[0].id}/messages`);
    const copies = messages.data.filter((m) => m.client_message_id === clientId || m.content === 'My order #7781 never arrived');
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ id: acknowledged.id, seq: acknowledged.seq });

    // A second retry (the client did not hear this answer either) changes nothing.
    const again = await send(server.url, visitor, 'My order #7781 never arrived', clientId);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(acknowledged.id);
    const after = await api<{ data: { content: string }[] }>('GET', `/api/v1/conversations/${list.data[0].id}/messages`);
    expect(after.data.filter((m) => m.content === 'My order #7781 never arrived')).toHaveLength(1);
  }, 90_000);
});

/** The product as a newcomer and a provisioning script meet it: the CLI and the server process. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from './databases.js';
import { run, startServer, tempDataDir, type Server } from './process-harness.js';

const started: Server[] = [];
afterAll(async () => {
  for (const s of started) await s.stop('SIGKILL');
});

describe('rapport --help', () => {
  it('lists the commands, and each command explains itself', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['start', 'migrate', 'create-admin', 'create-token', 'seed-demo']) expect(top.stdout).toContain(c);
    const admin = await run(['create-admin', '--help']);
    expect(admin.code).toBe(0);
    expect(admin.stdout).toContain('--email E --password P --workspace W');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});

describe('a wrong configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT: expected a port number'],
    [{ DATABASE_URL: 'mysql://localhost/rapport' }, 'DATABASE_URL: expected a postgres:// or postgresql:// URL'],
    [{ DATABASE_URL: 'postgres://127.0.0.1:1/rapport' }, 'DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1/rapport'],
    [{ REDIS_URL: 'redis://127.0.0.1:1' }, 'REDIS_URL: cannot connect to Redis at 127.0.0.1:1'],
    [{ RAPPORT_SEED_DEMO: 'maybe' }, 'RAPPORT_SEED_DEMO: expected true or false'],
  ])('%o → one clear line naming the variable, exit 1', async (env, message) => {
    const res = await run(['start'], { RAPPORT_DATA_DIR: tempDataDir(), ...env }, 30_000);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(message);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).not.toMatch(/^\s+at /m); // no stack trace
  });
});

describe('rapport start', () => {
  it('seeds a demo workspace on the first start only, keeps data, and stops gracefully on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const db = await freshDatabaseUrl();
    try {
      const env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: db.url };
      const first = await startServer(env);
      started.push(first);
      const banner = /Email:\s+(\S+)\s.*\n.*Password:\s+(\S+)/.exec(first.output());
      expect(banner, first.output()).not.toBeNull();
      const [, email, password] = banner!;
      const login = await fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const conversations = (await (await fetch(`${first.url}/api/v1/conversations`, { headers: { cookie } })).json()) as { data: unknown[] };
      expect(conversations.data.length).toBeGreaterThanOrEqual(5);
      const app = await fetch(`${first.url}/inbox`);
      expect(app.status).toBe(200);
      expect(await app.text()).toContain('<div id="root">');

      // An in-flight request (a sign-in, which takes a while to hash) finishes before the exit.
      const inFlight = fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      await new Promise((r) => setTimeout(r, 30));
      const code = first.stop('SIGTERM');
      expect((await inFlight).status).toBe(200);
      expect(await code, first.output().slice(-1500)).toBe(0);
      if (!db.url) expect(fs.existsSync(path.join(dataDir, 'rapport.pid'))).toBe(false);

      const second = await startServer(env);
      started.push(second);
      expect(second.output()).not.toContain('Password:');
      const again = await fetch(`${second.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      expect(again.status).toBe(200);
      expect(await second.stop()).toBe(0);
    } finally {
      await db.drop();
    }
  }, 90_000); // several processes, each starting Node and opening the database

  it('create-admin and create-token provision non-interactively; the token works', async () => {
    const dataDir = tempDataDir();
    const db = await freshDatabaseUrl();
    try {
      const env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: db.url, RAPPORT_SEED_DEMO: 'false' };
      const admin = await run(['create-admin', '--email', 'ops@example.com', '--password', 'a strong password', '--workspace', 'Ops'], env);
      expect(admin.stderr).toBe('');
      expect(admin.code).toBe(0);
      expect(admin.stdout).toContain('Created workspace "Ops"');
      const dup = await run(['create-admin', '--email', 'ops@example.com', '--password', 'a strong password', '--workspace', 'Again'], env);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain('already exists');
      const weak = await run(['create-admin', '--email', 'x@example.com', '--password', 'short', '--workspace', 'W'], env);
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain('--password must be at least 8 characters');

      const token = await run(['create-token', '--email', 'ops@example.com', '--name', 'provisioning'], env);
      expect(token.code).toBe(0);
      const value = token.stdout.trim();
      expect(value).toMatch(/^rpt_[\w-]{43}$/);

      const server = await startServer(env);
      started.push(server);
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${value}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { email: 'ops@example.com' }, role: 'owner', workspace: { name: 'Ops' } });

      if (!db.url) {
        // The embedded database is one process's at a time: the CLI says so instead of corrupting it.
        const busy = await run(['create-admin', '--email', 'b@example.com', '--password', 'a strong password', '--workspace', 'B'], env);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toMatch(/RAPPORT_DATA_DIR: the embedded database in .* is in use by another Rapport process \(pid \d+\); stop that server first/);
      }
      expect(await server.stop()).toBe(0);
    } finally {
      await db.drop();
    }
  }, 90_000); // several processes, each starting Node and opening the database
});

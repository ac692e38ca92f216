/**
 * Test plumbing: a fresh database per test file (PGlite in memory, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL), the real app built on it, and plain factories.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { freshDatabaseUrl } from './databases.js';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { build } from '../src/app.js';
import { loadConfig, type Config } from '../src/core/config.js';
import { createLimiters, connectRedis, type AppContext } from '../src/core/context.js';
import { secretBox } from '../src/core/crypto-box.js';
import { openDatabase, withPlugin } from '../src/core/db/index.js';
import { migrate } from '../src/core/db/migrate.js';
import { inProcessBus, redisBus } from '../src/core/bus.js';
import { createOutbox } from '../src/core/outbox.js';
import { createJobs } from '../src/core/jobs.js';
import { TenantGuardPlugin, scoped, unscoped } from '../src/core/db/tenant.js';
import { runReactions, type Reactor } from '../src/core/reactions.js';
import type { Role } from '../src/core/db/schema.js';
import { hashPassword, hashToken, newToken } from '../src/core/auth/secrets.js';
import type { Api } from '../src/core/http/types.js';

export const PASSWORD = 'correct horse battery staple';
export const ORIGIN = 'http://localhost:3000';
let passwordHash: Promise<string> | undefined;
const fastHash = () => (passwordHash ??= hashPassword(PASSWORD));

export interface TestApp {
  app: Api;
  ctx: AppContext;
  routes: Array<{ method: string; url: string; access: string | undefined }>;
  close(): Promise<void>;
}

/** A new, empty, migrated database and the app on top of it. */
export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-test-'));
  const database = await freshDatabaseUrl();
  const config: Config = {
    ...loadConfig({ RAPPORT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RAPPORT_SEED_DEMO: 'false', PORT: '3000' }),
    databaseUrl: database.url,
    redisUrl: process.env.REDIS_URL || undefined,
    loginMaxPerIp: 10_000,
    // Each test app gets its own Redis key space, so runs sharing one Redis do not collide.
    redisPrefix: `rapport-test-${randomBytes(4).toString('hex')}:`,
    ...overrides,
  };
  const handle = await openDatabase(config);
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  const db = withPlugin(handle.db, new TenantGuardPlugin());
  const bus = config.redisUrl ? await redisBus(config.redisUrl, config.redisPrefix) : inProcessBus();
  const ctx: AppContext = {
    config,
    db,
    redis,
    bus,
    outbox: createOutbox(db, bus),
    jobs: createJobs(db),
    box: secretBox('test-secret-key-of-at-least-32-characters'),
    limiters: createLimiters(config, redis),
  };
  await migrate(ctx.db);
  const routes: TestApp['routes'] = [];
  // TEST_LOG=error shows what a 500 was about.
  const app = await build(ctx, { logger: process.env.TEST_LOG ? { level: process.env.TEST_LOG } : false, onRoute: (r) => routes.push(r) });
  await app.ready();
  return {
    app,
    ctx,
    routes,
    async close() {
      await app.close();
      await ctx.jobs.stop();
      await bus.close();
      await handle.close();
      if (redis) await redis.quit();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Person {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface WorkspaceFixture {
  accountId: string;
  owner: Person;
}

export const uniqueEmail = (label = 'person') => `${label}.${randomUUID().slice(0, 8)}@example.com`;

/** A workspace with an owner, written straight to the database (fast; no HTTP). */
export async function makeWorkspace(t: TestApp, name = 'Workspace'): Promise<WorkspaceFixture> {
  const account = await t.ctx.db.insertInto('accounts').values({ name }).returning('id').executeTakeFirstOrThrow();
  const owner = await makeMember(t, account.id, 'owner');
  return { accountId: account.id, owner };
}

export async function makeMember(t: TestApp, accountId: string, role: Role, email = uniqueEmail(role)): Promise<Person> {
  const name = `${role} ${email.slice(0, 12)}`;
  const user = await t.ctx.db.insertInto('users').values({ email, name, password_hash: await fastHash() }).returning('id').executeTakeFirstOrThrow();
  await scoped(t.ctx.db, accountId).insertInto('memberships', { user_id: user.id, role }).execute();
  return { id: user.id, email, name, role };
}

/** A signed-in browser session for a person, as cookie + same-origin headers. */
export async function sessionFor(t: TestApp, userId: string, accountId: string | null): Promise<Record<string, string>> {
  const token = newToken();
  await t.ctx.db.insertInto('sessions').values({ user_id: userId, token_hash: hashToken(token), current_account_id: accountId, expires_at: new Date(Date.now() + 86_400_000) }).execute();
  return { cookie: `rapport_session=${token}`, origin: ORIGIN };
}

export async function tokenFor(t: TestApp, userId: string, accountId: string, role: Role): Promise<Record<string, string>> {
  const token = newToken('rpt_');
  await scoped(t.ctx.db, accountId).insertInto('api_tokens', { user_id: userId, name: 'test', role, token_hash: hashToken(token), prefix: token.slice(0, 10) }).execute();
  return { authorization: `Bearer ${token}` };
}

/** Signs in through the real endpoint; returns the session headers. */
export async function login(t: TestApp, email: string, password = PASSWORD, extra: Record<string, unknown> = {}): Promise<{ res: LightMyRequestResponse; headers: Record<string, string> }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email, password, ...extra } });
  const cookie = res.cookies.find((c) => c.name === 'rapport_session');
  return { res, headers: cookie ? { cookie: `rapport_session=${cookie.value}`, origin: ORIGIN } : {} };
}

export const json = <T = Record<string, unknown>>(res: LightMyRequestResponse): T => res.json() as T;

/** Polls until `fn` answers something truthy (what a person waiting for it would see), or fails naming `what`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs these reactors until no event is left for them, as the dispatcher would over a few ticks.
 * One empty claim is not enough on PostgreSQL: the outbox publisher may hold a just-written event's
 * row for a moment, and the claim skips locked rows (they are taken on the next run).
 */
export async function drainReactions(t: TestApp, reactors: readonly Reactor[], log: { error: (...args: never[]) => void } = { error: () => {} }): Promise<void> {
  for (;;) {
    while ((await runReactions(t.ctx, reactors, log as Parameters<typeof runReactions>[2])) > 0);
    // Any workspace's: the test app's database is the test file's own.
    const left = await unscoped(t.ctx.db).selectFrom('outbox_events').select('id').where('react_pending', '=', true).limit(1).executeTakeFirst();
    if (!left) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Access and tenancy (SECURITY 1–5): every API route, called by every kind of caller with
 * workspace A's real ids, answers what the committed matrix says; refused calls change nothing;
 * nothing of A ever shows up in an answer to workspace B.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app.js';
import { scoped, unscoped, UnscopedQueryError } from '../src/core/db/tenant.js';
import { accessMatrix, callers } from './access-matrix.js';
import { makeFixture, snapshotOfA, type Fixture } from './access-fixture.js';
import { json, sessionFor, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let f: Fixture;

beforeAll(async () => {
  t = await startTestApp();
  f = await makeFixture(t);
});
afterAll(async () => t?.close());

const apiRoutes = () => t.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/v1/docs')).map((r) => `${r.method} ${r.url}`);

describe('the access matrix', () => {
  it('has an entry for every API route, and no entry for a route that does not exist', () => {
    const routes = apiRoutes();
    const missing = routes.filter((r) => !(r in accessMatrix));
    expect(missing, 'add these routes to apps/server/test/access-matrix.ts').toEqual([]);
    expect(Object.keys(accessMatrix).filter((k) => !routes.includes(k))).toEqual([]);
  });

  it('a route without an access rule stops the server from starting', async () => {
    const app = await build(t.ctx, { logger: false });
    expect(() => app.get('/api/v1/forgotten', async () => ({ leaked: true }))).toThrow(/no access rule/);
    await app.close();
  });

  it.each(Object.entries(accessMatrix))('%s', async (route, spec) => {
    const [method, pattern] = route.split(' ');
    // The whole matrix comes from one address: its refused visitor tokens would trip the guessing limit (SECURITY 29).
    await t.ctx.limiters.widgetBadTokensPerIp.reset('127.0.0.1');
    for (const caller of callers) {
      const params = spec.params ? await spec.params(f) : {};
      const url = pattern.replace(/:(\w+)/g, (_, name: string) => params[name]) + (spec.query ?? '');
      const raw = spec.raw?.();
      const payload = raw ? raw.payload : spec.body ? await spec.body(f) : ['POST', 'PATCH', 'PUT'].includes(method) ? {} : undefined;
      const headers = { ...(await f.headers(caller)), ...raw?.headers };
      const before = await snapshotOfA(t, f.a.accountId);
      // Each call from its own address: per-IP limits (bad visitor tokens) must not trip over the matrix itself.
      const remoteAddress = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
      const res = await t.app.inject({ method: method as 'GET', url, headers, remoteAddress, ...(payload !== undefined ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${caller} → ${route}: ${res.body.slice(0, 300)}`).toBe(spec.expect[caller]);
      if (res.statusCode >= 400) expect(json(res).error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      const access = t.routes.find((r) => `${r.method} ${r.url}` === route)?.access;
      if (caller === 'anonymous' && access !== 'public') expect(json(res).error).toMatchObject({ code: 'unauthenticated' });
      if ([401, 403, 404].includes(res.statusCode)) {
        expect(await snapshotOfA(t, f.a.accountId), `${caller} → ${route} was refused but changed workspace A`).toEqual(before);
      }
      if (caller === 'outsider' && res.statusCode < 300) {
        // An agent outside the inbox never sees its conversations, even in lists (SECURITY 6).
        expect(res.body.includes(f.a.conversationId), `${route} showed the outsider a conversation of an inbox they do not work in`).toBe(false);
      }
      if (caller === 'otherAdmin' && res.statusCode < 300 && !route.includes('/auth/') && !route.includes('invitations/lookup') && !route.includes('openapi')) {
        const leaked = [...f.idsOfA].filter((id) => res.body.includes(id));
        expect(leaked, `${route} showed workspace A's ids to workspace B`).toEqual([]);
      }
    }
  });
});

describe('tenancy', () => {
  it("a body naming another workspace's account_id is refused and nothing moves", async () => {
    const bAdmin = await sessionFor(t, f.b.admin.id, f.b.accountId);
    const team = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: bAdmin, payload: { name: 'B team' } });
    const teamId = json<{ id: string }>(team).id;
    const moved = await t.app.inject({ method: 'PATCH', url: `/api/v1/teams/${teamId}`, headers: bAdmin, payload: { name: 'Moved?', account_id: f.a.accountId } });
    expect(moved.statusCode).toBe(400);
    expect(json(moved)).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'account_id', message: 'is not an allowed field' }] } });
    const row = await unscoped(t.ctx.db).selectFrom('teams').select(['account_id', 'name']).where('id', '=', teamId).executeTakeFirstOrThrow();
    expect(row).toEqual({ account_id: f.b.accountId, name: 'B team' });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: bAdmin, payload: { name: 'Sneaky', account_id: f.a.accountId } });
    expect(created.statusCode).toBe(400);
    expect(await scoped(t.ctx.db, f.a.accountId).selectFrom('teams').select('id').where('name', '=', 'Sneaky').execute()).toEqual([]);
  });

  it("nested ids of another workspace's people are refused per id, nothing linked (SECURITY 4)", async () => {
    const bAdmin = await sessionFor(t, f.b.admin.id, f.b.accountId);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: bAdmin, payload: { name: 'Poachers', member_ids: [f.b.admin.id, f.a.agent.id] } });
    expect(res.statusCode).toBe(422);
    expect(json(res)).toMatchObject({ error: { code: 'invalid_reference', details: [{ field: 'member_ids', id: f.a.agent.id }] } });
    expect(await scoped(t.ctx.db, f.b.accountId).selectFrom('teams').select('id').where('name', '=', 'Poachers').execute()).toEqual([]);
  });

  it('an agent cannot raise their own role or grant roles above their own (SECURITY 3)', async () => {
    const agent = await sessionFor(t, f.a.agent.id, f.a.accountId);
    const self = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${f.a.agent.id}`, headers: agent, payload: { role: 'owner' } });
    expect(self.statusCode).toBe(403);
    const profile = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: agent, payload: { name: 'Still agent', role: 'owner' } });
    expect(profile.statusCode).toBe(400);
    const token = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: agent, payload: { name: 'escalate', role: 'admin' } });
    expect(token.statusCode).toBe(403);
    const m = await scoped(t.ctx.db, f.a.accountId).selectFrom('memberships').select('role').where('user_id', '=', f.a.agent.id).executeTakeFirstOrThrow();
    expect(m.role).toBe('agent');
  });

  it('an admin cannot touch an owner; a token never outranks its owner', async () => {
    const admin = await sessionFor(t, f.a.admin.id, f.a.accountId);
    const owner = await scoped(t.ctx.db, f.a.accountId).selectFrom('memberships').select('user_id').where('role', '=', 'owner').executeTakeFirstOrThrow();
    const demote = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${owner.user_id}`, headers: admin, payload: { role: 'agent' } });
    expect(demote.statusCode).toBe(403);
    const remove = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${owner.user_id}`, headers: admin });
    expect(remove.statusCode).toBe(403);

    const person = await f.member('admin');
    const headers = await f.headers('admin');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: await sessionFor(t, person.id, f.a.accountId), payload: { name: 'admin token', role: 'admin' } });
    const bearer = { authorization: `Bearer ${json<{ token: string }>(created).token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit-events', headers: bearer })).statusCode).toBe(200);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${person.id}`, headers, payload: { role: 'agent' } });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit-events', headers: bearer })).statusCode).toBe(403);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${person.id}`, headers });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
  });

  it('the data layer refuses a query on a workspace table without account_id', async () => {
    await expect(t.ctx.db.selectFrom('teams').selectAll().execute()).rejects.toBeInstanceOf(UnscopedQueryError);
    await expect(t.ctx.db.deleteFrom('contacts').where('name', '=', 'x').execute()).rejects.toBeInstanceOf(UnscopedQueryError);
    await expect(t.ctx.db.updateTable('conversations').set({ subject: 'x' }).execute()).rejects.toBeInstanceOf(UnscopedQueryError);
    await expect(t.ctx.db.insertInto('teams').values({ name: 'x' } as never).execute()).rejects.toBeInstanceOf(UnscopedQueryError);
    // …while the scoped form sees only its own workspace.
    const names = await scoped(t.ctx.db, f.b.accountId).selectFrom('contacts').select('name').execute();
    expect(names.map((n) => n.name)).toEqual(['Customer of B']);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    const expected = apiRoutes().filter((r) => !r.endsWith('/openapi.json'));
    expect(documented.sort()).toEqual(expected.sort());
  });
});

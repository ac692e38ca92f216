/** Bad input gets a clear 4xx with the error shape, and nothing is written (SECURITY 10). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeWorkspace, tokenFor, startTestApp, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let ws: WorkspaceFixture;
let auth: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp();
  ws = await makeWorkspace(t);
  auth = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
});
afterAll(async () => t?.close());

const teamCount = async () => (await scoped(t.ctx.db, ws.accountId).selectFrom('teams').select('id').execute()).length;

async function post(payload: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: { ...auth, 'content-type': 'application/json', ...headers }, payload });
}

describe('request validation', () => {
  it.each([
    ['malformed JSON', '{"name": "Support",', 400, 'invalid_json'],
    ['an empty body', '', 400, 'invalid_json'],
    ['an unknown field', '{"name":"Support","colour":"red"}', 400, 'validation_failed'],
    ['a wrong type', '{"name": 42}', 400, 'validation_failed'],
    ['an object where a string belongs', '{"name":{"$regex":"^a"}}', 400, 'validation_failed'],
    ['an array where an object belongs', '[{"name":"Support"}]', 400, 'validation_failed'],
    ['a __proto__ key', '{"name":"Support","__proto__":{"admin":true}}', 400, 'invalid_json'],
    ['a constructor.prototype key', '{"name":"Support","constructor":{"prototype":{"admin":true}}}', 400, 'invalid_json'],
    ['a missing required field', '{}', 400, 'validation_failed'],
    ['an empty name', '{"name":""}', 400, 'validation_failed'],
    ['a member id that is not a uuid', '{"name":"Support","member_ids":["1 or 1=1"]}', 400, 'validation_failed'],
  ])('%s → %i %s, nothing written', async (_label, payload, status, code) => {
    const before = await teamCount();
    const res = await post(payload);
    expect(res.statusCode).toBe(status);
    expect(json(res)).toEqual({ error: { code, message: expect.any(String), ...(code === 'validation_failed' ? { details: expect.any(Array) } : {}) } });
    expect(await teamCount()).toBe(before);
  });

  it('names every bad field so a form can show it inline', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: auth, payload: { name: '', email: 'not-an-email', password: 'short', role: 'king', extra: 1 } });
    expect(res.statusCode).toBe(400);
    const details = json<{ error: { details: Array<{ field: string; message: string }> } }>(res).error.details;
    expect(details).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'must be at least 1 characters' },
        { field: 'email', message: 'must be a valid email' },
        { field: 'password', message: 'must be at least 8 characters' },
        { field: 'extra', message: 'is not an allowed field' },
        expect.objectContaining({ field: 'role' }),
      ]),
    );
  });

  it('refuses an oversized body with 413', async () => {
    const before = await teamCount();
    const res = await post(JSON.stringify({ name: 'x', description: 'y'.repeat(1024 * 1024 + 10) }));
    expect(res.statusCode).toBe(413);
    expect(json(res)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await teamCount()).toBe(before);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await post('name=Support', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
    expect(json(res)).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('validates query strings and path ids', async () => {
    const badLimit = await t.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=abc', headers: auth });
    expect(badLimit.statusCode).toBe(400);
    expect(json(badLimit)).toMatchObject({ error: { code: 'validation_failed' } });
    const badCursor = await t.app.inject({ method: 'GET', url: "/api/v1/contacts?cursor=' or pg_sleep(5)--", headers: auth });
    expect(badCursor.statusCode).toBe(400);
    const badId = await t.app.inject({ method: 'GET', url: '/api/v1/teams/1%20or%201=1', headers: auth });
    expect(badId.statusCode).toBe(400);
    const unknownParam = await t.app.inject({ method: 'GET', url: '/api/v1/contacts?account_id=x', headers: auth });
    expect(unknownParam.statusCode).toBe(400);
  });

  it('answers unknown API paths with a JSON 404 and request ids on every response', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'x-request-id': 'trace-123' } });
    expect(res.statusCode).toBe(404);
    expect(json(res)).toMatchObject({ error: { code: 'route_not_found' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
    const other = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a Content-Security-Policy that blocks inline script', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline\'; script');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('pages through lists with a cursor', async () => {
    const a = scoped(t.ctx.db, ws.accountId);
    const base = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) await a.insertInto('contacts', { name: `Customer ${i}`, created_at: new Date(base + i * 1000) }).execute();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: auth });
      const body: { data: Array<{ name: string }>; next_cursor: string | null } = json<{ data: Array<{ name: string }>; next_cursor: string | null }>(res);
      seen.push(...body.data.map((c) => c.name));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['Customer 4', 'Customer 3', 'Customer 2', 'Customer 1', 'Customer 0']);
  });
});

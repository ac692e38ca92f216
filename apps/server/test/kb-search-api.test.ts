/**
 * The knowledge base search API: ranked suggestions with scores (recorded as searches), synonym
 * groups admins keep, and the report of searches that found nothing — each workspace's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSearch } from '../src/features/kb/feedback.js';
import { ANSWER_THRESHOLD } from '../src/features/kb/retrieval.js';
import { makeMember, makeWorkspace, sessionFor, startTestApp, tokenFor, type TestApp } from './helpers.js';
import { makeArticle } from './support/kb-content.js';

let t: TestApp;
let a: { accountId: string; admin: Record<string, string>; agent: Record<string, string>; token: Record<string, string> };
let b: { accountId: string; admin: Record<string, string> };
let refunds: string;

beforeAll(async () => {
  t = await startTestApp();
  const wa = await makeWorkspace(t, 'Alpha');
  const agent = await makeMember(t, wa.accountId, 'agent');
  a = { accountId: wa.accountId, admin: await sessionFor(t, wa.owner.id, wa.accountId), agent: await sessionFor(t, agent.id, wa.accountId), token: await tokenFor(t, agent.id, wa.accountId, 'agent') };
  const wb = await makeWorkspace(t, 'Beta');
  b = { accountId: wb.accountId, admin: await sessionFor(t, wb.owner.id, wb.accountId) };
  refunds = await makeArticle(t.ctx.db, a.accountId, { title: 'Refunds', description: 'Getting your money back.', body: 'We pay your money back within 10 days of receiving the return.' });
  await makeArticle(t.ctx.db, a.accountId, { title: 'Shipping', body: 'Parcels take two days.' });
  await makeArticle(t.ctx.db, a.accountId, { title: 'Refund policy for staff', body: 'Internal refund approvals.', visibility: 'internal' });
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

describe('GET /api/v1/kb/suggest', () => {
  it('requires authentication', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/kb/suggest?q=refund' })).statusCode).toBe(401);
  });

  it('answers published public articles with a score, a passage and the public address, and counts the search', async () => {
    const res = await get(`/api/v1/kb/suggest?q=${encodeURIComponent('how do I get my money back')}`, a.token);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { data: Array<Record<string, unknown>>; threshold: number };
    expect(body.threshold).toBe(ANSWER_THRESHOLD);
    expect(body.data[0]).toMatchObject({ article_id: refunds, title: 'Refunds', locale: 'en', passage: expect.stringContaining('money back') });
    expect(body.data[0]!.score).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
    expect(body.data[0]!.url).toMatch(new RegExp(`^http://localhost:3000/help/alpha/en/articles/${refunds}-refunds$`));
    expect(body.data.map((d) => d.title)).not.toContain('Refund policy for staff');

    await get('/api/v1/kb/suggest?q=do+you+sell+skateboards', a.agent);
    const gaps = (await get('/api/v1/kb/search-gaps', a.agent)).json() as { data: Array<{ query: string; searches: number; without_results: number }> };
    expect(gaps.data).toContainEqual(expect.objectContaining({ query: 'do you sell skateboards', searches: 1, without_results: 1 }));
    expect(gaps.data.map((g) => g.query)).not.toContain('how do i get my money back');
  });

  it('refuses bad input', async () => {
    for (const q of ['', '?q=', `?q=${'x'.repeat(501)}`, '?q=refund&limit=0', '?q=refund&locale=%27%3Bselect', '?q=refund&extra=1', '?q[$regex]=a']) {
      expect((await get(`/api/v1/kb/suggest${q}`, a.agent)).statusCode, q).toBe(400);
    }
    expect((await get('/api/v1/kb/suggest?q=%20%20', a.agent)).statusCode).toBe(400);
  });

  it('treats SQL metacharacters as words (SECURITY 9)', async () => {
    for (const q of ["refund'); select pg_sleep(5); --", 'refund & | ! <-> :*', '\\" OR 1=1']) {
      const started = Date.now();
      const res = await get(`/api/v1/kb/suggest?q=${encodeURIComponent(q)}`, a.agent);
      expect(res.statusCode, q).toBe(200);
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('answers only the caller\'s workspace\'s articles', async () => {
    const res = (await get('/api/v1/kb/suggest?q=refunds', b.admin)).json() as { data: unknown[] };
    expect(res.data).toEqual([]);
  });
});

describe('synonym groups', () => {
  it('are listed, added, changed and removed by admins, and used by the search at once', async () => {
    expect((await get('/api/v1/kb/synonyms', a.agent)).statusCode).toBe(403);
    const before = (await get('/api/v1/kb/suggest?q=dosh', a.agent)).json() as { data: Array<{ article_id: string; score: number }> };
    expect(before.data.filter((d) => d.score >= ANSWER_THRESHOLD)).toEqual([]);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: a.admin, payload: { terms: [' Refund ', 'dosh', 'REFUND'] } });
    expect(created.statusCode).toBe(201);
    const group = created.json() as { id: string; terms: string[]; locale: string | null };
    expect(group).toMatchObject({ terms: ['Refund', 'dosh'], locale: null });
    const after = (await get('/api/v1/kb/suggest?q=dosh', a.agent)).json() as { data: Array<{ article_id: string; score: number }> };
    expect(after.data[0]).toMatchObject({ article_id: refunds });
    expect(after.data[0]!.score).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);

    const changed = await t.app.inject({ method: 'PATCH', url: `/api/v1/kb/synonyms/${group.id}`, headers: a.admin, payload: { terms: ['refund', 'payback'], locale: 'en' } });
    expect(changed.json()).toMatchObject({ terms: ['refund', 'payback'], locale: 'en' });
    expect(((await get('/api/v1/kb/synonyms', a.admin)).json() as { data: unknown[] }).data).toHaveLength(1);

    // Another workspace's admin cannot see, change or remove it.
    expect(((await get('/api/v1/kb/synonyms', b.admin)).json() as { data: unknown[] }).data).toEqual([]);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/kb/synonyms/${group.id}`, headers: b.admin, payload: { terms: ['x', 'y'] } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/kb/synonyms/${group.id}`, headers: b.admin })).statusCode).toBe(404);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/kb/synonyms/${group.id}`, headers: a.admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/kb/synonyms/${group.id}`, headers: a.admin })).statusCode).toBe(404);
  });

  it('refuses a group without two different terms, and malformed bodies', async () => {
    const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: a.admin, payload: payload as object });
    expect((await post({ terms: ['refund', 'Refund ', 'réfund'.normalize('NFD').replace(/\u0301/, '')] })).statusCode).toBe(422);
    expect((await post({ terms: ['refund'] })).statusCode).toBe(400);
    expect((await post({ terms: 'refund, money back' })).statusCode).toBe(400);
    expect((await post({ terms: ['a', 'b'], account_id: b.accountId })).statusCode).toBe(400);
    expect((await post({ terms: ['a', 'x'.repeat(61)] })).statusCode).toBe(400);
  });
});

describe('GET /api/v1/kb/search-gaps', () => {
  it('lists the workspace\'s searches that found nothing, most frequent first, across surfaces', async () => {
    const w = await makeWorkspace(t, 'Gamma');
    const admin = await sessionFor(t, w.owner.id, w.accountId);
    for (const [q, source, results] of [
      ['cancel subscription', 'help_center', 0],
      ['Cancel subscription!', 'widget', 0],
      ['cancel subscription', 'bot', 0],
      ['gift wrap', 'help_center', 0],
      ['shipping', 'help_center', 3],
    ] as const) await recordSearch(t.ctx.db, w.accountId, { q, source, results, locale: 'en' });
    const res = (await get('/api/v1/kb/search-gaps', admin)).json() as { data: Array<Record<string, unknown>> };
    expect(res.data.map((d) => [d.query, d.searches, d.without_results])).toEqual([
      ['cancel subscription', 3, 3],
      ['gift wrap', 1, 1],
    ]);
    expect(((await get('/api/v1/kb/search-gaps', b.admin)).json() as { data: Array<{ query: string }> }).data.map((d) => d.query)).not.toContain('gift wrap');
    expect((await get('/api/v1/kb/search-gaps?days=0', admin)).statusCode).toBe(400);
  });
});

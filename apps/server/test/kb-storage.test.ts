/**
 * The knowledge base's storage: a translation's search vector is stemmed in its own language, and
 * retrieval finds published public articles of the caller's workspace only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { findArticles } from '../src/features/kb/retrieval.js';
import { recordSearch, recordVote, voterKey } from '../src/features/kb/feedback.js';
import { articleUrl, helpCenterOf } from '../src/features/kb/help-center-address.js';
import { makeWorkspace, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function article(accountId: string, locale: string, title: string, body: string, opts: { status?: 'draft' | 'published'; visibility?: 'public' | 'internal' } = {}) {
  const a = await scoped(t.ctx.db, accountId).insertInto('kb_articles', { visibility: opts.visibility ?? 'public' }).returning('id').executeTakeFirstOrThrow();
  await scoped(t.ctx.db, accountId).insertInto('kb_article_translations', { article_id: a.id, locale, title, slug: 'x', body, status: opts.status ?? 'published' }).execute();
  return a.id;
}

describe('knowledge base retrieval', () => {
  it('stems in the article language, folds accents, and keeps drafts, internal articles and other workspaces out', async () => {
    const a = await makeWorkspace(t);
    const b = await makeWorkspace(t);
    const refunds = await article(a.accountId, 'en', 'Refunds for cancelled orders', 'We refund cancelled orders within 14 days.');
    const german = await article(a.accountId, 'de', 'Rückerstattung', 'Wir erstatten Bestellungen innerhalb von 14 Tagen zurück.');
    await article(a.accountId, 'en', 'Refund draft', 'refunding draft', { status: 'draft' });
    await article(a.accountId, 'en', 'Refund internals', 'refunding internals', { visibility: 'internal' });
    await article(b.accountId, 'en', 'Refunds elsewhere', 'refund refund refund');

    const hits = await findArticles(t.ctx.db, a.accountId, { q: 'refunding my cancelled order', audience: 'public' });
    expect(hits.map((h) => h.article_id)).toEqual([refunds]);
    expect((await findArticles(t.ctx.db, a.accountId, { q: 'Bestellung', audience: 'public' })).map((h) => h.article_id)).toEqual([german]);
    expect((await findArticles(t.ctx.db, a.accountId, { q: 'ruckerstattung', audience: 'public' })).map((h) => h.article_id)).toEqual([german]);
    expect((await findArticles(t.ctx.db, a.accountId, { q: 'internals', audience: 'agent' })).map((h) => h.title)).toEqual(['Refund internals']);
  });

  it('keeps one vote per voter, moves the counts when a vote changes, and refuses another workspace\'s article', async () => {
    const a = await makeWorkspace(t);
    const b = await makeWorkspace(t);
    const id = await article(a.accountId, 'en', 'Shipping times', 'Parcels take two days.');
    const counts = () => scoped(t.ctx.db, a.accountId).selectFrom('kb_articles').select(['helpful_count', 'unhelpful_count']).where('id', '=', id).executeTakeFirstOrThrow();
    const reader = voterKey('reader', 'cookie-1');
    expect(await recordVote(t.ctx.db, a.accountId, { articleId: id, locale: 'en', voterKey: reader, helpful: true })).toBe(true);
    expect(await recordVote(t.ctx.db, a.accountId, { articleId: id, locale: 'en', voterKey: reader, helpful: true })).toBe(true);
    expect(await counts()).toEqual({ helpful_count: 1, unhelpful_count: 0 });
    await recordVote(t.ctx.db, a.accountId, { articleId: id, locale: 'en', voterKey: reader, helpful: false, comment: 'Out of date' });
    expect(await counts()).toEqual({ helpful_count: 0, unhelpful_count: 1 });
    expect(await recordVote(t.ctx.db, b.accountId, { articleId: id, locale: 'en', voterKey: reader, helpful: true })).toBe(false);
    expect(await counts()).toEqual({ helpful_count: 0, unhelpful_count: 1 });
  });

  it('counts searches per normalised query, and those that found nothing', async () => {
    const a = await makeWorkspace(t);
    await recordSearch(t.ctx.db, a.accountId, { q: 'Rückgabe  Etikett!', source: 'help_center', results: 0 });
    await recordSearch(t.ctx.db, a.accountId, { q: 'ruckgabe etikett', source: 'help_center', results: 2 });
    const rows = await scoped(t.ctx.db, a.accountId).selectFrom('kb_searches').select(['query', 'searches', 'without_results']).execute();
    expect(rows).toEqual([{ query: 'ruckgabe etikett', searches: 2, without_results: 1 }]);
  });

  it('gives each workspace a help center address of its own', async () => {
    const a = await makeWorkspace(t, 'Acme Bikes');
    const b = await makeWorkspace(t, 'Acme Bikes');
    const [ha, hb] = [await helpCenterOf(t.ctx.db, a.accountId), await helpCenterOf(t.ctx.db, b.accountId)];
    expect(ha.slug).not.toBe(hb.slug);
    expect((await helpCenterOf(t.ctx.db, a.accountId)).slug).toBe(ha.slug);
    expect(articleUrl('https://rapport.example', ha, 'en', { id: 'x1', slug: 'reset' })).toBe(`https://rapport.example/help/${ha.slug}/en/articles/x1-reset`);
    expect(articleUrl('https://rapport.example', { slug: 's', custom_domain: 'help.acme.example' }, 'de', { id: 'x1', slug: '' })).toBe('https://help.acme.example/de/articles/x1');
  });
});

/**
 * The knowledge base's storage: a translation's search vector is stemmed in its own language, and
 * retrieval finds published public articles of the caller's workspace only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { findArticles } from '../src/features/kb/retrieval.js';
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
});

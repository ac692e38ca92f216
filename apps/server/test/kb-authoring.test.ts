/**
 * Writing the knowledge base: categories and sections, articles with translations, drafts and
 * publishing, revisions and restore, related articles, feedback, the composer's insert, and the
 * Markdown folder import/export. Bad input answers 422 with a stable code naming the field;
 * another workspace's objects answer 404 and stay as they were (SECURITY 1, 2, 4); an XSS corpus in
 * a title and body is stored as written and previewed inert (SECURITY 11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { scoped } from '../src/core/db/tenant.js';
import { exportFiles, importFiles } from '../src/features/kb/import-export.js';
import { recordVote, voterKey } from '../src/features/kb/feedback.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp } from './helpers.js';
import { multipart } from './files.js';
import { seedDemo } from '../src/features/demo/seed-demo.js';

type Translation = { locale: string; title: string; slug: string; body: string; status: string; published_at: string | null; url: string | null; keywords: string[] };
type Article = { id: string; section_id: string | null; visibility: string; translations: Translation[]; related: Array<{ id: string; title: string }>; related_source: string; helpful_percent: number | null };
type Revision = { id: string; locale: string; title: string; body: string; author: { name: string } | null };
type ErrorBody = { error: { code: string; message: string; details?: Array<{ field: string; message: string }> } };

let t: TestApp;
let accountId: string;
let admin: Record<string, string>;
let agent: Record<string, string>;
let otherAdmin: Record<string, string>;
let otherAccountId: string;

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
const errorOf = (res: { json: () => unknown }) => (res.json() as ErrorBody).error;

async function write(body: Record<string, unknown>, headers = agent): Promise<Article> {
  const res = await call('POST', '/api/v1/kb/articles', body, headers);
  expect(res.statusCode, res.body).toBe(201);
  return json<Article>(res);
}

beforeAll(async () => {
  t = await startTestApp();
  const ws = await makeWorkspace(t, 'Northwind');
  accountId = ws.accountId;
  admin = await sessionFor(t, ws.owner.id, accountId);
  const a = await makeMember(t, accountId, 'agent');
  agent = await sessionFor(t, a.id, accountId);
  const other = await makeWorkspace(t, 'Elsewhere');
  otherAccountId = other.accountId;
  otherAdmin = await sessionFor(t, other.owner.id, other.accountId);
});
afterAll(async () => {
  await t?.close();
});

describe('knowledge base authoring', () => {
  it('requires authentication', async () => {
    for (const url of ['/api/v1/kb/articles', '/api/v1/kb/categories', '/api/v1/kb/export']) expect((await call('GET', url, undefined, {})).statusCode).toBe(401);
  });

  it('keeps categories and sections in order with names per language; only admins change them', async () => {
    const billing = await call('POST', '/api/v1/kb/categories', { names: { en: 'Billing', de: 'Abrechnung' } });
    expect(billing.statusCode, billing.body).toBe(201);
    const account = await call('POST', '/api/v1/kb/categories', { names: { en: 'Your account' }, position: 0 });
    expect(json(account)).toMatchObject({ slug: 'your-account', position: 0 });
    const section = await call('POST', '/api/v1/kb/sections', { category_id: json(billing).id, names: { en: 'Refunds' } });
    expect(section.statusCode, section.body).toBe(201);
    expect(json(section)).toMatchObject({ slug: 'refunds', position: 0, article_count: 0 });

    const tree = json<{ data: Array<{ names: Record<string, string>; sections: unknown[] }> }>(await call('GET', '/api/v1/kb/categories', undefined, agent)).data;
    expect(tree.map((c) => c.names.en)).toEqual(['Your account', 'Billing']);
    expect(tree[1]!.names.de).toBe('Abrechnung');

    expect((await call('POST', '/api/v1/kb/categories', { names: { en: 'Nope' } }, agent)).statusCode).toBe(403);
    const badLocale = await call('POST', '/api/v1/kb/categories', { names: { 'en<script>': 'X' } });
    expect(badLocale.statusCode).toBe(422);
    expect(errorOf(badLocale).code).toBe('invalid_kb_structure');
    const emptyName = await call('POST', '/api/v1/kb/categories', { names: { en: '   ' } });
    expect(errorOf(emptyName)).toMatchObject({ code: 'invalid_kb_structure', details: [{ field: 'names.en', message: 'must not be empty' }] });
    // Another workspace's category cannot take a section, nor be changed or deleted (SECURITY 1, 4).
    const foreign = await call('POST', '/api/v1/kb/sections', { category_id: json(billing).id, names: { en: 'Sneaky' } }, otherAdmin);
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).code).toBe('invalid_reference');
    expect((await call('PATCH', `/api/v1/kb/categories/${json(billing).id}`, { names: { en: 'Taken' } }, otherAdmin)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/kb/sections/${json(section).id}`, undefined, otherAdmin)).statusCode).toBe(404);
    expect(json<{ data: unknown[] }>(await call('GET', '/api/v1/kb/categories', undefined, otherAdmin)).data).toEqual([]);
  });

  it('writes an article as the issue shows, publishes it once, and lists it with filters', async () => {
    const res = await call('POST', '/api/v1/kb/articles', { title: 'Reset your password', body: '## Steps\n\n1. Open **Sign in**\n2. Choose *Forgot password*', locale: 'en', status: 'published' }, agent);
    expect(res.statusCode, res.body).toBe(201);
    const article = json<Article>(res);
    const en = article.translations[0]!;
    expect(en).toMatchObject({ locale: 'en', title: 'Reset your password', slug: 'reset-your-password', status: 'published' });
    expect(en.published_at).not.toBeNull();
    expect(en.url).toMatch(new RegExp(`/help/[a-z0-9-]+/en/articles/${article.id}-reset-your-password$`));

    // Unpublishing and publishing again keeps the first publication date.
    const firstPublished = en.published_at;
    await call('PATCH', `/api/v1/kb/articles/${article.id}`, { status: 'draft' }, agent);
    const republished = json<Article>(await call('PATCH', `/api/v1/kb/articles/${article.id}`, { status: 'published' }, agent));
    expect(republished.translations[0]!.published_at).toBe(firstPublished);

    // A draft has no public address; an internal article has none either.
    const draft = await write({ title: 'Draft about invoices', body: 'Soon.', locale: 'en' });
    expect(draft.translations[0]).toMatchObject({ status: 'draft', url: null, published_at: null });
    const internal = await write({ title: 'Refund approvals (team only)', body: 'Ask Liam.', locale: 'en', status: 'published', visibility: 'internal' });
    expect(internal.translations[0]!.url).toBeNull();

    const list = async (query: string) => json<{ data: Array<{ id: string }> }>(await call('GET', `/api/v1/kb/articles?${query}`, undefined, agent)).data.map((a) => a.id);
    expect(await list('status=draft')).toEqual([draft.id]);
    expect(await list('visibility=internal')).toEqual([internal.id]);
    expect(await list('q=PASSWORD')).toEqual([article.id]);
    expect(await list('q=%25')).toEqual([]);
    // Cursor pagination walks every article once.
    const first = json<{ data: Array<{ id: string }>; next_cursor: string }>(await call('GET', '/api/v1/kb/articles?limit=2', undefined, agent));
    expect(first.data).toHaveLength(2);
    const second = json<{ data: Array<{ id: string }>; next_cursor: string | null }>(await call('GET', `/api/v1/kb/articles?limit=2&cursor=${first.next_cursor}`, undefined, agent));
    expect([...first.data, ...second.data].map((a) => a.id).sort()).toEqual([article.id, draft.id, internal.id].sort());
    expect(second.next_cursor).toBeNull();
  });

  it('refuses bad input with 422 and a stable code naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ title: '  ', body: 'x', locale: 'en' }, 'invalid_article', 'title'],
      [{ title: 'Fine', body: 'x', locale: 'english please' }, 'invalid_article', 'locale'],
      [{ title: 'Fine', body: 'x', locale: 'en', slug: 'Not A Slug' }, 'invalid_article', 'slug'],
      [{ title: 'Fine', body: 'x', locale: 'en', section_id: '00000000-0000-4000-8000-000000000000' }, 'invalid_reference', 'section_id'],
      [{ title: 'Fine', body: 'x', locale: 'en', related_ids: ['00000000-0000-4000-8000-000000000000'] }, 'invalid_reference', 'related_ids.0'],
    ];
    for (const [body, code, field] of cases) {
      const res = await call('POST', '/api/v1/kb/articles', body, agent);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(errorOf(res).code).toBe(code);
      expect(errorOf(res).details?.map((d) => d.field)).toContain(field);
    }
    // The shape itself: unknown fields and objects where text belongs.
    expect((await call('POST', '/api/v1/kb/articles', { title: 'x', body: 'x', locale: 'en', account_id: otherAccountId }, agent)).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/kb/articles', { title: { $regex: 'a' }, body: 'x', locale: 'en' }, agent)).statusCode).toBe(400);
    const two = await write({ title: 'Two languages', body: 'x', locale: 'en' });
    await call('PATCH', `/api/v1/kb/articles/${two.id}`, { locale: 'de', title: 'Zwei Sprachen', body: 'y' }, agent);
    const which = await call('PATCH', `/api/v1/kb/articles/${two.id}`, { title: 'Which one?' }, agent);
    expect(which.statusCode).toBe(422);
    expect(errorOf(which).details?.[0]?.field).toBe('locale');
    const noTitle = await call('PATCH', `/api/v1/kb/articles/${two.id}`, { locale: 'fr', body: 'Sans titre' }, agent);
    expect(errorOf(noTitle)).toMatchObject({ code: 'invalid_article', details: [{ field: 'title' }] });
    expect(await scoped(t.ctx.db, accountId).selectFrom('kb_article_translations').select('locale').where('article_id', '=', two.id).where('locale', '=', 'fr').executeTakeFirst()).toBeUndefined();
  });

  it('adds translations, reads one with ?locale=, and deletes one but never the last', async () => {
    const article = await write({ title: 'Delivery times', body: 'Two days.', locale: 'en', status: 'published' });
    const added = await call('PATCH', `/api/v1/kb/articles/${article.id}`, { locale: 'de', title: 'Lieferzeiten', body: 'Zwei Tage.', status: 'published' }, agent);
    expect(json<Article>(added).translations.map((x) => x.locale)).toEqual(['en', 'de']);
    const german = json<Article>(await call('GET', `/api/v1/kb/articles/${article.id}?locale=de`, undefined, agent));
    expect(german.translations).toHaveLength(1);
    expect(german.translations[0]).toMatchObject({ title: 'Lieferzeiten', slug: 'lieferzeiten' });
    expect((await call('DELETE', `/api/v1/kb/articles/${article.id}/translations/de`, undefined, agent)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/kb/articles/${article.id}/translations/de`)).statusCode).toBe(204);
    const last = await call('DELETE', `/api/v1/kb/articles/${article.id}/translations/en`);
    expect(last.statusCode).toBe(422);
    expect(errorOf(last).code).toBe('invalid_state');
    expect((await call('DELETE', `/api/v1/kb/articles/${article.id}/translations/fr`)).statusCode).toBe(404);
  });

  it('keeps every save as a revision and restores one as a new revision', async () => {
    const article = await write({ title: 'Returns', body: 'Version one', locale: 'en', status: 'published' });
    await call('PATCH', `/api/v1/kb/articles/${article.id}`, { locale: 'en', body: 'Version two' }, agent);
    await call('PATCH', `/api/v1/kb/articles/${article.id}`, { locale: 'en', title: 'Returns and exchanges', body: 'Version three' }, agent);
    const revisions = json<{ data: Revision[] }>(await call('GET', `/api/v1/kb/articles/${article.id}/revisions`, undefined, agent)).data;
    expect(revisions.map((r) => r.body)).toEqual(['Version three', 'Version two', 'Version one']);
    expect(revisions[0]!.author?.name).toMatch(/^agent/);

    const oldest = revisions[2]!;
    const restored = await call('POST', `/api/v1/kb/articles/${article.id}/revisions/${oldest.id}/restore`, undefined, agent);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(json<Article>(restored).translations[0]).toMatchObject({ title: 'Returns', body: 'Version one', status: 'published' });
    const after = json<{ data: Revision[] }>(await call('GET', `/api/v1/kb/articles/${article.id}/revisions?locale=en`, undefined, agent)).data;
    // History is never rewritten: the restore is a fourth revision on top of the three.
    expect(after.map((r) => r.body)).toEqual(['Version one', 'Version three', 'Version two', 'Version one']);
    expect(after[3]!.id).toBe(oldest.id);

    // Another workspace's revision or article: 404, nothing written.
    expect((await call('POST', `/api/v1/kb/articles/${article.id}/revisions/${oldest.id}/restore`, undefined, otherAdmin)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/kb/articles/${article.id}/revisions`, undefined, otherAdmin)).statusCode).toBe(404);
    const elsewhere = await write({ title: 'Other article', body: 'x', locale: 'en' });
    expect((await call('POST', `/api/v1/kb/articles/${elsewhere.id}/revisions/${oldest.id}/restore`, undefined, agent)).statusCode).toBe(404);
    expect(json<{ data: Revision[] }>(await call('GET', `/api/v1/kb/articles/${article.id}/revisions`, undefined, agent)).data).toHaveLength(4);
  });

  it('answers chosen related articles, else others of the same section', async () => {
    const category = json(await call('POST', '/api/v1/kb/categories', { names: { en: 'Shipping' } }));
    const section = json(await call('POST', '/api/v1/kb/sections', { category_id: category.id, names: { en: 'Parcels' } }));
    const a = await write({ title: 'Tracking a parcel', body: 'x', locale: 'en', section_id: section.id });
    const b = await write({ title: 'Lost parcels', body: 'x', locale: 'en', section_id: section.id });
    const c = await write({ title: 'Customs', body: 'x', locale: 'en' });
    const computed = json<Article>(await call('GET', `/api/v1/kb/articles/${a.id}`, undefined, agent));
    expect(computed.related_source).toBe('section');
    expect(computed.related.map((r) => r.title)).toEqual(['Lost parcels']);
    const chosen = json<Article>(await call('PATCH', `/api/v1/kb/articles/${a.id}`, { related_ids: [c.id, b.id] }, agent));
    expect(chosen.related_source).toBe('explicit');
    expect(chosen.related.map((r) => r.id)).toEqual([c.id, b.id]);
    const self = await call('PATCH', `/api/v1/kb/articles/${a.id}`, { related_ids: [a.id] }, agent);
    expect(errorOf(self)).toMatchObject({ code: 'invalid_reference', details: [{ field: 'related_ids.0', message: 'is this article itself' }] });
    // Another workspace may not link our article as related, nor move its own into our section.
    const theirs = json<Article>(await call('POST', '/api/v1/kb/articles', { title: 'Theirs', body: 'x', locale: 'en' }, otherAdmin));
    expect(errorOf(await call('PATCH', `/api/v1/kb/articles/${theirs.id}`, { related_ids: [a.id] }, otherAdmin)).code).toBe('invalid_reference');
    expect(errorOf(await call('PATCH', `/api/v1/kb/articles/${theirs.id}`, { section_id: section.id }, otherAdmin)).code).toBe('invalid_reference');
  });

  it('shows another workspace nothing of an article and lets it change nothing (SECURITY 1)', async () => {
    const article = await write({ title: 'Secret pricing', body: 'Internal', locale: 'en', visibility: 'internal' });
    for (const [method, url, body] of [
      ['GET', `/api/v1/kb/articles/${article.id}`],
      ['PATCH', `/api/v1/kb/articles/${article.id}`, { title: 'Mine now' }],
      ['DELETE', `/api/v1/kb/articles/${article.id}`],
      ['GET', `/api/v1/kb/articles/${article.id}/feedback`],
    ] as const) {
      expect((await call(method, url, body, otherAdmin)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect(json<{ data: unknown[] }>(await call('GET', '/api/v1/kb/articles?q=Secret', undefined, otherAdmin)).data).toEqual([]);
    expect(json<Article>(await call('GET', `/api/v1/kb/articles/${article.id}`, undefined, agent)).translations[0]!.title).toBe('Secret pricing');
  });

  it('stores an XSS corpus as written and previews it inert (SECURITY 11)', async () => {
    const corpus = [
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)>',
      '[click](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1) "t")',
      '![img](javascript:alert(1))',
      '<a href="javascript:alert(1)">a</a>',
      '\u202Egnp.exe',
      '<script>alert(1)</script>',
      '[a](<javascript:alert(1)>)',
      '<iframe src="https://evil.example"></iframe>',
    ].join('\n\n');
    const article = await write({ title: '<img src=x onerror=alert(1)>', body: corpus, locale: 'en' });
    expect(article.translations[0]!.title).toBe('<img src=x onerror=alert(1)>');
    expect(article.translations[0]!.body).toBe(corpus);
    const preview = json<{ html: string }>(await call('POST', '/api/v1/kb/preview', { markdown: corpus }, agent)).html;
    // No element the browser would make of it carries a handler or a script URL; the markup shows as text.
    expect(preview).not.toMatch(/<(script|iframe|svg|img)\b/i);
    expect(preview).not.toMatch(/<[a-z]+\s[^>]*(\son\w+\s*=|javascript:)/i);
    expect([...preview.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1])).toEqual(['https://evil.example']);
    expect(preview).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('reads out votes, views and comments', async () => {
    const article = await write({ title: 'Warranty', body: 'Two years.', locale: 'en', status: 'published' });
    await recordVote(t.ctx.db, accountId, { articleId: article.id, locale: 'en', voterKey: voterKey('reader', 'r1'), helpful: true, comment: 'Clear, thanks' });
    await recordVote(t.ctx.db, accountId, { articleId: article.id, locale: 'en', voterKey: voterKey('reader', 'r2'), helpful: true });
    await recordVote(t.ctx.db, accountId, { articleId: article.id, locale: 'en', voterKey: voterKey('reader', 'r3'), helpful: false, comment: 'What about batteries?' });
    const feedback = json<{ helpful_count: number; unhelpful_count: number; helpful_percent: number; comments: Array<{ helpful: boolean; comment: string }> }>(await call('GET', `/api/v1/kb/articles/${article.id}/feedback`, undefined, agent));
    expect(feedback).toMatchObject({ helpful_count: 2, unhelpful_count: 1, helpful_percent: 67 });
    expect(feedback.comments.map((c) => [c.helpful, c.comment]).sort()).toEqual([
      [false, 'What about batteries?'],
      [true, 'Clear, thanks'],
    ]);
    const listed = json<{ data: Array<{ id: string; helpful_percent: number | null }> }>(await call('GET', '/api/v1/kb/articles?q=Warranty', undefined, agent)).data;
    expect(listed[0]!.helpful_percent).toBe(67);
  });

  it('finds articles for the composer and inserts one as a link or as text, learning the customer’s question', async () => {
    const ws = scoped(t.ctx.db, accountId);
    const agentRow = await makeMember(t, accountId, 'agent');
    const inboxAgent = await sessionFor(t, agentRow.id, accountId);
    const inbox = await ws.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
    await ws.insertInto('inbox_members', { inbox_id: inbox.id, user_id: agentRow.id }).execute();
    const contact = await ws.insertInto('contacts', { name: 'Ana' }).returning('id').executeTakeFirstOrThrow();
    const conversation = await ws.insertInto('conversations', { inbox_id: inbox.id, contact_id: contact.id, subject: 'Help', last_seq: 2 }).returning('id').executeTakeFirstOrThrow();
    await ws
      .insertInto('messages', [
        { conversation_id: conversation.id, seq: 1, direction: 'incoming', content: 'Hello', sender_contact_id: contact.id },
        { conversation_id: conversation.id, seq: 2, direction: 'incoming', content: 'How do I change my bike’s chain?', sender_contact_id: contact.id },
      ])
      .execute();
    const article = await write({ title: 'Changing a chain', body: 'Use a chain tool to change the chain.', locale: 'en', status: 'published' });
    const internal = await write({ title: 'Chain warranty claims', body: 'Internal: chain claims go to Liam.', locale: 'en', status: 'published', visibility: 'internal' });

    const found = json<{ data: Array<{ id: string; visibility: string }> }>(await call('GET', '/api/v1/kb/articles/search?q=chain', undefined, inboxAgent)).data;
    expect(found.map((h) => h.id).sort()).toEqual([article.id, internal.id].sort());

    const link = await call('POST', `/api/v1/kb/articles/${article.id}/insert`, { conversation_id: conversation.id, as: 'link' }, inboxAgent);
    expect(link.statusCode, link.body).toBe(200);
    expect(json<{ text: string; url: string }>(link).text).toBe(`Changing a chain: ${json<{ url: string }>(link).url}`);
    expect(json<{ url: string }>(link).url).toContain(`/en/articles/${article.id}-changing-a-chain`);
    const asText = json<{ text: string }>(await call('POST', `/api/v1/kb/articles/${article.id}/insert`, { conversation_id: conversation.id, as: 'text' }, inboxAgent));
    expect(asText.text).toBe('Use a chain tool to change the chain.');
    const noLink = await call('POST', `/api/v1/kb/articles/${internal.id}/insert`, { conversation_id: conversation.id, as: 'link' }, inboxAgent);
    expect(noLink.statusCode).toBe(422);
    expect(errorOf(noLink).code).toBe('invalid_state');

    const learnt = await ws.selectFrom('kb_learned_answers').select(['article_id', 'query', 'helped']).execute();
    expect(learnt).toEqual([{ article_id: article.id, query: 'how do i change my bike s chain', helped: 2 }]);
    // Inserting is not a deflection: a person answered.
    expect((await ws.selectFrom('kb_articles').select('deflection_count').where('id', '=', article.id).executeTakeFirstOrThrow()).deflection_count).toBe(0);

    // An agent outside the inbox, or another workspace, cannot use the conversation (SECURITY 4, 6).
    expect((await call('POST', `/api/v1/kb/articles/${article.id}/insert`, { conversation_id: conversation.id, as: 'text' }, agent)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/kb/articles/${article.id}/insert`, { conversation_id: conversation.id, as: 'text' }, otherAdmin)).statusCode).toBe(404);
  });

  it('deletes an article (admins only)', async () => {
    const article = await write({ title: 'Old promotion', body: 'x', locale: 'en' });
    expect((await call('DELETE', `/api/v1/kb/articles/${article.id}`, undefined, agent)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/kb/articles/${article.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/kb/articles/${article.id}`)).statusCode).toBe(404);
  });
});

describe('importing and exporting a folder of Markdown', () => {
  const folder = () => [
    {
      path: 'account/signing-in/reset-password.en.md',
      content: '---\nid: reset-password\ntitle: Reset your password\nstatus: published\ncategory: Account\nsection: Signing in\nkeywords: [password, login]\ndescription: Get back into your account.\nrelated: [two-factor]\n---\n\n# Reset\n\n> [!TIP]\n> Check your spam folder.\n',
    },
    { path: 'account/signing-in/reset-password.de.md', content: '---\nid: reset-password\ntitle: Passwort zurücksetzen\nstatus: published\ncategory: Konto\nsection: Anmelden\n---\nWähle *Passwort vergessen*.\n' },
    { path: 'account/signing-in/two-factor.en.md', content: '---\nid: two-factor\ntitle: Two-factor sign-in\nvisibility: internal\ncategory: Account\nsection: Signing in\n---\nUse an app.\n' },
    { path: 'broken/no-front-matter.md', content: '# Just a heading\n' },
    { path: 'broken/bad-status.md', content: '---\ntitle: Bad\nstatus: live\n---\nx\n' },
    { path: 'broken/bad-yaml.md', content: '---\ntitle: [unclosed\n---\nx\n' },
  ];

  it('imports with a report per file, re-imports without duplicates, and export → import round-trips', async () => {
    const ws = await makeWorkspace(t, 'Importer');
    const first = await importFiles(t.ctx.db, ws.accountId, null, folder());
    expect({ created: first.created, updated: first.updated, failed: first.failed }).toEqual({ created: 2, updated: 1, failed: 3 });
    const failures = Object.fromEntries(first.files.filter((f) => f.status === 'failed').map((f) => [f.path, f.error]));
    expect(failures['broken/no-front-matter.md']).toMatch(/has no front matter/);
    expect(failures['broken/bad-status.md']).toMatch(/status "live"/);
    expect(failures['broken/bad-yaml.md']).toMatch(/not valid YAML/);

    const db = scoped(t.ctx.db, ws.accountId);
    const articles = await db.selectFrom('kb_articles').select(['id', 'import_key', 'visibility', 'section_id']).orderBy('import_key').execute();
    expect(articles.map((a) => [a.import_key, a.visibility])).toEqual([
      ['reset-password', 'public'],
      ['two-factor', 'internal'],
    ]);
    const translations = await db.selectFrom('kb_article_translations').select(['locale', 'title', 'body', 'keywords', 'status']).orderBy('locale').orderBy('title').execute();
    expect(translations.map((x) => [x.locale, x.title, x.status])).toEqual([
      ['de', 'Passwort zurücksetzen', 'published'],
      ['en', 'Reset your password', 'published'],
      ['en', 'Two-factor sign-in', 'draft'],
    ]);
    expect(translations[1]!.body).toBe('# Reset\n\n> [!TIP]\n> Check your spam folder.');
    // The German file named the category in German: the same category learns its German name.
    const categories = await db.selectFrom('kb_categories').select(['names', 'slug']).execute();
    expect(categories).toEqual([{ names: { en: 'Account', de: 'Konto' }, slug: 'account' }]);
    const related = await db.selectFrom('kb_related_articles').select(['article_id', 'related_id']).execute();
    expect(related).toEqual([{ article_id: articles[0]!.id, related_id: articles[1]!.id }]);
    const revisions = async () => Number((await db.selectFrom('kb_revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const revisionsBefore = await revisions();

    // The same folder again: nothing new, nothing changed, no new revision.
    const again = await importFiles(t.ctx.db, ws.accountId, null, folder());
    expect({ created: again.created, updated: again.updated, unchanged: again.unchanged, failed: again.failed }).toEqual({ created: 0, updated: 0, unchanged: 3, failed: 3 });
    expect(await db.selectFrom('kb_articles').select('id').execute()).toHaveLength(2);
    expect(await revisions()).toBe(revisionsBefore);

    // Export, then import the export into the same workspace (unchanged) and into a new one (equal export).
    const exported = await exportFiles(t.ctx.db, ws.accountId);
    expect(exported.map((f) => f.path).sort()).toEqual(['account/signing-in/reset-password.de.md', 'account/signing-in/reset-password.en.md', 'account/signing-in/two-factor.en.md']);
    const back = await importFiles(t.ctx.db, ws.accountId, null, exported);
    expect({ created: back.created, updated: back.updated, failed: back.failed }).toEqual({ created: 0, updated: 0, failed: 0 });
    const fresh = await makeWorkspace(t, 'Copy');
    const copied = await importFiles(t.ctx.db, fresh.accountId, null, exported);
    expect(copied.failed).toBe(0);
    expect(await exportFiles(t.ctx.db, fresh.accountId)).toEqual(exported);
  });

  it('changes an article when its file changed, and a bad file leaves nothing half-written', async () => {
    const ws = await makeWorkspace(t, 'Editor');
    await importFiles(t.ctx.db, ws.accountId, null, folder().slice(0, 1));
    const changed = folder()[0]!;
    changed.content = changed.content.replace('Check your spam folder.', 'Check your spam folder first.').replace('related: [two-factor]\n', '');
    const report = await importFiles(t.ctx.db, ws.accountId, null, [changed]);
    expect(report.files[0]).toMatchObject({ status: 'updated', error: null });
    const body = await scoped(t.ctx.db, ws.accountId).selectFrom('kb_article_translations').select('body').executeTakeFirstOrThrow();
    expect(body.body).toContain('spam folder first.');

    // Valid front matter but a new category and a body over the limit: neither the category nor the article remain.
    const tooLong = { path: 'x.md', content: `---\ntitle: Long\ncategory: Brand new\n---\n${'a'.repeat(200_001)}` };
    const bad = await importFiles(t.ctx.db, ws.accountId, null, [tooLong]);
    expect(bad.files[0]).toMatchObject({ status: 'failed' });
    expect(bad.files[0]!.error).toMatch(/longer than/);
    const slugFile = { path: 'y.md', content: '---\ntitle: Fine\ncategory: Brand new\nsection: Also new\nrelated: [nowhere]\nslug: Bad Slug\n---\nx' };
    expect((await importFiles(t.ctx.db, ws.accountId, null, [slugFile])).files[0]!.error).toMatch(/slug "Bad Slug"/);
    const names = (await scoped(t.ctx.db, ws.accountId).selectFrom('kb_categories').select('names').execute()).map((c) => c.names.en);
    expect(names).toEqual(['Account']);
  });

  it('imports JSON or a zip over the API (admins) and exports a zip', async () => {
    const res = await call('POST', '/api/v1/kb/import', { files: folder().slice(0, 3) });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ created: 2, updated: 1, failed: 0 });
    expect((await call('POST', '/api/v1/kb/import', { files: folder() }, agent)).statusCode).toBe(403);

    const zip = Buffer.from(zipSync({ 'kb/reset-password.en.md': strToU8(folder()[0]!.content), 'kb/bad.md': strToU8('no front matter'), '__MACOSX/._x.md': strToU8('junk'), 'kb/readme.txt': strToU8('ignored') }));
    const upload = multipart('kb.zip', zip, 'application/zip');
    const zipped = await t.app.inject({ method: 'POST', url: '/api/v1/kb/import/zip', headers: { ...admin, ...upload.headers }, payload: upload.payload });
    expect(zipped.statusCode, zipped.body).toBe(200);
    expect(json<{ unchanged: number; failed: number; files: Array<{ path: string }> }>(zipped)).toMatchObject({ unchanged: 1, failed: 1 });
    const notZip = multipart('kb.zip', Buffer.from('not a zip at all'), 'application/zip');
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/kb/import/zip', headers: { ...admin, ...notZip.headers }, payload: notZip.payload });
    expect(refused.statusCode).toBe(422);

    const exported = await call('GET', '/api/v1/kb/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('application/zip');
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="knowledge-base-/);
    expect(exported.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const asJson = json<{ files: Array<{ path: string }> }>(await call('GET', '/api/v1/kb/export?format=json'));
    expect(asJson.files.map((f) => f.path)).toContain('account/signing-in/reset-password.en.md');
    // Another workspace's export holds none of ours.
    expect(json<{ files: unknown[] }>(await call('GET', '/api/v1/kb/export?format=json', undefined, otherAdmin)).files.every((f) => !JSON.stringify(f).includes('reset-password'))).toBe(true);
  });
});

describe('the demo workspace', () => {
  it('comes with a knowledge base of published articles in three categories', async () => {
    const demo = await seedDemo(t.ctx.db, { box: t.ctx.box, publicUrl: 'http://localhost:3000' });
    const tree = await scoped(t.ctx.db, demo.accountId).selectFrom('kb_categories').select('names').orderBy('position').execute();
    expect(tree.map((c) => c.names.en)).toEqual(['Orders and delivery', 'Your bike', 'Account and billing']);
    const translations = await scoped(t.ctx.db, demo.accountId).selectFrom('kb_article_translations').select(['locale', 'status']).execute();
    expect(translations.filter((x) => x.locale === 'en')).toHaveLength(8);
    expect(translations.every((x) => x.status === 'published')).toBe(true);
    expect(translations.some((x) => x.locale === 'de')).toBe(true);
  });
});

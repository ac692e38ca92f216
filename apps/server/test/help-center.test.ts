/**
 * The public help center as readers and search engines meet it: pages, links, structured data,
 * the vote form without JavaScript, custom domains, caching, and what stays out (drafts, internal
 * articles, other workspaces). Rate limits and the XSS corpus are in help-center-security.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { helpCenterOf } from '../src/features/kb/help-center-address.js';
import { helpCenterChanged } from '../src/features/help-center/events.js';
import { READER_COOKIE } from '../src/features/help-center/pages.routes.js';
import { setupHelpCenter } from './support/help-center.js';
import { makeMember, makeWorkspace, sessionFor, startTestApp, until, type TestApp } from './helpers.js';
import { makeArticle } from './support/kb-content.js';

let t: TestApp;
let site: Awaited<ReturnType<typeof setupHelpCenter>>;

beforeAll(async () => {
  t = await startTestApp();
  site = await setupHelpCenter(t, 'Acme Bikes');
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const ldOf = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

describe('help center pages', () => {
  it('sends /help/<slug> to the default language\'s home, which lists topics and popular articles', async () => {
    const root = await get(`/help/${site.slug}`);
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe(`/help/${site.slug}/en/`);
    const home = await get(`/help/${site.slug}/en/`);
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toContain('text/html');
    expect(home.body).toContain('<title>Acme Bikes</title>');
    expect(home.body).toContain('Billing &amp; payments');
    expect(home.body).toContain(`href="/help/${site.slug}/en/categories/${site.billing}-billing-payments"`);
    expect(home.body).toContain(`<link rel="canonical" href="http://localhost:3000/help/${site.slug}/en/">`);
    expect(home.body).toContain('hreflang="de"');
    expect(home.body).toContain('Refunds');
    // Landmarks and a skip link; the search works as a plain GET form.
    expect(home.body).toMatch(/<a class="skip-link" href="#main">/);
    expect(home.body).toMatch(/<main id="main"/);
    expect(home.body).toMatch(/<form class="search search-big" role="search" action="\/help\/[\w-]+\/en\/search" method="get">/);
    expect(home.body).toMatch(/<label for="hc-q"/);
    expect(home.body).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*(src=|type="application\/ld\+json"))[^>]*>/);
  });

  it('renders an article with breadcrumbs, structured data, language alternates, related articles and a vote form that needs no JavaScript', async () => {
    const res = await get(`/help/${site.slug}/en/articles/${site.refunds}-refunds`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<title>Refunds – Acme Bikes</title>');
    expect(html).toContain('<meta name="description" content="When and how we pay you back.">');
    expect(html).toContain(`<link rel="canonical" href="http://localhost:3000/help/${site.slug}/en/articles/${site.refunds}-refunds">`);
    expect(html).toContain(`<link rel="alternate" hreflang="de" href="http://localhost:3000/help/${site.slug}/de/articles/${site.refunds}-ruckerstattungen">`);
    expect(html).toContain('<h2 id="gift-cards">Gift cards</h2>');
    expect(html).toMatch(/<nav class="breadcrumbs" aria-label="Breadcrumb">.*Billing &amp; payments.*Returns.*Refunds/s);
    expect(html).toContain('Related articles');
    expect(html).toContain('Return labels');
    expect(html).toContain(`<form method="post" action="/help/${site.slug}/en/articles/${site.refunds}/vote">`);
    expect(html).toContain('<button type="submit" name="helpful" value="yes">');
    const ld = ldOf(html);
    expect(ld.map((x) => x['@type'])).toEqual(['Article', 'BreadcrumbList']);
    expect(ld[0]).toMatchObject({ headline: 'Refunds', inLanguage: 'en' });
    expect((ld[1]!.itemListElement as unknown[]).length).toBe(4);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers.etag).toBeTruthy();

    const faq = await get(`/help/${site.slug}/en/articles/${site.faq}-can-i-return-a-used-bike`);
    expect(ldOf(faq.body).map((x) => x['@type'])).toContain('FAQPage');
  });

  it('moves an address with an old or missing slug to the canonical one, and answers 404 for anything else', async () => {
    const moved = await get(`/help/${site.slug}/en/articles/${site.refunds}`);
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/help/${site.slug}/en/articles/${site.refunds}-refunds`);
    for (const url of [
      `/help/${site.slug}/en/articles/not-an-id`,
      `/help/${site.slug}/en/articles/${site.draft}-draft`,
      `/help/${site.slug}/en/articles/${site.internal}-internal`,
      `/help/${site.slug}/xx/`,
      `/help/${site.slug}/en/nothing-here`,
      `/help/${site.slug}/en/categories/00000000-0000-4000-8000-000000000000`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).toContain('We can’t find that page');
      expect(res.body).toContain('<meta name="robots" content="noindex">');
    }
    expect((await get('/help/no-such-help-center/en/')).statusCode).toBe(404);
  });

  it('never shows another workspace\'s article under its own address (SECURITY 1)', async () => {
    const other = await makeWorkspace(t, 'Other Shop');
    const secret = await makeArticle(t.ctx.db, other.accountId, { title: 'Other shop secret', body: 'Only ours.' });
    const res = await get(`/help/${site.slug}/en/articles/${secret}-other-shop-secret`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('Only ours');
    const search = await get(`/help/${site.slug}/en/search?q=other+shop+secret`);
    expect(search.body).not.toContain('Other shop secret');
  });

  it('shows category and section pages', async () => {
    const category = await get(`/help/${site.slug}/en/categories/${site.billing}-billing-payments`);
    expect(category.statusCode).toBe(200);
    expect(category.body).toContain('<h1>Billing &amp; payments</h1>');
    expect(category.body).toContain(`href="/help/${site.slug}/en/sections/${site.returns}-returns"`);
    const section = await get(`/help/${site.slug}/en/sections/${site.returns}-returns`);
    expect(section.statusCode).toBe(200);
    expect(section.body).toContain('<h1>Returns</h1>');
    expect(section.body).toContain('Return labels');
    const german = await get(`/help/${site.slug}/de/categories/${site.billing}-billing-payments`);
    expect(german.body).toContain('<h1>Abrechnung</h1>');
    // The help center's own words follow the page's language.
    const germanHome = await get(`/help/${site.slug}/de/`);
    expect(germanHome.body).toContain('<html lang="de">');
    expect(germanHome.body).toContain('Wie können wir helfen?');
    expect(germanHome.body).toContain('>Zum Inhalt springen</a>');
  });

  it('searches with highlighted passages, records searches that found nothing and offers a way to a person', async () => {
    const found = await get(`/help/${site.slug}/en/search?q=${encodeURIComponent('how do I get my money back')}`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('<meta name="robots" content="noindex">');
    expect(found.body).toMatch(/<mark>money<\/mark> <mark>back<\/mark>/);
    expect(found.body).toContain(`/help/${site.slug}/en/articles/${site.refunds}-refunds`);
    expect(found.headers['cache-control']).toBe('no-store');

    const none = await get(`/help/${site.slug}/en/search?q=${encodeURIComponent('do you repair skateboards')}`);
    expect(none.body).toContain('No articles match “do you repair skateboards”');
    expect(none.body).toContain('<a href="mailto:help@acme.example">contact us</a>');
    const gaps = await scoped(t.ctx.db, site.accountId).selectFrom('kb_searches').select(['query', 'without_results', 'source']).where('without_results', '>', 0).execute();
    expect(gaps).toContainEqual({ query: 'do you repair skateboards', without_results: 1, source: 'help_center' });
  });

  it('suggests articles as a reader types, as JSON from the help center\'s own address', async () => {
    const res = await get(`/help/${site.slug}/en/suggest?q=refun`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { data: Array<{ title: string; url: string }> };
    expect(body.data[0]).toEqual({ title: 'Refunds', description: 'When and how we pay you back.', url: `/help/${site.slug}/en/articles/${site.refunds}-refunds` });
    expect((await get(`/help/${site.slug}/en/suggest?q=x`)).json()).toEqual({ data: [] });
    const script = await get(`/help/${site.slug}/assets/help-center.js`);
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
  });

  it('lists published public articles in sitemap.xml and points robots.txt at it', async () => {
    const sitemap = await get(`/help/${site.slug}/sitemap.xml`);
    expect(sitemap.statusCode).toBe(200);
    expect(sitemap.headers['content-type']).toContain('application/xml');
    expect(sitemap.body).toContain(`<loc>http://localhost:3000/help/${site.slug}/en/articles/${site.refunds}-refunds</loc>`);
    expect(sitemap.body).toContain(`<loc>http://localhost:3000/help/${site.slug}/de/articles/${site.refunds}-ruckerstattungen</loc>`);
    expect(sitemap.body).not.toContain(site.draft);
    expect(sitemap.body).not.toContain(site.internal);
    const robots = await get(`/help/${site.slug}/robots.txt`);
    expect(robots.body).toContain(`Sitemap: http://localhost:3000/help/${site.slug}/sitemap.xml`);
  });

  it('takes one vote per reader from a plain form post, and lets the reader change it', async () => {
    const url = `/help/${site.slug}/en/articles/${site.labels}/vote`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const first = await t.app.inject({ method: 'POST', url, headers: form, payload: 'helpful=yes' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/help/${site.slug}/en/articles/${site.labels}-return-labels?feedback=yes#feedback`);
    const cookie = first.cookies.find((c) => c.name === READER_COOKIE);
    expect(cookie?.httpOnly).toBe(true);
    const reader = { ...form, cookie: `${READER_COOKIE}=${cookie!.value}` };
    await t.app.inject({ method: 'POST', url, headers: reader, payload: 'helpful=yes' });
    await t.app.inject({ method: 'POST', url, headers: reader, payload: new URLSearchParams({ helpful: 'no', comment: 'Where is the label printer?' }).toString() });
    const counts = await scoped(t.ctx.db, site.accountId).selectFrom('kb_articles').select(['helpful_count', 'unhelpful_count']).where('id', '=', site.labels).executeTakeFirstOrThrow();
    expect(counts).toEqual({ helpful_count: 0, unhelpful_count: 1 });
    const votes = await scoped(t.ctx.db, site.accountId).selectFrom('kb_votes').select(['helpful', 'comment']).where('article_id', '=', site.labels).execute();
    expect(votes).toEqual([{ helpful: false, comment: 'Where is the label printer?' }]);

    const thanks = await get(`/help/${site.slug}/en/articles/${site.labels}-return-labels?feedback=no`);
    expect(thanks.body).toContain('Thank you for your feedback');
    expect(thanks.headers['cache-control']).toBe('no-store');

    expect((await t.app.inject({ method: 'POST', url, headers: form, payload: 'helpful=maybe' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/help/${site.slug}/en/articles/${site.internal}/vote`, headers: form, payload: 'helpful=yes' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url, headers: { ...form, 'sec-fetch-site': 'cross-site' }, payload: 'helpful=yes' })).statusCode).toBe(403);
  });

  it('counts article views in memory and writes them in batches', async () => {
    for (let i = 0; i < 3; i++) await get(`/help/${site.slug}/en/articles/${site.faq}-can-i-return-a-used-bike`);
    await until('views written', async () => {
      const row = await scoped(t.ctx.db, site.accountId).selectFrom('kb_articles').select('view_count').where('id', '=', site.faq).executeTakeFirstOrThrow();
      return Number(row.view_count) >= 3;
    }, 10_000);
  });

  it('answers a cached page with the same ETag, 304 for a reader who has it, and a new page after an article changes', async () => {
    const url = `/help/${site.slug}/en/articles/${site.labels}-return-labels`;
    const first = await get(url);
    const again = await get(url, { 'if-none-match': first.headers.etag as string });
    expect(again.statusCode).toBe(304);
    const started = performance.now();
    const cached = await get(url);
    expect(performance.now() - started).toBeLessThan(50);
    expect(cached.headers.etag).toBe(first.headers.etag);

    // A change announced on the bus drops the cached page at once.
    await scoped(t.ctx.db, site.accountId).updateTable('kb_article_translations').set({ body: 'Print the label from your **order page**.' }).where('article_id', '=', site.labels).execute();
    await helpCenterChanged(t.ctx, site.accountId);
    const fresh = await get(url);
    expect(fresh.body).toContain('<strong>order page</strong>');
    expect(fresh.headers.etag).not.toBe(first.headers.etag);

    // One nobody announced is seen within a second or so (the content stamp).
    await scoped(t.ctx.db, site.accountId).updateTable('kb_article_translations').set({ title: 'Return labels and QR codes', updated_at: new Date() }).where('article_id', '=', site.labels).execute();
    await until('the stale page is replaced', async () => (await get(url)).body.includes('Return labels and QR codes'), 5000);
  });

  it('serves a help center on its custom domain, from the root, with canonical links there', async () => {
    const admin = await sessionFor(t, site.owner.id, site.accountId);
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/v1/help-center', headers: admin, payload: { custom_domain: 'help.acme-bikes.test' } });
    expect(patch.statusCode).toBe(200);
    await until('the domain is known', async () => (await get('/en/', { host: 'help.acme-bikes.test' })).statusCode === 200);
    const page = await get(`/en/articles/${site.refunds}-refunds`, { host: 'help.acme-bikes.test' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<link rel="canonical" href="http://help.acme-bikes.test/en/articles/${site.refunds}-refunds">`);
    expect(page.body).toContain('<link rel="stylesheet" href="/assets/help-center.css');
    expect(page.body).toContain('<form method="post" action="/en/articles/');
    expect((await get('/sitemap.xml', { host: 'help.acme-bikes.test' })).body).toContain('<loc>http://help.acme-bikes.test/en/articles/');
    // The slug address still works and names the domain as canonical.
    expect((await get(`/help/${site.slug}/en/articles/${site.refunds}-refunds`)).body).toContain('href="http://help.acme-bikes.test/en/articles/');
    // Rapport's own host is not taken over.
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    await t.app.inject({ method: 'PATCH', url: '/api/v1/help-center', headers: admin, payload: { custom_domain: null } });
    // Released: that host no longer shows the help center.
    await until('the domain is released', async () => !(await get('/en/', { host: 'help.acme-bikes.test' })).body.includes('How can we help?'));
  });

  it('is not served when switched off', async () => {
    const w = await makeWorkspace(t, 'Dark Shop');
    const hc = await helpCenterOf(t.ctx.db, w.accountId);
    const admin = await sessionFor(t, (await makeMember(t, w.accountId, 'admin')).id, w.accountId);
    expect((await get(`/help/${hc.slug}/en/`)).statusCode).toBe(200);
    await t.app.inject({ method: 'PATCH', url: '/api/v1/help-center', headers: admin, payload: { enabled: false } });
    expect((await get(`/help/${hc.slug}/en/`)).statusCode).toBe(404);
  });
});

describe('help center settings API', () => {
  it('requires authentication and the admin role', async () => {
    expect((await get('/api/v1/help-center')).statusCode).toBe(401);
    const agent = await sessionFor(t, (await makeMember(t, site.accountId, 'agent')).id, site.accountId);
    expect((await get('/api/v1/help-center', agent)).statusCode).toBe(403);
  });

  it('shows and changes the name, address, languages and theme', async () => {
    const w = await makeWorkspace(t, 'Theme Shop');
    const admin = await sessionFor(t, w.owner.id, w.accountId);
    const shown = (await get('/api/v1/help-center', admin)).json() as Record<string, unknown>;
    expect(shown).toMatchObject({ name: 'Theme Shop', slug: 'theme-shop', enabled: true, default_locale: 'en', locales: ['en'], url: 'http://localhost:3000/help/theme-shop/' });
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/help-center',
      headers: admin,
      payload: { name: 'Theme Shop Help', slug: 'theme-help', locales: ['en', 'fr'], default_locale: 'fr', theme: { primary_color: '#0a7', logo_url: 'https://cdn.example/logo.png' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Theme Shop Help', slug: 'theme-help', default_locale: 'fr', url: 'http://localhost:3000/help/theme-help/', theme: { primary_color: '#0a7', header_background: '#1e1b4b', logo_url: 'https://cdn.example/logo.png', contact_url: null } });
    const css = await get('/help/theme-help/theme.css');
    expect(css.body).toContain('--hc-primary:#0a7');
    expect((await get('/help/theme-help')).headers.location).toBe('/help/theme-help/fr/');
  });

  it('refuses bad settings with the field named, and an address another workspace has', async () => {
    const w = await makeWorkspace(t, 'Strict Shop');
    const admin = await sessionFor(t, w.owner.id, w.accountId);
    const patch = (payload: unknown) => t.app.inject({ method: 'PATCH', url: '/api/v1/help-center', headers: admin, payload: payload as object });
    expect((await patch({ theme: { primary_color: 'red;}</style><script>alert(1)</script>' } })).statusCode).toBe(400);
    expect((await patch({ slug: 'Bad Slug!' })).statusCode).toBe(400);
    expect((await patch({ custom_domain: 'http://evil.example/' })).statusCode).toBe(400);
    expect((await patch({ account_id: site.accountId })).statusCode).toBe(400);
    const logo = await patch({ theme: { logo_url: 'javascript:alert(1)' } });
    expect(logo.statusCode).toBe(422);
    expect(logo.json()).toMatchObject({ error: { code: 'invalid_help_center', details: { 'theme.logo_url': expect.any(String) } } });
    expect((await patch({ default_locale: 'de' })).json()).toMatchObject({ error: { code: 'invalid_help_center', details: { default_locale: expect.any(String) } } });
    expect((await patch({ custom_domain: 'localhost.example' })).statusCode).toBe(200);
    expect((await patch({ slug: site.slug })).statusCode).toBe(409);
    const other = await makeWorkspace(t, 'Copycat');
    const otherAdmin = await sessionFor(t, other.owner.id, other.accountId);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/help-center', headers: otherAdmin, payload: { custom_domain: 'LOCALHOST.example' } })).statusCode).toBe(409);
    // Nothing changed in the other workspace's help center.
    expect((await get('/api/v1/help-center', admin)).json()).toMatchObject({ custom_domain: 'localhost.example', slug: 'strict-shop' });
  });
});

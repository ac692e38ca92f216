/**
 * The help center under attack: rate limits on public search, suggestions and votes per reader IP
 * and per workspace, with other workspaces unaffected and forwarded-for headers from a peer that
 * is not a proxy ignored (SECURITY 31, 7); and an XSS corpus in every field a page shows —
 * article title, body and description, category and section names, the search query echoed back,
 * theme values stored behind the API's back — rendered inert under a CSP that blocks inline
 * script (SECURITY 11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { HELP_CENTER_LIMITS } from '../src/features/help-center/pages.routes.js';
import { helpCenterOf } from '../src/features/kb/help-center-address.js';
import { makeWorkspace, startTestApp, type TestApp } from './helpers.js';
import { setupHelpCenter } from './support/help-center.js';
import { makeArticle, makeCategory, makeSection } from './support/kb-content.js';

let t: TestApp;
const saved = { ...HELP_CENTER_LIMITS };

beforeAll(async () => {
  Object.assign(HELP_CENTER_LIMITS, { searchesPerIpPerMinute: 5, searchesPerWorkspacePerMinute: 12, suggestionsPerIpPerMinute: 5, votesPerIpPerHour: 3, votesPerWorkspacePerHour: 6 });
  t = await startTestApp();
});
afterAll(async () => {
  Object.assign(HELP_CENTER_LIMITS, saved);
  await t.close();
});

const search = (slug: string, ip: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/help/${slug}/en/search?q=refund`, remoteAddress: ip, headers });

describe('rate limits (SECURITY 31)', () => {
  it('limits searches per reader IP with 429 and Retry-After, ignoring X-Forwarded-For from a peer that is not a proxy', async () => {
    const site = await setupHelpCenter(t, 'Limit One');
    for (let i = 0; i < 5; i++) expect((await search(site.slug, '198.51.100.1', { 'x-forwarded-for': `203.0.113.${i}` })).statusCode).toBe(200);
    const over = await search(site.slug, '198.51.100.1', { 'x-forwarded-for': '203.0.113.99' });
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body).toContain('Please slow down');
    expect(over.headers['content-security-policy']).toContain("script-src 'self'");
    // Another reader is not affected.
    expect((await search(site.slug, '198.51.100.2')).statusCode).toBe(200);
    const suggest = async () => t.app.inject({ method: 'GET', url: `/help/${site.slug}/en/suggest?q=refund`, remoteAddress: '198.51.100.3' });
    for (let i = 0; i < 5; i++) expect((await suggest()).statusCode).toBe(200);
    const tooMany = await suggest();
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('limits a workspace\'s searches from many addresses, and other workspaces keep searching', async () => {
    const a = await setupHelpCenter(t, 'Limit Two');
    const b = await setupHelpCenter(t, 'Limit Three');
    const answers = [];
    for (let i = 0; i < 14; i++) answers.push((await search(a.slug, `192.0.2.${i + 1}`)).statusCode);
    expect(answers.filter((s) => s === 200).length).toBe(12);
    expect(answers.slice(12)).toEqual([429, 429]);
    expect((await search(b.slug, '192.0.2.1')).statusCode).toBe(200);
  });

  it('limits votes per reader IP and per workspace, and a refused vote changes nothing', async () => {
    const site = await setupHelpCenter(t, 'Limit Four');
    const vote = (ip: string) =>
      t.app.inject({ method: 'POST', url: `/help/${site.slug}/en/articles/${site.labels}/vote`, remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'helpful=yes' });
    for (let i = 0; i < 3; i++) expect((await vote('198.51.100.10')).statusCode).toBe(303);
    const over = await vote('198.51.100.10');
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 3; i++) expect((await vote(`198.51.100.${20 + i}`)).statusCode).toBe(303);
    expect((await vote('198.51.100.30')).statusCode).toBe(429);
    const counts = await scoped(t.ctx.db, site.accountId).selectFrom('kb_articles').select('helpful_count').where('id', '=', site.labels).executeTakeFirstOrThrow();
    // Each cookie-less post is a new reader; six got through, the refused ones added nothing.
    expect(counts.helpful_count).toBe(6);
  });
});

const CORPUS = [
  '<img src=x onerror="window.__xss=1">',
  '<svg onload=alert(1)>',
  '"><script>alert(1)</script>',
  '[click me](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '<a href="javascript:alert(1)">link</a>',
  '</script><script>alert(1)</script>',
  '\u202Egnp.exe',
  "' onmouseover='alert(1)",
];

/** What a browser would run: script elements other than ours, event handler attributes, javascript: URLs. */
function activeContent(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const [tag, name, attrs = ''] = m;
    if (name!.toLowerCase() === 'script' && !/^ src="[^"]*\/assets\/help-center\.js\?v=\w+" defer$/.test(attrs) && attrs !== ' type="application/ld+json"') found.push(tag);
    for (const a of attrs.matchAll(/\s([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const attr = a[1]!.toLowerCase();
      const value = (a[2] ?? '').replace(/^["']|["']$/g, '').trim().toLowerCase();
      if (attr.startsWith('on')) found.push(tag);
      if (['href', 'src', 'action', 'formaction'].includes(attr) && value.startsWith('javascript:')) found.push(tag);
    }
    if (['svg', 'iframe', 'object', 'embed', 'style'].includes(name!.toLowerCase())) found.push(tag);
  }
  // A JSON-LD block must not end early.
  for (const block of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) JSON.parse(block[1]!);
  return found;
}

describe('XSS in everything a help center shows (SECURITY 11)', () => {
  it('renders the corpus inert in articles, names, search and theme values', async () => {
    const w = await makeWorkspace(t, '<img src=x onerror=alert(1)> Shop');
    const hc = await helpCenterOf(t.ctx.db, w.accountId);
    const db = t.ctx.db;
    // Theme values written straight to the database (the API refuses them): still inert.
    await scoped(db, w.accountId)
      .updateTable('help_centers')
      .set({ theme: JSON.stringify({ primary_color: 'red;}</style><script>alert(1)</script>', header_background: 'url(javascript:alert(1))', logo_url: 'javascript:alert(1)', contact_url: '"><script>alert(1)</script>' }) })
      .execute();
    const urls = [`/help/${hc.slug}/en/`, `/help/${hc.slug}/sitemap.xml`];
    for (const [i, evil] of CORPUS.entries()) {
      const category = await makeCategory(db, w.accountId, { en: `${evil} category` }, { en: `${evil} description` });
      const section = await makeSection(db, w.accountId, category, { en: `${evil} section` });
      const article = await makeArticle(db, w.accountId, { title: `${evil} refund ${i}`, description: `${evil} description`, body: `${evil}\n\nRefund body ${evil}\n\n> [!WARNING]\n> ${evil}`, sectionId: section, slug: `x${i}` });
      urls.push(`/help/${hc.slug}/en/articles/${article}-x${i}`, `/help/${hc.slug}/en/categories/${category}`, `/help/${hc.slug}/en/sections/${section}`, `/help/${hc.slug}/en/search?q=${encodeURIComponent(`${evil} refund`)}`);
    }
    urls.push(`/help/${hc.slug}/en/search?q=${encodeURIComponent('<script>alert(1)</script> nothing matches')}`);
    for (const [n, url] of urls.entries()) {
      const res = await t.app.inject({ method: 'GET', url, remoteAddress: `10.9.${Math.floor(n / 200)}.${(n % 200) + 1}` });
      expect(res.statusCode, url).toBeLessThan(400);
      expect(activeContent(res.body), url).toEqual([]);
      expect(res.body, url).not.toContain('<script>alert(1)');
      expect(res.headers['content-security-policy'], url).toMatch(/script-src 'self';/);
    }
    const css = await t.app.inject({ method: 'GET', url: `/help/${hc.slug}/theme.css` });
    expect(css.body).not.toMatch(/script|javascript|<\/style>/);
    expect(css.body).toContain('--hc-primary:#4f46e5');
    const suggest = await t.app.inject({ method: 'GET', url: `/help/${hc.slug}/en/suggest?q=refund` });
    expect(suggest.headers['content-type']).toContain('application/json');
  });
});

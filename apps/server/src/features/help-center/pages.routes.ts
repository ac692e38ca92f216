/**
 * The public help center: server-rendered pages under `/help/<slug>/…`, or at the root of the
 * help center's custom domain (hosts.ts rewrites those requests to the same routes). Pages are
 * cached per node (page-cache.ts) with an ETag; search, suggestions and votes are rate limited per
 * reader IP and per workspace (SECURITY 31) and answer 429 with Retry-After. Every page carries a
 * strict Content-Security-Policy: scripts and styles only from the help center's own address.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { createLimiter, type Limiter } from '../../core/rate-limit.js';
import type { Api } from '../../core/http/types.js';
import { recordSearch, recordVote, voterKey } from '../kb/feedback.js';
import { articlePath, helpCenterBase, helpCenterLocales, type HelpCenter } from '../kb/help-center-address.js';
import { findArticles, questionWords } from '../kb/retrieval.js';
import { HELP_CENTER_CSS, HELP_CENTER_JS } from './assets.js';
import { articlePage, categoryOf, categoryTree, helpCenterBySlug, popularArticles, sectionOf, sitemapEntries } from './content.js';
import { onHelpCenterChanged } from './events.js';
import type { HelpCenterHosts } from './hosts.js';
import { pageCache, etagOf, type CachedPage } from './page-cache.js';
import { articleView, categoryPage, homePage, noHelpCenterPage, notFoundPage, rateLimitedPage, searchPage, sectionPage, categoryPath, sectionPath, homePath, type Site } from './templates.js';
import { themeCss, themeOf } from './theme.js';
import { viewCounter } from './views.js';
import { escapeHtml } from './html.js';

/** Per reader IP (within one workspace) and per workspace; tests lower them. */
export const HELP_CENTER_LIMITS = {
  searchesPerIpPerMinute: 60,
  searchesPerWorkspacePerMinute: 3000,
  suggestionsPerIpPerMinute: 240,
  votesPerIpPerHour: 30,
  votesPerWorkspacePerHour: 2000,
};

/** How many rendered pages a node keeps (0 turns the cache off: the benchmark's uncached run). */
export const HELP_CENTER_CACHE = { maxEntries: 2000 };

/** Search results below this score are not shown (they share too little with the question). */
export const SEARCH_MIN_SCORE = 0.2;

export const READER_COOKIE = 'rapport_reader';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `<id>-<slug>` or `<id>` → the id, and whether the slug part was given. */
function parseRef(ref: string): { id: string; slug: string } | null {
  const id = ref.slice(0, 36);
  if (!UUID.test(id) || (ref.length > 36 && ref[36] !== '-')) return null;
  return { id: id.toLowerCase(), slug: ref.slice(37) };
}

interface HcParams {
  hc: string;
  locale?: string;
  ref?: string;
}

export function helpCenterPagesRoutes(app: Api, ctx: AppContext, hosts: HelpCenterHosts): void {
  const cache = pageCache(ctx.db, HELP_CENTER_CACHE.maxEntries);
  const views = viewCounter(ctx.db, app.log);
  const ns = `${ctx.config.redisPrefix}rl:hc-`;
  const limits = {
    searchIp: createLimiter(`${ns}search-ip`, HELP_CENTER_LIMITS.searchesPerIpPerMinute, 60, ctx.redis),
    searchWorkspace: createLimiter(`${ns}search-ws`, HELP_CENTER_LIMITS.searchesPerWorkspacePerMinute, 60, ctx.redis),
    suggestIp: createLimiter(`${ns}suggest-ip`, HELP_CENTER_LIMITS.suggestionsPerIpPerMinute, 60, ctx.redis),
    voteIp: createLimiter(`${ns}vote-ip`, HELP_CENTER_LIMITS.votesPerIpPerHour, 3600, ctx.redis),
    voteWorkspace: createLimiter(`${ns}vote-ws`, HELP_CENTER_LIMITS.votesPerWorkspacePerHour, 3600, ctx.redis),
  };
  // Help centers by slug, for a second at a time (and dropped on any change): a cached page then
  // costs no query at all.
  // The theme's version (for the stylesheet's address) is worked out once per read, not per page.
  type Found = { hc: HelpCenter; themeVersion: string } | undefined;
  const sites = new Map<string, { found: Found; at: number }>();
  const helpCenterAt = async (slug: string): Promise<Found> => {
    const key = slug.toLowerCase();
    const known = sites.get(key);
    if (known && Date.now() - known.at < 1000) return known.found;
    const hc = await helpCenterBySlug(ctx.db, key);
    const found = hc && { hc, themeVersion: createHash('sha1').update(JSON.stringify(hc.theme)).digest('hex').slice(0, 8) };
    if (sites.size > 10_000) sites.clear();
    sites.set(key, { found, at: Date.now() });
    return found;
  };
  const unsubscribe = onHelpCenterChanged(ctx, (accountId, domains) => {
    sites.clear();
    cache.invalidate(accountId);
    if (domains) void hosts.reload().catch((err: unknown) => app.log.warn({ err }, 'help center domains could not be reloaded'));
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    await views.close();
  });

  /** The help center this request is for (enabled), and how its links are written. */
  async function siteOf(request: FastifyRequest, slug: string, locale?: string): Promise<Site | null> {
    const found = await helpCenterAt(slug);
    if (!found) return null;
    const { hc, themeVersion } = found;
    const chosen = locale && helpCenterLocales(hc).includes(locale) ? locale : hc.default_locale;
    const viaDomain = hosts.viaDomain(request.raw);
    return { hc, prefix: viaDomain ? '' : `/help/${encodeURIComponent(hc.slug)}`, origin: helpCenterBase(ctx.config.publicUrl, hc), locale: chosen, themeVersion };
  }
  const known = (site: Site, locale: string | undefined) => !!locale && helpCenterLocales(site.hc).includes(locale);

  function send(request: FastifyRequest, reply: FastifyReply, page: CachedPage, cacheable: boolean): FastifyReply {
    reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY').type(page.type).code(page.status);
    if (page.status === 301) return reply.header('cache-control', 'public, max-age=0, must-revalidate').header('location', page.body).send();
    if (!cacheable) return reply.header('cache-control', 'no-store').send(page.body);
    // Browsers ask again each time, and a page that has not changed costs them nothing (304).
    reply.header('cache-control', 'public, max-age=0, must-revalidate').header('etag', page.etag);
    if (page.status === 200 && request.headers['if-none-match'] === page.etag) return reply.code(304).send();
    return reply.send(page.body);
  }

  const htmlPage = (status: number, body: string): CachedPage => ({ status, type: 'text/html; charset=utf-8', body, etag: etagOf(body) });

  /** A page from the cache, or rendered and cached. The key is the path: query strings never reach it. */
  async function pageOf(request: FastifyRequest, site: Site, render: () => Promise<{ status: number; body: string; type?: string }>): Promise<CachedPage> {
    const key = `${site.prefix ? 'p' : 'd'}${request.url.split('?')[0]}`;
    const page = await cache.get(site.hc.account_id, key);
    if (page) return page;
    const fresh = await render();
    return cache.set(site.hc.account_id, key, { status: fresh.status, type: fresh.type ?? 'text/html; charset=utf-8', body: fresh.body });
  }
  const cachedPage = async (request: FastifyRequest, reply: FastifyReply, site: Site, render: () => Promise<{ status: number; body: string; type?: string }>) =>
    send(request, reply, await pageOf(request, site, render), true);

  const noSuchHelpCenter = (reply: FastifyReply) => reply.code(404).header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(noHelpCenterPage());
  const notFound = (request: FastifyRequest, reply: FastifyReply, site: Site) => send(request, reply, htmlPage(404, notFoundPage(site)), false);

  /** True when over a limit: the 429 has been sent. (Not the reply itself: a reply is thenable.) */
  async function limited(request: FastifyRequest, reply: FastifyReply, site: Site, checks: Array<[Limiter, string]>, json = false): Promise<boolean> {
    try {
      for (const [limiter, key] of checks) await limiter.hit(key);
      return false;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'rate_limited') throw err;
      const seconds = Number((err.details as { retry_after?: number } | undefined)?.retry_after ?? 60);
      reply.header('retry-after', String(seconds));
      if (json) reply.code(429).header('cache-control', 'no-store').send({ error: { code: 'rate_limited', message: err.message } });
      else send(request, reply, htmlPage(429, rateLimitedPage(site, seconds)), false);
      return true;
    }
  }

  app.register(async (plain) => {
    // The vote form posts application/x-www-form-urlencoded (it works without JavaScript).
    await plain.register(formbody, { bodyLimit: 16 * 1024 });
    const r = plain.withTypeProvider<TypeBoxTypeProvider>();
    const config = { access: 'public' as const };
    const schema = { hide: true };

    const toHome = async (request: FastifyRequest<{ Params: HcParams }>, reply: FastifyReply) => {
      const site = await siteOf(request, (request.params as HcParams).hc);
      if (!site) return noSuchHelpCenter(reply);
      return reply.code(302).header('cache-control', 'no-store').redirect(`${site.prefix}${homePath(site.hc.default_locale)}`);
    };
    r.get('/help/:hc', { config, schema }, toHome);
    r.get('/help/:hc/', { config, schema }, toHome);

    const home = async (request: FastifyRequest<{ Params: HcParams }>, reply: FastifyReply) => {
      const site = await siteOf(request, request.params.hc, request.params.locale);
      if (!site) return noSuchHelpCenter(reply);
      if (!known(site, request.params.locale)) return notFound(request, reply, site);
      if (!request.url.split('?')[0]!.endsWith('/')) return reply.code(301).redirect(`${site.prefix}${homePath(site.locale)}`);
      return cachedPage(request, reply, site, async () => ({ status: 200, body: homePage(site, await categoryTree(ctx.db, site.hc, site.locale), await popularArticles(ctx.db, site.hc, site.locale)) }));
    };
    r.get('/help/:hc/:locale', { config, schema }, home);
    r.get('/help/:hc/:locale/', { config, schema }, home);

    // A category or a section page: the same steps, a different read and template.
    const listing = (kind: 'categories' | 'sections', render: (site: Site, id: string) => Promise<string | null>) =>
      r.get(`/help/:hc/:locale/${kind}/:ref`, { config, schema }, async (request, reply) => {
        const p = request.params as HcParams;
        const site = await siteOf(request, p.hc, p.locale);
        if (!site) return noSuchHelpCenter(reply);
        const ref = parseRef(p.ref ?? '');
        if (!known(site, p.locale) || !ref) return notFound(request, reply, site);
        return cachedPage(request, reply, site, async () => {
          const body = await render(site, ref.id);
          return body === null ? { status: 404, body: notFoundPage(site) } : { status: 200, body };
        });
      });
    listing('categories', async (site, id) => {
      const category = await categoryOf(ctx.db, site.hc, site.locale, id);
      return category ? categoryPage(site, category) : null;
    });
    listing('sections', async (site, id) => {
      const found = await sectionOf(ctx.db, site.hc, site.locale, id);
      return found ? sectionPage(site, found.category, found.section) : null;
    });

    r.get('/help/:hc/:locale/articles/:ref', { config, schema: { ...schema, querystring: Type.Object({ feedback: Type.Optional(Type.String({ maxLength: 10 })) }) } }, async (request, reply) => {
      const p = request.params as HcParams;
      const site = await siteOf(request, p.hc, p.locale);
      if (!site) return noSuchHelpCenter(reply);
      const ref = parseRef(p.ref ?? '');
      if (!known(site, p.locale) || !ref) return notFound(request, reply, site);
      const feedback = request.query.feedback;
      if (feedback === 'yes' || feedback === 'no' || feedback === 'limited') {
        // The page after a vote says thank you: rendered for this reader, not cached.
        const a = await articlePage(ctx.db, site.hc, site.locale, ref.id);
        if (!a) return notFound(request, reply, site);
        return send(request, reply, htmlPage(200, articleView(site, a, feedback)), false);
      }
      const page = await pageOf(request, site, async () => {
        const a = await articlePage(ctx.db, site.hc, site.locale, ref.id);
        if (!a) return { status: 404, body: notFoundPage(site) };
        // An old or missing slug in the address moves to the canonical one (cached as that move).
        if (a.slug !== ref.slug) return { status: 301, type: 'text/plain; charset=utf-8', body: `${site.prefix}${articlePath(a.locale, a)}` };
        return { status: 200, body: articleView(site, a, null) };
      });
      if (page.status === 200) views.count(site.hc.account_id, ref.id);
      return send(request, reply, page, true);
    });

    r.post(
      '/help/:hc/:locale/articles/:ref/vote',
      { config, schema: { ...schema, body: Type.Object({ helpful: Type.Optional(Type.String({ maxLength: 5 })), comment: Type.Optional(Type.String({ maxLength: 4000 })) }) } },
      async (request, reply) => {
        const p = request.params as HcParams;
        const site = await siteOf(request, p.hc, p.locale);
        if (!site) return noSuchHelpCenter(reply);
        const ref = parseRef(p.ref ?? '');
        if (!known(site, p.locale) || !ref || ref.slug) return notFound(request, reply, site);
        // A vote comes from the help center's own page, never from another site's form.
        const fetchSite = request.headers['sec-fetch-site'];
        if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return reply.code(403).type('text/plain').send('Votes are taken from the help center page only.');
        const helpful = request.body.helpful;
        if (helpful !== 'yes' && helpful !== 'no') return reply.code(400).type('text/plain').send('Choose yes or no.');
        const a = await articlePage(ctx.db, site.hc, site.locale, ref.id);
        if (!a) return notFound(request, reply, site);
        const back = `${site.prefix}${articlePath(a.locale, a)}`;
        const stop = await limited(request, reply, site, [
          [limits.voteIp, `${site.hc.account_id}:${request.ip}`],
          [limits.voteWorkspace, site.hc.account_id],
        ]);
        if (stop) return reply;
        // One vote per reader: a first-party cookie names the reader, and the database keeps one vote per key.
        let reader = request.cookies[READER_COOKIE];
        if (!reader || !/^[\w-]{16,64}$/.test(reader)) {
          reader = randomBytes(18).toString('base64url');
          reply.setCookie(READER_COOKIE, reader, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.publicUrl.startsWith('https:'), maxAge: 365 * 24 * 3600 });
        }
        await recordVote(ctx.db, site.hc.account_id, { articleId: a.id, locale: a.locale, voterKey: voterKey('reader', reader), helpful: helpful === 'yes', comment: request.body.comment ?? null });
        return reply.code(303).header('cache-control', 'no-store').redirect(`${back}?feedback=${helpful}#feedback`);
      },
    );

    r.get('/help/:hc/:locale/search', { config, schema: { ...schema, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 2000 })) }) } }, async (request, reply) => {
      const p = request.params as HcParams;
      const site = await siteOf(request, p.hc, p.locale);
      if (!site) return noSuchHelpCenter(reply);
      if (!known(site, p.locale)) return notFound(request, reply, site);
      const q = (request.query.q ?? '').trim().slice(0, 200);
      const contact = themeOf(site.hc.theme).contact_url;
      if (!q) return send(request, reply, htmlPage(200, searchPage(site, '', [], [], contact)), false);
      const stop = await limited(request, reply, site, [
        [limits.searchIp, `${site.hc.account_id}:${request.ip}`],
        [limits.searchWorkspace, site.hc.account_id],
      ]);
      if (stop) return reply;
      const hits = (await findArticles(ctx.db, site.hc.account_id, { q, locale: site.locale, onlyLocale: true, audience: 'public', limit: 10 })).filter((h) => h.score >= SEARCH_MIN_SCORE);
      await recordSearch(ctx.db, site.hc.account_id, { q, locale: site.locale, source: 'help_center', results: hits.length });
      return send(request, reply, htmlPage(200, searchPage(site, q, hits, questionWords(q), contact)), false);
    });

    r.get('/help/:hc/:locale/suggest', { config, schema: { ...schema, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 2000 })) }) } }, async (request, reply) => {
      const p = request.params as HcParams;
      const site = await siteOf(request, p.hc, p.locale);
      if (!site || !known(site, p.locale)) return reply.code(404).header('cache-control', 'no-store').send({ error: { code: 'not_found', message: 'No such help center.' } });
      const q = (request.query.q ?? '').trim().slice(0, 200);
      if (q.length < 2) return reply.header('cache-control', 'no-store').send({ data: [] });
      const stop = await limited(request, reply, site, [
        [limits.suggestIp, `${site.hc.account_id}:${request.ip}`],
        [limits.searchWorkspace, site.hc.account_id],
      ], true);
      if (stop) return reply;
      // Suggestions as a reader types are not counted as searches (only the search they submit is).
      const hits = (await findArticles(ctx.db, site.hc.account_id, { q, locale: site.locale, onlyLocale: true, audience: 'public', limit: 6, typing: true })).filter((h) => h.score >= SEARCH_MIN_SCORE);
      return reply.header('cache-control', 'no-store').send({ data: hits.map((h) => ({ title: h.title, description: h.description, url: `${site.prefix}${articlePath(h.locale, { id: h.article_id, slug: h.slug })}` })) });
    });

    r.get('/help/:hc/sitemap.xml', { config, schema }, async (request, reply) => {
      const site = await siteOf(request, (request.params as HcParams).hc);
      if (!site) return noSuchHelpCenter(reply);
      return cachedPage(request, reply, site, async () => {
        const entries = await sitemapEntries(ctx.db, site.hc);
        const x = (s: string) => escapeHtml(s);
        const urls = [
          ...helpCenterLocales(site.hc).map((l) => `<url><loc>${x(site.origin + homePath(l))}</loc></url>`),
          ...entries.map((e) => `<url><loc>${x(site.origin + articlePath(e.locale, e))}</loc><lastmod>${e.updated_at.toISOString()}</lastmod></url>`),
        ];
        return { status: 200, type: 'application/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n` };
      });
    });

    r.get('/help/:hc/robots.txt', { config, schema }, async (request, reply) => {
      const site = await siteOf(request, (request.params as HcParams).hc);
      if (!site) return noSuchHelpCenter(reply);
      const body = `User-agent: *\nAllow: /\nDisallow: ${site.prefix}/*/search\nDisallow: ${site.prefix}/*/suggest\nSitemap: ${site.origin}/sitemap.xml\n`;
      return send(request, reply, { status: 200, type: 'text/plain; charset=utf-8', body, etag: etagOf(body) }, true);
    });

    r.get('/help/:hc/theme.css', { config, schema }, async (request, reply) => {
      const site = await siteOf(request, (request.params as HcParams).hc);
      if (!site) return noSuchHelpCenter(reply);
      const body = themeCss(themeOf(site.hc.theme));
      return send(request, reply, { status: 200, type: 'text/css; charset=utf-8', body, etag: etagOf(body) }, true);
    });

    const asset = (type: string, body: string) => {
      const etag = etagOf(body);
      return async (request: FastifyRequest, reply: FastifyReply) => {
        // The address carries the content's version (?v=…), so browsers may keep it for a day.
        reply.header('cache-control', 'public, max-age=86400').header('etag', etag).type(type);
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.send(body);
      };
    };
    r.get('/help/:hc/assets/help-center.css', { config, schema }, asset('text/css; charset=utf-8', HELP_CENTER_CSS));
    r.get('/help/:hc/assets/help-center.js', { config, schema }, asset('text/javascript; charset=utf-8', HELP_CENTER_JS));

    r.get('/help/:hc/*', { config, schema }, async (request, reply) => {
      const site = await siteOf(request, (request.params as HcParams).hc);
      if (!site) return noSuchHelpCenter(reply);
      return notFound(request, reply, site);
    });
  });
}

/** Paths a help center serves, for the tests and the docs. */
export const helpCenterPaths = { home: homePath, category: categoryPath, section: sectionPath, article: articlePath };
export type { HelpCenter };

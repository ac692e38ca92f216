/**
 * Self-service in the web chat, before a visitor starts a conversation: suggestions as they type
 * their question, an article opened inside the widget (rendered on the server through the
 * sanitiser; links open in a new tab), and "Did this answer your question?" (yes counts a
 * deflection). Visitors authenticate as for their messages (X-Visitor-Token); only published
 * public articles of the inbox's workspace are ever found or shown. Searching is rate limited per
 * visitor and per address (SECURITY 31).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { notFound } from '../../core/errors.js';
import { IdParams, Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { createLimiter } from '../../core/rate-limit.js';
import { recordAnswered, recordSearch, recordViews } from '../kb/feedback.js';
import { articleUrl, helpCenterOf } from '../kb/help-center-address.js';
import { renderMarkdown } from '../kb/markdown.js';
import { findArticles } from '../kb/retrieval.js';
import type { Visitor } from '../widget/visitors.js';

const tags = ['widget'];

/** Per visitor and per address, per minute; exported so tests can see the numbers they hammer. */
export const widgetArticleLimits = { perVisitor: 60, perIp: 240 };

const Suggestion = Type.Object({ id: Type.String({ format: 'uuid' }), locale: Type.String(), title: Type.String(), description: Type.String(), score: Type.Number() });
const Article = Type.Object({
  id: Type.String({ format: 'uuid' }),
  locale: Type.String(),
  title: Type.String(),
  html: Type.String({ description: 'Sanitised HTML of the article; links open in a new tab' }),
  url: Type.String({ description: 'The article in the public help center' }),
});

const Locale = Type.String({ maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' });
const primary = (locale: string | undefined) => locale?.split('-')[0].toLowerCase();

/** Every link of rendered article HTML opens in a new tab, without handing the widget to the page it opens. */
export function linksInNewTab(html: string): string {
  return html.replace(/<a\s([^>]*)>/gi, (_all, attrs: string) => {
    const kept = attrs.replace(/\s*\b(target|rel)="[^"]*"/gi, '');
    return `<a ${kept} target="_blank" rel="noopener noreferrer nofollow">`;
  });
}

export function widgetArticlesRoutes(app: Api, ctx: AppContext, visitor: (request: FastifyRequest) => Promise<Visitor>): void {
  const { db } = ctx;
  const prefix = `${ctx.config.redisPrefix}rl:`;
  const perVisitor = createLimiter(`${prefix}widget-articles-visitor`, widgetArticleLimits.perVisitor, 60, ctx.redis);
  const perIp = createLimiter(`${prefix}widget-articles-ip`, widgetArticleLimits.perIp, 60, ctx.redis);
  const limited = async (request: FastifyRequest) => {
    await perIp.hit(request.ip, 'Too many searches from this address; wait a minute.');
    const v = await visitor(request);
    await perVisitor.hit(v.contactId, 'Too many searches; wait a minute.');
    return v;
  };

  app.get(
    '/api/v1/widget/articles',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "Help articles that may answer the visitor's question (header X-Visitor-Token); the search is counted for the team",
        querystring: Obj({ q: Type.String({ maxLength: 500, description: 'Empty: only say whether there is anything to search' }), locale: Type.Optional(Locale) }),
        response: { 200: Type.Object({ data: Type.Array(Suggestion), available: Type.Boolean({ description: 'The workspace has published public articles (the widget hides its search otherwise)' }) }), ...errors(400, 401, 429) },
      },
    },
    async (request) => {
      const v = await limited(request);
      const q = request.query.q.trim();
      if (q.length < 2) {
        const any = await scoped(db, v.accountId)
          .selectFrom('kb_article_translations')
          .innerJoin('kb_articles', (j) => j.onRef('kb_articles.id', '=', 'kb_article_translations.article_id').onRef('kb_articles.account_id', '=', 'kb_article_translations.account_id'))
          .select('kb_articles.id')
          .where('kb_article_translations.status', '=', 'published')
          .where('kb_articles.visibility', '=', 'public')
          .limit(1)
          .executeTakeFirst();
        return { data: [], available: Boolean(any) };
      }
      const locale = primary(request.query.locale);
      const hits = await findArticles(db, v.accountId, { q, locale, audience: 'public', limit: 5 });
      await recordSearch(db, v.accountId, { q, locale, source: 'widget', results: hits.length });
      return { data: hits.map((h) => ({ id: h.article_id, locale: h.locale, title: h.title, description: h.description, score: h.score })), available: true };
    },
  );

  app.get(
    '/api/v1/widget/articles/:id',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'A published help article, rendered for the widget (header X-Visitor-Token)', params: IdParams, querystring: Obj({ locale: Type.Optional(Locale) }), response: { 200: Article, ...errors(400, 401, 404, 429) } },
    },
    async (request) => {
      const v = await limited(request);
      const translations = await scoped(db, v.accountId)
        .selectFrom('kb_article_translations')
        .innerJoin('kb_articles', (j) => j.onRef('kb_articles.id', '=', 'kb_article_translations.article_id').onRef('kb_articles.account_id', '=', 'kb_article_translations.account_id'))
        .select(['kb_article_translations.locale', 'kb_article_translations.title', 'kb_article_translations.slug', 'kb_article_translations.body'])
        .where('kb_article_translations.article_id', '=', request.params.id)
        .where('kb_article_translations.status', '=', 'published')
        .where('kb_articles.visibility', '=', 'public')
        .execute();
      const wanted = request.query.locale;
      const t = translations.find((x) => x.locale === wanted) ?? translations.find((x) => x.locale === primary(wanted)) ?? translations[0];
      if (!t) throw notFound('Article');
      await recordViews(db, v.accountId, new Map([[request.params.id, 1]]));
      const hc = await helpCenterOf(db, v.accountId);
      return { id: request.params.id, locale: t.locale, title: t.title, html: linksInNewTab(renderMarkdown(t.body)), url: articleUrl(ctx.config.publicUrl, hc, t.locale, { id: request.params.id, slug: t.slug }) };
    },
  );

  app.post(
    '/api/v1/widget/articles/:id/answered',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '"Did this answer your question?" (header X-Visitor-Token): yes counts a deflection; both are learnt for the question',
        params: IdParams,
        body: Obj({ helped: Type.Boolean(), question: Type.String({ maxLength: 500 }), locale: Type.Optional(Locale) }),
        response: { 204: Type.Null(), ...errors(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const v = await limited(request);
      const article = await scoped(db, v.accountId)
        .selectFrom('kb_article_translations')
        .innerJoin('kb_articles', (j) => j.onRef('kb_articles.id', '=', 'kb_article_translations.article_id').onRef('kb_articles.account_id', '=', 'kb_article_translations.account_id'))
        .select('kb_article_translations.locale')
        .where('kb_article_translations.article_id', '=', request.params.id)
        .where('kb_article_translations.status', '=', 'published')
        .where('kb_articles.visibility', '=', 'public')
        .executeTakeFirst();
      if (!article) throw notFound('Article');
      await recordAnswered(db, v.accountId, { articleId: request.params.id, question: request.body.question, locale: request.body.locale ? primary(request.body.locale) : article.locale, helped: request.body.helped, deflected: request.body.helped });
      return reply.code(204).send(null);
    },
  );
}

/**
 * Articles for the team. Agents read every article (internal ones too) and write them: the people
 * who answer customers are the ones who know what an article should say, and every save is a
 * revision anyone can restore, so nothing an agent writes is lost. Deleting an article or a
 * translation is for admins.
 */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Obj, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { recordAnswered } from './feedback.js';
import { articleUrl, helpCenterOf } from './help-center-address.js';
import { markdownToText, renderMarkdown } from './markdown.js';
import { findArticles } from './retrieval.js';
import { articleFeedback, listArticles, listRevisions, loadArticle } from './articles.queries.js';
import { createArticle, deleteTranslation, restoreRevision, updateArticle } from './articles.store.js';
import { ArticleBody, ArticleListQuery, ArticleOut, ArticlePatch, ArticleSummaryOut, FeedbackOut, MAX_BODY, RevisionOut } from './kb.schema.js';

const tags = ['knowledge base'];
const LocaleQuery = Obj({ locale: Type.Optional(Type.String({ maxLength: 20 })) });

export function articlesRoutes(app: Api, ctx: AppContext): void {
  const read = async (accountId: string, id: string, locale?: string) => {
    const article = await loadArticle(ctx, ctx.db, accountId, id, locale);
    if (!article) throw notFound('Article');
    return article;
  };

  app.get(
    '/api/v1/kb/articles',
    { config: { access: 'agent' }, schema: { tags, summary: 'Articles, newest first, with their translations’ titles and status, views and votes', querystring: ArticleListQuery, response: { 200: Type.Object({ data: Type.Array(ArticleSummaryOut), next_cursor: Nullable(Type.String()) }), ...errors(400, 401, 403) } } },
    async (request) => listArticles(ctx.db, member(request).accountId, request.query),
  );

  app.post(
    '/api/v1/kb/articles',
    { config: { access: 'agent' }, schema: { tags, summary: 'Write an article: its first translation, as a draft unless status says published', body: ArticleBody, response: { 201: ArticleOut, ...errors(400, 401, 403, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      const id = await ctx.db.transaction().execute((trx) => createArticle(trx, auth.accountId, auth.userId, request.body));
      return reply.code(201).send(await read(auth.accountId, id));
    },
  );

  // Before /:id, so "search" is not taken for an id.
  app.get(
    '/api/v1/kb/articles/search',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'Published articles (internal ones included) that answer a question, best first: the composer’s article picker',
        querystring: Obj({ q: Type.String({ minLength: 1, maxLength: 500 }), locale: Type.Optional(Type.String({ maxLength: 20 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })) }),
        response: { 200: Type.Object({ data: Type.Array(Type.Object({ id: Uuid, locale: Type.String(), title: Type.String(), description: Type.String(), passage: Type.String(), score: Type.Number(), visibility: Type.String() })) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const auth = member(request);
      const hits = await findArticles(ctx.db, auth.accountId, { q: request.query.q, locale: request.query.locale, audience: 'agent', limit: request.query.limit ?? 8 });
      const ids = [...new Set(hits.map((h) => h.article_id))];
      // The passage may still hold Markdown; the picker shows it as plain text.
      const visibility = new Map(ids.length ? (await scoped(ctx.db, auth.accountId).selectFrom('kb_articles').select(['id', 'visibility']).where('id', 'in', ids).execute()).map((r) => [r.id, r.visibility]) : []);
      return { data: hits.map((h) => ({ id: h.article_id, locale: h.locale, title: h.title, description: h.description, passage: markdownToText(h.passage), score: h.score, visibility: visibility.get(h.article_id) ?? 'public' })) };
    },
  );

  app.post(
    '/api/v1/kb/preview',
    { config: { access: 'agent' }, schema: { tags, summary: 'Article Markdown as the safe HTML the help center shows (for the editor’s preview)', body: Obj({ markdown: Type.String({ maxLength: MAX_BODY }) }), response: { 200: Type.Object({ html: Type.String() }), ...errors(400, 401, 403) } } },
    async (request) => ({ html: renderMarkdown(request.body.markdown) }),
  );

  app.get(
    '/api/v1/kb/articles/:id',
    { config: { access: 'agent' }, schema: { tags, summary: 'One article with every translation (or only ?locale=), related articles and counts', params: IdParams, querystring: LocaleQuery, response: { 200: ArticleOut, ...errors(400, 401, 403, 404) } } },
    async (request) => read(member(request).accountId, request.params.id, request.query.locale),
  );

  app.patch(
    '/api/v1/kb/articles/:id',
    { config: { access: 'agent' }, schema: { tags, summary: 'Change an article and one translation (named by locale); a new locale adds a translation. Each save is a revision', params: IdParams, body: ArticlePatch, response: { 200: ArticleOut, ...errors(400, 401, 403, 404, 422) } } },
    async (request) => {
      const auth = member(request);
      await ctx.db.transaction().execute((trx) => updateArticle(trx, auth.accountId, auth.userId, request.params.id, request.body));
      return read(auth.accountId, request.params.id);
    },
  );

  app.delete('/api/v1/kb/articles/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Delete an article with all its translations, revisions and votes', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const row = await scoped(ctx.db, member(request).accountId).deleteFrom('kb_articles').where('id', '=', request.params.id).returning('id').executeTakeFirst();
    if (!row) throw notFound('Article');
    return reply.code(204).send(null);
  });

  app.delete(
    '/api/v1/kb/articles/:id/translations/:locale',
    { config: { access: 'admin' }, schema: { tags, summary: 'Delete one translation (not the only one) and its revisions', params: Obj({ id: Uuid, locale: Type.String({ maxLength: 20 }) }), response: { 204: Type.Null(), ...errors(401, 403, 404, 422) } } },
    async (request, reply) => {
      const auth = member(request);
      await ctx.db.transaction().execute((trx) => deleteTranslation(trx, auth.accountId, request.params.id, request.params.locale));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/kb/articles/:id/revisions',
    { config: { access: 'agent' }, schema: { tags, summary: 'Every saved version of an article, newest first (of one translation with ?locale=)', params: IdParams, querystring: LocaleQuery, response: { 200: Type.Object({ data: Type.Array(RevisionOut) }), ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      if (!(await scoped(ctx.db, auth.accountId).selectFrom('kb_articles').select('id').where('id', '=', request.params.id).executeTakeFirst())) throw notFound('Article');
      return { data: await listRevisions(ctx.db, auth.accountId, request.params.id, request.query.locale) };
    },
  );

  app.post(
    '/api/v1/kb/articles/:id/revisions/:revisionId/restore',
    { config: { access: 'agent' }, schema: { tags, summary: 'Save an old revision’s text as the newest one (history stays as it was)', params: Obj({ id: Uuid, revisionId: Uuid }), response: { 200: ArticleOut, ...errors(401, 403, 404, 422) } } },
    async (request) => {
      const auth = member(request);
      if (!(await scoped(ctx.db, auth.accountId).selectFrom('kb_articles').select('id').where('id', '=', request.params.id).executeTakeFirst())) throw notFound('Article');
      await ctx.db.transaction().execute((trx) => restoreRevision(trx, auth.accountId, auth.userId, request.params.id, request.params.revisionId));
      return read(auth.accountId, request.params.id);
    },
  );

  app.get(
    '/api/v1/kb/articles/:id/feedback',
    { config: { access: 'agent' }, schema: { tags, summary: 'Views, “Was this helpful?” votes and the comments readers left', params: IdParams, response: { 200: FeedbackOut, ...errors(401, 403, 404) } } },
    async (request) => {
      const feedback = await articleFeedback(ctx.db, member(request).accountId, request.params.id);
      if (!feedback) throw notFound('Article');
      return feedback;
    },
  );

  app.post(
    '/api/v1/kb/articles/:id/insert',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'The text to insert into a reply (a link to the public article, or its Markdown), learnt as an answer to the customer’s last message',
        params: IdParams,
        body: Obj({ conversation_id: Uuid, as: Type.Union([Type.Literal('link'), Type.Literal('text')]), locale: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: Type.Object({ text: Type.String(), url: Nullable(Type.String()), locale: Type.String() }), ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const { conversation_id: conversationId, as, locale } = request.body;
      // A conversation the agent may not see does not exist for them (SECURITY 4, 6).
      if (!(await findConversation(ctx.db, auth, conversationId))) throw notFound('Conversation');
      const ws = scoped(ctx.db, auth.accountId);
      const article = await ws.selectFrom('kb_articles').select(['id', 'visibility']).where('id', '=', request.params.id).executeTakeFirst();
      if (!article) throw notFound('Article');
      const translations = await ws.selectFrom('kb_article_translations').select(['locale', 'title', 'slug', 'body', 'status']).where('article_id', '=', article.id).orderBy('created_at').execute();
      const t = translations.find((x) => x.locale === locale) ?? translations.find((x) => x.status === 'published') ?? translations[0];
      if (!t) throw notFound('Article');
      let url: string | null = null;
      if (article.visibility === 'public' && t.status === 'published') url = articleUrl(ctx.config.publicUrl, await helpCenterOf(ctx.db, auth.accountId), t.locale, { id: article.id, slug: t.slug });
      if (as === 'link' && !url) throw new AppError('invalid_state', article.visibility === 'internal' ? 'This article is internal: it has no public link. Insert it as text instead.' : 'This translation is not published yet: it has no public link. Publish it, or insert it as text.');
      const question = await ws
        .selectFrom('messages')
        .select('content')
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', 'incoming')
        .where('private', '=', false)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      // The customer's last words are what this article answered: retrieval learns from that.
      if (question?.content?.trim()) await recordAnswered(ctx.db, auth.accountId, { articleId: article.id, question: question.content, locale: t.locale, helped: true, deflected: false });
      return { text: as === 'link' ? `${t.title}: ${url}` : t.body, url, locale: t.locale };
    },
  );
}

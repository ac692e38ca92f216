/**
 * The knowledge base's search, for integrations and the team: ranked suggestions for a question
 * (`GET /api/v1/kb/suggest`, the retrieval the widget and the bot use), the synonym groups admins
 * keep, and the searches that found nothing (which articles are missing).
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Obj, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { normalizeQuery, recordSearch } from '../kb/feedback.js';
import { articleUrl, helpCenterOf } from '../kb/help-center-address.js';
import { ANSWER_THRESHOLD, findArticles } from '../kb/retrieval.js';
import { Locale } from './settings.schema.js';

const Suggestion = Type.Object({
  article_id: Uuid,
  locale: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  passage: Type.String({ description: 'The paragraph(s) of the article that best match the question, as plain text' }),
  score: Type.Number({ minimum: 0, maximum: 1, description: 'How sure retrieval is that the article answers the question' }),
  url: Type.String({ description: 'The article\'s public address in the help center' }),
});

const SynonymGroup = Type.Object({ id: Uuid, terms: Type.Array(Type.String()), locale: Nullable(Type.String()), created_at: Timestamp });
const SynonymBody = Obj({
  terms: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 2, maxItems: 20, description: 'Words or phrases a search treats as one ("refund", "money back")' }),
  locale: Type.Optional(Nullable(Locale)),
});
const SynonymPatch = Obj({ terms: Type.Optional(SynonymBody.properties.terms), locale: Type.Optional(Nullable(Locale)) });

const SearchGap = Type.Object({
  query: Type.String(),
  locale: Type.String(),
  searches: Type.Integer(),
  without_results: Type.Integer(),
  last_searched_at: Timestamp,
});

/** The terms as stored: trimmed, single spaces, no duplicates (compared without case and accents). */
function cleanTerms(terms: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of terms) {
    const term = t.trim().replace(/\s+/g, ' ');
    const key = normalizeQuery(term);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(term);
  }
  if (out.length < 2) throw new AppError('invalid_synonyms', undefined, { terms: 'at least two different words or phrases' });
  return out;
}

export function kbSearchRoutes(app: Api, ctx: AppContext): void {
  const tags = ['knowledge base'];
  const present = (r: { id: string; terms: string[]; locale: string | null; created_at: Date }) => ({ id: r.id, terms: r.terms, locale: r.locale, created_at: r.created_at.toISOString() });

  app.get(
    '/api/v1/kb/suggest',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'Published public articles that answer a question, best first, each with a score from 0 to 1',
        description: `The same ranked retrieval the help center, the widget and the answer bot use. Below a score of about ${ANSWER_THRESHOLD} no article is likely to answer the question. The search is counted in the "searches that found nothing" report when nothing scored above that.`,
        querystring: Obj({
          q: Type.String({ minLength: 1, maxLength: 500 }),
          locale: Type.Optional(Locale),
          only_locale: Type.Optional(Type.Boolean({ description: 'Only articles in `locale` (otherwise other languages rank lower)' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5 })),
        }),
        response: { 200: Type.Object({ data: Type.Array(Suggestion), threshold: Type.Number() }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { accountId } = member(request);
      const { q, locale, only_locale, limit } = request.query;
      if (!q.trim()) throw new AppError('validation_failed', 'Give a question or some words in q.', { q: 'empty' });
      const hits = await findArticles(ctx.db, accountId, { q, locale, onlyLocale: only_locale === true && !!locale, audience: 'public', limit: limit ?? 5 });
      await recordSearch(ctx.db, accountId, { q, locale, source: 'api', results: hits.filter((h) => h.score >= ANSWER_THRESHOLD).length });
      const hc = await helpCenterOf(ctx.db, accountId);
      return { data: hits.map((h) => ({ ...h, url: articleUrl(ctx.config.publicUrl, hc, h.locale, { id: h.article_id, slug: h.slug }) })), threshold: ANSWER_THRESHOLD };
    },
  );

  app.get('/api/v1/kb/synonyms', { config: { access: 'admin' }, schema: { tags, summary: 'Synonym groups searches use', response: { 200: Type.Object({ data: Type.Array(SynonymGroup) }), ...errors(401, 403) } } }, async (request) => {
    const rows = await scoped(ctx.db, member(request).accountId).selectFrom('kb_synonyms').select(['id', 'terms', 'locale', 'created_at']).orderBy('created_at').orderBy('id').execute();
    return { data: rows.map(present) };
  });

  app.post(
    '/api/v1/kb/synonyms',
    { config: { access: 'admin' }, schema: { tags, summary: 'Add a synonym group (for one language, or all when locale is null)', body: SynonymBody, response: { 201: SynonymGroup, ...errors(400, 401, 403, 422) } } },
    async (request, reply) => {
      const b = request.body;
      const row = await scoped(ctx.db, member(request).accountId)
        .insertInto('kb_synonyms', { terms: cleanTerms(b.terms), locale: b.locale ?? null })
        .returning(['id', 'terms', 'locale', 'created_at'])
        .executeTakeFirstOrThrow();
      return reply.code(201).send(present(row));
    },
  );

  app.patch(
    '/api/v1/kb/synonyms/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Change a synonym group', params: IdParams, body: SynonymPatch, response: { 200: SynonymGroup, ...errors(400, 401, 403, 404, 422) } } },
    async (request) => {
      const b = request.body;
      const row = await scoped(ctx.db, member(request).accountId)
        .updateTable('kb_synonyms')
        .set({ ...(b.terms ? { terms: cleanTerms(b.terms) } : {}), ...(b.locale !== undefined ? { locale: b.locale } : {}) })
        .where('id', '=', request.params.id)
        .returning(['id', 'terms', 'locale', 'created_at'])
        .executeTakeFirst();
      if (!row) throw notFound('Synonym group');
      return present(row);
    },
  );

  app.delete('/api/v1/kb/synonyms/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Remove a synonym group', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const done = await scoped(ctx.db, member(request).accountId).deleteFrom('kb_synonyms').where('id', '=', request.params.id).executeTakeFirst();
    if (!done.numDeletedRows) throw notFound('Synonym group');
    return reply.code(204).send(null);
  });

  app.get(
    '/api/v1/kb/search-gaps',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'Searches that found nothing (help center, widget, bot, API), most frequent first: the articles readers miss',
        querystring: Obj({ locale: Type.Optional(Locale), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 90 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }),
        response: { 200: Type.Object({ data: Type.Array(SearchGap) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { locale, days, limit } = request.query;
      let q = scoped(ctx.db, member(request).accountId)
        .selectFrom('kb_searches')
        .select(['query', 'locale'])
        .select([
          sql<number>`sum(searches)::int`.as('searches'),
          sql<number>`sum(without_results)::int`.as('without_results'),
          sql<Date>`max(last_searched_at)`.as('last_searched_at'),
        ])
        .where('without_results', '>', 0)
        .where('last_searched_at', '>=', new Date(Date.now() - (days ?? 90) * 86_400_000));
      if (locale) q = q.where('locale', '=', locale);
      const rows = await q.groupBy(['query', 'locale']).orderBy(sql`sum(without_results)`, 'desc').orderBy(sql`max(last_searched_at)`, 'desc').limit(limit ?? 50).execute();
      return { data: rows.map((r) => ({ query: r.query, locale: r.locale, searches: r.searches, without_results: r.without_results, last_searched_at: new Date(r.last_searched_at).toISOString() })) };
    },
  );
}

/** Search over conversations, messages and contacts; the workspace's search language; the CSV export. */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { member } from '../../core/http/auth.js';
import { encodeCursor } from '../../core/http/pagination.js';
import { Page, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { recordAudit } from '../accounts/audit.js';
import { invalidFilter, readCursor, readFilters, refuseInvalid } from './filters.js';
import { exportConversations } from './export.js';
import { presentContactHit, presentConversationHit, presentMessageHit } from './search.presenter.js';
import { queryLexemes, searchConfig, searchContacts, searchConversations, searchMessages } from './search.queries.js';
import { ExportQuery, SearchHit, SearchLanguage, SearchLanguageAnswer, SearchQuery } from './search.schema.js';
import { queryWords } from './search-text.js';

export function searchRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  app.get(
    '/api/v1/search',
    {
      config: { access: 'agent' },
      attachValidation: true,
      schema: {
        tags: ['search'],
        summary: 'Find conversations, messages or contacts by their words, newest first, with the matching text as a snippet',
        querystring: SearchQuery,
        response: { 200: Page(SearchHit), ...errors(401, 403, 422) },
      },
    },
    async (request) => {
      refuseInvalid(request);
      const auth = member(request);
      const words = queryWords(request.query.q);
      if (!words.length) throw invalidFilter('q', 'must contain a letter or a digit');
      const input = { words, filters: await readFilters(db, request.query, auth), cursor: readCursor(request.query.cursor), limit: request.query.limit ?? 20 };
      const type = request.query.type ?? 'conversations';
      const config = await searchConfig(db, auth.accountId);
      const lexemes = await queryLexemes(db, config, words);
      if (type === 'contacts') {
        const hits = await searchContacts(db, auth, input);
        return pageOf(hits, input.limit, (h) => [h.created_at, h.id], (h) => presentContactHit(h, lexemes));
      }
      if (type === 'messages') {
        const hits = await searchMessages(db, auth, config, input);
        return pageOf(hits, input.limit, (h) => [h.created_at, h.id], (h) => presentMessageHit(h, lexemes));
      }
      const hits = await searchConversations(db, auth, config, input);
      return pageOf(hits, input.limit, (h) => [h.at, h.row.id], (h) => presentConversationHit(h, lexemes));
    },
  );

  app.get(
    '/api/v1/search/language',
    { config: { access: 'agent' }, schema: { tags: ['search'], summary: 'The language messages and subjects are searched in, and the ones available', response: { 200: SearchLanguageAnswer, ...errors(401, 403) } } },
    async (request) => {
      const auth = member(request);
      return { language: await searchConfig(db, auth.accountId), available: await languages() };
    },
  );

  app.put(
    '/api/v1/search/language',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['search'],
        summary: "Search messages and subjects in another language (word stems: 'refunds' finds 'refund'); the workspace is indexed again",
        body: SearchLanguage,
        response: { 200: SearchLanguageAnswer, ...errors(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const available = await languages();
      const language = request.body.language;
      if (!available.includes(language)) throw invalidFilter('language', `must be one of ${available.join(', ')}`);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('accounts').set({ search_language: language }).where('id', '=', auth.accountId).execute();
        // The triggers compute the vectors again with the new language.
        await sql`update messages set kind = kind where account_id = ${auth.accountId} and kind <> 'system'`.execute(trx);
        await sql`update conversations set subject = subject where account_id = ${auth.accountId}`.execute(trx);
        await recordAudit(trx, auth.accountId, { action: 'search.language_changed', targetType: 'workspace', targetId: auth.accountId, metadata: { language } }, request);
      });
      return { language, available };
    },
  );

  app.get(
    '/api/v1/conversations/export.csv',
    {
      config: { access: 'agent' },
      attachValidation: true,
      schema: {
        tags: ['conversations'],
        summary: 'The conversations I may see that fit the filters (and words, with q), as a CSV file (text/csv, one conversation a row; a cell a spreadsheet could run as a formula begins with an apostrophe)',
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: { ...errors(401, 403, 422) },
      },
    },
    async (request, reply) => {
      refuseInvalid(request);
      const auth = member(request);
      const q = request.query;
      const words = q.q ? queryWords(q.q) : [];
      if (q.q && !words.length) throw invalidFilter('q', 'must contain a letter or a digit');
      const filters = await readFilters(db, q, auth);
      const config = words.length ? await searchConfig(db, auth.accountId) : 'simple';
      const stream = Readable.from(exportConversations(db, auth, { filters, words, config, sort: q.sort ?? 'newest' }), { objectMode: false });
      const day = new Date().toISOString().slice(0, 10);
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="conversations-${day}.csv"`).header('cache-control', 'no-store');
      // A stream, not the schema's JSON: Fastify sends it as it comes.
      return reply.send(stream as never);
    },
  );

  let available: string[] | undefined;
  async function languages(): Promise<string[]> {
    available ??= (await sql<{ cfgname: string }>`select cfgname from pg_ts_config order by cfgname`.execute(db)).rows.map((r) => r.cfgname);
    return available;
  }
}

function pageOf<H, J>(hits: H[], limit: number, key: (h: H) => [Date, string], present: (h: H) => J) {
  const more = hits.length > limit;
  const rows = more ? hits.slice(0, limit) : hits;
  const last = rows[rows.length - 1];
  return { data: rows.map(present), next_cursor: more && last ? encodeCursor(...key(last)) : null };
}

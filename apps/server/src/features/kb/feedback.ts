/**
 * What readers tell the knowledge base, recorded the same way from every surface (help center,
 * widget, answer bot, agent app): votes (one per voter, changeable), views, deflections ("that
 * answered my question"), what resolved which question (learnt answers, which retrieval uses),
 * and searches (counted per normalised query, so the team sees what found nothing).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';

type Executor = Kysely<DB> | Transaction<DB>;

/** A question or search as stored: lower case, accents folded, single spaces, at most 200 characters. */
export function normalizeQuery(q: string): string {
  return q
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 200)
    .trim();
}

/** A voter's key: a hash, so no visitor token or address is stored beside a vote. */
export function voterKey(kind: 'user' | 'visitor' | 'reader', id: string): string {
  return createHash('sha256').update(`${kind}:${id}`).digest('base64url').slice(0, 32);
}

export interface VoteInput {
  articleId: string;
  locale: string;
  voterKey: string;
  helpful: boolean;
  comment?: string | null;
}

/**
 * One vote per voter and article (a unique index): voting again changes the vote, and the
 * article's counts move with it in the same statement chain. Answers false when the article is
 * not this workspace's.
 */
export async function recordVote(db: Executor, accountId: string, v: VoteInput): Promise<boolean> {
  const run = async (trx: Transaction<DB>) => {
    const article = await scoped(trx, accountId).selectFrom('kb_articles').select('id').where('id', '=', v.articleId).forUpdate().executeTakeFirst();
    if (!article) return false;
    const before = await scoped(trx, accountId).selectFrom('kb_votes').select('helpful').where('article_id', '=', v.articleId).where('voter_key', '=', v.voterKey).executeTakeFirst();
    const comment = v.comment?.trim().slice(0, 2000) || null;
    if (before) {
      await scoped(trx, accountId)
        .updateTable('kb_votes')
        .set({ helpful: v.helpful, locale: v.locale, updated_at: new Date(), ...(comment !== null ? { comment } : {}) })
        .where('article_id', '=', v.articleId)
        .where('voter_key', '=', v.voterKey)
        .execute();
    } else {
      await scoped(trx, accountId).insertInto('kb_votes', { article_id: v.articleId, locale: v.locale, voter_key: v.voterKey, helpful: v.helpful, comment }).execute();
    }
    if (!before || before.helpful !== v.helpful) {
      const up = (helpful: boolean) => (helpful ? 'helpful_count' : 'unhelpful_count');
      await scoped(trx, accountId)
        .updateTable('kb_articles')
        .set((eb) => ({
          [up(v.helpful)]: eb(eb.ref(up(v.helpful)), '+', 1),
          ...(before ? { [up(before.helpful)]: eb(eb.ref(up(before.helpful)), '-', 1) } : {}),
        }))
        .where('id', '=', v.articleId)
        .execute();
    }
    return true;
  };
  return 'isTransaction' in db && db.isTransaction ? run(db as Transaction<DB>) : (db as Kysely<DB>).transaction().execute(run);
}

/**
 * Adds `n` views to each article (callers batch views in memory and flush them now and then), in
 * one statement for the whole batch. Raw SQL for the join with the batch; account_id is in the
 * condition, so an id of another workspace's article counts nothing.
 */
export async function recordViews(db: Executor, accountId: string, views: ReadonlyMap<string, number>): Promise<void> {
  if (!views.size) return;
  const batch = JSON.stringify([...views].map(([id, n]) => ({ id, n })));
  await sql`
    update kb_articles a set view_count = a.view_count + v.n
    from jsonb_to_recordset(${batch}::jsonb) as v(id uuid, n integer)
    where a.id = v.id and a.account_id = ${accountId}`.execute(db);
}

/**
 * The reader's question was answered by the article (the widget's "yes", a helpful bot answer, or
 * an agent inserting the article into a reply with `deflected: false`): learnt for retrieval, and
 * counted as a deflection when no person had to answer.
 */
export async function recordAnswered(db: Executor, accountId: string, a: { articleId: string; question: string; locale?: string; helped: boolean; deflected: boolean }): Promise<void> {
  const query = normalizeQuery(a.question);
  if (query) {
    await scoped(db, accountId)
      .insertInto('kb_learned_answers', { article_id: a.articleId, query, locale: a.locale ?? '', helped: a.helped ? 1 : 0, not_helped: a.helped ? 0 : 1, updated_at: new Date() })
      .onConflict((oc) =>
        oc.columns(['account_id', 'article_id', 'query', 'locale']).doUpdateSet((eb) => ({
          helped: eb(eb.ref('kb_learned_answers.helped'), '+', a.helped ? 1 : 0),
          not_helped: eb(eb.ref('kb_learned_answers.not_helped'), '+', a.helped ? 0 : 1),
          updated_at: new Date(),
        })),
      )
      .execute();
  }
  if (a.deflected && a.helped) {
    await scoped(db, accountId)
      .updateTable('kb_articles')
      .set((eb) => ({ deflection_count: eb(eb.ref('deflection_count'), '+', 1) }))
      .where('id', '=', a.articleId)
      .execute();
  }
}

export type SearchSource = 'help_center' | 'widget' | 'bot' | 'api' | 'agent';

/** Counts a search; one with no results also counts towards "searches that found nothing". */
export async function recordSearch(db: Executor, accountId: string, s: { q: string; locale?: string; source: SearchSource; results: number }): Promise<void> {
  const query = normalizeQuery(s.q);
  if (query.length < 2) return;
  const empty = s.results === 0 ? 1 : 0;
  await scoped(db, accountId)
    .insertInto('kb_searches', { query, locale: s.locale ?? '', source: s.source, searches: 1, without_results: empty, last_searched_at: new Date() })
    .onConflict((oc) =>
      oc.columns(['account_id', 'query', 'locale', 'source']).doUpdateSet((eb) => ({
        searches: eb(eb.ref('kb_searches.searches'), '+', 1),
        without_results: eb(eb.ref('kb_searches.without_results'), '+', empty),
        last_searched_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

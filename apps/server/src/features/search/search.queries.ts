/**
 * The three searches (conversations, messages, contacts). Each first finds one page of ids with a
 * lean query (full-text index, filters, visibility, keyset order), then reads what the page shows
 * and marks the snippets, so the costly parts run for twenty rows, not for every match.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { Cursor } from '../../core/http/pagination.js';
import { conversations } from '../conversations/conversations.queries.js';
import type { ConversationRow } from '../conversations/conversations.presenter.js';
import { conversationConditions, dateConditions, narrowsConversations, type Filters, type Viewer } from './filters.js';
import { lexemesOf, tsQueryText } from './search-text.js';

type Db = Kysely<DB>;

export interface SearchInput {
  words: string[];
  filters: Filters;
  cursor?: Cursor;
  limit: number;
}

/** The workspace's text search configuration ('simple' when none is set). */
export async function searchConfig(db: Db, accountId: string): Promise<string> {
  const row = await db.selectFrom('accounts').select('search_language').where('id', '=', accountId).executeTakeFirst();
  return row?.search_language ?? 'simple';
}

/** The query in the workspace's language (messages, subjects) and as written (contacts). */
export function tsQueries(config: string, words: string[]) {
  const text = tsQueryText(words);
  return { query: sql`to_tsquery(${config}::regconfig, ${text})`, plain: sql`to_tsquery('simple'::regconfig, ${text})` };
}

/** What the words become in the workspace's language and as written: the words to highlight. */
export async function queryLexemes(db: Db, config: string, words: string[]): Promise<{ query: string[]; plain: string[] }> {
  const text = tsQueryText(words);
  const { rows } = await sql<{ query: string; plain: string }>`select to_tsquery(${config}::regconfig, ${text})::text as query, to_tsquery('simple'::regconfig, ${text})::text as plain`.execute(db);
  return { query: lexemesOf(rows[0]?.query ?? ''), plain: lexemesOf(rows[0]?.plain ?? '') };
}

/** The text a snippet is cut from: enough of a long email to reach its first matches. */
const SNIPPET_SOURCE = 4000;

const keyset = (at: RawBuilder<unknown>, id: RawBuilder<unknown>, cursor: Cursor | undefined) => (cursor ? [sql<boolean>`(${at}, ${id}) < (${cursor.createdAt}, ${cursor.id})`] : []);

/** Beyond this many matches a word is common: walking the list finds a page sooner (tests lower it). */
export const searchLimits = { commonMatches: 2000 };

/** The conversations whose messages, subject or customer match, or null when the words are common. */
async function matchingConversations(db: Db, accountId: string, query: RawBuilder<unknown>, plain: RawBuilder<unknown>): Promise<string[] | null> {
  const a = accountId;
  const { rows } = await sql<{ m: string[]; s: string[]; c: string[] }>`select
    array(select messages.conversation_id from messages where messages.account_id = ${a} and messages.search_vector @@ ${query} limit ${searchLimits.commonMatches}) as m,
    array(select conversations.id from conversations where conversations.account_id = ${a} and conversations.search_vector @@ ${query} limit ${searchLimits.commonMatches}) as s,
    array(select conversations.id from contacts inner join conversations on conversations.account_id = contacts.account_id and conversations.contact_id = contacts.id
      where contacts.account_id = ${a} and contacts.search_vector @@ ${plain} limit ${searchLimits.commonMatches}) as c`.execute(db);
  const { m = [], s = [], c = [] } = rows[0] ?? {};
  const cap = searchLimits.commonMatches;
  if (m.length >= cap || s.length >= cap || c.length >= cap) return null;
  return [...new Set([...m, ...s, ...c])];
}

/**
 * The condition on `conversations` for the words. Two plans: when the words are selective, the
 * matching conversations are collected from the indexes and looked up by key; when they are
 * common, the list is walked in its order and stops at a page, quick because matches are dense.
 */
export async function conversationMatch(db: Db, accountId: string, query: RawBuilder<unknown>, plain: RawBuilder<unknown>): Promise<RawBuilder<boolean>> {
  const a = accountId;
  const ids = await matchingConversations(db, a, query, plain);
  return ids
    ? sql<boolean>`conversations.id = any(${ids}::uuid[])`
    : // "offset 0" keeps each exists a probe per conversation: hashed, it would collect every match.
      sql<boolean>`(conversations.search_vector @@ ${query}
        or exists (select 1 from messages where messages.account_id = ${a} and messages.conversation_id = conversations.id and messages.search_vector @@ ${query} offset 0)
        or exists (select 1 from contacts where contacts.account_id = ${a} and contacts.id = conversations.contact_id and contacts.search_vector @@ ${plain} offset 0))`;
}

export interface ConversationHit {
  row: ConversationRow;
  at: Date;
  field: 'subject' | 'contact' | 'message';
  text: string;
}

export async function searchConversations(db: Db, viewer: Viewer, config: string, input: SearchInput): Promise<ConversationHit[]> {
  const { query, plain } = tsQueries(config, input.words);
  const a = viewer.accountId;
  const matching = await conversationMatch(db, a, query, plain);
  let q = scoped(db, a).selectFrom('conversations').select(['conversations.id', 'conversations.last_message_at']).where(matching);
  for (const c of [
    ...conversationConditions(input.filters, viewer),
    ...dateConditions(input.filters, sql`conversations.last_message_at`),
    ...keyset(sql`conversations.last_message_at`, sql`conversations.id`, input.cursor),
  ])
    q = q.where(c);
  const page = await q.orderBy('conversations.last_message_at', 'desc').orderBy('conversations.id', 'desc').limit(input.limit + 1).execute();
  if (!page.length) return [];
  const list = page.map((r) => r.id);
  const [rows, marks] = await Promise.all([
    conversations(db, viewer).where('conversations.id', 'in', list).execute() as Promise<ConversationRow[]>,
    sql<{ id: string; field: ConversationHit['field']; text: string | null }>`
        select conversations.id,
          case when conversations.search_vector @@ ${query} then 'subject' when contacts.search_vector @@ ${plain} then 'contact' else 'message' end as field,
          case when conversations.search_vector @@ ${query} then conversations.subject
               when contacts.search_vector @@ ${plain} then concat_ws(' · ', nullif(contacts.name, ''), contacts.email, contacts.phone)
               else (select left(messages.content, ${SNIPPET_SOURCE}) from messages where messages.account_id = ${a} and messages.conversation_id = conversations.id
                       and messages.search_vector @@ ${query} order by messages.seq desc limit 1) end as text
        from conversations inner join contacts on contacts.id = conversations.contact_id and contacts.account_id = conversations.account_id
        where conversations.account_id = ${a} and conversations.id = any(${list}::uuid[])`.execute(db),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const markById = new Map(marks.rows.map((m) => [m.id, m]));
  return page.flatMap((r) => {
    const row = byId.get(r.id);
    const mark = markById.get(r.id);
    return row && mark ? [{ row, at: r.last_message_at, field: mark.field, text: mark.text ?? '' }] : [];
  });
}

export interface MessageHit {
  id: string;
  conversation_id: string;
  seq: number;
  direction: 'incoming' | 'outgoing';
  private: boolean;
  author_name: string | null;
  created_at: Date;
  text: string;
  conversation: ConversationRow;
}

export async function searchMessages(db: Db, viewer: Viewer, config: string, input: SearchInput): Promise<MessageHit[]> {
  const { query } = tsQueries(config, input.words);
  const a = viewer.accountId;
  let q = scoped(db, a)
    .selectFrom('messages')
    .innerJoin('conversations', (j) => j.onRef('conversations.id', '=', 'messages.conversation_id').onRef('conversations.account_id', '=', 'messages.account_id'))
    .select(['messages.id', 'messages.created_at'])
    .where(sql<boolean>`messages.search_vector @@ ${query}`);
  for (const c of [
    ...conversationConditions(input.filters, viewer),
    ...dateConditions(input.filters, sql`messages.created_at`),
    ...keyset(sql`messages.created_at`, sql`messages.id`, input.cursor),
  ])
    q = q.where(c);
  const ids = await q.orderBy('messages.created_at', 'desc').orderBy('messages.id', 'desc').limit(input.limit + 1).execute();
  if (!ids.length) return [];
  const found = await sql<Omit<MessageHit, 'conversation'>>`
    select messages.id, messages.conversation_id, messages.seq, messages.direction, messages.private, messages.created_at,
      coalesce(users.name, contacts.name) as author_name,
      left(messages.content, ${SNIPPET_SOURCE}) as text
    from messages
      left join users on users.id = messages.sender_user_id
      left join contacts on contacts.id = messages.sender_contact_id and contacts.account_id = messages.account_id
    where messages.account_id = ${a} and messages.id = any(${ids.map((r) => r.id)}::uuid[])`.execute(db);
  const rows = (await conversations(db, viewer)
    .where('conversations.id', 'in', [...new Set(found.rows.map((m) => m.conversation_id))])
    .execute()) as ConversationRow[];
  const byId = new Map(found.rows.map((m) => [m.id, m]));
  const conversationById = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((r) => {
    const m = byId.get(r.id);
    const conversation = m && conversationById.get(m.conversation_id);
    return m && conversation ? [{ ...m, conversation }] : [];
  });
}

export interface ContactHit {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  created_at: Date;
}

export async function searchContacts(db: Db, viewer: Viewer, input: SearchInput): Promise<ContactHit[]> {
  const { plain } = tsQueries('simple', input.words);
  const a = viewer.accountId;
  let q = scoped(db, a).selectFrom('contacts').select(['contacts.id', 'contacts.created_at']).where(sql<boolean>`contacts.search_vector @@ ${plain}`);
  // Conversation filters keep the contacts with a conversation the viewer may see that fits them.
  if (narrowsConversations(input.filters)) {
    const conditions = conversationConditions(input.filters, viewer);
    q = q.where(
      sql<boolean>`exists (select 1 from conversations where conversations.account_id = ${a} and conversations.contact_id = contacts.id and ${sql.join(conditions, sql` and `)})`,
    );
  }
  for (const c of [...dateConditions(input.filters, sql`contacts.created_at`), ...keyset(sql`contacts.created_at`, sql`contacts.id`, input.cursor)]) q = q.where(c);
  const ids = await q.orderBy('contacts.created_at', 'desc').orderBy('contacts.id', 'desc').limit(input.limit + 1).execute();
  if (!ids.length) return [];
  const found = await sql<ContactHit>`
    select contacts.id, contacts.name, contacts.email, contacts.phone, contacts.company, contacts.created_at
    from contacts where contacts.account_id = ${a} and contacts.id = any(${ids.map((r) => r.id)}::uuid[])`.execute(db);
  const byId = new Map(found.rows.map((c) => [c.id, c]));
  return ids.flatMap((r) => (byId.has(r.id) ? [byId.get(r.id)!] : []));
}

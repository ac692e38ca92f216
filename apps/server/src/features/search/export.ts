/**
 * The conversation list as CSV, streamed a page at a time (keyset on the list's sort key), so a
 * large export holds neither the whole file in memory nor the database connection between pages.
 * Only conversations the viewer may see are read (SECURITY 6); every cell goes through csvCell
 * (SECURITY 13).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { conversations } from '../conversations/conversations.queries.js';
import type { ConversationRow } from '../conversations/conversations.presenter.js';
import { csvRow } from './csv.js';
import { dateConditions, filterConditions, type Filters, type Viewer } from './filters.js';
import { conversationMatch, tsQueries } from './search.queries.js';

const PAGE = 500;
/** A bound on one file; narrow the filters for more. */
export const EXPORT_MAX_ROWS = 100_000;

const HEADER = ['id', 'subject', 'status', 'priority', 'inbox', 'channel', 'contact', 'contact_email', 'assignee', 'team', 'tags', 'last_message', 'created_at', 'last_message_at', 'first_response_at', 'resolved_at'];

export interface ExportInput {
  filters: Filters;
  words: string[];
  config: string;
  sort: 'newest' | 'oldest' | 'waiting';
}

export async function* exportConversations(db: Kysely<DB>, viewer: Viewer, input: ExportInput): AsyncGenerator<string> {
  yield `\ufeff${csvRow(HEADER)}`;
  const key = input.sort === 'waiting' ? sql<Date>`coalesce(conversations.waiting_since, conversations.last_message_at)` : sql<Date>`conversations.last_message_at`;
  const dir = input.sort === 'newest' ? 'desc' : 'asc';
  let after: { at: Date; id: string } | undefined;
  const { query, plain } = tsQueries(input.config, input.words);
  const match = input.words.length ? await conversationMatch(db, viewer.accountId, query, plain) : undefined;
  for (let sent = 0; sent < EXPORT_MAX_ROWS; ) {
    let q = conversations(db, viewer).select(key.as('sort_at')).orderBy(key, dir).orderBy('conversations.id', dir).limit(PAGE);
    // The viewer's visibility is already in conversations().
    for (const c of [...filterConditions(input.filters, viewer.accountId), ...dateConditions(input.filters, sql`conversations.last_message_at`)]) q = q.where(c);
    if (match) q = q.where(match);
    if (after) q = q.where(sql<boolean>`(${key}, conversations.id) ${sql.raw(dir === 'desc' ? '<' : '>')} (${after.at}, ${after.id})`);
    const rows = (await q.execute()) as Array<ConversationRow & { sort_at: Date }>;
    if (!rows.length) return;
    yield rows.map(line).join('');
    sent += rows.length;
    const last = rows[rows.length - 1];
    after = { at: last.sort_at, id: last.id };
    if (rows.length < PAGE) return;
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : '');

function line(r: ConversationRow): string {
  return csvRow([
    r.id,
    r.subject,
    r.status,
    r.priority,
    r.inbox_name,
    r.channel,
    r.contact_name,
    r.contact_email,
    r.assignee_name,
    r.team_name,
    r.tags.join(' '),
    (r.preview ?? '').slice(0, 500),
    iso(r.created_at),
    iso(r.last_message_at),
    iso(r.first_response_at),
    iso(r.resolved_at),
  ]);
}

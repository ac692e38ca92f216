/**
 * Rendered help center pages, kept in memory per node so a cached page answers without touching
 * the database's content tables. An entry is dropped when its workspace's help center changes:
 * at once through the bus (events.ts, every node), and in any case within STAMP_MS, because each
 * workspace's content stamp (latest change and row counts of articles, translations, categories,
 * sections and settings) is re-read at most that often and entries made under an older stamp are
 * not served. The stamp also catches writes that announced nothing (an import, a direct SQL fix).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../core/db/index.js';

export interface CachedPage {
  status: number;
  type: string;
  body: string;
  etag: string;
}

export interface PageCache {
  get(accountId: string, key: string): Promise<CachedPage | undefined>;
  set(accountId: string, key: string, page: Omit<CachedPage, 'etag'>): Promise<CachedPage>;
  invalidate(accountId: string): void;
  size(): number;
}

export const STAMP_MS = 1000;

export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

export function pageCache(db: Database, maxEntries = 2000, stampMs = STAMP_MS): PageCache {
  const entries = new Map<string, { page: CachedPage; stamp: string }>();
  const stamps = new Map<string, { value: string; at: number; reading?: Promise<string> }>();

  const readStamp = async (accountId: string): Promise<string> => {
    // Raw SQL: five counts in one round trip; every sub-select is filtered by account_id.
    const { rows } = await sql<{ s: string }>`
      select concat_ws('|',
        (select concat(max(updated_at), '/', count(*)) from kb_article_translations where account_id = ${accountId}),
        (select concat(max(updated_at), '/', count(*)) from kb_articles where account_id = ${accountId}),
        (select concat(max(updated_at), '/', count(*)) from kb_categories where account_id = ${accountId}),
        (select concat(max(updated_at), '/', count(*)) from kb_sections where account_id = ${accountId}),
        (select max(updated_at)::text from help_centers where account_id = ${accountId})) as s`.execute(db);
    return rows[0]?.s ?? '';
  };

  const stampOf = async (accountId: string): Promise<string> => {
    const now = Date.now();
    const known = stamps.get(accountId);
    if (known && now - known.at < stampMs) return known.value;
    if (known?.reading) return known.reading;
    const reading = readStamp(accountId).then(
      (value) => {
        stamps.set(accountId, { value, at: Date.now() });
        return value;
      },
      (err: unknown) => {
        stamps.delete(accountId);
        throw err;
      },
    );
    stamps.set(accountId, { value: known?.value ?? '', at: known?.at ?? 0, reading });
    return reading;
  };

  return {
    async get(accountId, key) {
      const entry = entries.get(`${accountId} ${key}`);
      if (!entry) return undefined;
      if (entry.stamp !== (await stampOf(accountId))) {
        entries.delete(`${accountId} ${key}`);
        return undefined;
      }
      return entry.page;
    },
    async set(accountId, key, page) {
      const stamp = await stampOf(accountId);
      const full = { ...page, etag: etagOf(page.body) };
      const k = `${accountId} ${key}`;
      entries.delete(k);
      entries.set(k, { page: full, stamp });
      // The oldest entries go first when the cache is full (Map keeps insertion order).
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return full;
    },
    invalidate(accountId) {
      stamps.delete(accountId);
      for (const k of [...entries.keys()]) if (k.startsWith(`${accountId} `)) entries.delete(k);
    },
    size: () => entries.size,
  };
}

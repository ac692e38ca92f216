/**
 * Keyset pagination over (a timestamp desc, id desc) — created_at by default: stable under
 * inserts, cheap at any depth.
 */
import { AppError } from '../errors.js';

export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('validation_failed', 'The cursor is not valid; start again from the first page.', [{ field: 'cursor', message: 'is invalid' }]);
  }
  return { createdAt, id };
}

/** Given limit+1 rows, the page and the cursor of the next one. */
export function page<T extends { id: string }>(rows: T[], limit: number, key: (row: T) => Date = (r) => (r as T & { created_at: Date }).created_at): { rows: T[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return { rows: slice, next_cursor: more ? encodeCursor(key(last), last.id) : null };
}

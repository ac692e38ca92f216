/** Keyset pagination over (created_at desc, id desc): stable under inserts, cheap at any depth. */
import { AppError } from '../errors.js';

export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
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
export function page<T extends { created_at: Date; id: string }>(rows: T[], limit: number): { rows: T[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  return { rows: slice, next_cursor: more ? encodeCursor(slice[slice.length - 1]) : null };
}

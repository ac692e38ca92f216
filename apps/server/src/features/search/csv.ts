/**
 * CSV cells for exports (RFC 4180: every cell quoted, quotes doubled, CRLF between rows) that a
 * spreadsheet will not run (SECURITY 13): a cell beginning with = + - @, a tab, a carriage return
 * or NUL could be read as a formula, so it gets a leading apostrophe; NUL characters are dropped.
 */
const FORMULA_START = /^[=+\-@\t\r\0]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '""';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  text = text.replace(/\0/g, '');
  return `"${text.replace(/"/g, '""')}"`;
}

export const csvRow = (cells: Array<string | number | boolean | null | undefined>): string => `${cells.map(csvCell).join(',')}\r\n`;

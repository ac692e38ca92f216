/**
 * What a person typed, turned into a text search query without ever reaching SQL as code: only
 * runs of letters and digits survive (quotes, operators, backslashes and `pg_sleep(5)`'s
 * punctuation are separators), each becomes a quoted term, and the string is sent as a parameter
 * to to_tsquery. Every word must match; the last one also matches as a prefix (search as you
 * type), once it is long enough for the prefix to be selective.
 */
const WORD = /[\p{L}\p{N}]+/gu;
export const MAX_WORDS = 8;
const PREFIX_MIN = 3;

/** The words of a query, at most MAX_WORDS of them, lower-cased. */
export function queryWords(text: string): string[] {
  return (text.normalize('NFKC').match(WORD) ?? []).slice(0, MAX_WORDS).map((w) => w.toLowerCase().slice(0, 64));
}

/** The to_tsquery text for those words (empty when there are none). */
export function tsQueryText(words: string[]): string {
  return words.map((w, i) => (i === words.length - 1 && w.length >= PREFIX_MIN ? `'${w}':*` : `'${w}'`)).join(' & ');
}

export interface Snippet {
  text: string;
  highlights: Array<{ start: number; end: number }>;
}

/** The lexemes of a tsquery's text form (`'refund' & 'kettl':*` → refund, kettl). */
export function lexemesOf(tsquery: string): string[] {
  return [...tsquery.matchAll(/'((?:[^']|'')+)'/g)].map((m) => m[1].replace(/''/g, "'").toLowerCase());
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const BEFORE = 60;
const LENGTH = 200;

/**
 * The part of a text around its first match, as plain text with the ranges to highlight: the words
 * that begin with one of the query's lexemes (stems in the workspace language, so 'refunds' marks
 * 'refund' and 'refunded'). Whitespace runs (an email's line breaks) read as one space. The
 * browser renders both as text, so nothing in a message can become markup.
 */
export function snippetOf(source: string, lexemes: string[]): Snippet {
  const text = source.replace(/\s+/g, ' ').trim();
  const hits: Snippet['highlights'] = [];
  for (const m of text.matchAll(TOKEN)) {
    const word = m[0].toLowerCase();
    if (lexemes.some((l) => word.startsWith(l))) hits.push({ start: m.index, end: m.index + m[0].length });
  }
  let from = hits.length && text.length > LENGTH ? Math.max(0, hits[0].start - BEFORE) : 0;
  // Start and end on a word boundary.
  if (from > 0) from = text.indexOf(' ', from) + 1 || from;
  let to = Math.min(text.length, from + LENGTH);
  if (to < text.length) to = text.lastIndexOf(' ', to) > from ? text.lastIndexOf(' ', to) : to;
  const lead = from > 0 ? '… ' : '';
  const tail = to < text.length ? ' …' : '';
  const shift = lead.length - from;
  return {
    text: lead + text.slice(from, to) + tail,
    highlights: hits.filter((h) => h.start >= from && h.end <= to).map((h) => ({ start: h.start + shift, end: h.end + shift })),
  };
}

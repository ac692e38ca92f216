import { describe, expect, it } from 'vitest';
import { lexemesOf, queryWords, snippetOf, tsQueryText } from './search-text.js';

describe('search text', () => {
  it('keeps only letters and digits, so no operator or quote reaches the query', () => {
    expect(queryWords(`refund'); select pg_sleep(5); --`)).toEqual(['refund', 'select', 'pg', 'sleep', '5']);
    expect(tsQueryText(queryWords(`o'brien & !x | y:*`))).toBe(`'o' & 'brien' & 'x' & 'y'`);
    expect(tsQueryText(queryWords('Rückerstattung bestellung'))).toBe(`'rückerstattung' & 'bestellung':*`);
    expect(queryWords('  ,;  ')).toEqual([]);
  });

  it('reads the lexemes of a query', () => {
    expect(lexemesOf(`'refund' & 'kettl':*`)).toEqual(['refund', 'kettl']);
  });

  it('cuts a snippet around the first match, with the matching words as ranges', () => {
    const long = `${'word '.repeat(60)}my Refunds for <b>order</b>\n\n42 ${'more '.repeat(60)}`;
    const s = snippetOf(long, ['refund', 'order']);
    expect(s.text.startsWith('… ')).toBe(true);
    expect(s.text.endsWith(' …')).toBe(true);
    expect(s.text).toContain('my Refunds for <b>order</b> 42');
    expect(s.highlights.map((h) => s.text.slice(h.start, h.end))).toEqual(['Refunds', 'order']);
    const short = snippetOf('Refund for order 1042', ['refund']);
    expect(short).toEqual({ text: 'Refund for order 1042', highlights: [{ start: 0, end: 6 }] });
  });
});

import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.js';

describe('CSV cells', () => {
  it('neutralises cells a spreadsheet would run as a formula (SECURITY 13)', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvCell('+1 555')).toBe(`"'+1 555"`);
    expect(csvCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('\0=1')).toBe(`"'=1"`);
  });

  it('leaves ordinary text alone, quoting every cell', () => {
    expect(csvCell('Refund for order 42')).toBe('"Refund for order 42"');
    expect(csvCell('a "quote", a comma\nand a line')).toBe('"a ""quote"", a comma\nand a line"');
    expect(csvCell(3)).toBe('"3"');
    expect(csvCell(null)).toBe('""');
    expect(csvRow(['a', 'b'])).toBe('"a","b"\r\n');
  });
});

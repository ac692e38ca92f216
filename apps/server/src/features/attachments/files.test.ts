import { describe, expect, it } from 'vitest';
import { displayName, sniff } from './files.js';

describe('displayName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['a\\b\\c.txt', 'c.txt'],
    ['line\r\nSet-Cookie: x=1.txt', 'line Set-Cookie: x=1.txt'],
    ['nul\u0000byte.txt', 'nulbyte.txt'],
    ['tab\there.txt', 'tab here.txt'],
    ['rtl\u202Egnp.exe', 'rtlgnp.exe'],
    ['zero\u200Bwidth.pdf', 'zerowidth.pdf'],
    ['...', 'file.pdf'],
    ['   ', 'file.pdf'],
    ['résumé 2026.pdf', 'résumé 2026.pdf'],
  ])('%j → %j', (raw, shown) => {
    expect(displayName(raw, 'application/pdf')).toBe(shown);
  });

  it('keeps the extension of a very long name and counts characters, not bytes', () => {
    const name = displayName(`${'😀'.repeat(500)}.docx`, 'application/zip');
    expect([...name].length).toBe(180);
    expect(name.endsWith('.docx')).toBe(true);
  });
});

describe('sniff', () => {
  it('takes UTF-8 text without markup as plain text or CSV by its name', async () => {
    expect((await sniff(Buffer.from('name,total\nAda,3\n'), 'export.csv')).contentType).toBe('text/csv');
    expect((await sniff(Buffer.from('Grüße'), 'note')).contentType).toBe('text/plain');
  });

  it('refuses markup, binary junk and empty files', async () => {
    await expect(sniff(Buffer.from('  <HTML><body>hi'), 'a.txt')).rejects.toMatchObject({ code: 'file_type_not_allowed' });
    await expect(sniff(Buffer.from('<?xml version="1.0"?><svg/>'), 'a.txt')).rejects.toMatchObject({ code: 'file_type_not_allowed' });
    await expect(sniff(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x41]), 'a.txt')).rejects.toMatchObject({ code: 'file_type_not_allowed' });
    await expect(sniff(Buffer.alloc(0), 'a.txt')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

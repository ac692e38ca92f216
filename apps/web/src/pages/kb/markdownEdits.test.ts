import { describe, expect, it } from 'vitest';
import { insertBlock, prefixLines, wrap } from './markdownEdits';

describe('the Markdown toolbar edits', () => {
  it('wraps the selection, or a placeholder it then selects', () => {
    expect(wrap({ text: 'make this bold', selectionStart: 5, selectionEnd: 9 }, '**', '**', 'bold text')).toEqual({ text: 'make **this** bold', selectionStart: 7, selectionEnd: 11 });
    expect(wrap({ text: 'see ', selectionStart: 4, selectionEnd: 4 }, '[', '](https://)', 'link text')).toEqual({ text: 'see [link text](https://)', selectionStart: 5, selectionEnd: 14 });
  });

  it('prefixes every line the selection touches, numbering a list', () => {
    const text = 'intro\none\ntwo\nend';
    const picked = { text, selectionStart: 7, selectionEnd: 11 };
    expect(prefixLines(picked, (i) => `${i + 1}. `).text).toBe('intro\n1. one\n2. two\nend');
    expect(prefixLines({ text: 'Title', selectionStart: 2, selectionEnd: 2 }, () => '## ').text).toBe('## Title');
  });

  it('puts a block on lines of its own', () => {
    expect(insertBlock({ text: 'before', selectionStart: 6, selectionEnd: 6 }, '> [!TIP]\n> x').text).toBe('before\n\n> [!TIP]\n> x\n\n');
    expect(insertBlock({ text: '', selectionStart: 0, selectionEnd: 0 }, '```\ncode\n```')).toEqual({ text: '```\ncode\n```\n\n', selectionStart: 0, selectionEnd: 12 });
  });
});

import { describe, expect, it } from 'vitest';
import { elements, parseTree } from '../channels/email/parse-html-tree.js';
import { markdownToText, renderMarkdown, slugify } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders headings with ids, lists, links, code and callouts', () => {
    const html = renderMarkdown('# Reset your password\n\n- one\n- two\n\nSee [the guide](https://example.com/x).\n\n```js\nlet a = 1;\n```\n\n> [!WARNING]\n> Old links stop working.');
    expect(html).toContain('<h1 id="reset-your-password">Reset your password</h1>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<a href="https://example.com/x" rel="noopener nofollow ugc">the guide</a>');
    expect(html).toContain('<code class="language-js">');
    expect(html).toMatch(/<aside class="callout callout-warning" role="note">\s*<p>Old links stop working.<\/p>\s*<\/aside>/);
  });

  it('keeps script, event handlers and javascript: links inert (SECURITY 11, 12)', () => {
    const corpus = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '![x](javascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      'https://example.com/"onmouseover="alert(1)',
      '<a href="https://x" onclick="alert(1)">x</a>',
      '[a](https://x.example/ "title\\" onmouseover=\\"alert(1)")',
      '\u202Egnp.exe',
    ].join('\n\n');
    const html = renderMarkdown(corpus);
    const tags = elements(parseTree(html));
    expect(new Set(tags.map((t) => t.name))).toEqual(new Set(['p', 'a']));
    for (const tag of tags) {
      for (const [name, value] of Object.entries(tag.attrs)) {
        expect(name).not.toMatch(/^on/i);
        if (name === 'href' || name === 'src') expect(value).toMatch(/^https:\/\//);
      }
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('title="title&quot; onmouseover=&quot;alert(1)"');
  });
});

describe('markdownToText and slugify', () => {
  it('gives plain text and URL slugs', () => {
    expect(markdownToText('## Refunds\n\nWe refund **within 14 days** & <b>gladly</b>.')).toBe('Refunds\n\nWe refund within 14 days & <b>gladly</b>.');
    expect(slugify('Rückerstattung: So geht’s!')).toBe('ruckerstattung-so-geht-s');
  });
});

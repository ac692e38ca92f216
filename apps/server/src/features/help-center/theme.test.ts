import { describe, expect, it } from 'vitest';
import { html, jsonForScript, raw } from './html.js';
import { contrast, linkColour, textOn, themeCss, themeOf } from './theme.js';

describe('help center theme', () => {
  it('keeps only valid colours and https logos, whatever was stored', () => {
    expect(themeOf({ primary_color: 'red;}</style><script>alert(1)</script>', header_background: '#ABC', logo_url: 'javascript:alert(1)', contact_url: 'mailto:help@shop.example' })).toEqual({
      primary_color: '#4f46e5',
      header_background: '#abc',
      logo_url: null,
      contact_url: 'mailto:help@shop.example',
    });
    expect(themeOf(null).logo_url).toBeNull();
    expect(themeCss(themeOf({ primary_color: '#0a7' }))).toMatch(/^:root\{--hc-primary:#0a7;[^<>{}]*\}\n$/);
  });

  it('chooses readable text on any brand colour and darkens links until they pass 4.5:1', () => {
    expect(textOn('#ffff00')).toBe('#111827');
    expect(textOn('#1e1b4b')).toBe('#ffffff');
    for (const colour of ['#ffff00', '#22d3ee', '#4f46e5', '#ffffff']) expect(contrast(linkColour(colour), '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});

describe('html templates', () => {
  it('escape every value unless it is marked safe', () => {
    const evil = '<img src=x onerror="alert(1)">\'`&';
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe('<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&#96;&amp;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&#96;&amp;</p>');
    expect(html`<div>${raw('<b>ok</b>')}${[html`<i>${'<'}</i>`, null, false]}</div>`.value).toBe('<div><b>ok</b><i>&lt;</i></div>');
  });

  it('write JSON-LD that cannot close its script element', () => {
    const out = jsonForScript({ name: '</script><script>alert(1)</script>' }).value;
    expect(out).not.toContain('<');
    expect(JSON.parse(out)).toEqual({ name: '</script><script>alert(1)</script>' });
  });
});

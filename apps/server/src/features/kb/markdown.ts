/**
 * Article Markdown to HTML, for the help center, the agent app's preview, the widget and email.
 * markdown-it with raw HTML off (so `<script>` in a body is text), links made from bare URLs,
 * GitHub-style callouts (`> [!NOTE]`, `[!TIP]`, `[!WARNING]`), and then the output goes through
 * sanitize-html once more (SECURITY 11, 12): only known tags and attributes, http(s)/mailto links,
 * http(s) or same-site images; every link to another site gets rel="noopener nofollow ugc".
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const CALLOUTS = new Set(['note', 'tip', 'important', 'warning', 'caution']);

// `> [!WARNING]` as the first line of a blockquote makes it a callout: <aside class="callout callout-warning" role="note">.
md.core.ruler.after('block', 'callouts', (state) => {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'blockquote_open') continue;
    const inline = tokens[i + 2];
    if (tokens[i + 1]?.type !== 'paragraph_open' || inline?.type !== 'inline') continue;
    const match = /^\[!(\w+)\][ \t]*(?:\n|$)/.exec(inline.content);
    const kind = match?.[1]?.toLowerCase();
    if (!match || !kind || !CALLOUTS.has(kind)) continue;
    inline.content = inline.content.slice(match[0].length);
    // The core 'inline' rule, which runs after this one, parses the shortened content.
    const open = tokens[i]!;
    open.tag = 'aside';
    open.attrSet('class', `callout callout-${kind}`);
    open.attrSet('role', 'note');
    for (let depth = 0, j = i; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.type === 'blockquote_open') depth++;
      if (t.type === 'blockquote_close' && --depth === 0) {
        t.tag = 'aside';
        break;
      }
    }
  }
});

// Heading ids, so a help center page can link to a part of an article (and a table of contents can).
md.core.ruler.push('heading_ids', (state) => {
  const used = new Map<string, number>();
  for (let i = 0; i < state.tokens.length; i++) {
    const t = state.tokens[i]!;
    if (t.type !== 'heading_open') continue;
    const base = slugify(state.tokens[i + 1]?.content ?? '') || 'section';
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    t.attrSet('id', n ? `${base}-${n}` : base);
  }
});

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'aside', 'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'loading'],
    aside: ['class', 'role'],
    code: ['class'],
    th: ['style'],
    td: ['style'],
    ol: ['start'],
    '*': ['id'],
  },
  allowedClasses: { aside: ['callout', ...[...CALLOUTS].map((k) => `callout-${k}`)], code: [/^language-[\w-]+$/] },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const external = /^https?:/i.test(href);
      return { tagName, attribs: { ...attribs, ...(external ? { rel: 'noopener nofollow ugc' } : {}) } };
    },
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
  },
};

/** Safe HTML of an article's Markdown. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(md.render(markdown), SANITIZE);
}

/** The plain text of an article's Markdown (for snippets, meta descriptions, the bot's passages). */
export function markdownToText(markdown: string): string {
  const html = md.render(markdown);
  return sanitizeHtml(html.replace(/<\/(p|h[1-6]|li|pre|blockquote|tr)>/g, '$&\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A URL slug: lower case ASCII letters, digits and dashes ("Reset your password!" → "reset-your-password"). */
export function slugify(text: string, max = 80): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

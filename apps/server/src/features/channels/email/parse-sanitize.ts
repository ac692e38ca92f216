/**
 * The HTML of an inbound email made safe to show: agents see it in a sandboxed iframe, but the
 * markup must be harmless on its own too (no scripts, handlers, forms, frames, or styles that load
 * anything). Remote images are not loaded: their address moves to `data-remote-src`, which the
 * agent may choose to reveal, because loading them tells the sender the mail was read.
 */
import sanitizeHtml from 'sanitize-html';

const TAGS = [
  'a', 'abbr', 'address', 'b', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup',
  'dd', 'del', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd',
  'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'wbr',
];

// The markers mail clients put on quoted history and signatures, kept so the quote cutter can find
// them (and the viewer may style them). Any other class or id is dropped: they mean nothing here
// and would only clobber or style the page if the markup were ever shown outside the iframe.
export const QUOTE_CLASSES = ['gmail_quote', 'gmail_quote_container', 'gmail_extra', 'gmail_attr', 'yahoo_quoted', 'protonmail_quote', 'moz-cite-prefix', 'moz-forward-container'];
export const SIGNATURE_CLASSES = ['gmail_signature', 'gmail_signature_prefix', 'moz-signature'];
export const QUOTE_IDS = ['divRplyFwdMsg', 'x_divRplyFwdMsg', 'appendonsend', 'x_appendonsend', 'mail-editor-reference-message-container'];
export const SIGNATURE_IDS = ['Signature', 'x_Signature'];
const KEPT_IDS = new Set([...QUOTE_IDS, ...SIGNATURE_IDS]);

const TABLE_CELL = ['colspan', 'rowspan', 'bgcolor', 'nowrap', 'width', 'height', 'align', 'valign'];
const ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'align', 'valign', 'dir', 'lang', 'title', 'class', 'id'],
  a: ['href', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'border', 'data-remote-src'],
  font: ['color', 'face', 'size'],
  table: ['border', 'cellpadding', 'cellspacing', 'bgcolor', 'width', 'height'],
  td: TABLE_CELL,
  th: TABLE_CELL,
  tr: ['bgcolor', 'height'],
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  ol: ['start', 'type'],
  ul: ['type'],
  li: ['value'],
  blockquote: ['type'],
  hr: ['size', 'noshade', 'width', 'color'],
};

// A style value may hold words, numbers, colours, quotes for font names and plain functions such
// as rgb(); never a colon, "@", a backslash escape, a comment, or a function that loads or runs
// anything. The character set alone already rules out "javascript:" and "@import".
const SAFE_VALUE = /^(?![\s\S]*(?:url\s*\(|expression\s*\(|image-set|image\s*\(|element\s*\(|javascript|vbscript|behavior|binding|\/\*))[-\w\s#%.,'"!()/+]*$/i;
const DISPLAY = /^(?:block|inline|inline-block|inline-table|table|table-row|table-cell|table-row-group|table-header-group|table-footer-group|list-item|flex|none)$/i;
const STYLE_PROPERTIES = [
  'color', 'background-color', 'font', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant',
  'text-align', 'text-decoration', 'text-indent', 'text-transform', 'line-height', 'letter-spacing', 'white-space',
  'vertical-align', 'direction', 'list-style-type',
  'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color', 'border-style', 'border-width',
  'border-collapse', 'border-spacing', 'border-radius',
  'width', 'height', 'max-width', 'min-width', 'max-height', 'min-height',
];
const STYLES: Record<string, RegExp[]> = Object.fromEntries([...STYLE_PROPERTIES.map((p) => [p, [SAFE_VALUE]]), ['display', [DISPLAY]]]);

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i;

// Browsers ignore control characters and whitespace inside a URL's scheme ("jav&#x09;ascript:"),
// so a URL is judged by what is left once they are gone.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const squeeze = (url: string): string => url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
const isWebUrl = (url: string): boolean => /^https?:\/\/[^/]/i.test(squeeze(url));

function transformLink(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { href, ...rest } = attribs;
  const kept: sanitizeHtml.Attributes = { ...rest, target: '_blank', rel: 'noopener noreferrer nofollow' };
  if (href !== undefined && /^(?:https?:|mailto:)/i.test(squeeze(href))) kept.href = href.trim();
  return { tagName, attribs: kept };
}

function transformImage(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { src, 'data-remote-src': remote, ...rest } = attribs;
  const source = squeeze(src ?? '');
  if (/^cid:./i.test(source)) return { tagName, attribs: { ...rest, src: source } };
  if (DATA_IMAGE.test(source)) return { tagName, attribs: { ...rest, src: source } };
  // Our own earlier output carries the address in data-remote-src: keeping it makes the
  // sanitiser stable, and the address is never loaded without the agent asking.
  const blocked = src !== undefined && isWebUrl(src) ? src.trim() : remote !== undefined && isWebUrl(remote) ? remote.trim() : null;
  return { tagName, attribs: blocked ? { ...rest, 'data-remote-src': blocked } : rest };
}

function keepKnownIds(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { id, ...rest } = attribs;
  return { tagName, attribs: id !== undefined && KEPT_IDS.has(id) ? { ...rest, id } : rest };
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: ATTRIBUTES,
  allowedClasses: { '*': [...QUOTE_CLASSES, ...SIGNATURE_CLASSES] },
  allowedStyles: { '*': STYLES },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // These tags' text is not content a reader should see (or is code); drop it with the tag.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'xmp', 'title', 'noembed', 'noframes', 'template', 'iframe', 'object', 'svg', 'math', 'select'],
  selfClosing: ['img', 'br', 'hr', 'col', 'wbr'],
  // Deeper markup is flattened (its text kept): it bounds the work of everything after.
  nestingLimit: 100,
  transformTags: { a: transformLink, img: transformImage, '*': keepKnownIds },
};

/**
 * Sanitises email HTML. The result is stable (sanitising it again gives the same string): one
 * pass can leave nesting that the HTML parser reads differently the next time (a <p> left open
 * around a <div> once a dropped <form> stood between them), so passes repeat until nothing moves.
 */
export function sanitizeEmailHtml(html: string): string {
  let current = sanitizeHtml(html, OPTIONS);
  for (let pass = 0; pass < 3; pass++) {
    const again = sanitizeHtml(current, OPTIONS);
    if (again === current) break;
    current = again;
  }
  return current;
}

/** How many remote images sanitising blocked (images left with data-remote-src only). */
export function countRemoteImages(sanitized: string): number {
  return sanitized.match(/<img\b[^>]*\sdata-remote-src="/g)?.length ?? 0;
}

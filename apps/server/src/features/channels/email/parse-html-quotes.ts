/**
 * Quoted history and signatures cut out of sanitised email HTML, by the markers each mail client
 * writes: Gmail's classes, Apple Mail's and Thunderbird's cite blockquotes, Outlook's reply header
 * (by id, or the bordered / <hr>-topped "From: … Sent: …" block) and "-- " signature blocks.
 */
import { isAttribution, isOriginalMessageLine, isReplyHeader, startsWithFromLine } from './quotes.js';
import { cutFrom, elements, hasClass, hasContent, isAttached, nextContent, parseTree, previousContent, remove, serialize, textAfter, textOf, type HtmlElement, type HtmlNode } from './parse-html-tree.js';
import { QUOTE_CLASSES, QUOTE_IDS, SIGNATURE_CLASSES, SIGNATURE_IDS } from './parse-sanitize.js';

export interface HtmlQuoteCut {
  visible: string;
  cut: boolean;
}

// Gmail's attribution line sits in .gmail_attr inside the quote container, so it goes with it.
// A forward inside a reply (.moz-forward-container, a gmail_quote holding "Forwarded message")
// is collapsed too; a mail that is itself a forward is not cut at all (see parse.ts).
const REMOVED_CLASSES = [...QUOTE_CLASSES.filter((name) => name !== 'moz-cite-prefix'), ...SIGNATURE_CLASSES];

export function cutHtmlQuotes(html: string): HtmlQuoteCut {
  const root = parseTree(html);
  const untouched = serialize(root);
  removeMarkedBlocks(root);
  const cutPoint = firstCutPoint(root);
  if (cutPoint) cutFrom(cutPoint);
  const visible = serialize(root);
  // Never show an empty message: when everything was quote, the whole mail is the visible part.
  if (visible === untouched || !hasContent(root)) return { visible: html, cut: false };
  return { visible, cut: true };
}

function removeMarkedBlocks(root: HtmlElement): void {
  for (const element of elements(root)) {
    if (!isAttached(element)) continue;
    const id = element.attrs.id ?? '';
    if (hasClass(element, REMOVED_CLASSES) || SIGNATURE_IDS.includes(id)) {
      remove(element);
    } else if (hasClass(element, ['moz-cite-prefix'])) {
      // Thunderbird: the attribution div, then the quoted blockquote.
      const next = nextContent(element);
      if (next?.kind === 'element' && next.name === 'blockquote') remove(next);
      remove(element);
    } else if (element.name === 'blockquote') {
      const before = previousContent(element);
      const introduced = before !== null && isAttribution(textOf(before, 700).trim());
      if (element.attrs.type === 'cite' || introduced) {
        if (introduced && before) remove(before);
        remove(element);
      }
    }
  }
}

/** The earliest node in document order from which everything is history or signature. */
function firstCutPoint(root: HtmlElement): HtmlNode | null {
  let found: HtmlNode | null = null;
  const visit = (node: HtmlNode): boolean => {
    // Inside a block already removed a marker means nothing: cutting there would take the
    // visible text that follows the removed block too.
    if (node.removed) return false;
    if (node.kind === 'text') {
      if (isSignatureDelimiter(node) || isOriginalMessageLine(textOf(node))) found = node;
      return found !== null;
    }
    const point = cutPointAt(node);
    if (point) {
      found = point;
      return true;
    }
    return node.children.some(visit);
  };
  visit(root);
  return found;
}

function cutPointAt(element: HtmlElement): HtmlNode | null {
  const id = element.attrs.id ?? '';
  if (QUOTE_IDS.includes(id)) {
    // Outlook on the web puts an <hr> right before its header block.
    const before = previousContent(element);
    return before?.kind === 'element' && before.name === 'hr' ? before : element;
  }
  if (element.name === 'hr') return startsWithFromLine(textAfter(element, 60)) && startsWithReplyHeader(textAfter(element, 800)) ? element : null;
  // Outlook desktop: <div style="border:none;border-top:solid #E1E1E1 1.0pt…"><p><b>From:</b> …
  if (/border-top\s*:/i.test(element.attrs.style ?? '') && startsWithReplyHeader(textOf(element, 800))) return element;
  return null;
}

function startsWithReplyHeader(text: string): boolean {
  return isReplyHeader(text.split('\n').slice(0, 12));
}

// "-- " alone on its line (its own block, or between <br>s) starts a signature. A bare "--" is
// not enough here: newsletters use it in table cells for "nothing".
function isSignatureDelimiter(node: HtmlNode): boolean {
  if (node.kind !== 'text' || node.raw.replace(/\u00a0/g, ' ') !== '-- ') return false;
  // Gmail wraps it: <span class="gmail_signature_prefix">-- </span><br>. Judge the wrapper then.
  let line: HtmlNode = node;
  while (line.parent && INLINE.has(line.parent.name) && line.parent.children.length === 1) line = line.parent;
  const siblings = line.parent?.children ?? [];
  const index = line.index;
  const breaks = (sibling: HtmlNode | undefined): boolean => !sibling || (sibling.kind === 'element' && LINE_BREAKS.has(sibling.name));
  return breaks(siblings[index - 1]) && breaks(siblings[index + 1]);
}

const INLINE = new Set(['span', 'font', 'b', 'i', 'u', 'strong', 'em', 'small', 'big', 'tt', 'code']);
const LINE_BREAKS = new Set(['br', 'div', 'p', 'hr', 'table', 'blockquote', 'pre', 'ul', 'ol']);

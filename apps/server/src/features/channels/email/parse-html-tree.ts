/**
 * A tiny tree over HTML that sanitize-html already produced, so quoted history can be cut out by
 * structure. Only that output is ever read here: its tags are balanced, its text escapes "<", ">"
 * and "&", and its attribute values are double-quoted with '"' escaped, so a regular tokenizer is
 * exact (no HTML parser is installed as a direct dependency, and we add none). Serializing an
 * untouched tree gives back the same string; removing whole elements keeps it balanced and safe.
 * Removal only marks a node, and every walk is bounded, so hostile markup (100,000 sibling
 * blockquotes) costs linear time, not quadratic.
 */

export interface HtmlElement {
  kind: 'element';
  name: string;
  attrs: Record<string, string>;
  /** The opening tag exactly as sanitize-html wrote it. */
  open: string;
  void: boolean;
  children: HtmlNode[];
  parent: HtmlElement | null;
  /** Position among the parent's children. */
  index: number;
  removed: boolean;
}

export interface HtmlText {
  kind: 'text';
  raw: string;
  parent: HtmlElement | null;
  index: number;
  removed: boolean;
}

export type HtmlNode = HtmlElement | HtmlText;

const TOKEN = /<\/([a-z][a-z0-9]*)\s*>|<([a-z][a-z0-9]*)((?:\s[^>]*)?)>|[^<]+|</g;
const ATTRIBUTE = /([^\s"'=/>]+)(?:="([^"]*)")?/g;

const BLOCKS = new Set(['p', 'div', 'tr', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'hr', 'pre', 'ul', 'ol', 'dl', 'dt', 'dd', 'center', 'address']);

export function decodeText(raw: string): string {
  return raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

export function parseTree(html: string): HtmlElement {
  const root: HtmlElement = { kind: 'element', name: '#root', attrs: {}, open: '', void: false, children: [], parent: null, index: 0, removed: false };
  let current = root;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(html); match; match = TOKEN.exec(html)) {
    const [token, closing, opening, attributes] = match;
    if (closing) {
      // Close the nearest open element of that name; a stray closing tag is dropped.
      for (let open: HtmlElement | null = current; open && open !== root; open = open.parent) {
        if (open.name === closing) {
          current = open.parent ?? root;
          break;
        }
      }
    } else if (opening) {
      const element: HtmlElement = { kind: 'element', name: opening, attrs: readAttributes(attributes ?? ''), open: token, void: token.endsWith('/>'), children: [], parent: current, index: current.children.length, removed: false };
      current.children.push(element);
      if (!element.void) current = element;
    } else {
      current.children.push({ kind: 'text', raw: token, parent: current, index: current.children.length, removed: false });
    }
  }
  return root;
}

function readAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(source); match; match = ATTRIBUTE.exec(source)) {
    const [, name, value] = match;
    if (name) attrs[name] = decodeText(value ?? '');
  }
  return attrs;
}

export function serialize(node: HtmlNode): string {
  if (node.removed) return '';
  if (node.kind === 'text') return node.raw;
  const inner = node.children.map(serialize).join('');
  if (node.name === '#root') return inner;
  return node.void ? node.open : `${node.open}${inner}</${node.name}>`;
}

/** The text a reader would see, with line breaks where blocks and <br> break lines; stops near `max`. */
export function textOf(node: HtmlNode, max = Number.POSITIVE_INFINITY): string {
  if (node.removed) return '';
  if (node.kind === 'text') return decodeText(node.raw);
  // A walk with an explicit stack: called for many nodes, so no closures and no recursion.
  let text = '';
  const frames: Array<{ element: HtmlElement; next: number }> = [{ element: node, next: 0 }];
  text += opening(node);
  while (frames.length > 0 && text.length < max) {
    const frame = frames[frames.length - 1] as { element: HtmlElement; next: number };
    const child = frame.element.children[frame.next++];
    if (child === undefined) {
      frames.pop();
      text += BLOCKS.has(frame.element.name) ? '\n' : '';
    } else if (child.removed) {
      continue;
    } else if (child.kind === 'text') {
      text += decodeText(child.raw);
    } else {
      text += opening(child);
      if (child.name !== 'br') frames.push({ element: child, next: 0 });
    }
  }
  return text;
}

const opening = (element: HtmlElement): string => (element.name === 'br' ? '\n' : BLOCKS.has(element.name) ? '\n' : '');

export function elements(root: HtmlElement): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement): void => {
    for (const child of element.children) {
      if (child.kind === 'element') {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

export function hasClass(element: HtmlElement, names: readonly string[]): boolean {
  const classes = (element.attrs.class ?? '').split(/\s+/);
  return names.some((name) => classes.includes(name));
}

/** Still in the tree: neither it nor an ancestor was removed. */
export function isAttached(node: HtmlNode): boolean {
  for (let current: HtmlNode | null = node; current; current = current.parent) if (current.removed) return false;
  return true;
}

export function remove(node: HtmlNode): void {
  node.removed = true;
}

/** Removes the node and everything after it in document order; its ancestors stay. */
export function cutFrom(node: HtmlNode): void {
  node.removed = true;
  for (let current: HtmlNode = node; current.parent; current = current.parent) {
    for (const sibling of current.parent.children.slice(current.index + 1)) sibling.removed = true;
  }
}

const isBlankNode = (node: HtmlNode): boolean =>
  node.kind === 'text' ? decodeText(node.raw).replace(/\u00a0/g, ' ').trim() === '' : node.name === 'br';

// How far the sibling and look-ahead walks go: far enough for real mail, bounded for hostile mail.
const MAX_BLANK_SIBLINGS = 20;
const MAX_FOLLOWING_NODES = 30;

function contentSibling(node: HtmlNode, step: -1 | 1): HtmlNode | null {
  const siblings = node.parent?.children ?? [];
  for (let i = node.index + step, seen = 0; i >= 0 && i < siblings.length && seen < MAX_BLANK_SIBLINGS; i += step, seen++) {
    const sibling = siblings[i];
    if (sibling && !isBlankNode(sibling)) return sibling;
  }
  return null;
}

/** The nearest sibling before the node that is more than whitespace or a <br>. */
export const previousContent = (node: HtmlNode): HtmlNode | null => contentSibling(node, -1);
export const nextContent = (node: HtmlNode): HtmlNode | null => contentSibling(node, 1);

/** The text that follows the node in document order, up to `max` characters. */
export function textAfter(node: HtmlNode, max: number): string {
  let text = '';
  for (let current: HtmlNode = node; current.parent && text.length < max; current = current.parent) {
    const following = current.parent.children.slice(current.index + 1, current.index + 1 + MAX_FOLLOWING_NODES);
    for (const sibling of following) {
      if (text.length >= max) break;
      text += textOf(sibling, max - text.length);
    }
  }
  return text.slice(0, max);
}

/** Whether anything a reader would see is left: text other than spaces, or an image. */
export function hasContent(node: HtmlNode): boolean {
  if (node.removed) return false;
  if (node.kind === 'text') return decodeText(node.raw).replace(/\u00a0/g, ' ').trim() !== '';
  return node.name === 'img' || node.children.some(hasContent);
}

// The document an HTML email is shown in: a sandboxed frame whose own policy forbids script and
// any request but images from Rapport (and, once the agent asks, remote images over https).
import { theme } from '../../../theme';

/** Images come from Rapport (inline parts) or data: URLs; remote ones only when the agent asks. */
export function emailPolicy(remoteImages: boolean): string {
  return `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:${remoteImages ? ' https:' : ''}`;
}

// Mail is written for a white page: it is shown on one whatever the app's colour scheme.
const baseStyle = `
html { background: #fff; color-scheme: light; }
body { margin: 0; padding: 12px 16px; color: #212529; background: #fff; font-family: ${theme.fontFamily ?? 'system-ui, sans-serif'};
  font-size: 14px; line-height: 1.55; overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; }
img[data-remote-src] { display: inline-block; min-width: 16px; min-height: 16px; background: #f1f3f5; outline: 1px dashed #ced4da; }
table { max-width: 100%; }
pre { white-space: pre-wrap; }
a { color: #4263eb; }
blockquote { margin: 0.5em 0 0.5em 0.25em; padding-left: 0.75em; border-left: 3px solid #dee2e6; color: #495057; }
`;

/** Blocked remote images (`data-remote-src`) get their https address back; anything else stays blocked. */
export function withRemoteImages(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const img of Array.from(doc.querySelectorAll<HTMLElement>('[data-remote-src]'))) {
    const src = img.getAttribute('data-remote-src') ?? '';
    if (/^https:\/\//i.test(src)) {
      img.setAttribute('src', src);
      img.removeAttribute('data-remote-src');
    }
  }
  return doc.head.innerHTML + doc.body.innerHTML;
}

/** The `srcdoc` of an email's frame: the policy first, links open in a new tab, the app's font. */
export function emailDocument(html: string, remoteImages: boolean): string {
  const body = remoteImages ? withRemoteImages(html) : html;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${emailPolicy(remoteImages)}"><base target="_blank"><meta name="referrer" content="no-referrer"><style>${baseStyle}</style></head><body>${body}</body></html>`;
}

/**
 * widget.js: the one tag a site owner pastes.
 *
 *   <script src="https://RAPPORT_HOST/widget.js" data-inbox="WIDGET_KEY" async></script>
 *
 * It finds its own <script>, takes the Rapport address from that script's src, and once the page
 * has loaded (never blocking it) adds one iframe in the bottom-right corner. Everything else runs
 * inside that frame, on the Rapport origin. The two talk by postMessage only, each checking the
 * other's origin and window.
 */
import { COMPACT_WIDTH, type FrameMessage, type HostMessage, type WidgetUser } from './protocol.js';

interface RapportWindow extends Window {
  RapportSettings?: { user?: Partial<WidgetUser> | null };
  Rapport?: { open: () => void; close: () => void };
  __rapportWidget?: boolean;
}

(() => {
  const w = window as RapportWindow;
  const doc = document;
  // A second copy of the tag (or of a tag manager firing twice) adds nothing.
  if (w.__rapportWidget) return;

  const isOurs = (s: Element | null): s is HTMLScriptElement =>
    !!s && s.tagName === 'SCRIPT' && /\/widget\.js(?:[?#]|$)/.test((s as HTMLScriptElement).src) && s.hasAttribute('data-inbox');
  let script: HTMLScriptElement | undefined;
  if (isOurs(doc.currentScript)) script = doc.currentScript;
  else script = Array.prototype.slice.call(doc.querySelectorAll('script[data-inbox]')).filter(isOurs)[0];
  const key = script && script.getAttribute('data-inbox');
  if (!script || !key) {
    console.warn('Rapport: widget.js needs data-inbox="WIDGET_KEY" on its <script> tag.');
    return;
  }
  w.__rapportWidget = true;

  const src = new URL(script.src, location.href);
  const rapportOrigin = src.origin;
  // Rapport may live under a path (https://example.com/support/widget.js).
  const base = rapportOrigin + src.pathname.replace(/\/widget\.js$/, '');

  let frame: HTMLIFrameElement | null = null;
  let ready = false;
  let open = false;
  let pending: HostMessage | null = null;

  const compact = () => w.innerWidth < COMPACT_WIDTH;

  const post = (message: HostMessage) => {
    if (frame && frame.contentWindow && ready) frame.contentWindow.postMessage(message, rapportOrigin);
    else if (message.type === 'rapport:open' || message.type === 'rapport:close') pending = message;
  };

  // !important everywhere: the host page's own CSS (iframe { max-width: 100% }, resets) must not
  // move, hide or frame the widget.
  const layout = () => {
    if (!frame) return;
    const imp = (css: string) => css.replace(/;/g, '!important;');
    let size: string;
    if (!open) size = 'width:96px;height:96px;right:0;bottom:0;';
    else if (compact()) size = 'width:100%;height:100%;right:0;bottom:0;';
    else size = 'width:420px;height:min(720px,100%);right:0;bottom:0;';
    frame.setAttribute(
      'style',
      imp(
        'position:fixed;border:0;margin:0;padding:0;background:transparent;color-scheme:normal;' +
          'display:block;max-width:100%;max-height:100%;min-width:0;min-height:0;z-index:2147483000;' +
          `visibility:${ready ? 'visible' : 'hidden'};` +
          size,
      ),
    );
  };

  const remove = (why: string) => {
    if (frame) frame.remove();
    frame = null;
    console.warn(`Rapport: the chat widget was not shown (${why}).`);
  };

  const insert = () => {
    if (frame) return;
    frame = doc.createElement('iframe');
    frame.title = 'Chat';
    frame.setAttribute('allowtransparency', 'true');
    frame.src = `${base}/widget/frame?key=${encodeURIComponent(key)}&origin=${encodeURIComponent(location.origin)}`;
    layout();
    // A frame refused by the inbox's allowed origins (frame-ancestors) or by the server loads an
    // error page that never says it is ready; it stays invisible and goes away.
    const check = () => {
      if (!ready) remove(`${location.origin} is not an allowed origin of this inbox, or ${rapportOrigin} is unreachable`);
    };
    frame.addEventListener('load', () => setTimeout(check, 3000));
    setTimeout(check, 30000);
    (doc.body || doc.documentElement).appendChild(frame);
  };

  w.addEventListener('message', (event: MessageEvent) => {
    if (!frame || event.origin !== rapportOrigin || event.source !== frame.contentWindow) return;
    const data = event.data as FrameMessage | null;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'rapport:ready') {
      ready = true;
      layout();
      const settings = w.RapportSettings;
      const user = settings && settings.user && settings.user.id ? (settings.user as WidgetUser) : null;
      post({ type: 'rapport:init', user, context: { url: location.href, referrer: doc.referrer || undefined }, compact: compact() });
      if (pending) post(pending);
      pending = null;
    } else if (data.type === 'rapport:state') {
      open = !!data.open;
      layout();
    } else if (data.type === 'rapport:hide') {
      remove(String(data.reason));
    }
  });

  let wasCompact = compact();
  w.addEventListener('resize', () => {
    const now = compact();
    if (now === wasCompact) return;
    wasCompact = now;
    layout();
    post({ type: 'rapport:layout', compact: now });
  });

  w.Rapport = { open: () => post({ type: 'rapport:open' }), close: () => post({ type: 'rapport:close' }) };

  // After the page's own load, when the browser is idle: the widget never delays the site.
  const start = () => {
    const idle = (w as Window & { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number }).requestIdleCallback;
    if (idle) idle(insert, { timeout: 2000 });
    else setTimeout(insert, 1);
  };
  if (doc.readyState === 'complete') start();
  else w.addEventListener('load', start, { once: true });
})();

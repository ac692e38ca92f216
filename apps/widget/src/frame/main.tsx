/** The chat frame: served by Rapport at /widget/frame?key=WIDGET_KEY&origin=HOST_ORIGIN. */
import { render } from 'preact';
import type { PageContext, WidgetUser } from '../protocol.js';
import { COMPACT_WIDTH } from '../protocol.js';
import { App } from './App.js';
import { Chat } from './chat.js';
import { listen, post, setHostOrigin } from './host.js';
import { pickLocale, strings } from './i18n.js';
import './styles.css';

const params = new URLSearchParams(location.search);
const languages = navigator.languages?.length ? navigator.languages : [navigator.language || 'en'];
const locale = pickLocale(languages);
const t = strings(locale);
document.documentElement.lang = locale;
document.title = t.chat;

const chat = new Chat(params.get('key') ?? '', languages[0]);
const framed = setHostOrigin(params.get('origin'));

const text = (v: unknown, max: number) => (typeof v === 'string' && v ? v.slice(0, max) : undefined);

function identity(v: unknown): WidgetUser | null {
  if (!v || typeof v !== 'object') return null;
  const u = v as Record<string, unknown>;
  const id = text(u.id, 200);
  const hash = text(u.hash, 200);
  if (!id) return null;
  return { id, hash, email: text(u.email, 254), name: text(u.name, 120) };
}

if (framed) {
  // A loader that never answers (an old copy, a broken page) still gets a working chat.
  const fallback = setTimeout(() => chat.start(null, {}), 3000);
  listen((d) => {
    if (d.type === 'rapport:init') {
      clearTimeout(fallback);
      chat.setCompact(!!d.compact);
      const c = (d.context ?? {}) as Record<string, unknown>;
      const context: PageContext = { url: text(c.url, 2000), referrer: text(c.referrer, 2000) };
      chat.start(identity(d.user), context);
    } else if (d.type === 'rapport:layout') chat.setCompact(!!d.compact);
    else if (d.type === 'rapport:open') chat.setOpen(true);
    else if (d.type === 'rapport:close') chat.setOpen(false);
  });
  post({ type: 'rapport:ready' });
} else {
  // Opened on its own (a direct link, a preview): lay out for this window.
  const fit = () => chat.setCompact(innerWidth < COMPACT_WIDTH);
  fit();
  addEventListener('resize', fit);
  chat.start(null, {});
}

render(<App chat={chat} t={t} locale={locale} />, document.getElementById('root')!);

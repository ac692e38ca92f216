/** The widget's UI: the launcher button and the chat panel. Messages are text, never HTML. */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { ArticleSuggestion, Author } from './api.js';
import type { Chat, ChatState } from './chat.js';
import { Composer } from './composer.js';
import { Attachments, UploadRow } from './files.js';
import { post } from './host.js';
import { EmailForm, isAway } from './away.js';
import { CallbackRequest } from './callback.js';
import { ArticleView, HelpSearch } from './help.js';
import { awayText, replyTime, type Strings } from './i18n.js';
import { seenKey } from './live.js';
import type { ChatMessage } from './messages.js';

function useChat(chat: Chat): ChatState {
  const [, rerender] = useReducer((n: number, _: void) => n + 1, 0);
  useEffect(() => chat.subscribe(() => rerender()), [chat]);
  return chat.state;
}

/** The value, once it has stayed the same for `ms` (no flashing banner on a one-second blip). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine !== false);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener('online', on);
    addEventListener('offline', off);
    return () => {
      removeEventListener('online', on);
      removeEventListener('offline', off);
    };
  }, []);
  return online;
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0])
    .join('')
    .toUpperCase() || '?';

/** A steady colour per name, from a small palette readable with white text. */
const palette = ['#3b5bdb', '#0c8599', '#2b8a3e', '#c2255c', '#7048e8', '#d9480f', '#1971c2', '#5f3dc4'];
function tint(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return palette[Math.abs(h) % palette.length];
}

function Avatar({ name, url, size = 28 }: { name: string; url?: string | null; size?: number }) {
  const [broken, setBroken] = useState(false);
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px`, background: tint(name) };
  if (url && !broken && /^https?:\/\//.test(url)) return <img class="rp-avatar" src={url} alt="" style={style} onError={() => setBroken(true)} referrerpolicy="no-referrer" />;
  return (
    <span class="rp-avatar" style={style} aria-hidden="true">
      {initials(name)}
    </span>
  );
}

/** Text with bare http(s) addresses as links; everything else stays a text node. */
function Linkified({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  const re = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(
      <a href={m[0]} target="_blank" rel="noopener noreferrer nofollow">
        {m[0]}
      </a>,
    );
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

function formatTime(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
  if (d.toDateString() === new Date().toDateString()) return time;
  const day = d.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(d.getFullYear() !== new Date().getFullYear() ? { year: 'numeric' } : {}) });
  return `${day}, ${time}`;
}

const Icon = {
  chat: (
    <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M12 3C6.9 3 3 6.5 3 10.9c0 2.4 1.2 4.6 3.1 6.1-.1 1.3-.6 2.6-1.5 3.6-.2.2 0 .6.3.6 1.9-.1 3.6-.8 4.9-1.9.7.2 1.4.3 2.2.3 5.1 0 9-3.5 9-7.9S17.1 3 12 3Z" />
    </svg>
  ),
  down: (
    <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">
      <path fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" d="m6 9 6 6 6-6" />
    </svg>
  ),
  close: (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6 6 18" />
    </svg>
  ),
};

function Bubble({ m, showAuthor, agentName, locale, t, chat, seen, last }: { m: ChatMessage; showAuthor: boolean; agentName: string; locale: string; t: Strings; chat: Chat; seen?: boolean; last?: boolean }) {
  const mine = m.direction === 'incoming';
  const author: Author | null = m.author;
  const name = author?.name || m.bot?.name || agentName;
  // The answer bot's buttons, under its latest message only; pressing one sends its words.
  const quick = !mine && last && m.bot?.quick_replies.length ? m.bot.quick_replies : null;
  const time = formatTime(m.created_at, locale);
  return (
    <div class={`rp-row ${mine ? 'rp-mine' : 'rp-theirs'}${showAuthor ? ' rp-first' : ''}`}>
      {!mine && <div class="rp-gutter">{showAuthor && <Avatar name={name} url={author?.avatar_url} />}</div>}
      <div class="rp-stack">
        {!mine && showAuthor && <div class="rp-author">{name}</div>}
        {(m.content || !m.attachments.length) && (
          <div class={`rp-bubble${m.state === 'failed' ? ' rp-failed' : ''}`}>
            <span class="rp-sr">{mine ? `${t.you}: ` : `${name}: `}</span>
            <Linkified text={m.content} />
          </div>
        )}
        {m.attachments.length > 0 && <Attachments list={m.attachments} locale={locale} label={m.content ? undefined : mine ? t.you : name} />}
        {quick && (
          <div class="rp-quick" role="group" aria-label={t.quickReplies}>
            {quick.map((label) => (
              <button key={label} type="button" class="rp-chip" onClick={() => chat.send(label)}>
                {label}
              </button>
            ))}
          </div>
        )}
        <div class="rp-meta">
          {time && <time dateTime={m.created_at}>{time}</time>}
          {mine && m.state === 'sending' && <span class="rp-state">{t.sending}</span>}
          {mine && m.state === 'sent' && <span class="rp-state">{seen ? t.seen : t.sent}</span>}
          {mine && m.state === 'failed' && (
            <span class="rp-state rp-error">
              {m.error ? `${t.failed}: ${m.error}` : t.failed}
              <button type="button" class="rp-retry" onClick={() => m.client_message_id && chat.retry(m.client_message_id)}>
                {t.retry}
              </button>
            </span>
          )}
        </div>
      </div>
    </div>
  );
}

export function App({ chat, t, locale }: { chat: Chat; t: Strings; locale: string }) {
  const s = useChat(chat);
  const online = useOnline();
  const [draft, setDraft] = useState('');
  const [reading, setReading] = useState<{ article: ArticleSuggestion; question: string } | null>(null);
  // "No, chat with us": the visitor chose a person; suggestions would only get in the way now.
  const [wantsPerson, setWantsPerson] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const launcher = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  const stick = useRef(true);

  // Tell the loader to resize the frame; move focus into the panel and back to the launcher.
  useEffect(() => {
    post({ type: 'rapport:state', open: s.open });
    if (s.open) {
      input.current?.focus({ preventScroll: true });
      stick.current = true;
      if (log.current) log.current.scrollTop = log.current.scrollHeight;
    } else if (wasOpen.current) {
      launcher.current?.focus({ preventScroll: true });
    }
    wasOpen.current = s.open;
  }, [s.open]);

  // Follow new messages while the visitor is at the bottom of the list.
  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [s.messages, s.open, s.uploads, s.typing]);

  const onScroll = () => {
    const el = log.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };

  const inbox = s.inbox;
  const title = inbox?.name || t.chat;
  const agents = inbox?.agents ?? [];
  const away = isAway(inbox);
  const subtitle = !inbox ? '' : away ? awayText(t, locale, inbox.availability?.next_open_at) : replyTime(t, locale, inbox.reply_time);
  const greeting = inbox?.greeting?.trim();
  const greetingMessage: ChatMessage | null = greeting
    ? { key: 'greeting', id: null, seq: null, client_message_id: null, direction: 'outgoing', content: greeting, attachments: [], author: { type: 'user', name: title, avatar_url: null }, created_at: '', state: 'sent', status: null }
    : null;
  let status = '';
  if (!online) status = t.offline;
  else if (s.phase === 'starting') status = t.connecting;
  else if (s.link === 'offline') status = t.reconnecting;
  status = useSettled(status, status === t.offline ? 0 : 2000) && status;
  const seen = seenKey(s.messages, s.readUpTo);
  // Before the first message the visitor may find an answer themselves.
  const selfService = s.phase === 'ready' && s.messages.length === 0 && s.uploads.length === 0;

  return (
    <div
      class={`rp${s.open ? ' rp-open' : ''}${s.compact ? ' rp-compact' : ''}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && s.open) {
          e.preventDefault();
          chat.setOpen(false);
        }
      }}
    >
      {s.open && (
        <section
          id="rp-panel"
          class="rp-panel"
          role="dialog"
          aria-labelledby="rp-title"
          aria-describedby={subtitle ? 'rp-subtitle' : undefined}
          onDragOver={(e) => e.dataTransfer?.types.includes('Files') && e.preventDefault()}
          onDrop={(e) => {
            if (!e.dataTransfer?.files.length) return;
            e.preventDefault();
            chat.files.add(Array.from(e.dataTransfer.files));
          }}
        >
          <header class="rp-header">
            {agents.length > 0 && (
              <div class="rp-agents" aria-hidden="true">
                {agents.slice(0, 3).map((a, i) => (
                  <Avatar key={i} name={a.name} url={a.avatar_url} size={34} />
                ))}
              </div>
            )}
            <div class="rp-heading">
              <h1 id="rp-title">{title}</h1>
              {subtitle && <p id="rp-subtitle">{subtitle}</p>}
            </div>
            <button type="button" class="rp-close" aria-label={t.close} onClick={() => chat.setOpen(false)}>
              {Icon.close}
            </button>
          </header>
          {status && (
            <div class="rp-status" role="status">
              {status}
            </div>
          )}
          {reading && selfService && (
            <ArticleView
              chat={chat}
              t={t}
              suggestion={reading.article}
              question={reading.question}
              onBack={() => {
                setReading(null);
                requestAnimationFrame(() => search.current?.focus());
              }}
              onNo={(question) => {
                // Straight to a person, with the question already written.
                setReading(null);
                setWantsPerson(true);
                setDraft(question);
                requestAnimationFrame(() => input.current?.focus());
              }}
            />
          )}
          <div ref={log} class="rp-log" role="log" aria-live="polite" aria-label={t.conversation} tabIndex={0} onScroll={onScroll} hidden={Boolean(reading && selfService)}>
            {greetingMessage ? (
              <Bubble m={greetingMessage} showAuthor agentName={title} locale={locale} t={t} chat={chat} />
            ) : (
              !s.messages.length && s.phase === 'ready' && <p class="rp-empty">{t.empty}</p>
            )}
            {s.messages.map((m, i) => {
              // An agent's name and avatar head each run of their messages.
              const prev = i ? s.messages[i - 1] : greetingMessage;
              const showAuthor = m.direction === 'outgoing' && (!prev || prev.direction !== 'outgoing' || (prev.author?.name || title) !== (m.author?.name || title));
              return <Bubble key={m.key} m={m} showAuthor={showAuthor} agentName={title} locale={locale} t={t} chat={chat} seen={m.key === seen} last={i === s.messages.length - 1} />;
            })}
            {s.uploads.map((u) => (
              <UploadRow key={u.id} u={u} t={t} chat={chat} locale={locale} maxBytes={s.limits?.max_bytes ?? null} />
            ))}
            {s.typing && (
              <div class="rp-row rp-theirs rp-first rp-typing">
                <div class="rp-gutter">
                  <Avatar name={s.typing.name || title} url={s.typing.avatar_url} />
                </div>
                <div class="rp-stack">
                  <div class="rp-bubble rp-dots" aria-hidden="true">
                    <i />
                    <i />
                    <i />
                  </div>
                  <div class="rp-meta">{t.typing.replace('{name}', s.typing.name || title)}</div>
                </div>
              </div>
            )}
          </div>
          {selfService && !reading && !wantsPerson && <HelpSearch chat={chat} t={t} draft={draft} search={search} onOpen={(article, question) => setReading({ article, question })} />}
          {s.notice && (
            <div class="rp-notice" role="alert">
              {t[s.notice]}
            </div>
          )}
          <CallbackRequest chat={chat} t={t} />
          {away && <EmailForm chat={chat} t={t} left={s.leftEmail} />}
          <Composer chat={chat} t={t} locale={locale} online={online} accept={s.limits?.accept} input={input} draft={draft} setDraft={setDraft} onSend={() => (stick.current = true)} />
        </section>
      )}
      <button
        ref={launcher}
        type="button"
        class="rp-launcher"
        aria-label={s.open ? t.close : t.open}
        aria-expanded={s.open}
        aria-controls={s.open ? 'rp-panel' : undefined}
        onClick={() => chat.setOpen(!s.open)}
      >
        {s.open ? Icon.down : Icon.chat}
        {!s.open && s.unread > 0 && (
          <span class="rp-badge" aria-hidden="true">
            {s.unread > 9 ? '9+' : s.unread}
          </span>
        )}
      </button>
      {!s.open && s.unread > 0 && (
        <span class="rp-sr" role="status">
          {t.newMessage}
        </span>
      )}
    </div>
  );
}

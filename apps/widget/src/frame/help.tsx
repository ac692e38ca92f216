/**
 * Self-service before a chat starts: the visitor searches help articles (or just types their
 * question and sees suggestions), reads one inside the widget, and says whether it answered the
 * question — yes is counted as a deflection, no takes them to the chat with the question filled in.
 * The article's HTML is made and sanitised by the server (and the frame's CSP runs no inline script).
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ArticleSuggestion, HelpArticle } from './api.js';
import type { Chat } from './chat.js';
import type { Strings } from './i18n.js';

/** Typing pauses this long before a search is sent. */
export const SUGGEST_DELAY_MS = 350;

type Found = { q: string; items: ArticleSuggestion[]; failed: boolean };

/** Suggestions for `query`, once typing has paused; a late answer to an older query is dropped. */
function useSuggestions(chat: Chat, query: string): { found: Found | null; searching: boolean } {
  const [found, setFound] = useState<Found | null>(null);
  const [searching, setSearching] = useState(false);
  const latest = useRef('');
  useEffect(() => {
    const q = query.trim();
    latest.current = q;
    if (q.length < 3) {
      setFound(null);
      setSearching(false);
      return;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      chat.searchArticles(q).then(
        (items) => latest.current === q && (setFound({ q, items, failed: false }), setSearching(false)),
        () => latest.current === q && (setFound({ q, items: [], failed: true }), setSearching(false)),
      );
    }, SUGGEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [chat, query]);
  return { found, searching };
}

/** The search box and the articles found for it, or for the question being typed below. */
export function HelpSearch({ chat, t, draft, onOpen, search }: { chat: Chat; t: Strings; draft: string; onOpen: (a: ArticleSuggestion, question: string) => void; search: RefObject<HTMLInputElement | null> }) {
  const [q, setQ] = useState('');
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    let live = true;
    chat.hasArticles().then(
      (yes) => live && setAvailable(yes),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [chat]);
  const query = available ? q.trim() || draft.trim() : '';
  const { found, searching } = useSuggestions(chat, query);
  // A workspace without help articles has nothing to offer here.
  if (!available) return null;
  return (
    <section class="rp-help" aria-labelledby="rp-help-title">
      <h2 id="rp-help-title" class="rp-help-title">
        {q.trim() || !draft.trim() ? t.helpTitle : t.helpSuggested}
      </h2>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="rp-help-q" class="rp-sr">
          {t.helpSearch}
        </label>
        <input ref={search} id="rp-help-q" class="rp-help-input" type="search" autocomplete="off" placeholder={t.helpPlaceholder} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </form>
      <div role="status" class="rp-help-status">
        {searching ? t.helpSearching : found?.failed ? t.helpFailed : found && !found.items.length ? t.helpNone : ''}
      </div>
      {found && found.items.length > 0 && (
        <ul class="rp-help-list" aria-label={t.helpResults}>
          {found.items.map((a) => (
            <li key={a.id}>
              <button type="button" class="rp-help-item" onClick={() => onOpen(a, found.q)}>
                <span class="rp-help-item-title">{a.title}</span>
                {a.description && <span class="rp-help-item-text">{a.description}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Answer = 'none' | 'yes';

/** One article inside the widget, with "Did this answer your question?". */
export function ArticleView({ chat, t, suggestion, question, onBack, onNo }: { chat: Chat; t: Strings; suggestion: ArticleSuggestion; question: string; onBack: () => void; onNo: (question: string) => void }) {
  const [article, setArticle] = useState<HelpArticle | null>(null);
  const [failed, setFailed] = useState(false);
  const [answer, setAnswer] = useState<Answer>('none');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    let live = true;
    chat.article(suggestion.id).then(
      (a) => live && setArticle(a),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [chat, suggestion.id]);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);

  const say = (helped: boolean) => {
    // Best effort: the visitor goes on whether or not the count arrives.
    chat.answered(suggestion.id, helped, question).catch(() => undefined);
    if (helped) setAnswer('yes');
    else onNo(question);
  };

  return (
    <article class="rp-article-view" aria-labelledby="rp-article-title">
      <div class="rp-article-bar">
        <button type="button" class="rp-link" onClick={onBack}>
          ← {t.helpBack}
        </button>
      </div>
      <div class="rp-article-scroll">
        <h2 id="rp-article-title" ref={heading} tabIndex={-1} class="rp-article-title">
          {article?.title ?? suggestion.title}
        </h2>
        {!article && !failed && (
          <p role="status" class="rp-help-status">
            {t.helpLoading}
          </p>
        )}
        {failed && (
          <p role="alert" class="rp-help-status">
            {t.helpFailed}
          </p>
        )}
        {article && (
          <>
            {/* Sanitised on the server (features/kb/markdown.ts); links open in a new tab. */}
            <div class="rp-article" dangerouslySetInnerHTML={{ __html: article.html }} />
            <p>
              <a class="rp-link" href={article.url} target="_blank" rel="noopener noreferrer">
                {t.helpOpenFull}
              </a>
            </p>
          </>
        )}
      </div>
      <div class="rp-article-ask" role="group" aria-labelledby="rp-article-ask">
        {answer === 'yes' ? (
          <p role="status">{t.helpThanks}</p>
        ) : (
          <>
            <p id="rp-article-ask">{t.helpAsk}</p>
            <div class="rp-article-answers">
              <button type="button" class="rp-chip" onClick={() => say(true)}>
                {t.helpYes}
              </button>
              <button type="button" class="rp-chip" onClick={() => say(false)}>
                {t.helpNo}
              </button>
            </div>
          </>
        )}
      </div>
    </article>
  );
}

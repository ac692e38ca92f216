/** The message box with its tools: attach a file, pick an emoji, write and send. */
import type { RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chat } from './chat.js';
import { EmojiPicker } from './emoji-picker.js';
import type { Strings } from './i18n.js';

const Icon = {
  send: (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6l-.1 6.5L15 12 3.3 13.9z" />
    </svg>
  ),
  attach: (
    <svg viewBox="0 0 24 24" width="21" height="21" aria-hidden="true" focusable="false">
      <path fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round" d="m20.5 11.5-8.2 8.2a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" />
    </svg>
  ),
  emoji: (
    <svg viewBox="0 0 24 24" width="21" height="21" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round">
        <circle cx="12" cy="12" r="9" />
        <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0" />
      </g>
      <circle cx="9" cy="10" r="1.2" fill="currentColor" />
      <circle cx="15" cy="10" r="1.2" fill="currentColor" />
    </svg>
  ),
};

export function Composer({
  chat,
  t,
  locale,
  online,
  accept,
  input,
  draft,
  setDraft,
  onSend,
}: {
  chat: Chat;
  t: Strings;
  locale: string;
  online: boolean;
  /** What the server takes, for the file picker. */
  accept: string | undefined;
  /** The message box (the panel moves focus into it). */
  input: RefObject<HTMLTextAreaElement | null>;
  /** What is typed, kept by the panel's owner so that closing the chat keeps it. */
  draft: string;
  setDraft: (text: string) => void;
  onSend: () => void;
}) {
  const [emojiOpen, setEmojiOpen] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const caret = useRef<number | null>(null);

  const grow = () => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 140)}px`;
  };

  // After an emoji went in: the caret right behind it.
  useLayoutEffect(() => {
    const el = input.current;
    if (el && caret.current != null) {
      el.focus();
      el.setSelectionRange(caret.current, caret.current);
      caret.current = null;
      grow();
    }
  }, [draft]);

  const edit = (text: string) => {
    setDraft(text);
    chat.compose(text);
  };

  const insertEmoji = (emoji: string) => {
    const el = input.current;
    const start = el?.selectionStart ?? draft.length;
    const end = el?.selectionEnd ?? start;
    caret.current = start + emoji.length;
    setEmojiOpen(false);
    edit(draft.slice(0, start) + emoji + draft.slice(end));
  };

  const attach = (files: FileList | null | undefined) => {
    if (files?.length) chat.files.add(Array.from(files));
  };

  const submit = (e?: Event) => {
    e?.preventDefault();
    if (!draft.trim()) return;
    chat.send(draft);
    setDraft('');
    setEmojiOpen(false);
    onSend();
    requestAnimationFrame(grow);
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form class="rp-composer" onSubmit={submit}>
      {emojiOpen && (
        <EmojiPicker
          label={t.emoji}
          locale={locale}
          onPick={insertEmoji}
          onClose={(refocus) => {
            setEmojiOpen(false);
            if (refocus) emojiButton.current?.focus();
          }}
        />
      )}
      <input
        ref={picker}
        type="file"
        class="rp-sr"
        tabIndex={-1}
        aria-hidden="true"
        multiple
        accept={accept || undefined}
        onChange={(e) => {
          const el = e.target as HTMLInputElement;
          attach(el.files);
          el.value = '';
        }}
      />
      <button
        type="button"
        class="rp-tool"
        aria-label={t.attach}
        title={t.attach}
        onClick={() => (online ? picker.current?.click() : chat.notify('uploadOffline'))}
      >
        {Icon.attach}
      </button>
      <button
        ref={emojiButton}
        type="button"
        class="rp-tool"
        aria-label={t.emoji}
        title={t.emoji}
        aria-expanded={emojiOpen}
        // Keeps the focus in an open picker, so this click closes it instead of reopening it.
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => setEmojiOpen(!emojiOpen)}
      >
        {Icon.emoji}
      </button>
      <label class="rp-sr" for="rp-input">
        {t.message}
      </label>
      <textarea
        id="rp-input"
        ref={input}
        rows={1}
        value={draft}
        maxLength={10000}
        placeholder={t.placeholder}
        onInput={(e) => {
          edit((e.target as HTMLTextAreaElement).value);
          grow();
        }}
        onPaste={(e) => {
          // A screenshot pasted into the message box is sent as a file (text copied from an
          // office program also carries a picture of itself: that stays text).
          const data = e.clipboardData;
          if (data?.files.length && !data.types.includes('text/plain')) {
            e.preventDefault();
            attach(data.files);
          }
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" class="rp-send" aria-label={t.send} disabled={!draft.trim()}>
        {Icon.send}
      </button>
    </form>
  );
}

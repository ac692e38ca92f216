/** The emoji picker: a compact grid opened above the composer. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { EMOJI, moveIn } from './emoji.js';

/** The grid, opened above the composer. Arrow keys move, Enter picks, Escape or Tab away closes. */
export function EmojiPicker({ label, locale, onPick, onClose }: { label: string; locale: string; onPick: (emoji: string) => void; onClose: (refocus: boolean) => void }) {
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  const name = locale === 'de' ? 2 : 1;

  const focus = (i: number) => (grid.current?.children[i] as HTMLElement | undefined)?.focus();
  // Into the grid when it opens.
  useLayoutEffect(() => focus(0), []);

  return (
    <div
      ref={grid}
      class="rp-emoji"
      role="dialog"
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          // Closes the picker only, not the chat.
          e.preventDefault();
          e.stopPropagation();
          onClose(true);
          return;
        }
        const next = moveIn(active, e.key, EMOJI.length);
        if (next != null) {
          e.preventDefault();
          // At once, not after the next render: a key pressed right after goes to the right emoji.
          focus(next);
          setActive(next);
        }
      }}
      onFocusOut={(e) => {
        if (!grid.current?.contains(e.relatedTarget as Node | null)) onClose(false);
      }}
    >
      {EMOJI.map((item, i) => (
        <button key={item[0]} type="button" aria-label={item[name]} title={item[name]} tabIndex={i === active ? 0 : -1} onClick={() => onPick(item[0])}>
          {item[0]}
        </button>
      ))}
    </div>
  );
}

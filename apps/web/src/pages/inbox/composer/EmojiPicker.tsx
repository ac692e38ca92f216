import { ActionIcon, Popover, Text, Tooltip } from '@mantine/core';
import { IconMoodSmile } from '@tabler/icons-react';
import { useRef, useState, type KeyboardEvent } from 'react';
import classes from '../Inbox.module.css';

// A short curated set for support conversations, not the whole Unicode list (that would be a large download).
const emoji: [string, string][] = [
  ['😀', 'grinning face'], ['😄', 'grinning face with smiling eyes'], ['😁', 'beaming face'], ['😂', 'face with tears of joy'],
  ['🙂', 'slightly smiling face'], ['😊', 'smiling face with smiling eyes'], ['😉', 'winking face'], ['😍', 'smiling face with heart-eyes'],
  ['🥰', 'smiling face with hearts'], ['😘', 'face blowing a kiss'], ['😎', 'smiling face with sunglasses'], ['🤩', 'star-struck'],
  ['🤗', 'hugging face'], ['🤔', 'thinking face'], ['🙃', 'upside-down face'], ['😅', 'grinning face with sweat'],
  ['😐', 'neutral face'], ['😲', 'astonished face'], ['😕', 'confused face'], ['😟', 'worried face'],
  ['😢', 'crying face'], ['😭', 'loudly crying face'], ['😬', 'grimacing face'], ['😴', 'sleeping face'],
  ['🙄', 'face with rolling eyes'], ['😇', 'smiling face with halo'], ['🥳', 'partying face'], ['😌', 'relieved face'],
  ['😔', 'pensive face'], ['😳', 'flushed face'], ['🤝', 'handshake'], ['👋', 'waving hand'],
  ['👍', 'thumbs up'], ['👎', 'thumbs down'], ['👌', 'OK hand'], ['✌️', 'victory hand'],
  ['🤞', 'crossed fingers'], ['👏', 'clapping hands'], ['🙌', 'raising hands'], ['🙏', 'folded hands'],
  ['💪', 'flexed biceps'], ['👀', 'eyes'], ['❤️', 'red heart'], ['💙', 'blue heart'],
  ['💯', 'hundred points'], ['✨', 'sparkles'], ['🔥', 'fire'], ['🎉', 'party popper'],
  ['🎁', 'wrapped gift'], ['⭐', 'star'], ['✅', 'check mark'], ['❌', 'cross mark'],
  ['⚠️', 'warning'], ['❓', 'question mark'], ['❗', 'exclamation mark'], ['💡', 'light bulb'],
  ['📦', 'package'], ['🚚', 'delivery truck'], ['📅', 'calendar'], ['⏰', 'alarm clock'],
  ['📞', 'telephone receiver'], ['✉️', 'envelope'], ['🔗', 'link'], ['🛠️', 'hammer and wrench'],
];
const COLUMNS = 8;

/** A button that opens a small grid of common emoji; arrow keys move, Enter picks, Esc closes. */
export function EmojiPicker({ onPick, disabled }: { onPick: (emoji: string) => void; disabled?: boolean }) {
  const [opened, setOpened] = useState(false);
  const [active, setActive] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const steps: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
    let next: number | undefined;
    if (event.key in steps) next = active + steps[event.key];
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = emoji.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    next = Math.max(0, Math.min(emoji.length - 1, next));
    setActive(next);
    buttons.current[next]?.focus();
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="top-start" shadow="md" trapFocus returnFocus withinPortal>
      <Popover.Target>
        <Tooltip label="Emoji" disabled={opened}>
          <ActionIcon variant="subtle" color="gray" aria-label="Emoji" aria-haspopup="dialog" aria-expanded={opened} onClick={() => setOpened((o) => !o)} disabled={disabled}>
            <IconMoodSmile size={18} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p="xs" aria-label="Pick an emoji">
        <Text size="xs" c="dimmed" mb={4} id="emoji-picker-label">
          Pick an emoji
        </Text>
        <div role="group" aria-labelledby="emoji-picker-label" className={classes.emojiGrid} onKeyDown={move}>
          {emoji.map(([char, name], i) => (
            <button
              key={char}
              ref={(el) => {
                buttons.current[i] = el;
              }}
              type="button"
              className={classes.emoji}
              aria-label={name}
              title={name}
              tabIndex={i === active ? 0 : -1}
              onFocus={() => setActive(i)}
              onClick={() => {
                onPick(char);
                setOpened(false);
              }}
            >
              {char}
            </button>
          ))}
        </div>
      </Popover.Dropdown>
    </Popover>
  );
}

// Canned responses in the reply box: typing "/" and a shortcut lists the matching responses,
// filled in for this conversation by the server; arrows and Enter insert one, Esc closes the list.
import { Code, Loader, Paper, Text } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../../../api/client';
import { useCannedFor, type CannedResponse } from '../../../api/automation';
import classes from '../Inbox.module.css';

const LIST_ID = 'canned-suggestions';
const MAX_SHOWN = 8;
// "/" at the start or after a space, then the shortcut typed so far (up to the caret).
const token = /(?:^|\s)\/([\w-]{0,40})$/;

interface Options {
  conversationId: string;
  text: string;
  caret: number;
  /** Replaces text[from, caret) with `insert`. */
  onPick: (from: number, insert: string) => void;
}

export function useCannedPicker({ conversationId, text, caret, onPick }: Options) {
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const match = token.exec(text.slice(0, caret));
  const from = match ? caret - match[1].length - 1 : -1;
  const typing = match !== null && dismissedAt !== from;
  const canned = useCannedFor(conversationId, match !== null);
  const query = match?.[1].toLowerCase() ?? '';
  const options = (canned.data ?? [])
    .filter((c) => c.shortcut.toLowerCase().startsWith(query) || c.title.toLowerCase().includes(query))
    .sort((a, b) => Number(!a.shortcut.toLowerCase().startsWith(query)) - Number(!b.shortcut.toLowerCase().startsWith(query)))
    .slice(0, MAX_SHOWN);
  const open = typing && options.length > 0;
  const selected = Math.min(active, options.length - 1);

  const pick = (c: CannedResponse) => {
    onPick(from, c.rendered ?? c.body);
    setActive(0);
  };

  /** Handles the list's keys; true when the key was used (so the composer must not send). */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!typing) return false;
    if (event.key === 'Escape') {
      setDismissedAt(from);
      event.preventDefault();
      return true;
    }
    if (!open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((selected + step + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      pick(options[selected]);
    } else return false;
    event.preventDefault();
    return true;
  };

  const inputProps = {
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? LIST_ID : undefined,
    'aria-activedescendant': open ? `${LIST_ID}-${options[selected].id}` : undefined,
  };
  return { typing, open, options, selected, pick, onKeyDown, inputProps, setActive, query, state: canned };
}

/** The matching responses above the reply box; or why there are none. */
export function CannedList({ picker }: { picker: ReturnType<typeof useCannedPicker> }) {
  if (!picker.typing) return null;
  const { state } = picker;
  if (!picker.open) {
    const note = state.isPending ? (
      <>
        <Loader size="xs" /> Loading canned responses…
      </>
    ) : state.isError ? (
      `Could not load canned responses: ${errorMessage(state.error)}`
    ) : state.data?.length === 0 ? (
      'No canned responses yet: add them in Settings → Canned responses.'
    ) : (
      `No canned response matches /${picker.query}`
    );
    return (
      <Paper shadow="md" withBorder className={classes.mentionList} role="status" p="xs">
        <Text size="xs" c={state.isError ? 'red' : 'dimmed'} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
          {note}
        </Text>
      </Paper>
    );
  }
  return (
    <Paper component="ul" id={LIST_ID} role="listbox" aria-label="Insert a canned response" shadow="md" withBorder className={classes.mentionList} style={{ maxWidth: 420 }}>
      {picker.options.map((c, i) => (
        <li
          key={c.id}
          id={`${LIST_ID}-${c.id}`}
          role="option"
          aria-selected={i === picker.selected}
          className={classes.mentionOption}
          style={{ alignItems: 'flex-start', flexDirection: 'column', gap: 2 }}
          onMouseDown={(event) => event.preventDefault()}
          onMouseMove={() => i !== picker.selected && picker.setActive(i)}
          onClick={() => picker.pick(c)}
        >
          <Text size="sm" fw={500} style={{ display: 'flex', gap: 6, alignItems: 'center', minWidth: 0, maxWidth: '100%' }}>
            <Code>/{c.shortcut}</Code>
            <Text span inherit truncate>
              {c.title}
            </Text>
          </Text>
          <Text size="xs" c="dimmed" lineClamp={2}>
            {c.rendered ?? c.body}
          </Text>
        </li>
      ))}
    </Paper>
  );
}

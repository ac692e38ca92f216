// @mentions in private notes: typing "@" suggests the teammates who can see the conversation;
// the note is sent with the ids of those whose "@Name" is still in the text.
import { Avatar, Paper, Text } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { useInbox, useUsers } from '../../../api/queries';
import type { Member } from '../../../api/types';
import { initials } from '../../../lib/format';
import { PresenceDot, usePresenceMap } from '../../../lib/presence';
import { useSession } from '../../../lib/session';
import classes from '../Inbox.module.css';

const LIST_ID = 'mention-suggestions';
const MAX_SHOWN = 8;
// "@" at the start or after a space, then what was typed so far (up to the caret).
const token = /(?:^|\s)@([^@\n]{0,30})$/;

/** Teammates who may be mentioned in a conversation of this inbox: its members and admins, not me. */
export function useMentionables(inboxId: string): Member[] {
  const { user: me } = useSession();
  const users = useUsers();
  const inbox = useInbox(inboxId);
  const members = inbox.data ? new Set(inbox.data.member_ids) : null;
  return (users.data ?? []).filter((u) => u.id !== me.id && (!members || members.has(u.id) || u.role !== 'agent'));
}

/** The ids of the people whose "@Name" is in the text (longest names first, so "@Sam Lee" is not also "@Sam"). */
export function mentionedIds(text: string, people: Member[]): string[] {
  let rest = text;
  const ids: string[] = [];
  for (const person of [...people].sort((a, b) => b.name.length - a.name.length)) {
    const pattern = new RegExp(`@${person.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`, 'gu');
    if (pattern.test(rest)) {
      ids.push(person.id);
      rest = rest.replace(pattern, ' ');
    }
  }
  return ids;
}

interface Options {
  enabled: boolean;
  text: string;
  caret: number;
  people: Member[];
  /** Replaces text[from, caret) with `insert`. */
  onPick: (from: number, insert: string) => void;
}

export function useMentions({ enabled, text, caret, people, onPick }: Options) {
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const match = enabled ? token.exec(text.slice(0, caret)) : null;
  const query = match?.[1].toLowerCase() ?? '';
  const from = match ? caret - match[1].length - 1 : -1;
  const options = match
    ? people
        .filter((p) => {
          const name = p.name.toLowerCase();
          return name.startsWith(query) || name.split(/\s+/).some((word) => word.startsWith(query));
        })
        .slice(0, MAX_SHOWN)
    : [];
  const open = options.length > 0 && dismissedAt !== from;
  const selected = Math.min(active, options.length - 1);

  const pick = (person: Member) => {
    onPick(from, `@${person.name} `);
    setActive(0);
  };

  /** Handles the list's keys; true when the key was used (so the composer must not send). */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((selected + step + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      pick(options[selected]);
    } else if (event.key === 'Escape') {
      setDismissedAt(from);
    } else return false;
    event.preventDefault();
    return true;
  };

  const inputProps = {
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? LIST_ID : undefined,
    'aria-activedescendant': open ? `${LIST_ID}-${options[selected].id}` : undefined,
  };
  return { open, options, selected, pick, onKeyDown, inputProps, setActive };
}

/** The suggestions, shown above the note box. */
export function MentionList({ mentions }: { mentions: ReturnType<typeof useMentions> }) {
  const presence = usePresenceMap();
  if (!mentions.open) return null;
  return (
    <Paper component="ul" id={LIST_ID} role="listbox" aria-label="Mention a teammate" shadow="md" withBorder className={classes.mentionList}>
      {mentions.options.map((person, i) => (
        <li
          key={person.id}
          id={`${LIST_ID}-${person.id}`}
          role="option"
          aria-selected={i === mentions.selected}
          className={classes.mentionOption}
          onMouseDown={(event) => event.preventDefault()}
          onMouseMove={() => i !== mentions.selected && mentions.setActive(i)}
          onClick={() => mentions.pick(person)}
        >
          <Avatar src={person.avatar_url || null} alt="" size={22} radius="xl" color="initials" name={person.name}>
            {initials(person.name)}
          </Avatar>
          <Text size="sm" truncate style={{ flex: 1 }}>
            {person.name}
          </Text>
          <PresenceDot status={presence.get(person.id)} />
        </li>
      ))}
    </Paper>
  );
}

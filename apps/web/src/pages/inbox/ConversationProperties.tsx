import { Group, Select, SimpleGrid, TagsInput, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFlag, IconUser, IconUsersGroup } from '@tabler/icons-react';
import { useInbox, useTags, useTeams, useUsers } from '../../api/queries';
import type { Conversation, ConversationChanges, Priority } from '../../api/types';
import { PresenceDot, presenceLabels, usePresenceMap } from '../../lib/presence';
import { useSession } from '../../lib/session';
import { normaliseTag, tagPattern } from './filters';
import { priorityColors, priorityLabels } from './inbox';

interface Props {
  conversation: Conversation;
  onChange: (changes: ConversationChanges) => void;
  /** The change being saved, shown at once instead of the stored value. */
  saving: ConversationChanges | undefined;
}

const UNASSIGNED = 'unassigned';
const NO_TEAM = 'none';

/** Assignee, team, priority and tags of a conversation; each change is saved straight away. */
export function ConversationProperties({ conversation, onChange, saving }: Props) {
  const { user: me } = useSession();
  const users = useUsers();
  const teams = useTeams();
  const inbox = useInbox(conversation.inbox.id);
  const presence = usePresenceMap();
  const knownTags = useTags();

  // Who can be assigned: the people who work in this inbox (everyone, if the inbox cannot be read).
  const memberIds = new Set(inbox.data?.member_ids ?? users.data?.map((u) => u.id) ?? []);
  const people = (users.data ?? []).filter((u) => memberIds.has(u.id)).map((u) => ({ value: u.id, label: u.id === me.id ? `${u.name} (you)` : u.name }));
  if (conversation.assignee && !people.some((p) => p.value === conversation.assignee?.id)) {
    people.push({ value: conversation.assignee.id, label: conversation.assignee.name });
  }
  const teamOptions = (teams.data ?? []).map((t) => ({ value: t.id, label: t.name }));
  if (conversation.team && !teamOptions.some((t) => t.value === conversation.team?.id)) {
    teamOptions.push({ value: conversation.team.id, label: conversation.team.name });
  }

  const assignee = saving && 'assignee_id' in saving ? saving.assignee_id : conversation.assignee?.id;
  const team = saving && 'team_id' in saving ? saving.team_id : conversation.team?.id;
  const priority = saving?.priority ?? conversation.priority;
  const tags = saving?.tags ?? conversation.tags;

  const changeTags = (next: string[]) => {
    // Tags are single words: spaces and commas split a tag in two, quotes and angle brackets go.
    const words = next.flatMap((t) => t.split(/[\s,]+/));
    const cleaned = [...new Set(words.map((t) => normaliseTag(t).replace(/[<>"'`]/g, '')).filter(Boolean))];
    const bad = cleaned.find((t) => !tagPattern.test(t));
    if (bad) {
      notifications.show({ color: 'red', title: 'That tag is too long', message: `Keep tags to 40 characters or fewer (“${bad.slice(0, 20)}…”).` });
      return;
    }
    if (cleaned.join() !== conversation.tags.join()) onChange({ tags: cleaned });
  };

  return (
    <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
      <Select
        size="xs"
        label="Assignee"
        leftSection={<IconUser size={14} />}
        data={[{ value: UNASSIGNED, label: 'Unassigned' }, ...people]}
        value={assignee ?? UNASSIGNED}
        renderOption={({ option }) => {
          const status = presence.get(option.value);
          return (
            <Group gap={8} wrap="nowrap" data-user-id={option.value}>
              {status ? <PresenceDot status={status} /> : presence.size > 0 && option.value !== UNASSIGNED && <span style={{ width: 8, flexShrink: 0 }} />}
              {option.label}
              {status && <VisuallyHidden> ({presenceLabels[status]})</VisuallyHidden>}
            </Group>
          );
        }}
        onChange={(v) => v && v !== (conversation.assignee?.id ?? UNASSIGNED) && onChange({ assignee_id: v === UNASSIGNED ? null : v })}
        allowDeselect={false}
        searchable
        nothingFoundMessage="Nobody by that name works in this inbox"
      />
      <Select
        size="xs"
        label="Team"
        leftSection={<IconUsersGroup size={14} />}
        data={[{ value: NO_TEAM, label: 'No team' }, ...teamOptions]}
        value={team ?? NO_TEAM}
        onChange={(v) => v && v !== (conversation.team?.id ?? NO_TEAM) && onChange({ team_id: v === NO_TEAM ? null : v })}
        allowDeselect={false}
      />
      <Select
        size="xs"
        label="Priority"
        leftSection={<IconFlag size={14} color={`var(--mantine-color-${priorityColors[priority] ?? 'gray'}-filled)`} />}
        data={(Object.keys(priorityLabels) as Priority[]).map((p) => ({ value: p, label: priorityLabels[p] }))}
        value={priority}
        onChange={(v) => v && v !== conversation.priority && onChange({ priority: v as Priority })}
        allowDeselect={false}
      />
      <TagsInput
        size="xs"
        label="Tags"
        placeholder={tags.length ? undefined : 'Add a tag'}
        value={tags}
        data={knownTags.data ?? []}
        onChange={changeTags}
        splitChars={[',', ' ']}
        maxTags={20}
        clearable={false}
        acceptValueOnBlur
      />
    </SimpleGrid>
  );
}

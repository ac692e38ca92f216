import { ActionIcon, Box, Button, Group, Indicator, Pill, Popover, SegmentedControl, Select, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconFilter, IconKeyboard } from '@tabler/icons-react';
import { useState } from 'react';
import { useInboxes, useTeams } from '../../api/queries';
import { SavedViews } from './SavedViews';
import { defaultFilters, normaliseTag, tagPattern, type AssigneeFilter, type Filters, type MoodFilter, type SortOrder, type StatusFilter } from './filters';
import { moodFilterOptions } from './mood/moodFilter';
import classes from './Inbox.module.css';

interface Props {
  filters: Filters;
  onChange: (filters: Filters) => void;
  onShowShortcuts: () => void;
}

/** The list's filters: whose, which status, how sorted, and (under "More filters") inbox, team and tag. */
export function ConversationFilters({ filters, onChange, onShowShortcuts }: Props) {
  const inboxes = useInboxes();
  const teams = useTeams();
  const set = (changes: Partial<Filters>) => onChange({ ...filters, ...changes });
  const extra = [filters.inbox_id, filters.team_id, filters.tag, filters.mood].filter(Boolean).length;
  const inboxName = inboxes.data?.find((i) => i.id === filters.inbox_id)?.name ?? 'Inbox';
  const teamName = teams.data?.find((t) => t.id === filters.team_id)?.name ?? 'Team';

  return (
    <Box className={classes.paneHeader}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={1} size="h3">
            Inbox
          </Title>
          <Group gap={4} wrap="nowrap">
            <Tooltip label="Keyboard shortcuts (?)">
              <ActionIcon variant="subtle" color="gray" aria-label="Keyboard shortcuts" onClick={onShowShortcuts} visibleFrom="sm">
                <IconKeyboard size={18} />
              </ActionIcon>
            </Tooltip>
            <SavedViews filters={filters} onApply={onChange} />
            <MoreFilters filters={filters} onChange={set} count={extra} />
          </Group>
        </Group>
        <SegmentedControl
          fullWidth
          size="xs"
          aria-label="Assigned to"
          value={filters.assignee}
          onChange={(v) => set({ assignee: v as AssigneeFilter })}
          data={[
            { value: 'me', label: 'Mine' },
            { value: 'unassigned', label: 'Unassigned' },
            { value: 'any', label: 'All' },
          ]}
        />
        <Group grow gap="xs" wrap="nowrap">
          <Select
            size="xs"
            aria-label="Status"
            value={filters.status}
            onChange={(v) => v && set({ status: v as StatusFilter })}
            allowDeselect={false}
            data={[
              { value: 'all', label: 'All statuses' },
              { value: 'open', label: 'Open' },
              { value: 'pending', label: 'Pending' },
              { value: 'snoozed', label: 'Snoozed' },
              { value: 'resolved', label: 'Resolved' },
            ]}
          />
          <Select
            size="xs"
            aria-label="Sort"
            value={filters.sort}
            onChange={(v) => v && set({ sort: v as SortOrder })}
            allowDeselect={false}
            data={[
              { value: 'newest', label: 'Newest first' },
              { value: 'oldest', label: 'Oldest first' },
              { value: 'waiting', label: 'Waiting longest' },
              { value: 'sla', label: 'SLA due soonest' },
              { value: 'mood', label: 'Upset customers first' },
            ]}
          />
        </Group>
        {extra > 0 && (
          <Group gap={6}>
            {filters.inbox_id && (
              <Pill withRemoveButton onRemove={() => set({ inbox_id: null })} removeButtonProps={{ 'aria-label': 'Remove the inbox filter', 'aria-hidden': false, tabIndex: 0 }}>
                {inboxName}
              </Pill>
            )}
            {filters.team_id && (
              <Pill withRemoveButton onRemove={() => set({ team_id: null })} removeButtonProps={{ 'aria-label': 'Remove the team filter', 'aria-hidden': false, tabIndex: 0 }}>
                {teamName}
              </Pill>
            )}
            {filters.tag && (
              <Pill withRemoveButton onRemove={() => set({ tag: null })} removeButtonProps={{ 'aria-label': 'Remove the tag filter', 'aria-hidden': false, tabIndex: 0 }}>
                #{filters.tag}
              </Pill>
            )}
            {filters.mood && (
              <Pill withRemoveButton onRemove={() => set({ mood: null })} removeButtonProps={{ 'aria-label': 'Remove the mood filter', 'aria-hidden': false, tabIndex: 0 }}>
                Mood: {moodFilterOptions.find((o) => o.value === filters.mood)?.label.toLowerCase()}
              </Pill>
            )}
          </Group>
        )}
      </Stack>
    </Box>
  );
}

function MoreFilters({ filters, onChange, count }: { filters: Filters; onChange: (changes: Partial<Filters>) => void; count: number }) {
  const inboxes = useInboxes();
  const teams = useTeams();
  const [opened, setOpened] = useState(false);
  const [tag, setTag] = useState(filters.tag ?? '');
  const [tagError, setTagError] = useState<string | null>(null);

  const applyTag = () => {
    const value = normaliseTag(tag);
    if (value && !tagPattern.test(value)) return setTagError('A tag is one word: no spaces, commas or quotes');
    setTagError(null);
    if ((value || null) !== filters.tag) onChange({ tag: value || null });
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={280} shadow="md" trapFocus>
      <Popover.Target>
        <Indicator label={count} size={16} disabled={count === 0} offset={4}>
          <Tooltip label="More filters" disabled={opened}>
            <ActionIcon
              variant={count ? 'light' : 'subtle'}
              color={count ? undefined : 'gray'}
              aria-label={count ? `More filters (${count} on)` : 'More filters'}
              aria-expanded={opened}
              onClick={() => {
                setTag(filters.tag ?? '');
                setOpened((o) => !o);
              }}
            >
              <IconFilter size={18} />
            </ActionIcon>
          </Tooltip>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Text size="sm" fw={600}>
            More filters
          </Text>
          <Select
            label="Inbox"
            placeholder="All inboxes"
            data={(inboxes.data ?? []).map((i) => ({ value: i.id, label: i.name }))}
            value={filters.inbox_id}
            onChange={(v) => onChange({ inbox_id: v })}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <Select
            label="Team"
            placeholder="All teams"
            data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={filters.team_id}
            onChange={(v) => onChange({ team_id: v })}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <TextInput
            label="Tag"
            placeholder="e.g. refund"
            description="Press Enter to apply"
            value={tag}
            onChange={(e) => {
              setTag(e.currentTarget.value);
              setTagError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                applyTag();
              }
            }}
            onBlur={applyTag}
            error={tagError}
          />
          <Select
            label="Mood"
            description="Upset: angry, frustrated or getting worse"
            placeholder="Any mood"
            data={moodFilterOptions}
            value={filters.mood}
            onChange={(v) => onChange({ mood: v as MoodFilter | null })}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <Group justify={count ? 'space-between' : 'flex-end'}>
            {count > 0 && (
              <Button
                variant="subtle"
                size="xs"
                color="gray"
                onClick={() => {
                  setTag('');
                  onChange({ inbox_id: defaultFilters.inbox_id, team_id: defaultFilters.team_id, tag: defaultFilters.tag, mood: defaultFilters.mood });
                }}
              >
                Clear these filters
              </Button>
            )}
            <Button size="xs" onClick={() => setOpened(false)}>
              Done
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

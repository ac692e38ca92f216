import { Button, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconCalendarEvent, IconChevronDown, IconCircleCheck, IconClock, IconClockPause, IconInbox } from '@tabler/icons-react';
import { useState } from 'react';
import type { Conversation, ConversationChanges, ConversationStatus } from '../../api/types';
import { useFormat, useTimeZone } from '../../lib/format';
import { parseLocalInput, snoozeOptions, toLocalInput } from '../../lib/zoned';

interface Props {
  conversation: Conversation;
  onChange: (changes: ConversationChanges) => void;
  busy: boolean;
  /** Narrow screens: the buttons drop their icons to fit beside the Snooze menu. */
  compact?: boolean;
}

const buttons: { status: ConversationStatus; label: string; icon: typeof IconInbox; color: string }[] = [
  { status: 'open', label: 'Open', icon: IconInbox, color: 'blue' },
  { status: 'pending', label: 'Pending', icon: IconClock, color: 'yellow' },
  { status: 'resolved', label: 'Resolved', icon: IconCircleCheck, color: 'teal' },
];

/** Open / Pending / Resolved, and a Snooze menu with preset times or one of the agent's choosing. */
export function StatusControl({ conversation, onChange, busy, compact }: Props) {
  const fmt = useFormat();
  const zone = useTimeZone();
  const [custom, setCustom] = useState(false);
  const snoozed = conversation.status === 'snoozed';

  return (
    <Group gap="xs" wrap="nowrap">
      <Button.Group aria-label="Status">
        {buttons.map(({ status, label, icon: StatusIcon, color }) => {
          const current = conversation.status === status;
          return (
            <Button
              key={status}
              size="xs"
              variant={current ? 'light' : 'default'}
              color={current ? color : undefined}
              aria-pressed={current}
              leftSection={compact ? undefined : <StatusIcon size={14} />}
              disabled={busy && !current}
              onClick={() => !current && onChange({ status })}
            >
              {label}
            </Button>
          );
        })}
      </Button.Group>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            size="xs"
            variant={snoozed ? 'light' : 'default'}
            color={snoozed ? 'grape' : undefined}
            leftSection={compact ? undefined : <IconClockPause size={14} />}
            rightSection={<IconChevronDown size={12} />}
            disabled={busy}
            title={snoozed && conversation.snoozed_until ? `Snoozed until ${fmt.dateTime(conversation.snoozed_until)}` : undefined}
          >
            Snooze
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Snooze until</Menu.Label>
          {snoozeOptions(zone).map((o) => (
            <Menu.Item
              key={o.label}
              onClick={() => onChange({ status: 'snoozed', snoozed_until: o.until.toISOString() })}
              rightSection={
                <Text size="xs" c="dimmed" ml="md">
                  {fmt.smart(o.until.toISOString())}
                </Text>
              }
            >
              {o.label}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconCalendarEvent size={14} />} onClick={() => setCustom(true)}>
            Pick a date and time…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <CustomSnoozeModal
        opened={custom}
        zone={zone}
        onClose={() => setCustom(false)}
        onSnooze={(until) => {
          setCustom(false);
          onChange({ status: 'snoozed', snoozed_until: until.toISOString() });
        }}
      />
    </Group>
  );
}

interface CustomProps {
  opened: boolean;
  zone: string | undefined;
  onClose: () => void;
  onSnooze: (until: Date) => void;
}

function CustomSnoozeModal({ opened, zone, onClose, onSnooze }: CustomProps) {
  const [value, setValue] = useState(() => toLocalInput(new Date(Date.now() + 86_400_000), zone));
  const [error, setError] = useState<string | null>(null);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const until = parseLocalInput(value, zone);
    if (!until) return setError('Pick a date and a time');
    if (until.getTime() <= Date.now()) return setError('Pick a time in the future');
    onSnooze(until);
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Snooze until" size="sm">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            type="datetime-local"
            label="Date and time"
            description={zone ? `In your time zone (${zone})` : undefined}
            value={value}
            onChange={(e) => {
              setValue(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Snooze</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

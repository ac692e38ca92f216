import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Inbox } from '../../../api/types';
import { SettingsCard } from '../SettingsCard';
import { InboxMembers } from './InboxMembers';

/** A live chat inbox's settings at a glance: where the chat may run, its greeting, and who works in it. */
export function WebChatSettingsCard({ inbox, editable }: { inbox: Inbox; editable: boolean }) {
  return (
    <SettingsCard title="Settings" description={editable ? undefined : 'Only admins can change an inbox.'}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            Allowed origins
          </Text>
          {inbox.allowed_origins.length ? (
            <Group gap={6}>
              {inbox.allowed_origins.map((o) => (
                <Badge key={o} variant="default" tt="none" fw={500} style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
                  {o}
                </Badge>
              ))}
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              None set
            </Text>
          )}
        </Stack>
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            Greeting
          </Text>
          <Text size="sm" c={inbox.greeting ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {inbox.greeting || 'No greeting'}
          </Text>
        </Stack>
      </SimpleGrid>
      <InboxMembers ids={inbox.member_ids} />
    </SettingsCard>
  );
}

import { Avatar, Group, Stack, Text } from '@mantine/core';
import { useUsers } from '../../../api/queries';

/** Who works in an inbox, by name and avatar. */
export function InboxMembers({ ids }: { ids: string[] }) {
  const users = useUsers();
  const members = ids.map((id) => users.data?.find((u) => u.id === id) ?? { id, name: 'Former teammate', avatar_url: null });
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        Members ({members.length})
      </Text>
      {members.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nobody works in this inbox yet; only admins see its conversations.
        </Text>
      ) : (
        <Group gap="sm">
          {members.map((m) => (
            <Group key={m.id} gap={6} wrap="nowrap">
              <Avatar size={24} radius="xl" color="initials" name={m.name} src={m.avatar_url || null} alt="" />
              <Text size="sm">{m.name}</Text>
            </Group>
          ))}
        </Group>
      )}
    </Stack>
  );
}

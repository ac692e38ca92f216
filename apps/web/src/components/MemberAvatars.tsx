import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import type { Member } from '../api/types';

interface Props {
  ids: string[];
  users: Member[] | undefined;
  /** How many avatars to show before "+N". */
  max?: number;
}

/** A row of teammates' avatars (names on hover) and how many there are. */
export function MemberAvatars({ ids, users, max = 4 }: Props) {
  if (ids.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No members
      </Text>
    );
  }
  const nameOf = (id: string) => users?.find((u) => u.id === id)?.name ?? 'Former teammate';
  const avatarOf = (id: string) => users?.find((u) => u.id === id)?.avatar_url || null;
  return (
    <Group gap="xs" wrap="nowrap">
      <Tooltip.Group openDelay={200}>
        <Avatar.Group spacing={6}>
          {ids.slice(0, max).map((id) => (
            <Tooltip key={id} label={nameOf(id)}>
              <Avatar size={28} radius="xl" color="initials" name={nameOf(id)} src={avatarOf(id)} alt={nameOf(id)} />
            </Tooltip>
          ))}
          {ids.length > max && (
            <Avatar size={28} radius="xl" aria-label={`and ${ids.length - max} more`}>
              +{ids.length - max}
            </Avatar>
          )}
        </Avatar.Group>
      </Tooltip.Group>
      <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {ids.length} {ids.length === 1 ? 'member' : 'members'}
      </Text>
    </Group>
  );
}

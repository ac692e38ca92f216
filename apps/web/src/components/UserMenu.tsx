import { Avatar, Group, Indicator, Menu, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconChevronDown, IconDevices, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { Fragment } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../api/client';
import { loadParts, useUserRouting, type UserRouting } from '../api/routing';
import type { PresenceStatus } from '../api/types';
import { initials } from '../lib/format';
import { PresenceDot, presenceColors, presenceLabels, usePresenceMap, useSetPresence } from '../lib/presence';
import { roleLabels, useSession, useSignOut } from '../lib/session';
import classes from './TopBar.module.css';

export function UserMenu() {
  const { user, role } = useSession();
  const signOut = useSignOut();
  const presence = usePresenceMap().get(user.id);
  const setPresence = useSetPresence(user.id);
  const shown = setPresence.isPending ? setPresence.variables : presence;

  const run = (everywhere: boolean) => {
    signOut(everywhere).catch((err: unknown) =>
      notifications.show({ color: 'red', title: 'Sign out failed', message: errorMessage(err) }),
    );
  };

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton className={classes.trigger} aria-label={`Account menu for ${user.name} (${roleLabels[role]})`}>
          <Group gap="xs" wrap="nowrap">
            <Indicator disabled={!shown} color={shown ? presenceColors[shown] : undefined} position="bottom-end" size={10} offset={4} withBorder>
              <Avatar src={user.avatar_url || null} alt="" size={30} radius="xl" color="indigo">
                {initials(user.name)}
              </Avatar>
            </Indicator>
            <Stack gap={0} visibleFrom="sm" style={{ minWidth: 0 }}>
              <Text size="sm" fw={500} lh={1.2} truncate maw={160}>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {roleLabels[role]}
                {shown && ` · ${presenceLabels[shown]}`}
              </Text>
            </Stack>
            <IconChevronDown size={14} className={classes.dimIcon} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={500} c="bright" truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Label>Your status</Menu.Label>
        {(['online', 'away', 'offline'] as PresenceStatus[]).map((status) => (
          <Menu.Item
            key={status}
            aria-current={shown === status ? 'true' : undefined}
            leftSection={<PresenceDot status={status} size={10} />}
            rightSection={shown === status ? <IconCheck size={14} /> : null}
            onClick={() => status !== shown && setPresence.mutate(status)}
          >
            {presenceLabels[status]}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <OwnLoad userId={user.id} />
        <Menu.Divider />
        <Menu.Item component={Link} to="/settings/profile" leftSection={<IconUserCircle size={16} />}>
          Profile
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => run(false)}>
          Sign out
        </Menu.Item>
        <Menu.Item color="red" leftSection={<IconDevices size={16} />} onClick={() => run(true)}>
          Sign out everywhere
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The conversations automatic assignment has given them against their capacity ("2 of 3 chats,
 * 4 of 10 emails"). Mounted only while the menu is open, so it is asked for when the menu opens.
 */
function OwnLoad({ userId }: { userId: string }) {
  const routing = useUserRouting(userId);
  return (
    <div role="group" aria-labelledby="own-load-label">
      <Menu.Label id="own-load-label">Your conversations</Menu.Label>
      <Text size="sm" px="sm" pb={6}>
        {routing.data ? <LoadParts routing={routing.data} /> : routing.isError ? 'Could not load your capacity' : <Skeleton h={14} w={160} component="span" display="block" aria-label="Loading your capacity" />}
      </Text>
    </div>
  );
}

/** Each "2 of 3 chats" kept on one line. */
function LoadParts({ routing }: { routing: UserRouting }) {
  const parts = loadParts(routing);
  if (parts.length === 0) return 'Takes no conversations automatically';
  return parts.map((part, i) => (
    <Fragment key={part}>
      <span style={{ whiteSpace: 'nowrap' }}>{`${part}${i < parts.length - 1 ? ',' : ''}`}</span>
      {i < parts.length - 1 && ' '}
    </Fragment>
  ));
}

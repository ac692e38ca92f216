import { Avatar, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDevices, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../api/client';
import { initials } from '../lib/format';
import { roleLabels, useSession, useSignOut } from '../lib/session';
import classes from './TopBar.module.css';

export function UserMenu() {
  const { user, role } = useSession();
  const signOut = useSignOut();

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
            <Avatar src={user.avatar_url || null} alt="" size={30} radius="xl" color="indigo">
              {initials(user.name)}
            </Avatar>
            <Stack gap={0} visibleFrom="sm" style={{ minWidth: 0 }}>
              <Text size="sm" fw={500} lh={1.2} truncate maw={160}>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {roleLabels[role]}
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

import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPlus, IconSelector } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../api/client';
import type { Workspace } from '../api/types';
import { initials } from '../lib/format';
import { roleLabels, useSession } from '../lib/session';
import { CreateWorkspaceModal } from './CreateWorkspaceModal';
import classes from './TopBar.module.css';

export function WorkspaceSwitcher() {
  const { workspace, workspaces } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [creating, { open, close }] = useDisclosure(false);

  const reload = async () => {
    // Everything shown belongs to a workspace: drop it all and load the new one.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    await queryClient.invalidateQueries({ queryKey: ['me'] });
    await navigate('/inbox');
  };

  const switchTo = async (target: Workspace) => {
    if (target.id === workspace.id) return;
    try {
      await api.post('/me/workspace', { account_id: target.id });
      await reload();
      notifications.show({ color: 'teal', message: `Switched to ${target.name}` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not switch workspace', message: errorMessage(err) });
    }
  };

  return (
    <>
      <Menu position="bottom-start" width={280} withinPortal>
        <Menu.Target>
          <UnstyledButton className={classes.trigger} aria-label={`Workspace: ${workspace.name}. Switch workspace`}>
            <Group gap="xs" wrap="nowrap">
              <Avatar size={26} radius="sm" color="indigo" variant="filled">
                {initials(workspace.name)}
              </Avatar>
              <Text fw={600} size="sm" truncate maw={{ base: 120, xs: 200 }}>
                {workspace.name}
              </Text>
              <IconSelector size={16} stroke={1.6} className={classes.dimIcon} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Workspaces</Menu.Label>
          {workspaces.map((ws) => (
            <Menu.Item
              key={ws.id}
              onClick={() => void switchTo(ws)}
              leftSection={
                <Avatar size={22} radius="sm" color="indigo" variant={ws.id === workspace.id ? 'filled' : 'light'}>
                  {initials(ws.name)}
                </Avatar>
              }
              rightSection={ws.id === workspace.id ? <IconCheck size={16} aria-label="Current workspace" /> : null}
            >
              <Text size="sm" truncate maw={180}>
                {ws.name}
              </Text>
              <Text size="xs" c="dimmed">
                {roleLabels[ws.role]}
              </Text>
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconPlus size={16} />} onClick={open}>
            Create workspace
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <CreateWorkspaceModal opened={creating} onClose={close} onCreated={reload} />
    </>
  );
}

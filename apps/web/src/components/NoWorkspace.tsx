import { Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../api/queries';
import type { Me } from '../api/types';
import { useSignOut } from '../lib/session';
import { AuthLayout } from './AuthLayout';
import { CreateWorkspaceModal } from './CreateWorkspaceModal';

/** Signed in, but not a member of any workspace (yet, or any more). */
export function NoWorkspace({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const [creating, { open, close }] = useDisclosure(false);

  return (
    <AuthLayout title="No workspace yet" subtitle={`Signed in as ${me.user.email}`}>
      <Stack gap="md">
        <Text size="sm">
          You are not a member of any workspace. Ask a teammate to invite you, or create a workspace of your own.
        </Text>
        <Group grow>
          <Button variant="default" onClick={() => void signOut(false)}>
            Sign out
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={open}>
            Create workspace
          </Button>
        </Group>
      </Stack>
      <CreateWorkspaceModal
        opened={creating}
        onClose={close}
        onCreated={() => queryClient.invalidateQueries({ queryKey: keys.me })}
      />
    </AuthLayout>
  );
}

import { ActionIcon, Avatar, Badge, Button, Group, Menu, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconGauge, IconLink, IconPlus, IconShieldCheck, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { keys, useUsers } from '../../api/queries';
import type { Member, PasswordResetLink, Role } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../components/QueryStates';
import { roleColors, roleLabels, useSession } from '../../lib/session';
import { AddTeammateModal } from './AddTeammateModal';
import { ResetLinkModal } from './ResetLinkModal';
import { roleOptions } from './roles';
import { DefaultCapacityCard } from './routing/DefaultCapacityCard';
import { UserRoutingModal } from './routing/UserRoutingModal';

export function UsersSettings() {
  const { user: me, role, isAdmin, isOwner } = useSession();
  const users = useUsers();
  const queryClient = useQueryClient();
  const [adding, addModal] = useDisclosure(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [resetLink, setResetLink] = useState<(PasswordResetLink & { name: string }) | null>(null);
  const [routing, setRouting] = useState<Member | null>(null);

  const changeRole = async (member: Member, role: Role) => {
    try {
      await api.patch<Member>(`/users/${member.id}`, { role });
      await queryClient.invalidateQueries({ queryKey: keys.users });
      notifications.show({ color: 'teal', message: `${member.name} is now ${roleLabels[role].toLowerCase()}` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not change role', message: errorMessage(err) });
    }
  };

  const makeResetLink = async (member: Member) => {
    try {
      const link = await api.post<PasswordResetLink>(`/users/${member.id}/password-reset-link`);
      setResetLink({ ...link, name: member.name });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not create a reset link', message: errorMessage(err) });
    }
  };

  const canManage = (m: Member) => isAdmin && m.id !== me.id && (isOwner || m.role !== 'owner');

  return (
    <Stack gap="lg">
      <PageHeader
        title="Users"
        description="Everyone who can sign in to this workspace."
        order={1}
        actions={
          isAdmin && (
            <Button leftSection={<IconPlus size={16} />} onClick={addModal.open}>
              Add teammate
            </Button>
          )
        }
      />
      {users.isPending && <TableSkeleton columns={4} />}
      {users.isError && <ErrorState title="Could not load teammates" error={users.error} onRetry={() => void users.refetch()} />}
      {users.data && (
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th visibleFrom="sm">Email</Table.Th>
                  <Table.Th w={150}>Role</Table.Th>
                  <Table.Th w={100}>2FA</Table.Th>
                  {isAdmin && <Table.Th w={56} aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Avatar src={m.avatar_url || null} name={m.name} color="initials" size={32} radius="xl" alt="" />
                        <Stack gap={0} style={{ minWidth: 0 }}>
                          <Group gap={6} wrap="nowrap">
                            <Text size="sm" fw={500} truncate>
                              {m.name}
                            </Text>
                            {m.id === me.id && (
                              <Badge size="xs" variant="default" style={{ flexShrink: 0 }}>
                                You
                              </Badge>
                            )}
                          </Group>
                          <Text size="xs" c="dimmed" truncate hiddenFrom="sm">
                            {m.email}
                          </Text>
                        </Stack>
                      </Group>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      <Text size="sm" c="dimmed">
                        {m.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {canManage(m) ? (
                        <Select
                          size="xs"
                          aria-label={`Role for ${m.name}`}
                          data={roleOptions(role)}
                          value={m.role}
                          allowDeselect={false}
                          onChange={(v) => v && v !== m.role && void changeRole(m, v as Role)}
                        />
                      ) : (
                        <Badge variant="light" color={roleColors[m.role]}>
                          {roleLabels[m.role]}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {m.two_factor_enabled ? (
                        <Badge variant="light" color="teal" leftSection={<IconShieldCheck size={12} />}>
                          On
                        </Badge>
                      ) : (
                        <Badge variant="light" color="gray">
                          Off
                        </Badge>
                      )}
                    </Table.Td>
                    {isAdmin && (
                      <Table.Td>
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${m.name}`}>
                              <IconDots size={16} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconGauge size={16} />} onClick={() => setRouting(m)}>
                              Capacity and skills
                            </Menu.Item>
                            {canManage(m) && (
                              <>
                                <Menu.Item leftSection={<IconLink size={16} />} onClick={() => void makeResetLink(m)}>
                                  Copy password reset link
                                </Menu.Item>
                                <Menu.Divider />
                                <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => setRemoving(m)}>
                                  Remove
                                </Menu.Item>
                              </>
                            )}
                          </Menu.Dropdown>
                        </Menu>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {isAdmin && <DefaultCapacityCard />}

      <AddTeammateModal opened={adding} onClose={addModal.close} />
      <ResetLinkModal link={resetLink} onClose={() => setResetLink(null)} />
      <UserRoutingModal member={routing} onClose={() => setRouting(null)} />
      <ConfirmModal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove teammate"
        confirmLabel="Remove"
        onConfirm={async () => {
          if (!removing) return;
          await api.del(`/users/${removing.id}`);
          await queryClient.invalidateQueries({ queryKey: keys.users });
          notifications.show({ color: 'teal', message: `${removing.name} was removed` });
        }}
      >
        {removing?.name} will lose access to this workspace immediately. Their conversations stay where they are.
      </ConfirmModal>
    </Stack>
  );
}

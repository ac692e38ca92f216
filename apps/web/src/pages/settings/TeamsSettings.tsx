import { ActionIcon, Button, EmptyState, Menu, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsShuffle, IconDots, IconPencil, IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys, useTeams, useUsers } from '../../api/queries';
import type { Team } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { MemberAvatars } from '../../components/MemberAvatars';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { useSession } from '../../lib/session';
import { TeamModal } from './TeamModal';
import { TeamRoutingModal } from './routing/TeamRoutingModal';

export function TeamsSettings() {
  const { isAdmin } = useSession();
  const teams = useTeams();
  const users = useUsers();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [modal, setModal] = useState({ opened: false, team: null as Team | null, key: 0 });
  const [deleting, setDeleting] = useState<Team | null>(null);
  const [routing, setRouting] = useState<Team | null>(null);
  const open = (team: Team | null) => setModal((m) => ({ opened: true, team, key: m.key + 1 }));

  return (
    <Stack gap="lg">
      <PageHeader
        title="Teams"
        description="Group teammates so conversations can be routed to the right people."
        actions={
          isAdmin && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => open(null)}>
              New team
            </Button>
          )
        }
      />
      {teams.isPending && <TableSkeleton columns={3} rows={3} />}
      {teams.isError && <ErrorState title="Could not load teams" error={teams.error} onRetry={() => void teams.refetch()} />}
      {teams.data?.length === 0 && (
        <Paper withBorder p="xl">
          <EmptyState
            variant="light"
            icon={<IconUsersGroup size={24} />}
            title="No teams yet"
            description="Create teams such as Sales, Billing or Tier 2 to organise your people."
          >
            {isAdmin && (
              <EmptyState.Actions>
                <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => open(null)}>
                  Create the first team
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      )}
      {teams.data && teams.data.length > 0 && (
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Team</Table.Th>
                  <Table.Th>Members</Table.Th>
                  <Table.Th>Created</Table.Th>
                  {isAdmin && <Table.Th w={56} aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {teams.data.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {t.name}
                      </Text>
                      {t.description && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {t.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <MemberAvatars ids={t.member_ids} users={users.data} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {fmt.date(t.created_at)}
                      </Text>
                    </Table.Td>
                    {isAdmin && (
                      <Table.Td>
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${t.name}`}>
                              <IconDots size={16} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => open(t)}>
                              Edit
                            </Menu.Item>
                            <Menu.Item leftSection={<IconArrowsShuffle size={16} />} onClick={() => setRouting(t)}>
                              Assignment
                            </Menu.Item>
                            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(t)}>
                              Delete
                            </Menu.Item>
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

      <TeamModal
        key={modal.key}
        opened={modal.opened}
        team={modal.team}
        onClose={() => setModal((m) => ({ ...m, opened: false }))}
      />
      <TeamRoutingModal team={routing} onClose={() => setRouting(null)} />
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete team"
        confirmLabel="Delete team"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/teams/${deleting.id}`);
          await queryClient.invalidateQueries({ queryKey: keys.teams });
          notifications.show({ color: 'teal', message: `Team “${deleting.name}” deleted` });
        }}
      >
        Delete the team “{deleting?.name}”? Its members keep their accounts; only the team goes away.
      </ConfirmModal>
    </Stack>
  );
}

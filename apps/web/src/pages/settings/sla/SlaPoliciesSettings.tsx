import { Badge, Button, EmptyState, Group, List, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconClockExclamation, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../../api/client';
import { useInboxes } from '../../../api/queries';
import { longSpan, slaKeys, useSlaPolicies, type SlaPolicy } from '../../../api/sla';
import { EditDeleteButtons } from '../../../components/EditDeleteButtons';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { AdminOnly } from '../SettingsLayout';
import { SlaPolicyModal } from './SlaPolicyModal';

export function SlaPoliciesSettings() {
  const [editing, setEditing] = useState<{ opened: boolean; policy: SlaPolicy | null; key: number }>({ opened: false, policy: null, key: 0 });
  const open = (policy: SlaPolicy | null) => setEditing((e) => ({ opened: true, policy, key: e.key + 1 }));
  return (
    <Stack gap="lg">
      <PageHeader
        title="SLA policies"
        description="Response and resolution targets your team promises. The first policy that matches a conversation sets its clock; agents see the time left on every conversation."
        actions={
          <AdminOnly fallback={null}>
            <Button leftSection={<IconPlus size={16} />} onClick={() => open(null)}>
              New policy
            </Button>
          </AdminOnly>
        }
      />
      <AdminOnly>
        <PolicyTable onEdit={open} />
        <SlaPolicyModal key={editing.key} opened={editing.opened} policy={editing.policy} onClose={() => setEditing((e) => ({ ...e, opened: false }))} />
      </AdminOnly>
    </Stack>
  );
}

const minutes = (m: number | null) => (m === null ? '—' : longSpan(m * 60_000));

function PolicyTable({ onEdit }: { onEdit: (policy: SlaPolicy | null) => void }) {
  const policies = useSlaPolicies();
  const inboxes = useInboxes();
  if (policies.isPending) return <TableSkeleton columns={4} rows={3} />;
  if (policies.isError) return <ErrorState title="Could not load SLA policies" error={policies.error} onRetry={() => void policies.refetch()} />;
  if (policies.data.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState
          variant="light"
          icon={<IconClockExclamation size={24} />}
          title="No SLA policies yet"
          description="An SLA (service level agreement) is a promise of how fast your team answers: a first reply within an hour, say, and a solution within a day. Rapport times every conversation against it, pauses while you wait on the customer and outside business hours, and warns before a target is missed."
        >
          <List size="sm" c="dimmed" spacing={2} maw={520} mx="auto" mt="xs" ta="left">
            <List.Item>Choose which conversations a policy covers: by priority, inbox, tag or customer company.</List.Item>
            <List.Item>Agents see the time left on each conversation; it turns yellow before a breach and red after.</List.Item>
          </List>
          <EmptyState.Actions>
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => onEdit(null)}>
              Create the first policy
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  }
  const inboxName = (id: string) => inboxes.data?.find((i) => i.id === id)?.name ?? 'Unknown inbox';
  return (
    <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="SLA policies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Policy</Table.Th>
              <Table.Th visibleFrom="sm">Applies to</Table.Th>
              <Table.Th>Targets</Table.Th>
              <Table.Th w={90}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policies.data.map((p) => {
              const conditions = [
                p.priorities.length ? `Priority ${p.priorities.join(' or ')}` : null,
                p.inbox_ids.length ? `Inbox ${p.inbox_ids.map(inboxName).join(' or ')}` : null,
                p.tags.length ? `Tagged ${p.tags.join(' or ')}` : null,
                p.companies.length ? `Company ${p.companies.join(' or ')}` : null,
              ].filter(Boolean);
              return (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" fw={500}>
                        {p.name}
                      </Text>
                      {!p.enabled && (
                        <Badge size="xs" color="gray" variant="light">
                          Off
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {p.business_hours ? 'Business hours' : 'Calendar time'}
                    </Text>
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Text size="sm">{conditions.length ? conditions.join('; ') : 'Every conversation'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">First response: {minutes(p.first_response_minutes)}</Text>
                    <Text size="xs">Next response: {minutes(p.next_response_minutes)}</Text>
                    <Text size="xs">Resolution: {minutes(p.resolution_minutes)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <PolicyActions policy={p} onEdit={() => onEdit(p)} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function PolicyActions({ policy, onEdit }: { policy: SlaPolicy; onEdit: () => void }) {
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const remove = async () => {
    if (!window.confirm(`Delete the SLA policy “${policy.name}”?`)) return;
    setDeleting(true);
    try {
      await api.del(`/sla-policies/${policy.id}`);
      await queryClient.invalidateQueries({ queryKey: slaKeys.policies });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setDeleting(false);
    }
  };
  return <EditDeleteButtons name={policy.name} onEdit={onEdit} onDelete={() => void remove()} deleting={deleting} />;
}

import { Alert, Badge, Button, CloseButton, EmptyState, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconMailForward } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys, useInvitations } from '../../api/queries';
import type { Invitation, Role } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { CopyField } from '../../components/CopyField';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { roleColors, roleLabels, useSession } from '../../lib/session';
import { AdminOnly } from './SettingsLayout';
import { SettingsCard } from './SettingsCard';
import { roleOptions } from './roles';

export function InvitationsSettings() {
  return (
    <Stack gap="lg">
      <PageHeader title="Invitations" description="Invite people by email. They choose their own name and password." />
      <AdminOnly>
        <InviteForm />
        <PendingInvitations />
      </AdminOnly>
    </Stack>
  );
}

function InviteForm() {
  const { role } = useSession();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<Invitation | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', role: 'agent' as Role },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address') },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const inv = await api.post<Invitation>('/invitations', { email: values.email.trim(), role: values.role });
      setCreated(inv);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: keys.invitations });
      notifications.show({ color: 'teal', message: `Invitation created for ${inv.email}` });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <SettingsCard title="Invite a teammate">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label="Email"
              type="email"
              placeholder="teammate@company.com"
              required
              style={{ flex: '1 1 16rem' }}
              {...form.getInputProps('email')}
            />
            <Select
              label="Role"
              data={roleOptions(role)}
              allowDeselect={false}
              w={{ base: '100%', xs: 160 }}
              {...form.getInputProps('role')}
            />
          </Group>
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconMailForward size={16} />} loading={form.submitting}>
              Create invitation
            </Button>
          </Group>
          {created?.url && (
            <Alert
              color="teal"
              variant="light"
              icon={<IconCircleCheck size={18} />}
              title={`Invitation ready for ${created.email}`}
              withCloseButton={false}
            >
              <Stack gap="sm">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text size="sm">Send this link to them. It is only shown now, so copy it before you leave.</Text>
                  <CloseButton aria-label="Dismiss invitation link" onClick={() => setCreated(null)} />
                </Group>
                <CopyField label="Invite link" value={created.url} />
              </Stack>
            </Alert>
          )}
        </Stack>
      </form>
    </SettingsCard>
  );
}

function PendingInvitations() {
  const invitations = useInvitations();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  return (
    <SettingsCard title="Pending invitations">
      {invitations.isPending && <TableSkeleton columns={4} rows={2} />}
      {invitations.isError && <ErrorState title="Could not load invitations" error={invitations.error} onRetry={() => void invitations.refetch()} />}
      {invitations.data?.length === 0 && (
        <EmptyState
          size="sm"
          icon={<IconMailForward size={22} />}
          title="No pending invitations"
          description="Invitations you create appear here until they are accepted or expire."
        />
      )}
      {invitations.data && invitations.data.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Invited by</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th w={90} aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {inv.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={roleColors[inv.role]}>
                      {roleLabels[inv.role]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {inv.invited_by?.name ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" title={fmt.dateTime(inv.expires_at)}>
                      {fmt.relative(inv.expires_at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(inv)} aria-label={`Revoke invitation for ${inv.email}`}>
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke invitation"
        confirmLabel="Revoke"
        onConfirm={async () => {
          if (!revoking) return;
          await api.del(`/invitations/${revoking.id}`);
          await queryClient.invalidateQueries({ queryKey: keys.invitations });
          notifications.show({ color: 'teal', message: `Invitation for ${revoking.email} revoked` });
        }}
      >
        The link sent to {revoking?.email} will stop working.
      </ConfirmModal>
    </SettingsCard>
  );
}

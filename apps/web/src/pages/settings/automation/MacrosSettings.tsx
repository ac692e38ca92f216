import { Alert, Button, Checkbox, EmptyState, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBolt, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { automationKeys, useMacros, type Action, type Macro } from '../../../api/automation';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { EditDeleteButtons } from '../../../components/EditDeleteButtons';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { useSession } from '../../../lib/session';
import { ActionRows } from './ActionRows';
import { actionLabel } from './labels';
import { showFieldErrors } from './RuleForm';
import { SharedBadge } from './SharedBadge';

/** Macros: several actions applied to a conversation at once from its header. */
export function MacrosSettings() {
  const macros = useMacros();
  const { isAdmin } = useSession();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ opened: boolean; item: Macro | null; key: number }>({ opened: false, item: null, key: 0 });
  const [deleting, setDeleting] = useState<Macro | null>(null);
  const open = (item: Macro | null) => setEditing((e) => ({ opened: true, item, key: e.key + 1 }));

  let body;
  if (macros.isPending) body = <TableSkeleton columns={2} rows={3} />;
  else if (macros.isError) body = <ErrorState title="Could not load macros" error={macros.error} onRetry={() => void macros.refetch()} />;
  else if (macros.data.length === 0)
    body = (
      <Paper withBorder p="xl">
        <EmptyState variant="light" icon={<IconBolt size={24} />} title="No macros yet" description="A macro does several things in one click: tag, assign, set the status and reply, for example. Apply one from a conversation’s Macros menu (or press m).">
          <EmptyState.Actions>
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => open(null)}>
              Create the first macro
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  else
    body = (
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Macros">
          <Table.Tbody>
            {macros.data.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={500}>
                      {m.name}
                    </Text>
                    <SharedBadge shared={m.shared} />
                  </Group>
                  <Text size="xs" c="dimmed">
                    {m.actions.map((a) => actionLabel(a.type)).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td w={90}>
                  {(!m.shared || isAdmin) && <EditDeleteButtons name={m.name} onEdit={() => open(m)} onDelete={() => setDeleting(m)} />}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    );

  return (
    <Stack gap="lg">
      <PageHeader
        title="Macros"
        description="Several actions at once, applied to a conversation from its Macros menu. Replies and notes may use variables."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => open(null)}>
            New macro
          </Button>
        }
      />
      {body}
      <MacroModal key={editing.key} opened={editing.opened} item={editing.item} onClose={() => setEditing((e) => ({ ...e, opened: false }))} />
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete macro"
        onConfirm={async () => {
          await api.del(`/macros/${deleting!.id}`);
          await queryClient.invalidateQueries({ queryKey: automationKeys.macros });
          notifications.show({ color: 'teal', message: 'Macro deleted' });
        }}
      >
        Conversations it was applied to keep what it did.
      </ConfirmModal>
    </Stack>
  );
}

function MacroModal({ opened, item, onClose }: { opened: boolean; item: Macro | null; onClose: () => void }) {
  const { isAdmin } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ name: string; shared: boolean; actions: Action[] }>({
    initialValues: { name: item?.name ?? '', shared: item?.shared ?? false, actions: item?.actions ?? [{ type: 'add_tags', tags: [] }] },
    validate: { name: (v) => (v.trim() ? null : 'Give the macro a name') },
  });
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      if (item) await api.patch(`/macros/${item.id}`, { name: v.name.trim(), actions: v.actions });
      else await api.post('/macros', { ...v, name: v.name.trim() });
      await queryClient.invalidateQueries({ queryKey: automationKeys.macros });
      notifications.show({ color: 'teal', message: item ? 'Macro saved' : 'Macro created' });
      onClose();
    } catch (err) {
      setFormError(showFieldErrors(form, err));
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title={item ? 'Edit macro' : 'New macro'} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Name" placeholder="Refund handled" required maxLength={100} data-autofocus {...form.getInputProps('name')} />
          <ActionRows value={form.getValues().actions} onChange={(a) => form.setFieldValue('actions', a)} errors={form.errors} />
          {!item && isAdmin && <Checkbox label="Share with the whole workspace" {...form.getInputProps('shared', { type: 'checkbox' })} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {item ? 'Save macro' : 'Create macro'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Alert, Button, Checkbox, Code, EmptyState, Group, Modal, Paper, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconMessageBolt, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { automationKeys, useCannedResponses, VARIABLES, type CannedResponse } from '../../../api/automation';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { EditDeleteButtons } from '../../../components/EditDeleteButtons';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { useSession } from '../../../lib/session';
import { showFieldErrors } from './RuleForm';
import { SharedBadge } from './SharedBadge';

/** Canned responses: texts typed into the composer with "/" and a shortcut. */
export function CannedResponsesSettings() {
  const canned = useCannedResponses();
  const { isAdmin } = useSession();
  const [editing, setEditing] = useState<{ opened: boolean; item: CannedResponse | null; key: number }>({ opened: false, item: null, key: 0 });
  const [deleting, setDeleting] = useState<CannedResponse | null>(null);
  const queryClient = useQueryClient();
  const open = (item: CannedResponse | null) => setEditing((e) => ({ opened: true, item, key: e.key + 1 }));
  const mayEdit = (c: CannedResponse) => !c.shared || isAdmin;

  let body;
  if (canned.isPending) body = <TableSkeleton columns={3} rows={3} />;
  else if (canned.isError) body = <ErrorState title="Could not load canned responses" error={canned.error} onRetry={() => void canned.refetch()} />;
  else if (canned.data.length === 0)
    body = (
      <Paper withBorder p="xl">
        <EmptyState variant="light" icon={<IconMessageBolt size={24} />} title="No canned responses yet" description="Save the answers you give again and again; in a conversation, type / and the shortcut to insert one, filled in for that customer.">
          <EmptyState.Actions>
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => open(null)}>
              Create the first one
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  else
    body = (
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Canned responses">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={140}>Shortcut</Table.Th>
                <Table.Th>Response</Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {canned.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Code>/{c.shortcut}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" fw={500}>
                        {c.title}
                      </Text>
                      <SharedBadge shared={c.shared} />
                    </Group>
                    <Text size="xs" c="dimmed" lineClamp={2} style={{ whiteSpace: 'pre-wrap' }}>
                      {c.body}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {mayEdit(c) && <EditDeleteButtons name={`/${c.shortcut}`} onEdit={() => open(c)} onDelete={() => setDeleting(c)} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    );

  return (
    <Stack gap="lg">
      <PageHeader
        title="Canned responses"
        description="Answers you give often. In the reply box, type / and a shortcut to insert one; its variables are filled in for the conversation."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => open(null)}>
            New response
          </Button>
        }
      />
      {body}
      <CannedModal key={editing.key} opened={editing.opened} item={editing.item} onClose={() => setEditing((e) => ({ ...e, opened: false }))} />
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete /${deleting?.shortcut ?? ''}?`}
        confirmLabel="Delete"
        onConfirm={async () => {
          await api.del(`/canned-responses/${deleting!.id}`);
          await queryClient.invalidateQueries({ queryKey: automationKeys.canned });
          notifications.show({ color: 'teal', message: 'Canned response deleted' });
        }}
      >
        {deleting?.shared ? 'Nobody in the workspace will be able to insert it any more.' : 'You will no longer be able to insert it.'}
      </ConfirmModal>
    </Stack>
  );
}

function CannedModal({ opened, item, onClose }: { opened: boolean; item: CannedResponse | null; onClose: () => void }) {
  const { isAdmin } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { shortcut: item?.shortcut ?? '', title: item?.title ?? '', body: item?.body ?? '', shared: item?.shared ?? false },
    validate: {
      shortcut: (v) => (/^[A-Za-z0-9_-]{1,40}$/.test(v) ? null : 'Letters, digits, - and _ only, such as refund-policy'),
      title: (v) => (v.trim() ? null : 'Give it a title'),
      body: (v) => (v.trim() ? null : 'Write the response'),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      if (item) await api.patch(`/canned-responses/${item.id}`, { shortcut: v.shortcut, title: v.title, body: v.body });
      else await api.post('/canned-responses', v);
      await queryClient.invalidateQueries({ queryKey: automationKeys.canned });
      notifications.show({ color: 'teal', message: item ? 'Canned response saved' : 'Canned response created' });
      onClose();
    } catch (err) {
      setFormError(showFieldErrors(form, err));
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title={item ? 'Edit canned response' : 'New canned response'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <Group grow align="flex-start">
            <TextInput label="Shortcut" description="Typed after /" leftSection="/" required maxLength={40} data-autofocus {...form.getInputProps('shortcut')} />
            <TextInput label="Title" description="Shown in the picker" required maxLength={100} {...form.getInputProps('title')} />
          </Group>
          <Textarea label="Response" description={`Variables: ${VARIABLES.map((v) => `{{${v.name}}}`).join(', ')}`} required autosize minRows={4} maxLength={5000} {...form.getInputProps('body')} />
          {!item && isAdmin && <Checkbox label="Share with the whole workspace" {...form.getInputProps('shared', { type: 'checkbox' })} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {item ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api } from '../api/client';
import type { Workspace } from '../api/types';
import { applyServerErrors } from '../lib/forms';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: () => Promise<void>;
}

export function CreateWorkspaceModal({ opened, onClose, onCreated }: Props) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim() ? null : 'Give the workspace a name') },
  });

  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const submit = form.onSubmit(async ({ name }) => {
    setFormError(null);
    try {
      const ws = await api.post<Workspace>('/workspaces', { name: name.trim() });
      close();
      await onCreated();
      notifications.show({ color: 'teal', title: 'Workspace created', message: `You are now in ${ws.name}.` });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="Create workspace">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Workspace name"
            description="Usually your company or team name. You will be its owner."
            placeholder="Acme Support"
            required
            data-autofocus
            {...form.getInputProps('name')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create workspace
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

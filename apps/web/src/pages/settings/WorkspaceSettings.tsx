import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { Workspace } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { PageHeader } from '../../components/PageHeader';
import { applyServerErrors } from '../../lib/forms';
import { useSession } from '../../lib/session';
import { AdminOnly } from './SettingsLayout';
import { SettingsCard } from './SettingsCard';

export function WorkspaceSettings() {
  return (
    <Stack gap="lg">
      <PageHeader title="Workspace" description="Settings that apply to everyone in this workspace." />
      <AdminOnly>
        <WorkspaceForm />
      </AdminOnly>
    </Stack>
  );
}

function WorkspaceForm() {
  const { workspace } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: workspace.name },
    validate: { name: (v) => (v.trim() ? null : 'Enter a workspace name') },
  });

  const submit = form.onSubmit(async ({ name }) => {
    setFormError(null);
    try {
      await api.patch<Workspace>('/workspace', { name: name.trim() });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      form.resetDirty();
      notifications.show({ color: 'teal', message: 'Workspace saved' });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <SettingsCard title="General">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Workspace name"
            description="Shown to your teammates and in emails to customers."
            required
            {...form.getInputProps('name')}
          />
          <CopyField label="Workspace ID" value={workspace.id} description="Useful when talking to the API." />
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
              Save workspace
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsCard>
  );
}

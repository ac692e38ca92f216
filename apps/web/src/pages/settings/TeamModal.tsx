import { Alert, Button, Group, Modal, MultiSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys, useUsers } from '../../api/queries';
import type { Team } from '../../api/types';
import { applyServerErrors } from '../../lib/forms';

interface Props {
  opened: boolean;
  team: Team | null;
  onClose: () => void;
}

/** Create a team (team = null) or edit one. */
export function TeamModal({ opened, team, onClose }: Props) {
  const queryClient = useQueryClient();
  const users = useUsers();
  const [formError, setFormError] = useState<string | null>(null);
  // The parent remounts this modal (new key) each time it opens, so initial values are fresh.
  const form = useForm({
    initialValues: { name: team?.name ?? '', description: team?.description ?? '', member_ids: team?.member_ids ?? [] },
    validate: { name: (v) => (v.trim() ? null : 'Give the team a name') },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const body = { name: values.name.trim(), description: values.description.trim(), member_ids: values.member_ids };
    try {
      if (team) await api.patch<Team>(`/teams/${team.id}`, body);
      else await api.post<Team>('/teams', body);
      await queryClient.invalidateQueries({ queryKey: keys.teams });
      onClose();
      notifications.show({ color: 'teal', message: team ? 'Team saved' : `Team “${body.name}” created` });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={team ? 'Edit team' : 'New team'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Name" placeholder="Billing" required data-autofocus {...form.getInputProps('name')} />
          <Textarea
            label="Description"
            placeholder="What this team handles"
            autosize
            minRows={2}
            maxRows={5}
            {...form.getInputProps('description')}
          />
          <MultiSelect
            label="Members"
            placeholder={form.values.member_ids.length ? undefined : 'Pick teammates'}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            searchable
            clearable
            nothingFoundMessage={users.isPending ? 'Loading…' : 'No matching teammates'}
            error={users.isError ? 'Could not load teammates' : form.errors.member_ids}
            {...form.getInputProps('member_ids')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {team ? 'Save team' : 'Create team'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

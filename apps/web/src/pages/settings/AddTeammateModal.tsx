import { Alert, Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { Member, Role } from '../../api/types';
import { applyServerErrors } from '../../lib/forms';
import { useSession } from '../../lib/session';
import { passwordRule } from '../auth/ResetPasswordPage';
import { roleDescriptions, roleOptions } from './roles';

export function AddTeammateModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { role } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', email: '', password: '', role: 'agent' as Role },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      password: passwordRule,
    },
  });

  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const member = await api.post<Member>('/users', { ...values, name: values.name.trim(), email: values.email.trim() });
      await queryClient.invalidateQueries({ queryKey: keys.users });
      close();
      notifications.show({ color: 'teal', title: 'Teammate added', message: `${member.name} can now sign in.` });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="Add teammate">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Name" required data-autofocus autoComplete="off" {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" required autoComplete="off" {...form.getInputProps('email')} />
          <PasswordInput
            label="Password"
            description="Share it with them securely; they can change it in their profile."
            required
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <Select
            label="Role"
            data={roleOptions(role)}
            allowDeselect={false}
            description={roleDescriptions[form.values.role]}
            {...form.getInputProps('role')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Add teammate
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

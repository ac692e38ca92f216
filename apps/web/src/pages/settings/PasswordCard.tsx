import { Alert, Button, Group, PasswordInput, SimpleGrid, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api } from '../../api/client';
import { applyServerErrors } from '../../lib/forms';
import { passwordRule } from '../auth/ResetPasswordPage';
import { SettingsCard } from './SettingsCard';

export function PasswordCard() {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { current_password: '', new_password: '' },
    validate: {
      current_password: (v) => (v ? null : 'Enter your current password'),
      new_password: passwordRule,
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await api.post('/me/password', values);
      form.reset();
      notifications.show({ color: 'teal', title: 'Password changed', message: 'Use your new password next time you sign in.' });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <SettingsCard title="Change password" description="Choose a password at least 8 characters long.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              {...form.getInputProps('current_password')}
            />
            <PasswordInput
              label="New password"
              autoComplete="new-password"
              required
              {...form.getInputProps('new_password')}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" variant="default" loading={form.submitting}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsCard>
  );
}

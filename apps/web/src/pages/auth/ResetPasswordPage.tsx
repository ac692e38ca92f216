import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { applyServerErrors } from '../../lib/forms';

export const MIN_PASSWORD = 8;

export function passwordRule(v: string): string | null {
  return v.length >= MIN_PASSWORD ? null : `Use at least ${MIN_PASSWORD} characters`;
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '' }, validate: { password: passwordRule } });

  const submit = form.onSubmit(async ({ password }) => {
    setFormError(null);
    try {
      await api.post('/auth/password-reset/confirm', { token, password });
      notifications.show({ color: 'teal', title: 'Password updated', message: 'Sign in with your new password.' });
      await navigate('/login', { replace: true });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="Pick a strong password you do not use anywhere else."
      footer={
        <Anchor component={Link} to="/login" size="sm">
          Back to sign in
        </Anchor>
      }
    >
      {!token ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="This link is incomplete">
          The reset link is missing its token. Open the link from your email again, or{' '}
          <Anchor component={Link} to="/forgot-password" inherit>
            request a new one
          </Anchor>
          .
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
                {formError}
              </Alert>
            )}
            <PasswordInput
              label="New password"
              description={`At least ${MIN_PASSWORD} characters`}
              autoComplete="new-password"
              required
              autoFocus
              {...form.getInputProps('password')}
            />
            <Button type="submit" fullWidth loading={form.submitting}>
              Set password
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}

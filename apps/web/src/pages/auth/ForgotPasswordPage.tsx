import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconMailCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { applyServerErrors } from '../../lib/forms';

export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : 'Enter your email address') },
  });

  const submit = form.onSubmit(async ({ email }) => {
    setFormError(null);
    try {
      await api.post('/auth/password-reset', { email: email.trim() });
      setSentTo(email.trim());
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the email you sign in with and we will send you a link to choose a new password."
      footer={
        <Anchor component={Link} to="/login" size="sm">
          Back to sign in
        </Anchor>
      }
    >
      {sentTo ? (
        <Stack gap="md" role="status">
          <Alert color="teal" variant="light" icon={<IconMailCheck size={18} />} title="Check your email">
            If an account exists for <strong>{sentTo}</strong>, a password reset link is on its way. The link expires
            soon, so use it promptly.
          </Alert>
          <Text size="sm" c="dimmed">
            Did not get it? Check your spam folder, or ask a workspace admin to send you a reset link.
          </Text>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
                {formError}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              placeholder="you@company.com"
              required
              autoFocus
              {...form.getInputProps('email')}
            />
            <Button type="submit" fullWidth loading={form.submitting}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}

import { Alert, Anchor, Badge, Button, Group, PasswordInput, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { keys } from '../../api/queries';
import type { InvitationLookup, LoginResponse } from '../../api/types';
import { AuthLayout } from '../../components/AuthLayout';
import { ErrorState } from '../../components/QueryStates';
import { applyServerErrors } from '../../lib/forms';
import { roleLabels } from '../../lib/session';
import { passwordRule } from './ResetPasswordPage';

export function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const lookup = useQuery({
    queryKey: ['invitation-lookup', token],
    queryFn: () => api.get<InvitationLookup>(`/invitations/lookup/${encodeURIComponent(token)}`),
    retry: false,
  });
  const [needsCode, setNeedsCode] = useState(false);
  const form = useForm({
    initialValues: { name: '', password: '', totp_code: '' },
    validate: { name: (v) => (v.trim() ? null : 'Enter your name'), password: passwordRule },
  });

  const submit = form.onSubmit(async ({ name, password, totp_code }) => {
    setFormError(null);
    const code = totp_code.replace(/\s/g, '');
    try {
      const me = await api.post<LoginResponse>('/auth/accept-invitation', {
        token,
        name: name.trim(),
        password,
        ...(needsCode && code ? { totp_code: code } : {}),
      });
      queryClient.clear();
      queryClient.setQueryData(keys.me, me);
      await navigate('/inbox', { replace: true });
    } catch (err) {
      // An existing Rapport account joins with its current password (and code, with two-factor on).
      if (err instanceof ApiError && err.code === 'two_factor_required') return setNeedsCode(true);
      if (err instanceof ApiError && err.code === 'invalid_two_factor_code') return form.setFieldError('totp_code', err.message);
      if (err instanceof ApiError && err.code === 'invalid_credentials') return form.setFieldError('password', err.message);
      setFormError(applyServerErrors(form, err));
    }
  });

  const invite = lookup.data;
  return (
    <AuthLayout
      title={invite ? `Join ${invite.workspace.name}` : 'Join your team'}
      subtitle={invite ? 'You have been invited to collaborate on Rapport.' : undefined}
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/login" size="sm">
            Sign in
          </Anchor>
        </>
      }
    >
      {lookup.isPending && (
        <Stack gap="md" aria-busy="true" aria-label="Loading invitation">
          <Skeleton height={48} />
          <Skeleton height={36} />
          <Skeleton height={36} />
        </Stack>
      )}
      {lookup.isError && (
        <ErrorState title="This invitation cannot be used" error={lookup.error} />
      )}
      {invite && (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  Workspace
                </Text>
                <Text fw={600} truncate>
                  {invite.workspace.name}
                </Text>
                <Text size="sm" c="dimmed" truncate>
                  {invite.email}
                </Text>
              </Stack>
              <Badge variant="light">{roleLabels[invite.role]}</Badge>
            </Group>
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
                {formError}
              </Alert>
            )}
            <TextInput label="Name" autoComplete="name" required autoFocus {...form.getInputProps('name')} />
            <PasswordInput
              label="Password"
              description="At least 8 characters. Already on Rapport? Use your current password."
              autoComplete="new-password"
              required
              {...form.getInputProps('password')}
            />
            {needsCode && (
              <TextInput
                label="Authentication code"
                description="Your account has two-factor authentication on."
                inputMode="numeric"
                autoComplete="one-time-code"
                placeholder="123456"
                {...form.getInputProps('totp_code')}
              />
            )}
            <Button type="submit" fullWidth loading={form.submitting}>
              Join workspace
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}

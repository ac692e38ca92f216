import { Alert, Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconShieldLock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { keys } from '../../api/queries';
import type { LoginResponse } from '../../api/types';
import { AuthLayout } from '../../components/AuthLayout';
import { applyServerErrors } from '../../lib/forms';

const messages: Record<string, string> = {
  invalid_credentials: 'Email or password is incorrect',
  invalid_two_factor_code: 'That code is not valid. Check your authenticator app and try again.',
};

/** Only allow redirects back into the app (never to another origin). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/inbox';
}

export function LoginPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [needsCode, setNeedsCode] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm({
    initialValues: { email: '', password: '', totp_code: '' },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : 'Enter your email address'),
      password: (v) => (v ? null : 'Enter your password'),
      totp_code: (v) => (v && !/^\d{6}$/.test(v.replace(/\s/g, '')) ? 'Enter the 6-digit code' : null),
    },
  });

  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (needsCode) codeRef.current?.focus();
  }, [needsCode]);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    if (needsCode && !values.totp_code.trim()) {
      form.setFieldError('totp_code', 'Enter the 6-digit code');
      return;
    }
    try {
      const me = await api.post<LoginResponse>('/auth/login', {
        email: values.email.trim(),
        password: values.password,
        ...(needsCode ? { totp_code: values.totp_code.replace(/\s/g, '') } : {}),
      });
      queryClient.clear();
      queryClient.setQueryData(keys.me, me);
      await navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'two_factor_required') {
        setNeedsCode(true);
        return;
      }
      if (err instanceof ApiError && err.code === 'invalid_two_factor_code') {
        form.setFieldError('totp_code', messages.invalid_two_factor_code);
        return;
      }
      const known = err instanceof ApiError ? messages[err.code] : undefined;
      setFormError(known ?? applyServerErrors(form, err));
    }
  });

  return (
    <AuthLayout
      title="Sign in to Rapport"
      subtitle="Welcome back. Sign in to your workspace."
    >
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
            autoComplete="username"
            placeholder="you@company.com"
            required
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          {needsCode && (
            <>
              <Alert color="indigo" variant="light" icon={<IconShieldLock size={18} />}>
                Two-factor authentication is on for this account. Enter the code from your authenticator app.
              </Alert>
              <TextInput
                label="Authentication code"
                inputMode="numeric"
                autoComplete="one-time-code"
                placeholder="123456"
                required
                ref={codeRef}
                {...form.getInputProps('totp_code')}
              />
            </>
          )}
          <Group justify="flex-end">
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot password?
            </Anchor>
          </Group>
          <Button type="submit" fullWidth loading={form.submitting}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}

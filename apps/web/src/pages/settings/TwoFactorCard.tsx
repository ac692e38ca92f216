import { Alert, Badge, Button, Flex, Group, Image, Paper, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import { keys } from '../../api/queries';
import type { TwoFactorSetup } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { applyServerErrors } from '../../lib/forms';
import { useSession } from '../../lib/session';
import { SettingsCard } from './SettingsCard';

export function TwoFactorCard() {
  const { user } = useSession();
  return (
    <SettingsCard
      title="Two-factor authentication"
      description="Protect your account with a one-time code from an authenticator app when you sign in."
    >
      {user.two_factor_enabled ? <DisableTwoFactor /> : <EnableTwoFactor />}
    </SettingsCard>
  );
}

function EnableTwoFactor() {
  const queryClient = useQueryClient();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [starting, setStarting] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6}$/.test(v.replace(/\s/g, '')) ? null : 'Enter the 6-digit code') },
  });

  const start = async () => {
    setStarting(true);
    setFormError(null);
    try {
      setSetup(await api.post<TwoFactorSetup>('/me/two-factor/setup'));
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  };

  const submit = form.onSubmit(async ({ code }) => {
    setFormError(null);
    try {
      await api.post('/me/two-factor/enable', { code: code.replace(/\s/g, '') });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      notifications.show({ color: 'teal', title: 'Two-factor authentication is on', message: 'You will be asked for a code when you sign in.' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_two_factor_code') {
        form.setFieldError('code', 'That code is not valid. Try the newest code from your app.');
        return;
      }
      setFormError(applyServerErrors(form, err));
    }
  });

  if (!setup) {
    return (
      <Stack gap="md">
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <Group justify="space-between" wrap="wrap" gap="md">
          <Group gap="sm" wrap="nowrap">
            <Badge color="gray" variant="light" leftSection={<IconShieldOff size={12} />}>
              Off
            </Badge>
            <Text size="sm" c="dimmed">
              Two-factor authentication is not set up.
            </Text>
          </Group>
          <Button variant="light" onClick={() => void start()} loading={starting}>
            Set up two-factor authentication
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <Flex direction={{ base: 'column', sm: 'row' }} gap="lg" align={{ base: 'center', sm: 'flex-start' }}>
          <Paper withBorder p="sm" bg="white" w={184} h={184} style={{ flexShrink: 0 }}>
            <Image
              src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.qr_svg)}`}
              alt="Two-factor QR code"
              w="100%"
              h="100%"
              fit="contain"
            />
          </Paper>
          <Stack gap="sm" style={{ flex: 1, minWidth: 0 }} w="100%">
            <Text size="sm">
              <strong>1.</strong> Scan the QR code with an authenticator app (1Password, Google Authenticator, Authy…),
              or enter the secret key by hand.
            </Text>
            <CopyField label="Secret key" value={setup.secret} />
            <Text size="sm" mt="xs">
              <strong>2.</strong> Enter the 6-digit code the app shows.
            </Text>
            <TextInput
              label="Authentication code"
              inputMode="numeric"
              autoComplete="one-time-code"
              placeholder="123456"
              maw={240}
              required
              {...form.getInputProps('code')}
            />
          </Stack>
        </Flex>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => setSetup(null)}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Enable
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DisableTwoFactor() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (v) => (v ? null : 'Enter your password to confirm') },
  });

  const submit = form.onSubmit(async ({ password }) => {
    setFormError(null);
    try {
      await api.post('/me/two-factor/disable', { password });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      notifications.show({ color: 'teal', message: 'Two-factor authentication is off' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'wrong_password') {
        form.setFieldError('password', 'Password is incorrect');
        return;
      }
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap">
          <Badge color="teal" variant="light" leftSection={<IconShieldCheck size={12} />}>
            On
          </Badge>
          <Text size="sm" c="dimmed">
            Your account asks for a code from your authenticator app when you sign in.
          </Text>
        </Group>
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <Group align="flex-end" gap="sm" wrap="wrap">
          <PasswordInput
            label="Password"
            description="Confirm with your password to turn two-factor authentication off."
            autoComplete="current-password"
            style={{ flex: '1 1 16rem' }}
            {...form.getInputProps('password')}
          />
          <Button type="submit" color="red" variant="light" loading={form.submitting}>
            Disable two-factor
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

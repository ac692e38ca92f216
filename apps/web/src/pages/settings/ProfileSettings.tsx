import { Alert, Avatar, Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { User } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { applyServerErrors } from '../../lib/forms';
import { useSession } from '../../lib/session';
import { NotificationPreferencesCard } from './NotificationPreferencesCard';
import { PasswordCard } from './PasswordCard';
import { SettingsCard } from './SettingsCard';
import { TwoFactorCard } from './TwoFactorCard';

export const languages = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'fr', label: 'Français' },
  { value: 'es', label: 'Español' },
  { value: 'nl', label: 'Nederlands' },
  { value: 'pt', label: 'Português' },
];

function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  for (const extra of ['UTC', current]) if (extra && !zones.includes(extra)) zones = [extra, ...zones];
  return zones;
}

export function ProfileSettings() {
  return (
    <Stack gap="lg">
      <PageHeader title="Profile" description="How you appear to your teammates, and how you sign in." />
      <ProfileCard />
      <NotificationPreferencesCard />
      <PasswordCard />
      <TwoFactorCard />
    </Stack>
  );
}

function ProfileCard() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const zones = useMemo(() => timeZones(user.time_zone), [user.time_zone]);
  const form = useForm({
    initialValues: {
      name: user.name,
      avatar_url: user.avatar_url ?? '',
      time_zone: user.time_zone || 'UTC',
      language: user.language || 'en',
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter your name'),
      avatar_url: (v) => (!v.trim() || /^https?:\/\/\S+$/i.test(v.trim()) ? null : 'Use a full http(s) URL'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const res = await api.patch<{ user: User }>('/me', {
        name: values.name.trim(),
        avatar_url: values.avatar_url.trim() || null,
        time_zone: values.time_zone,
        language: values.language,
      });
      queryClient.setQueryData(keys.me, (old: unknown) =>
        old && typeof old === 'object' ? { ...old, user: res.user } : old,
      );
      form.resetDirty();
      notifications.show({ color: 'teal', message: 'Profile saved' });
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  const avatarPreview = form.values.avatar_url.trim();
  return (
    <SettingsCard title="Personal details">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <Group gap="md" align="flex-end" wrap="nowrap">
            <Avatar src={avatarPreview || null} name={form.values.name} color="initials" size={54} radius="xl" alt="" />
            <TextInput label="Name" autoComplete="name" required style={{ flex: 1 }} {...form.getInputProps('name')} />
          </Group>
          <TextInput
            label="Avatar URL"
            placeholder="https://…"
            description="A link to a square image. Leave empty to use your initials."
            type="url"
            {...form.getInputProps('avatar_url')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Time zone"
              data={zones}
              searchable
              allowDeselect={false}
              nothingFoundMessage="No matching time zone"
              limit={100}
              {...form.getInputProps('time_zone')}
            />
            <Select label="Language" data={languages} allowDeselect={false} {...form.getInputProps('language')} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
              Save profile
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsCard>
  );
}

import { Alert, Anchor, Button, ColorInput, Group, Stack, Switch, TagsInput, TextInput, Select } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconExternalLink } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage, isApiError } from '../../../api/client';
import { helpCenterKeys, useHelpCenter, type HelpCenter } from '../../../api/help-center';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, FormSkeleton } from '../../../components/QueryStates';
import { AdminOnly } from '../SettingsLayout';
import { SettingsCard } from '../SettingsCard';
import { SearchGapsCard } from './SearchGapsCard';
import { SynonymsCard } from './SynonymsCard';

export function HelpCenterSettings() {
  return (
    <Stack gap="lg">
      <PageHeader
        title="Help center"
        description="Your public help center: its address, languages and look, the words customers use for your topics, and what they searched for without finding an article."
      />
      <AdminOnly>
        <SettingsPanel />
        <SynonymsCard />
        <SearchGapsCard />
      </AdminOnly>
    </Stack>
  );
}

function SettingsPanel() {
  const settings = useHelpCenter();
  if (settings.isPending) return <FormSkeleton fields={6} />;
  if (settings.isError) return <ErrorState title="Could not load the help center settings" error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SettingsForm key={settings.data.updated_at} settings={settings.data} />;
}

const COLOUR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

function SettingsForm({ settings }: { settings: HelpCenter }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      name: settings.name,
      slug: settings.slug,
      enabled: settings.enabled,
      custom_domain: settings.custom_domain ?? '',
      locales: settings.locales,
      default_locale: settings.default_locale,
      primary_color: settings.theme.primary_color,
      header_background: settings.theme.header_background,
      logo_url: settings.theme.logo_url ?? '',
      contact_url: settings.theme.contact_url ?? '',
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
      slug: (v) => (/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(v) ? null : 'Lower-case letters, digits and dashes, up to 40'),
      locales: (v) => (v.length === 0 ? 'Add at least one language' : v.every((l) => LOCALE.test(l)) ? null : 'Use language codes such as en, de or pt-BR'),
      default_locale: (v, values) => (values.locales.includes(v) ? null : 'Choose one of the languages above'),
      primary_color: (v) => (COLOUR.test(v) ? null : 'A colour such as #4f46e5'),
      header_background: (v) => (COLOUR.test(v) ? null : 'A colour such as #1e1b4b'),
      logo_url: (v) => (!v || v.startsWith('https://') ? null : 'An https:// address'),
      contact_url: (v) => (!v || v.startsWith('https://') || v.startsWith('mailto:') ? null : 'An https:// address or a mailto: link'),
    },
  });

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      await api.patch<HelpCenter>('/help-center', {
        name: v.name.trim(),
        slug: v.slug,
        enabled: v.enabled,
        custom_domain: v.custom_domain.trim().toLowerCase() || null,
        locales: v.locales,
        default_locale: v.default_locale,
        theme: { primary_color: v.primary_color, header_background: v.header_background, logo_url: v.logo_url.trim() || null, contact_url: v.contact_url.trim() || null },
      });
      await queryClient.invalidateQueries({ queryKey: helpCenterKeys.settings });
      notifications.show({ color: 'teal', message: 'Help center saved' });
    } catch (err) {
      // Field problems come back by name (theme.logo_url, default_locale, slug…).
      if (isApiError(err) && err.details && typeof err.details === 'object' && !Array.isArray(err.details)) {
        for (const [field, message] of Object.entries(err.details as Record<string, string>)) form.setFieldError(field.replace(/^theme\./, ''), message === 'taken' ? 'Another help center already uses this' : message);
      }
      setFormError(errorMessage(err));
    }
  });

  return (
    <SettingsCard
      title="Address, languages and look"
      description={
        <>
          Readers find it at{' '}
          <Anchor href={settings.url} target="_blank" rel="noreferrer">
            {settings.url} <IconExternalLink size={12} aria-hidden />
          </Anchor>
          . Only published public articles appear there.
        </>
      }
    >
      <form onSubmit={submit} noValidate aria-label="Help center settings">
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <Switch label="Help center is public" description="When off, its pages answer “not found”." {...form.getInputProps('enabled', { type: 'checkbox' })} />
          <TextInput label="Name" description="Shown in the header and in page titles." required {...form.getInputProps('name')} />
          <TextInput label="Address" description="The part after /help/ in its address." leftSection="/help/" leftSectionWidth={56} required {...form.getInputProps('slug')} />
          <TextInput
            label="Custom domain"
            description="A host name of your own, such as help.yourcompany.com; point its DNS at this server. Leave empty to use the address above."
            placeholder="help.yourcompany.com"
            {...form.getInputProps('custom_domain')}
          />
          <TagsInput label="Languages" description="Language codes; press Enter after each." placeholder="en, de, fr…" {...form.getInputProps('locales')} />
          <Select label="Default language" data={form.values.locales} allowDeselect={false} {...form.getInputProps('default_locale')} />
          <Group grow align="flex-start">
            <ColorInput label="Brand colour" description="Buttons and links." format="hex" {...form.getInputProps('primary_color')} />
            <ColorInput label="Header colour" description="Text on it turns light or dark to stay readable." format="hex" {...form.getInputProps('header_background')} />
          </Group>
          <TextInput label="Logo" description="An https:// address of your logo (about 32 pixels high)." placeholder="https://…" {...form.getInputProps('logo_url')} />
          <TextInput label="Contact link" description="Where “contact us” points when a search finds nothing: an https:// page or a mailto: link." placeholder="mailto:support@yourcompany.com" {...form.getInputProps('contact_url')} />
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
              Save help center
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsCard>
  );
}

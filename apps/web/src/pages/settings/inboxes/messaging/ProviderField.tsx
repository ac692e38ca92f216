import { PasswordInput, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ChannelField } from '../../../../api/types';
import type { ChannelInboxValues } from './channelForm';

interface Props {
  field: ChannelField;
  form: UseFormReturnType<ChannelInboxValues>;
  /** A secret the inbox already stores: a blank input keeps it. */
  stored: boolean;
}

/** One of the provider's settings, as its setup form describes it: a secret is typed unseen and never shown again. */
export function ProviderField({ field, form, stored }: Props) {
  const common = {
    label: field.label,
    description: stored ? `${field.help} Stored; leave blank to keep it.` : field.help,
    withAsterisk: !field.optional && !stored,
    autoComplete: 'off',
    spellCheck: false,
    maxLength: 2000,
    ...form.getInputProps(`settings.${field.name}`),
  };
  if (field.secret) {
    // Mantine's password input marks an error only with data-invalid: screen readers need aria-invalid too.
    return <PasswordInput {...common} aria-invalid={Boolean(common.error) || undefined} placeholder={stored ? '•••••••• stored' : (field.placeholder ?? undefined)} autoComplete="new-password" />;
  }
  return <TextInput {...common} placeholder={field.placeholder ?? undefined} />;
}

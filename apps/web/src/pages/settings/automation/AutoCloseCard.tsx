import { Alert, Button, Group, NumberInput, Select, Switch, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { automationKeys, useAutoClose, VARIABLES, type AutoClose } from '../../../api/automation';
import { ErrorState, FormSkeleton } from '../../../components/QueryStates';
import { SettingsCard } from '../SettingsCard';
import { showFieldErrors } from './RuleForm';

const UNITS = [
  { value: '60', label: 'hours' },
  { value: '1440', label: 'days' },
];

/** Auto-close: resolve conversations left pending this long, with a message to the customer. */
export function AutoCloseCard() {
  const setting = useAutoClose();
  return (
    <SettingsCard title="Auto-close" description="Conversations waiting on the customer (pending) for longer than this are resolved, and the customer gets your message once.">
      {setting.isPending ? <FormSkeleton fields={2} /> : setting.isError ? <ErrorState title="Could not load auto-close" error={setting.error} onRetry={() => void setting.refetch()} /> : <AutoCloseForm key={JSON.stringify(setting.data)} setting={setting.data} />}
    </SettingsCard>
  );
}

function AutoCloseForm({ setting }: { setting: AutoClose }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const unit = setting.after_minutes % 1440 === 0 ? 1440 : 60;
  const form = useForm({ initialValues: { enabled: setting.enabled, amount: Math.max(1, Math.round(setting.after_minutes / unit)), unit: String(unit), message: setting.message } });
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const saved = await api.put<AutoClose>('/automation/auto-close', { enabled: v.enabled, after_minutes: v.amount * Number(v.unit), message: v.message });
      queryClient.setQueryData(automationKeys.autoClose, saved);
      notifications.show({ color: 'teal', message: 'Auto-close saved' });
    } catch (err) {
      setFormError(showFieldErrors(form, err));
      const field = form.errors.after_minutes;
      if (field) form.setFieldError('amount', field);
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Auto-close">
      {formError && (
        <Alert color="red" variant="light" role="alert" mb="md">
          {formError}
        </Alert>
      )}
      <Switch label="Close pending conversations automatically" {...form.getInputProps('enabled', { type: 'checkbox' })} mb="md" />
      <Group align="flex-start" gap="sm" mb="md">
        <NumberInput label="After" min={1} max={2160} w={110} {...form.getInputProps('amount')} disabled={!form.getValues().enabled} />
        <Select label="Unit" aria-label="Unit of time" data={UNITS} allowDeselect={false} w={120} {...form.getInputProps('unit')} disabled={!form.getValues().enabled} />
      </Group>
      <Textarea
        label="Message to the customer"
        description={`Optional. Variables: ${VARIABLES.map((v) => `{{${v.name}}}`).join(', ')}`}
        placeholder="We haven't heard back, so we're closing this for now, {{contact.first_name}}. Just reply to open it again."
        autosize
        minRows={2}
        maxLength={5000}
        disabled={!form.getValues().enabled}
        {...form.getInputProps('message')}
      />
      <Group justify="flex-end" mt="md">
        <Button type="submit" loading={form.submitting}>
          Save auto-close
        </Button>
      </Group>
    </form>
  );
}

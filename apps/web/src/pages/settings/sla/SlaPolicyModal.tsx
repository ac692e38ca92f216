import { Alert, Button, Group, Modal, MultiSelect, NumberInput, SegmentedControl, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { useInboxes } from '../../../api/queries';
import { slaKeys, type SlaPolicy, type SlaPolicyInput } from '../../../api/sla';
import { applyServerErrors } from '../../../lib/forms';

const priorities = [
  { value: 'urgent', label: 'Urgent' },
  { value: 'high', label: 'High' },
  { value: 'normal', label: 'Normal' },
  { value: 'low', label: 'Low' },
];

interface Values {
  name: string;
  enabled: boolean;
  priorities: string[];
  inbox_ids: string[];
  tags: string[];
  companies: string[];
  first_response_minutes: number | string;
  next_response_minutes: number | string;
  resolution_minutes: number | string;
  warn_by: 'percent' | 'minutes' | 'none';
  warning_percent: number | string;
  warning_minutes: number | string;
  business_hours: boolean;
}

const minutesOrNull = (v: number | string) => (v === '' || v === null ? null : Number(v));

/** Create (policy = null) or edit an SLA policy: when it applies, its targets, and when to warn. */
export function SlaPolicyModal({ opened, policy, onClose }: { opened: boolean; policy: SlaPolicy | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const inboxes = useInboxes();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: {
      name: policy?.name ?? '',
      enabled: policy?.enabled ?? true,
      priorities: policy?.priorities ?? [],
      inbox_ids: policy?.inbox_ids ?? [],
      tags: policy?.tags ?? [],
      companies: policy?.companies ?? [],
      first_response_minutes: policy ? (policy.first_response_minutes ?? '') : 60,
      next_response_minutes: policy?.next_response_minutes ?? '',
      resolution_minutes: policy ? (policy.resolution_minutes ?? '') : 480,
      warn_by: policy ? (policy.warning_minutes !== null ? 'minutes' : policy.warning_percent !== null ? 'percent' : 'none') : 'percent',
      warning_percent: policy?.warning_percent ?? 80,
      warning_minutes: policy?.warning_minutes ?? 10,
      business_hours: policy?.business_hours ?? true,
    },
    validate: { name: (v) => (v.trim() ? null : 'Name the policy') },
  });

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const body: SlaPolicyInput = {
      name: v.name.trim(),
      enabled: v.enabled,
      priorities: v.priorities,
      inbox_ids: v.inbox_ids,
      tags: v.tags,
      companies: v.companies,
      first_response_minutes: minutesOrNull(v.first_response_minutes),
      next_response_minutes: minutesOrNull(v.next_response_minutes),
      resolution_minutes: minutesOrNull(v.resolution_minutes),
      warning_percent: v.warn_by === 'percent' ? minutesOrNull(v.warning_percent) : null,
      warning_minutes: v.warn_by === 'minutes' ? minutesOrNull(v.warning_minutes) : null,
      business_hours: v.business_hours,
    };
    try {
      if (policy) await api.patch(`/sla-policies/${policy.id}`, body);
      else await api.post('/sla-policies', body);
      await queryClient.invalidateQueries({ queryKey: slaKeys.policies });
      notifications.show({ color: 'teal', message: policy ? 'SLA policy saved' : 'SLA policy created' });
      onClose();
    } catch (err) {
      setFormError(applyServerErrors(form, err, { 'priorities.0': 'priorities', 'inbox_ids.0': 'inbox_ids' }));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={policy ? 'Edit SLA policy' : 'New SLA policy'} size="lg">
      <form onSubmit={submit} noValidate aria-label="SLA policy">
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Name" placeholder="Urgent customers" required data-autofocus maxLength={100} {...form.getInputProps('name')} />
          <Switch label="Enabled" {...form.getInputProps('enabled', { type: 'checkbox' })} />
          <Text size="sm" fw={600}>
            Applies to conversations with
          </Text>
          <Text size="xs" c="dimmed" mt={-12}>
            Leave a condition empty to match every conversation; all the conditions you set must hold.
          </Text>
          <MultiSelect label="Priority" placeholder="Any priority" data={priorities} clearable {...form.getInputProps('priorities')} />
          <MultiSelect label="Inbox" placeholder="Any inbox" data={(inboxes.data ?? []).map((i) => ({ value: i.id, label: i.name }))} searchable clearable {...form.getInputProps('inbox_ids')} />
          <TagsInput label="Tag" description="Any of these tags" placeholder="Type a tag and press Enter" {...form.getInputProps('tags')} />
          <TagsInput label="Customer company" description="Customer segment: the contact’s company is one of these" placeholder="Type a company and press Enter" {...form.getInputProps('companies')} />
          <Text size="sm" fw={600}>
            Targets (minutes)
          </Text>
          <Group grow align="flex-start">
            <NumberInput label="First response" description="Until the first reply" placeholder="None" allowDecimal={false} {...form.getInputProps('first_response_minutes')} />
            <NumberInput label="Next response" description="After each customer message" placeholder="None" allowDecimal={false} {...form.getInputProps('next_response_minutes')} />
            <NumberInput label="Resolution" description="Until resolved" placeholder="None" allowDecimal={false} {...form.getInputProps('resolution_minutes')} />
          </Group>
          <Stack gap={6}>
            <Text size="sm" fw={500} id="warn-label">
              Warn before a breach
            </Text>
            <SegmentedControl
              aria-labelledby="warn-label"
              data={[
                { value: 'percent', label: 'At a share of the time' },
                { value: 'minutes', label: 'Minutes before' },
                { value: 'none', label: 'No warning' },
              ]}
              {...form.getInputProps('warn_by')}
            />
            {form.values.warn_by === 'percent' && <NumberInput label="Warn when this % of the time is used" min={1} max={99} suffix="%" allowDecimal={false} {...form.getInputProps('warning_percent')} />}
            {form.values.warn_by === 'minutes' && <NumberInput label="Warn this many minutes before the due time" allowDecimal={false} {...form.getInputProps('warning_minutes')} />}
          </Stack>
          <Switch label="Count business hours only" description="The clock stops outside the conversation’s business hours (Settings → Business hours); off: every minute counts." {...form.getInputProps('business_hours', { type: 'checkbox' })} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {policy ? 'Save policy' : 'Create policy'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

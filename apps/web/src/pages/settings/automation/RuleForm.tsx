import { Alert, Button, Group, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../../api/client';
import { automationKeys, type Rule, type RuleInput } from '../../../api/automation';
import { ActionRows } from './ActionRows';
import { ConditionRows } from './ConditionRows';
import { formPath } from './labels';
import { TriggerFields } from './TriggerFields';

interface Props {
  /** null creates a rule. */
  rule: Rule | null;
  onSaved?: (rule: Rule) => void;
  onCancel?: () => void;
}

const blank: RuleInput = { name: '', enabled: true, trigger: { type: 'message_received' }, match: 'all', conditions: [], actions: [{ type: 'add_tags', tags: [] }] };

/** Shows the server's field errors ("actions[1].priority") on the rows they name; answers what is left for the alert. */
export function showFieldErrors(form: { setErrors: (e: Record<string, string>) => void }, err: unknown): string {
  if (err instanceof ApiError && err.fieldErrors.length) {
    form.setErrors(Object.fromEntries(err.fieldErrors.map((e) => [formPath(e.field), e.message.charAt(0).toUpperCase() + e.message.slice(1)])));
  }
  return errorMessage(err);
}

/** The rule editor: when (trigger), if (conditions), then (actions). */
export function RuleForm({ rule, onSaved, onCancel }: Props) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RuleInput>({
    initialValues: rule ? { name: rule.name, enabled: rule.enabled, trigger: rule.trigger, match: rule.match, conditions: rule.conditions, actions: rule.actions } : blank,
    validate: { name: (v) => (v.trim() ? null : 'Give the rule a name') },
  });
  const values = form.getValues();

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const body = { ...v, name: v.name.trim() };
    try {
      const saved = rule ? await api.patch<Rule>(`/automation-rules/${rule.id}`, body) : await api.post<Rule>('/automation-rules', body);
      queryClient.setQueryData(automationKeys.rule(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: automationKeys.rules, exact: true });
      notifications.show({ color: 'teal', message: rule ? 'Rule saved' : 'Rule created' });
      onSaved?.(saved);
    } catch (err) {
      setFormError(showFieldErrors(form, err));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={rule ? 'Edit rule' : 'New rule'}>
      <Stack gap="lg">
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <Group align="flex-end" gap="md" wrap="wrap">
          <TextInput label="Name" placeholder="Tag refund requests" required maxLength={100} data-autofocus style={{ flex: 1, minWidth: 220 }} {...form.getInputProps('name')} />
          <Switch label="On" {...form.getInputProps('enabled', { type: 'checkbox' })} mb={8} />
        </Group>
        <Stack gap="xs">
          <Title order={3} size="h5">
            When
          </Title>
          <TriggerFields value={values.trigger} onChange={(t) => form.setFieldValue('trigger', t)} errors={form.errors} />
        </Stack>
        <Stack gap="xs">
          <Group justify="space-between" gap="xs">
            <Title order={3} size="h5">
              If
            </Title>
            {values.conditions.length > 1 && (
              <SegmentedControl
                size="xs"
                aria-label="Which conditions must hold"
                value={values.match}
                onChange={(v) => form.setFieldValue('match', v as 'all' | 'any')}
                data={[
                  { value: 'all', label: 'All of these' },
                  { value: 'any', label: 'Any of these' },
                ]}
              />
            )}
          </Group>
          <ConditionRows value={values.conditions} onChange={(c) => form.setFieldValue('conditions', c)} errors={form.errors} />
        </Stack>
        <Stack gap="xs">
          <Title order={3} size="h5">
            Then
          </Title>
          <Text size="xs" c="dimmed">
            Actions run in order, all or none: if one fails, the conversation is left as it was and the run log says why.
          </Text>
          <ActionRows value={values.actions} onChange={(a) => form.setFieldValue('actions', a)} errors={form.errors} allowWebhook />
        </Stack>
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={form.submitting}>
            {rule ? 'Save rule' : 'Create rule'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

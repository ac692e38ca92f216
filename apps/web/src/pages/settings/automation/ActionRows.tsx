import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, TagsInput, Text, Textarea, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTeams, useUsers } from '../../../api/queries';
import { useWebhooks } from '../../../api/webhooks';
import { VARIABLES, type Action } from '../../../api/automation';
import { actionOptions, blankAction, priorityOptions } from './labels';

interface Props {
  value: Action[];
  onChange: (actions: Action[]) => void;
  /** The form's errors, by path ("actions.1.priority"). */
  errors: Record<string, unknown>;
  /** Rules may send webhooks; macros do what an agent does. */
  allowWebhook?: boolean;
}

const variableHelp = `Variables: ${VARIABLES.map((v) => `{{${v.name}}}`).join(', ')}`;

/** The "then do" rows of a rule or macro: an action each, with what it needs. */
export function ActionRows({ value, onChange, errors, allowWebhook = false }: Props) {
  const set = (i: number, action: Action) => onChange(value.map((a, j) => (j === i ? action : a)));
  const options = actionOptions.filter((o) => allowWebhook || o.value !== 'webhook');
  const listError = errors.actions;
  return (
    <Stack gap="xs">
      {value.map((action, i) => {
        const error = (key: string) => (errors[`actions.${i}.${key}`] as string | undefined) ?? undefined;
        return (
          <Paper key={i} withBorder p="sm" role="group" aria-label={`Action ${i + 1}`}>
            <Group align="flex-start" gap="sm" wrap="wrap">
              <Select
                label="Action"
                data={options}
                value={action.type}
                allowDeselect={false}
                onChange={(v) => v && set(i, blankAction(v as Action['type']))}
                error={error('type') ?? (errors[`actions.${i}`] as string | undefined)}
                w={220}
              />
              <ActionValue action={action} onChange={(a) => set(i, a)} error={error} />
              <Tooltip label="Remove this action">
                <ActionIcon variant="subtle" color="gray" mt={26} aria-label={`Remove action ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))} disabled={value.length === 1}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Paper>
        );
      })}
      {typeof listError === 'string' && (
        <Text size="sm" c="red">
          {listError}
        </Text>
      )}
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => onChange([...value, blankAction('add_tags')])} disabled={value.length >= 10}>
          Add an action
        </Button>
      </Group>
    </Stack>
  );
}

function ActionValue({ action, onChange, error }: { action: Action; onChange: (a: Action) => void; error: (key: string) => string | undefined }) {
  const users = useUsers();
  const teams = useTeams();
  const webhooks = useWebhooks();
  switch (action.type) {
    case 'assign':
      return (
        <Select
          label="Teammate"
          data={[{ value: '', label: 'Nobody (unassign)' }, ...(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))]}
          value={action.user_id ?? ''}
          onChange={(v) => onChange({ ...action, user_id: v || null })}
          searchable
          error={error('user_id')}
          style={{ flex: 1, minWidth: 200 }}
        />
      );
    case 'assign_team':
      return (
        <Select
          label="Team"
          data={[{ value: '', label: 'No team' }, ...(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))]}
          value={action.team_id ?? ''}
          onChange={(v) => onChange({ ...action, team_id: v || null })}
          error={error('team_id')}
          style={{ flex: 1, minWidth: 200 }}
        />
      );
    case 'add_tags':
    case 'remove_tags':
      return (
        <TagsInput
          label="Tags"
          placeholder="Type a tag, then Enter"
          value={action.tags}
          onChange={(tags) => onChange({ ...action, tags })}
          error={error('tags') ?? error('tags.0')}
          splitChars={[',', ' ']}
          maxTags={20}
          style={{ flex: 1, minWidth: 200 }}
        />
      );
    case 'set_priority':
      return <Select label="Priority" data={priorityOptions} value={action.priority} allowDeselect={false} onChange={(v) => v && onChange({ ...action, priority: v as typeof action.priority })} error={error('priority')} w={160} />;
    case 'set_status':
      return (
        <Select
          label="Status"
          data={[
            { value: 'open', label: 'Open' },
            { value: 'pending', label: 'Pending' },
            { value: 'resolved', label: 'Resolved' },
          ]}
          value={action.status}
          allowDeselect={false}
          onChange={(v) => v && onChange({ ...action, status: v as typeof action.status })}
          error={error('status')}
          w={160}
        />
      );
    case 'snooze':
      return <NumberInput label="For (minutes)" min={1} max={129600} value={action.minutes} onChange={(v) => onChange({ ...action, minutes: Number(v) || 1 })} error={error('minutes')} w={160} />;
    case 'reply':
    case 'note':
      return (
        <Textarea
          label={action.type === 'reply' ? 'Reply' : 'Note'}
          description={variableHelp}
          placeholder={action.type === 'reply' ? 'Hi {{contact.first_name}}, thanks for writing…' : 'For the team…'}
          value={action.body}
          onChange={(e) => onChange({ ...action, body: e.currentTarget.value })}
          error={error('body')}
          autosize
          minRows={2}
          maxLength={5000}
          style={{ flex: 1, minWidth: 240 }}
        />
      );
    case 'webhook':
      return (
        <Select
          label="Webhook"
          placeholder={webhooks.data?.length === 0 ? 'Add one in Settings → Webhooks' : 'Pick a webhook'}
          data={(webhooks.data ?? []).map((w) => ({ value: w.id, label: w.description ? `${w.description} · ${w.url}` : w.url }))}
          value={action.webhook_id || null}
          onChange={(v) => onChange({ ...action, webhook_id: v ?? '' })}
          error={error('webhook_id')}
          style={{ flex: 1, minWidth: 200 }}
        />
      );
  }
}

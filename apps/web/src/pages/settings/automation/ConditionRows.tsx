import { ActionIcon, Button, Group, MultiSelect, Paper, Select, Stack, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useInboxes } from '../../../api/queries';
import type { Condition } from '../../../api/automation';
import { blankCondition, channelOptions, conditionFields, moodOptions, moodTrendOptions, operatorOptions, priorityOptions, statusOptions } from './labels';

interface Props {
  value: Condition[];
  onChange: (conditions: Condition[]) => void;
  errors: Record<string, unknown>;
}

/** The "if" rows of a rule: a field, how it compares, and the values. */
export function ConditionRows({ value, onChange, errors }: Props) {
  const set = (i: number, condition: Condition) => onChange(value.map((c, j) => (j === i ? condition : c)));
  return (
    <Stack gap="xs">
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          No conditions: the rule acts on every conversation its trigger fires for.
        </Text>
      )}
      {value.map((condition, i) => {
        const error = (key: string) => (errors[`conditions.${i}.${key}`] as string | undefined) ?? undefined;
        return (
          <Paper key={i} withBorder p="sm" role="group" aria-label={`Condition ${i + 1}`}>
            <Group align="flex-start" gap="sm" wrap="wrap">
              <Select
                label="Field"
                data={conditionFields}
                value={condition.field}
                allowDeselect={false}
                onChange={(v) => v && set(i, blankCondition(v as Condition['field']))}
                error={error('field')}
                w={170}
              />
              {condition.field === 'contact' && (
                <TextInput
                  label="Attribute"
                  placeholder="email, company, language…"
                  value={condition.attribute}
                  onChange={(e) => set(i, { ...condition, attribute: e.currentTarget.value })}
                  error={error('attribute')}
                  w={150}
                />
              )}
              <Select
                label="Is"
                data={operatorOptions[condition.field]}
                value={condition.operator}
                allowDeselect={false}
                onChange={(v) => v && set(i, withOperator(condition, v))}
                error={error('operator')}
                w={170}
              />
              <ConditionValue condition={condition} onChange={(c) => set(i, c)} error={error} />
              <Tooltip label="Remove this condition">
                <ActionIcon variant="subtle" color="gray" mt={26} aria-label={`Remove condition ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Paper>
        );
      })}
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => onChange([...value, blankCondition('message')])} disabled={value.length >= 20}>
          Add a condition
        </Button>
      </Group>
    </Stack>
  );
}

/** A new operator for a condition; "worse than" keeps one mood (the first, when it is one it can compare with). */
function withOperator(condition: Condition, operator: string): Condition {
  if (condition.field === 'mood' && operator === 'worse_than') {
    const first = condition.values.find((v) => v === 'frustrated' || v === 'neutral' || v === 'happy');
    return { ...condition, operator, values: [first ?? 'neutral'] };
  }
  return { ...condition, operator } as Condition;
}

function ConditionValue({ condition, onChange, error }: { condition: Condition; onChange: (c: Condition) => void; error: (key: string) => string | undefined }) {
  const inboxes = useInboxes();
  const valuesError = error('values') ?? error('values.0');
  const style = { flex: 1, minWidth: 200 };
  switch (condition.field) {
    case 'message':
    case 'tags':
      return (
        <TagsInput
          label={condition.field === 'message' ? 'Words' : 'Tags'}
          placeholder="Type, then Enter"
          value={condition.values}
          onChange={(values) => onChange({ ...condition, values })}
          error={valuesError}
          style={style}
        />
      );
    case 'channel':
      return <MultiSelect label="Channels" data={channelOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values })} error={valuesError} style={style} />;
    case 'inbox':
      return (
        <MultiSelect
          label="Inboxes"
          data={(inboxes.data ?? []).map((i) => ({ value: i.id, label: i.name }))}
          value={condition.values}
          onChange={(values) => onChange({ ...condition, values })}
          error={valuesError}
          style={style}
        />
      );
    case 'priority':
      return <MultiSelect label="Priorities" data={priorityOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values: values as typeof condition.values })} error={valuesError} style={style} />;
    case 'status':
      return <MultiSelect label="Statuses" data={statusOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values: values as typeof condition.values })} error={valuesError} style={style} />;
    case 'mood':
      // "Worse than" compares with one mood; the others take several.
      return condition.operator === 'worse_than' ? (
        <Select label="Mood" data={moodOptions.slice(1, 4)} value={condition.values[0] ?? null} allowDeselect={false} onChange={(v) => v && onChange({ ...condition, values: [v as (typeof condition.values)[number]] })} error={valuesError} style={style} />
      ) : (
        <MultiSelect label="Moods" data={moodOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values: values as typeof condition.values })} error={valuesError} style={style} />
      );
    case 'mood_trend':
      return <MultiSelect label="Trends" data={moodTrendOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values: values as typeof condition.values })} error={valuesError} style={style} />;
    case 'contact':
      return condition.operator === 'equals' || condition.operator === 'contains' ? (
        <TextInput label="Value" value={condition.value ?? ''} onChange={(e) => onChange({ ...condition, value: e.currentTarget.value })} error={error('value')} style={style} />
      ) : null;
    default:
      return null;
  }
}

import { Group, NumberInput, Select } from '@mantine/core';
import type { Trigger } from '../../../api/automation';
import { stateOptions, statusOptions, triggerOptions } from './labels';

const UNITS = [
  { value: '1', label: 'minutes' },
  { value: '60', label: 'hours' },
  { value: '1440', label: 'days' },
];

/** The largest unit a wait divides into, so "4320 minutes" shows as 3 days. */
const unitOf = (minutes: number) => (minutes % 1440 === 0 ? 1440 : minutes % 60 === 0 ? 60 : 1);

/** The "when" of a rule: what fires it, and for the time-based one, which state and how long. */
export function TriggerFields({ value, onChange, errors }: { value: Trigger; onChange: (t: Trigger) => void; errors: Record<string, unknown> }) {
  const error = (key: string) => (errors[`trigger.${key}`] as string | undefined) ?? undefined;
  const pick = (type: Trigger['type']) => onChange(type === 'time_in_state' ? { type, state: 'pending', minutes: 3 * 1440 } : ({ type } as Trigger));
  return (
    <Group align="flex-start" gap="sm" wrap="wrap">
      <Select label="Trigger" data={triggerOptions} value={value.type} allowDeselect={false} onChange={(v) => v && pick(v as Trigger['type'])} error={error('type') ?? (errors.trigger as string | undefined)} style={{ flex: 1, minWidth: 260 }} />
      {value.type === 'status_changed' && (
        <Select
          label="To"
          data={[{ value: '', label: 'Any status' }, ...statusOptions]}
          value={value.to ?? ''}
          onChange={(v) => onChange({ type: 'status_changed', ...(v ? { to: v as NonNullable<typeof value.to> } : {}) })}
          error={error('to')}
          w={160}
        />
      )}
      {value.type === 'time_in_state' && (
        <>
          <Select label="State" data={stateOptions} value={value.state} allowDeselect={false} onChange={(v) => v && onChange({ ...value, state: v as typeof value.state })} error={error('state')} w={200} />
          <NumberInput
            label="For"
            min={1}
            value={value.minutes / unitOf(value.minutes)}
            onChange={(v) => onChange({ ...value, minutes: Math.max(1, Math.round(Number(v) || 1)) * unitOf(value.minutes) })}
            error={error('minutes')}
            w={90}
          />
          <Select label="Unit" aria-label="Unit of time" data={UNITS} value={String(unitOf(value.minutes))} allowDeselect={false} onChange={(v) => v && onChange({ ...value, minutes: (value.minutes / unitOf(value.minutes)) * Number(v) })} w={120} />
        </>
      )}
    </Group>
  );
}

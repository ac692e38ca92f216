import { ActionIcon, Alert, Button, Checkbox, Group, Pill, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { ApiError, api, errorMessage } from '../../../api/client';
import { keys } from '../../../api/queries';
import type { BusinessHours, Inbox, Weekday } from '../../../api/types';
import { SettingsCard } from '../SettingsCard';

const weekdays: Array<{ key: Weekday; label: string }> = [
  { key: 'mon', label: 'Monday' },
  { key: 'tue', label: 'Tuesday' },
  { key: 'wed', label: 'Wednesday' },
  { key: 'thu', label: 'Thursday' },
  { key: 'fri', label: 'Friday' },
  { key: 'sat', label: 'Saturday' },
  { key: 'sun', label: 'Sunday' },
];
const MAX_INTERVALS = 4;

type Interval = [string, string];
type Days = Record<Weekday, Interval[]>;

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

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

const weekdaysOnly = (): Days => ({ mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] });

// A time input cannot show "24:00": closing at 00:00 means at midnight, the end of the day.
const toInput = (t: string) => (t === '24:00' ? '00:00' : t);
const fromInput = (t: string, closing: boolean) => (closing && t === '00:00' ? '24:00' : t);

/** "business_hours.days.mon.0" → where the editor shows it. */
function placeErrors(err: unknown): { fields: Record<string, string>; rest: string | null } {
  if (!(err instanceof ApiError) || !err.fieldErrors.length) return { fields: {}, rest: errorMessage(err) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const { field, message } of err.fieldErrors) {
    const m = /^business_hours\.(time_zone|holidays|days\.(\w+))/.exec(field);
    const key = m ? (m[2] ? m[2] : m[1]) : null;
    if (key) fields[key] = fields[key] ? `${fields[key]}; ${message}` : message;
    else rest.push(`${field}: ${message}`);
  }
  return { fields, rest: rest.length ? rest.join('. ') : null };
}

/** When the team answers this inbox's chat: always, or weekly hours in a time zone with holidays. */
export function BusinessHoursCard({ inbox, editable }: { inbox: Inbox; editable: boolean }) {
  const queryClient = useQueryClient();
  return (
    <BusinessHoursEditor
      initial={inbox.business_hours}
      editable={editable}
      title="Business hours"
      description={
        editable
          ? 'When the team answers this chat. Outside these hours the widget says when you are back and asks for the visitor’s email. Always open: the inbox follows its schedule in Settings → Business hours, if any.'
          : 'When the team answers this chat. Only admins can change it.'
      }
      onSave={async (business_hours) => {
        const saved = await api.patch<Inbox>(`/inboxes/${inbox.id}`, { business_hours });
        queryClient.setQueryData(keys.inbox(saved.id), saved);
        await queryClient.invalidateQueries({ queryKey: keys.inboxes });
      }}
    />
  );
}

interface EditorProps {
  initial: BusinessHours | null;
  editable: boolean;
  title: string;
  description: string;
  /** Offer "Always open" (saves null); a named schedule always has hours. */
  allowAlwaysOpen?: boolean;
  /** What saving null means here (an inbox: always open; a team: no hours of its own). */
  alwaysOpenLabel?: string;
  alwaysOpenDescription?: string;
  submitLabel?: string;
  /** Above the hours (a name field, a default switch). */
  children?: React.ReactNode;
  onSave: (hours: BusinessHours | null) => Promise<void>;
}

/** Weekly hours in a time zone, with holidays: the editor inboxes and named schedules share. */
export function BusinessHoursEditor({
  initial,
  editable,
  title,
  description,
  allowAlwaysOpen = true,
  alwaysOpenLabel = 'Always open',
  alwaysOpenDescription = 'Visitors are never told the team is away.',
  submitLabel = 'Save business hours',
  children,
  onSave,
}: EditorProps) {
  const holidaysLabel = useId();
  const [alwaysOpen, setAlwaysOpen] = useState(allowAlwaysOpen && !initial);
  const [zone, setZone] = useState(initial?.time_zone ?? browserZone());
  const [days, setDays] = useState<Days>(() => (initial ? { ...weekdaysOnly(), ...Object.fromEntries(weekdays.map((d) => [d.key, initial.days[d.key] ?? []])) } : weekdaysOnly()));
  const [holidays, setHolidays] = useState<string[]>(initial?.holidays ?? []);
  const [newHoliday, setNewHoliday] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const zones = useMemo(() => timeZones(zone), [zone]);
  const dateFormat = useMemo(() => new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }), []);

  const setDay = (day: Weekday, intervals: Interval[]) => {
    setDays((d) => ({ ...d, [day]: intervals }));
    setErrors(({ [day]: _gone, ...rest }) => rest);
  };

  const addHoliday = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newHoliday)) return;
    setHolidays((h) => [...new Set([...h, newHoliday])].sort());
    setNewHoliday('');
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setErrors({});
    const business_hours: BusinessHours | null = alwaysOpen ? null : { time_zone: zone, days, holidays };
    setSaving(true);
    try {
      await onSave(business_hours);
      notifications.show({ color: 'teal', message: 'Business hours saved' });
    } catch (err) {
      const placed = placeErrors(err);
      setErrors(placed.fields);
      setFormError(placed.rest ?? (Object.keys(placed.fields).length ? 'Some hours need fixing; see the marked days.' : null));
    } finally {
      setSaving(false);
    }
  };

  return (
    <SettingsCard title={title} description={description}>
      <form onSubmit={(e) => void save(e)} noValidate aria-label={title}>
        <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="md">
            {formError && (
              <Alert color="red" variant="light" role="alert">
                {formError}
              </Alert>
            )}
            {children}
            {allowAlwaysOpen && <Switch label={alwaysOpenLabel} description={alwaysOpenDescription} checked={alwaysOpen} onChange={(e) => setAlwaysOpen(e.currentTarget.checked)} />}
            {!alwaysOpen && (
              <>
                <Select
                  label="Time zone"
                  description="The hours and holidays below are in this time zone; visitors see them in their own."
                  data={zones}
                  value={zone}
                  onChange={(v) => {
                    if (v) setZone(v);
                    setErrors(({ time_zone: _gone, ...rest }) => rest);
                  }}
                  searchable
                  allowDeselect={false}
                  nothingFoundMessage="No matching time zone"
                  limit={100}
                  error={errors.time_zone}
                  maw={360}
                />
                <Stack gap="xs" role="group" aria-label="Opening hours per weekday">
                  {weekdays.map(({ key, label }) => (
                    <DayRow key={key} label={label} intervals={days[key]} error={errors[key]} onChange={(list) => setDay(key, list)} />
                  ))}
                </Stack>
                <Stack gap={6}>
                  <Text size="sm" fw={600} id={holidaysLabel}>
                    Holidays
                  </Text>
                  <Text size="xs" c="dimmed">
                    Closed all day on these dates.
                  </Text>
                  {holidays.length > 0 && (
                    <Group gap={6} role="list" aria-labelledby={holidaysLabel}>
                      {holidays.map((d) => (
                        <Pill
                          key={d}
                          role="listitem"
                          withRemoveButton={editable}
                          onRemove={() => setHolidays((h) => h.filter((x) => x !== d))}
                          removeButtonProps={{ 'aria-label': `Remove holiday ${d}`, 'aria-hidden': false }}
                        >
                          {Number.isNaN(Date.parse(d)) ? d : dateFormat.format(new Date(`${d}T00:00:00Z`))}
                        </Pill>
                      ))}
                    </Group>
                  )}
                  <Group gap="xs" align="flex-end">
                    <TextInput
                      type="date"
                      label="Holiday date"
                      value={newHoliday}
                      onChange={(e) => setNewHoliday(e.currentTarget.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          addHoliday();
                        }
                      }}
                      error={errors.holidays}
                    />
                    <Button variant="default" leftSection={<IconPlus size={16} />} onClick={addHoliday} disabled={!newHoliday}>
                      Add holiday
                    </Button>
                  </Group>
                </Stack>
              </>
            )}
            {editable && (
              <Group justify="flex-end">
                <Button type="submit" loading={saving}>
                  {submitLabel}
                </Button>
              </Group>
            )}
          </Stack>
        </fieldset>
      </form>
    </SettingsCard>
  );
}

function DayRow({ label, intervals, error, onChange }: { label: string; intervals: Interval[]; error?: string; onChange: (list: Interval[]) => void }) {
  const open = intervals.length > 0;
  const set = (i: number, which: 0 | 1, value: string) => onChange(intervals.map((iv, j) => (j === i ? (which === 0 ? [value, iv[1]] : [iv[0], fromInput(value, true)]) : iv)));
  return (
    <Stack gap={4}>
      <Group gap="md" align="center" wrap="wrap">
        <Checkbox label={label} aria-label={`Open on ${label}`} checked={open} onChange={(e) => onChange(e.currentTarget.checked ? [['09:00', '17:00']] : [])} w={120} />
        {open ? (
          <Stack gap={6}>
            {intervals.map(([from, to], i) => (
              <Group key={i} gap="xs" wrap="nowrap">
                <TextInput type="time" aria-label={`${label} from${i ? ` (${i + 1})` : ''}`} value={from} onChange={(e) => set(i, 0, e.currentTarget.value)} w={130} error={!!error} />
                <Text size="sm" c="dimmed" aria-hidden="true">
                  –
                </Text>
                <TextInput type="time" aria-label={`${label} to${i ? ` (${i + 1})` : ''}`} value={toInput(to)} onChange={(e) => set(i, 1, e.currentTarget.value)} w={130} error={!!error} />
                {intervals.length > 1 && (
                  <ActionIcon variant="subtle" color="gray" aria-label={`Remove ${label} hours ${from}–${toInput(to)}`} onClick={() => onChange(intervals.filter((_, j) => j !== i))}>
                    <IconX size={16} />
                  </ActionIcon>
                )}
              </Group>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            Closed
          </Text>
        )}
        {open && intervals.length < MAX_INTERVALS && (
          <Button variant="subtle" size="compact-sm" leftSection={<IconPlus size={14} />} onClick={() => onChange([...intervals, ['13:00', '17:00']])} aria-label={`Add hours on ${label}`}>
            Add hours
          </Button>
        )}
      </Group>
      {error && (
        <Text size="xs" c="red" role="alert">
          {label}: {error}
        </Text>
      )}
    </Stack>
  );
}

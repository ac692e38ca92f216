import { Anchor, Button, EmptyState, Group, Paper, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconClock, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../../api/client';
import { slaKeys, useScheduleAssignments, useSchedules, type NamedSchedule, type ScheduleAssignee } from '../../../api/sla';
import type { BusinessHours } from '../../../api/types';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { BusinessHoursEditor } from '../inboxes/BusinessHoursCard';
import { SettingsCard } from '../SettingsCard';
import { AdminOnly } from '../SettingsLayout';

const weekdays: BusinessHours['days'] = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] };

/** Named schedules (the workspace default, and those inboxes and teams pick) and who follows which. */
export function BusinessHoursSettings() {
  const [adding, setAdding] = useState(0);
  return (
    <Stack gap="lg">
      <PageHeader
        title="Business hours"
        description="When your team works. An inbox follows its own hours, else the schedule it picks, else its team’s, else the workspace default; SLA clocks count only these hours and the chat widget says when you are back."
        actions={
          <AdminOnly fallback={null}>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding((n) => n + 1)}>
              New schedule
            </Button>
          </AdminOnly>
        }
      />
      <AdminOnly>
        <Schedules adding={adding} onAdded={() => setAdding(0)} />
        <Assignments />
      </AdminOnly>
    </Stack>
  );
}

function Schedules({ adding, onAdded }: { adding: number; onAdded: () => void }) {
  const schedules = useSchedules();
  if (schedules.isPending) return <TableSkeleton columns={2} rows={2} />;
  if (schedules.isError) return <ErrorState title="Could not load business hours" error={schedules.error} onRetry={() => void schedules.refetch()} />;
  return (
    <Stack gap="lg">
      {adding > 0 && <ScheduleCard key={`new-${adding}`} schedule={null} first={schedules.data.length === 0} onSaved={onAdded} />}
      {schedules.data.length === 0 && adding === 0 && (
        <Paper withBorder p="xl">
          <EmptyState variant="light" icon={<IconClock size={24} />} title="No schedules yet" description="Without business hours your inboxes are always open and SLA clocks count every minute. Add a workspace default (say, weekdays 9 to 5 with your public holidays), and more schedules for teams or inboxes that keep other hours." />
        </Paper>
      )}
      {schedules.data.map((s) => (
        <ScheduleCard key={`${s.id}:${s.updated_at}`} schedule={s} first={false} onSaved={() => {}} />
      ))}
    </Stack>
  );
}

function ScheduleCard({ schedule, first, onSaved }: { schedule: NamedSchedule | null; first: boolean; onSaved: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(schedule?.name ?? (first ? 'Office hours' : ''));
  const [isDefault, setIsDefault] = useState(schedule?.is_default ?? first);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: slaKeys.schedules });
  const remove = async () => {
    if (!schedule) return onSaved();
    setDeleting(true);
    try {
      await api.del(`/business-hours/${schedule.id}`);
      await refresh();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setDeleting(false);
    }
  };
  return (
    <BusinessHoursEditor
      initial={schedule?.business_hours ?? { time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', days: weekdays, holidays: [] }}
      editable
      allowAlwaysOpen={false}
      title={schedule ? schedule.name : 'New schedule'}
      description={schedule?.is_default ? 'The workspace default: inboxes and teams without hours of their own follow it.' : 'Inboxes and teams that pick it follow these hours.'}
      submitLabel={schedule ? 'Save schedule' : 'Add schedule'}
      onSave={async (hours) => {
        const body = { name: name.trim(), business_hours: hours, is_default: isDefault };
        if (schedule) await api.patch(`/business-hours/${schedule.id}`, body);
        else await api.post('/business-hours', body);
        await refresh();
        await queryClient.invalidateQueries({ queryKey: slaKeys.assignments });
        onSaved();
      }}
    >
      <Group align="flex-end" gap="md" wrap="wrap">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required maw={320} style={{ flexGrow: 1 }} />
        <Switch label="Workspace default" checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} mb={8} />
        <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => void remove()} loading={deleting} aria-label={schedule ? `Delete schedule ${schedule.name}` : 'Discard new schedule'}>
          {schedule ? 'Delete' : 'Discard'}
        </Button>
      </Group>
    </BusinessHoursEditor>
  );
}

function Assignments() {
  const assignments = useScheduleAssignments();
  const schedules = useSchedules();
  const [editing, setEditing] = useState<string | null>(null);
  if (assignments.isPending || schedules.isPending) return <TableSkeleton columns={3} rows={3} />;
  if (assignments.isError) return <ErrorState title="Could not load who follows which hours" error={assignments.error} onRetry={() => void assignments.refetch()} />;
  if (schedules.isError) return null;
  const options = [{ value: '', label: 'Next in line (team, then default)' }, ...schedules.data.map((s) => ({ value: s.id, label: s.is_default ? `${s.name} (default)` : s.name }))];
  const rows = [...assignments.data.inboxes.map((a) => ({ ...a, kind: 'inbox' as const })), ...assignments.data.teams.map((a) => ({ ...a, kind: 'team' as const }))];
  const team = assignments.data.teams.find((t) => t.id === editing);
  return (
    <>
      <SettingsCard title="Who follows which hours" description="An inbox or a team may pick a schedule, or keep hours of its own, which come before any schedule. An inbox sets its own in Settings → Inboxes.">
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" aria-label="Schedules of inboxes and teams">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Inbox or team</Table.Th>
                <Table.Th>Schedule</Table.Th>
                <Table.Th>Own hours</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <AssignmentRow key={`${a.kind}:${a.id}`} assignee={a} kind={a.kind} options={options} onEditHours={() => setEditing(a.id)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </SettingsCard>
      {team && <TeamHoursCard key={team.id} team={team} onDone={() => setEditing(null)} />}
    </>
  );
}

/** A team's own hours: they come before the schedule it picks (and an inbox's own hours or schedule before both). */
function TeamHoursCard({ team, onDone }: { team: ScheduleAssignee; onDone: () => void }) {
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A block body: newer browsers answer scrollIntoView with a promise, which React would take for a cleanup.
    ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, []);
  return (
    <div ref={ref}>
      <BusinessHoursEditor
        initial={team.business_hours}
        editable
        title={`Hours of the ${team.name} team`}
        description="The team’s conversations count these hours for their SLA clocks, unless their inbox keeps hours of its own or picks a schedule. Open conversations are re-timed after you save."
        alwaysOpenLabel="No hours of its own"
        alwaysOpenDescription="The team follows the schedule it picks, else the workspace default."
        submitLabel="Save team hours"
        onSave={async (hours) => {
          await api.put(`/teams/${team.id}/business-hours`, { business_hours: hours });
          await queryClient.invalidateQueries({ queryKey: slaKeys.assignments });
          onDone();
        }}
      >
        <Group justify="flex-end">
          <Button variant="subtle" onClick={onDone}>
            Close
          </Button>
        </Group>
      </BusinessHoursEditor>
    </div>
  );
}

function AssignmentRow({ assignee, kind, options, onEditHours }: { assignee: ScheduleAssignee; kind: 'inbox' | 'team'; options: Array<{ value: string; label: string }>; onEditHours: () => void }) {
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const pick = async (value: string | null) => {
    setSaving(true);
    try {
      const schedule_id = value || null;
      await api.put(kind === 'inbox' ? `/inboxes/${assignee.id}/business-hours-schedule` : `/teams/${assignee.id}/business-hours`, { schedule_id });
      await queryClient.invalidateQueries({ queryKey: slaKeys.assignments });
      notifications.show({ color: 'teal', message: `${assignee.name} follows ${options.find((o) => o.value === (value ?? ''))?.label ?? 'the next hours in line'}` });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {assignee.name}
        </Text>
        <Text size="xs" c="dimmed">
          {kind === 'inbox' ? 'Inbox' : 'Team'}
          {assignee.own_hours ? ' · has its own hours' : ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <Select aria-label={`Schedule of ${assignee.name}`} data={options} value={assignee.schedule_id ?? ''} onChange={(v) => void pick(v)} disabled={saving} allowDeselect={false} maw={320} />
      </Table.Td>
      <Table.Td>
        {kind === 'team' ? (
          <Button variant="default" size="compact-sm" leftSection={<IconPencil size={14} />} onClick={onEditHours} aria-label={`${assignee.own_hours ? 'Change' : 'Set'} own hours of ${assignee.name}`}>
            {assignee.own_hours ? 'Change' : 'Set'}
          </Button>
        ) : (
          <Anchor component={Link} to={`/settings/inboxes/${assignee.id}`} size="sm" aria-label={`Own hours of ${assignee.name}, in its inbox settings`}>
            In inbox settings
          </Anchor>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

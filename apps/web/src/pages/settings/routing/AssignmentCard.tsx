import { Alert, Button, Group, Select, Skeleton, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { applyServerErrors, stateForm } from '../../../lib/forms';
import { useTeams } from '../../../api/queries';
import { routingKeys, useInboxRouting, type InboxRouting, type RoutingMode } from '../../../api/routing';
import { ErrorState } from '../../../components/QueryStates';
import { SettingsCard } from '../SettingsCard';
import { RoutingFields } from './RoutingFields';

const NO_TEAM = 'none';

/** Settings → Inboxes → an inbox: how its new conversations are assigned. */
export function AssignmentCard({ inboxId }: { inboxId: string }) {
  const routing = useInboxRouting(inboxId);
  return (
    <SettingsCard title="Assignment" description="Who gets this inbox’s new conversations: assigned by hand, or automatically to an agent who is online.">
      {routing.isPending && <Skeleton h={160} aria-label="Loading the assignment settings" />}
      {routing.isError && <ErrorState title="Could not load the assignment settings" error={routing.error} onRetry={() => void routing.refetch()} />}
      {routing.data && <AssignmentForm key={JSON.stringify(routing.data)} initial={routing.data} />}
    </SettingsCard>
  );
}

function AssignmentForm({ initial }: { initial: InboxRouting }) {
  const queryClient = useQueryClient();
  const teams = useTeams();
  const [mode, setMode] = useState<RoutingMode>(initial.mode);
  const [handOn, setHandOn] = useState(initial.hand_on_offline);
  const [teamId, setTeamId] = useState<string>(initial.team_id ?? NO_TEAM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const changed = mode !== initial.mode || handOn !== initial.hand_on_offline || teamId !== (initial.team_id ?? NO_TEAM);

  const save = async () => {
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      const saved = await api.put<InboxRouting>(`/inboxes/${initial.inbox_id}/routing`, { mode, hand_on_offline: handOn, team_id: teamId === NO_TEAM ? null : teamId });
      queryClient.setQueryData(routingKeys.inbox(initial.inbox_id), saved);
      notifications.show({ color: 'teal', message: 'Assignment saved' });
    } catch (err) {
      // Field errors show at their fields; anything else above the form.
      setFormError(applyServerErrors(stateForm({ mode, team_id: teamId }, setErrors), err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      {formError && (
        <Alert color="red" variant="light" role="alert">
          {formError}
        </Alert>
      )}
      <RoutingFields mode={mode} handOn={handOn} onMode={setMode} onHandOn={setHandOn} modeError={errors.mode} />
      <Select
        label="Route to a team"
        description="Only the team’s members are picked; the team’s own assignment rule wins when it has one."
        data={[{ value: NO_TEAM, label: 'No team: everyone in this inbox' }, ...(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))]}
        value={teamId}
        onChange={(v) => setTeamId(v ?? NO_TEAM)}
        allowDeselect={false}
        error={errors.team_id ?? (teams.isError ? 'Could not load teams' : undefined)}
        maw={360}
      />
      <Group justify="flex-end">
        <Button onClick={() => void save()} loading={saving} disabled={!changed}>
          Save assignment
        </Button>
      </Group>
    </Stack>
  );
}

import { Alert, Button, Group, Modal, Skeleton, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../../api/client';
import { routingKeys, useTeamRouting, type RoutingMode, type TeamRouting } from '../../../api/routing';
import type { Team } from '../../../api/types';
import { ErrorState } from '../../../components/QueryStates';
import { RoutingFields } from './RoutingFields';

/** Settings → Teams → a team → Assignment: how the team hands out its conversations among its members. */
export function TeamRoutingModal({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const routing = useTeamRouting(team?.id);
  return (
    <Modal opened={team !== null} onClose={onClose} title={team ? `Assignment for ${team.name}` : 'Assignment'}>
      {routing.isPending && <Skeleton h={160} aria-label="Loading the assignment settings" />}
      {routing.isError && <ErrorState title="Could not load the assignment settings" error={routing.error} onRetry={() => void routing.refetch()} />}
      {routing.data && <TeamRoutingForm key={routing.data.team_id} initial={routing.data} onClose={onClose} />}
    </Modal>
  );
}

function TeamRoutingForm({ initial, onClose }: { initial: TeamRouting; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<RoutingMode>(initial.mode);
  const [handOn, setHandOn] = useState(initial.hand_on_offline);
  const [error, setError] = useState<{ message: string; mode?: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await api.put<TeamRouting>(`/teams/${initial.team_id}/routing`, { mode, hand_on_offline: handOn });
      queryClient.setQueryData(routingKeys.team(initial.team_id), saved);
      notifications.show({ color: 'teal', message: 'Team assignment saved' });
      onClose();
    } catch (err) {
      setError({ message: errorMessage(err), mode: err instanceof ApiError ? err.fieldErrors.find((f) => f.field === 'mode')?.message : undefined });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error.message}
        </Alert>
      )}
      <RoutingFields mode={mode} handOn={handOn} onMode={setMode} onHandOn={setHandOn} modeError={error?.mode} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={() => void save()} loading={saving}>
          Save assignment
        </Button>
      </Group>
    </Stack>
  );
}

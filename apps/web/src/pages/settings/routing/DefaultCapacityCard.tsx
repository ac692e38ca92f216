import { Alert, Button, Group, Skeleton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { channelKinds, routingKeys, useRoutingDefaults, type Capacity, type ChannelKind, type RoutingDefaults } from '../../../api/routing';
import { ErrorState } from '../../../components/QueryStates';
import { applyServerErrors, stateForm } from '../../../lib/forms';
import { SettingsCard } from '../SettingsCard';
import { CapacityInputs } from './CapacityInputs';

/** Settings → Users: how many conversations of each kind a person takes at once unless set on them. */
export function DefaultCapacityCard() {
  const defaults = useRoutingDefaults();
  return (
    <SettingsCard
      title="Default capacity"
      description="How many open conversations of each kind a person takes at once before automatic assignment passes them by, unless set on the person (Actions → Capacity and skills). 0 takes none."
    >
      {defaults.isPending && <Skeleton h={60} aria-label="Loading default capacity" />}
      {defaults.isError && <ErrorState title="Could not load the default capacity" error={defaults.error} onRetry={() => void defaults.refetch()} />}
      {defaults.data && <DefaultCapacityForm key={JSON.stringify(defaults.data.capacity)} initial={defaults.data.capacity} />}
    </SettingsCard>
  );
}

type Draft = Record<ChannelKind, number | string>;

function DefaultCapacityForm({ initial }: { initial: Capacity }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const dirty = channelKinds.some(({ kind }) => String(draft[kind]) !== String(initial[kind]));
  const empty = channelKinds.filter(({ kind }) => draft[kind] === '');

  const save = async () => {
    const missing = Object.fromEntries(empty.map(({ kind }) => [`capacity.${kind}`, 'Enter a number (0 takes none)']));
    setErrors(missing);
    setFormError(null);
    if (empty.length) return;
    setSaving(true);
    try {
      const capacity = Object.fromEntries(channelKinds.map(({ kind }) => [kind, Number(draft[kind])]));
      const saved = await api.put<RoutingDefaults>('/routing/defaults', { capacity });
      queryClient.setQueryData(routingKeys.defaults, saved);
      // Everyone's effective capacity may have changed with it.
      await queryClient.invalidateQueries({ queryKey: ['routing', 'user'] });
      notifications.show({ color: 'teal', message: 'Default capacity saved' });
    } catch (err) {
      const shown = Object.fromEntries(channelKinds.map(({ kind }) => [`capacity.${kind}`, draft[kind]]));
      setFormError(applyServerErrors(stateForm(shown, setErrors), err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {formError && (
        <Alert color="red" variant="light" role="alert">
          {formError}
        </Alert>
      )}
      <CapacityInputs values={draft} onChange={(kind, v) => setDraft((d) => ({ ...d, [kind]: v }))} errors={errors} />
      <Group justify="flex-end">
        <Button onClick={() => void save()} loading={saving} disabled={!dirty}>
          Save default capacity
        </Button>
      </Group>
    </>
  );
}

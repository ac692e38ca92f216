import { Alert, Button, Group, Modal, Skeleton, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { applyServerErrors, stateForm } from '../../../lib/forms';
import { channelKinds, routingKeys, useUserRouting, type ChannelKind, type UserRouting } from '../../../api/routing';
import type { Member } from '../../../api/types';
import { ErrorState } from '../../../components/QueryStates';
import { CapacityInputs } from './CapacityInputs';

/** Settings → Users → a person → Capacity and skills. */
export function UserRoutingModal({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const routing = useUserRouting(member?.id);
  return (
    <Modal opened={member !== null} onClose={onClose} size="lg" title={member ? `Capacity and skills of ${member.name}` : 'Capacity and skills'}>
      {routing.isPending && <Skeleton h={200} aria-label="Loading capacity and skills" />}
      {routing.isError && <ErrorState title="Could not load capacity and skills" error={routing.error} onRetry={() => void routing.refetch()} />}
      {routing.data && <UserRoutingForm key={routing.data.user_id} initial={routing.data} onClose={onClose} />}
    </Modal>
  );
}

type CapacityDraft = Record<ChannelKind, number | string>;

function UserRoutingForm({ initial, onClose }: { initial: UserRouting; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [capacity, setCapacity] = useState<CapacityDraft>(() => Object.fromEntries(channelKinds.map(({ kind }) => [kind, initial.capacity[kind] ?? ''])) as CapacityDraft);
  const [skills, setSkills] = useState<string[]>(initial.skills);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      // An empty field goes back to the workspace default.
      const body = { capacity: Object.fromEntries(channelKinds.map(({ kind }) => [kind, capacity[kind] === '' ? null : Number(capacity[kind])])), skills };
      const saved = await api.put<UserRouting>(`/users/${initial.user_id}/routing`, body);
      queryClient.setQueryData(routingKeys.user(initial.user_id), saved);
      notifications.show({ color: 'teal', message: 'Capacity and skills saved' });
      onClose();
    } catch (err) {
      // Field errors show at their fields; anything else above the form.
      const shown = Object.fromEntries(channelKinds.map(({ kind }) => [`capacity.${kind}`, capacity[kind]]));
      setFormError(applyServerErrors(stateForm({ ...shown, skills }, setErrors), err));
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
      <Text size="sm" c="dimmed">
        How many open conversations of each kind they take at once before automatic assignment passes them by. An empty field takes the workspace default (shown greyed); 0 takes none.
      </Text>
      <CapacityInputs values={capacity} onChange={(kind, v) => setCapacity((c) => ({ ...c, [kind]: v }))} errors={errors} placeholders={initial.default_capacity} />
      <TagsInput
        label="Skills"
        description="Matched against the customer’s language (lang:de), the conversation’s tags (product:bikes) and the contact’s attributes; matching agents are picked first."
        placeholder="lang:de, product:bikes"
        value={skills}
        onChange={setSkills}
        splitChars={[',', ' ']}
        clearable
        error={errors.skills}
      />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={() => void save()} loading={saving}>
          Save
        </Button>
      </Group>
    </Stack>
  );
}

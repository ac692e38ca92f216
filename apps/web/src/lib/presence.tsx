// Who of the team is online: a coloured dot beside a person, and the agent's own chosen status.
import { Box } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import { keys, usePresence } from '../api/queries';
import type { Presence, PresenceStatus } from '../api/types';

export const presenceLabels: Record<PresenceStatus, string> = { online: 'Online', away: 'Away', offline: 'Offline' };
export const presenceColors: Record<PresenceStatus, string> = { online: 'teal', away: 'yellow', offline: 'gray' };

/** Each person's status by user id (empty until the server answers, or if it cannot). */
export function usePresenceMap(): Map<string, PresenceStatus> {
  const presence = usePresence();
  return new Map((presence.data ?? []).map((p) => [p.user_id, p.status]));
}

/** A small dot in the status colour (hidden from screen readers: say the status in text beside it). */
export function PresenceDot({ status, size = 8 }: { status: PresenceStatus | undefined; size?: number }) {
  if (!status) return null;
  return (
    <Box
        component="span"
        data-presence={status}
        title={presenceLabels[status]}
        aria-hidden
        style={{
          display: 'inline-block',
          flexShrink: 0,
          width: size,
          height: size,
          borderRadius: '50%',
          background: status === 'offline' ? 'transparent' : `var(--mantine-color-${presenceColors[status]}-filled)`,
          border: status === 'offline' ? '1.5px solid var(--mantine-color-gray-5)' : undefined,
        }}
    />
  );
}

/** Sets the signed-in agent's own status. */
export function useSetPresence(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: PresenceStatus) => api.put<{ status: PresenceStatus }>('/me/presence', { status }),
    onSuccess: ({ status }) => {
      queryClient.setQueryData<Presence[]>(keys.presence, (current) => current?.map((p) => (p.user_id === userId ? { ...p, status } : p)));
    },
    onError: (err) => notifications.show({ color: 'red', title: 'Could not change your status', message: errorMessage(err) }),
  });
}

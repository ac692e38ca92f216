import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { keys } from '../../../api/queries';
import type { Inbox } from '../../../api/types';
import { ConfirmModal } from '../../../components/ConfirmModal';

interface Props {
  inbox: Inbox | null;
  onClose: () => void;
  onDeleted?: () => void;
}

/** Deleting an inbox deletes its conversations too: the confirmation says so. */
export function DeleteInboxModal({ inbox, onClose, onDeleted }: Props) {
  const queryClient = useQueryClient();
  return (
    <ConfirmModal
      opened={inbox !== null}
      onClose={onClose}
      title="Delete inbox"
      confirmLabel="Delete inbox"
      onConfirm={async () => {
        if (!inbox) return;
        await api.del(`/inboxes/${inbox.id}`);
        // Leave the inbox's page first, so nothing asks for the inbox that is gone.
        onDeleted?.();
        queryClient.removeQueries({ queryKey: keys.inbox(inbox.id), exact: true });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: keys.inboxes, exact: true }),
          queryClient.invalidateQueries({ queryKey: keys.conversations }),
        ]);
        notifications.show({ color: 'teal', message: `Inbox “${inbox.name}” deleted` });
      }}
    >
      Delete “{inbox?.name}” and every conversation in it?{' '}
      {inbox?.channel === 'email'
        ? `Rapport stops fetching and sending mail for ${inbox.email ?? 'its address'}.`
        : inbox?.channel === 'api'
          ? 'Its webhook gets no more replies, and conversations can no longer be started in it by API.'
          : 'Its chat widget stops working on your website.'}{' '}
      This cannot be undone.
    </ConfirmModal>
  );
}

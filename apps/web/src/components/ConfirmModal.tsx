import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorState } from './QueryStates';

interface ConfirmModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
}

/** A destructive-action confirmation that stays open and shows the error if the request fails. */
export function ConfirmModal({ opened, onClose, title, children, confirmLabel, onConfirm }: ConfirmModalProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (err) {
      setBusy(false);
      setError(err);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{title}</Text>} size="md">
      <Stack gap="md">
        <Text size="sm">{children}</Text>
        {error !== null && <ErrorState title="That did not work" error={error} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button color="red" loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

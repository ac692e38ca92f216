import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { PasswordResetLink } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { useFormat } from '../../lib/format';

interface Props {
  link: (PasswordResetLink & { name: string }) | null;
  onClose: () => void;
}

export function ResetLinkModal({ link, onClose }: Props) {
  const fmt = useFormat();
  return (
    <Modal opened={link !== null} onClose={onClose} title="Password reset link" size="lg">
      {link && (
        <Stack gap="md">
          <Text size="sm">
            Send this link to <strong>{link.name}</strong> so they can choose a new password.
          </Text>
          <CopyField label="Reset link" value={link.url} />
          <Alert variant="light" color="yellow" icon={<IconInfoCircle size={18} />}>
            Anyone with this link can set the password. It works once and expires {fmt.dateTime(link.expires_at)}.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

import { ActionIcon, Button, Group, Menu, Modal, Radio, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowsSplit, IconDotsVertical } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../../api/client';
import { useSplitConversation } from '../../../api/handling';
import type { Message } from '../../../api/types';

/** A message's menu: split it (and what follows, if wanted) out into a new conversation. */
export function MessageMenu({ message, conversationId }: { message: Message; conversationId: string }) {
  const [splitting, splitModal] = useDisclosure(false);
  return (
    <>
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Message actions" className="message-menu">
            <IconDotsVertical size={14} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconArrowsSplit size={14} />} onClick={splitModal.open}>
            Split from here…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {splitting && <SplitModal message={message} conversationId={conversationId} onClose={splitModal.close} />}
    </>
  );
}

function SplitModal({ message, conversationId, onClose }: { message: Message; conversationId: string; onClose: () => void }) {
  const [which, setWhich] = useState<'this' | 'following'>('following');
  const split = useSplitConversation(conversationId);
  const navigate = useNavigate();
  const submit = () =>
    split.mutate(
      { message_id: message.id, following: which === 'following' },
      {
        onSuccess: (made) => {
          notifications.show({ color: 'teal', message: 'Split into a new conversation' });
          onClose();
          void navigate(`/inbox/${made.id}`);
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title="Split into a new conversation">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The new conversation is with the same customer, in the same inbox; both threads say what was split.
        </Text>
        <Radio.Group value={which} onChange={(v) => setWhich(v as 'this' | 'following')} aria-label="What to split out">
          <Stack gap="xs">
            <Radio value="following" label="This message and everything after it" data-autofocus />
            <Radio value="this" label="Only this message" />
          </Stack>
        </Radio.Group>
        {split.isError && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(split.error)}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={split.isPending} onClick={submit}>
            Split
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

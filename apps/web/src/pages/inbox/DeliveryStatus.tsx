import { Button, Group, Loader, Text } from '@mantine/core';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import type { Message } from '../../api/types';
import { useRetryMessage } from './useConversationActions';

/** Under a reply to the customer: "Sending…" until the mail server takes it, or why it was not sent, with Retry. */
export function DeliveryStatus({ message, conversationId }: { message: Message; conversationId: string }) {
  if (message.direction !== 'outgoing' || message.private) return null;
  if (message.status === 'failed') return <NotSent message={message} conversationId={conversationId} />;
  if (message.status !== 'pending') return null;
  return (
    <Group gap={6} wrap="nowrap" role="status">
      <Loader size={10} color="gray" />
      <Text size="xs" c="dimmed">
        Sending…
      </Text>
    </Group>
  );
}

function NotSent({ message, conversationId }: { message: Message; conversationId: string }) {
  const retry = useRetryMessage(conversationId);
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" justify="flex-end">
      <Text size="xs" c="red" role="alert" style={{ display: 'flex', gap: 4, overflowWrap: 'anywhere' }}>
        <IconAlertCircle size={14} style={{ flexShrink: 0, marginTop: 1 }} aria-hidden />
        <span>Not sent: {message.delivery_error ?? 'the mail server did not take it.'}</span>
      </Text>
      <Button
        size="compact-xs"
        variant="light"
        color="red"
        leftSection={<IconRefresh size={12} />}
        loading={retry.isPending}
        onClick={() => retry.mutate(message)}
        style={{ flexShrink: 0 }}
      >
        Retry
      </Button>
    </Group>
  );
}

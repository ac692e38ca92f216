import { Button, Group, Loader, Text } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconChecks, IconClock, IconRefresh, type Icon } from '@tabler/icons-react';
import { useHeldConversation } from '../../api/queries';
import type { Message, MessageStatus } from '../../api/types';
import { isProviderChannel } from './inbox';
import { useRetryMessage } from './useConversationActions';

/**
 * Under a reply to the customer. Email and live chat: "Sending…" until the mail server takes it.
 * Messaging channels (Telegram, SMS, WhatsApp…), whose providers send receipts: a clock while
 * queued, one check once the provider took it, two when delivered, two in colour once read.
 * A reply that was not sent says why, with Retry.
 */
export function DeliveryStatus({ message, conversationId }: { message: Message; conversationId: string }) {
  const channel = useHeldConversation(conversationId)?.channel;
  if (message.direction !== 'outgoing' || message.private) return null;
  if (message.status === 'failed') return <NotSent message={message} conversationId={conversationId} provider={Boolean(channel && isProviderChannel(channel))} />;
  if (channel && isProviderChannel(channel) && message.status && message.status in receipts) return <Receipt status={message.status} />;
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

const receipts: Partial<Record<MessageStatus, { icon: Icon; label: string; title: string; read?: boolean }>> = {
  pending: { icon: IconClock, label: 'Sending…', title: 'Waiting to be handed to the provider' },
  sent: { icon: IconCheck, label: 'Sent', title: 'The provider took the reply' },
  delivered: { icon: IconChecks, label: 'Delivered', title: 'It reached the customer’s device' },
  read: { icon: IconChecks, label: 'Read', title: 'The customer has read it', read: true },
};

function Receipt({ status }: { status: MessageStatus }) {
  const receipt = receipts[status];
  if (!receipt) return null;
  const ReceiptIcon = receipt.icon;
  return (
    <Text
      size="xs"
      c={receipt.read ? 'var(--mantine-color-blue-light-color)' : 'dimmed'}
      role="status"
      data-delivery={status}
      title={receipt.title}
      style={{ display: 'flex', alignItems: 'center', gap: 4 }}
    >
      <ReceiptIcon size={14} aria-hidden />
      {receipt.label}
    </Text>
  );
}

function NotSent({ message, conversationId, provider }: { message: Message; conversationId: string; provider: boolean }) {
  const retry = useRetryMessage(conversationId);
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" justify="flex-end">
      <Text size="xs" c="red" role="alert" style={{ display: 'flex', gap: 4, overflowWrap: 'anywhere' }}>
        <IconAlertCircle size={14} style={{ flexShrink: 0, marginTop: 1 }} aria-hidden />
        <span>Not sent: {message.delivery_error ?? (provider ? 'the provider did not take it.' : 'the mail server did not take it.')}</span>
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

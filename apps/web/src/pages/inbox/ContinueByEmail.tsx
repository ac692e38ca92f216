// "Continue by email": a conversation on another channel (a chat whose visitor has left, say) moves
// to one of the workspace's email inboxes, with its history, and replies go by email from then on.
import { Button, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconMail } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../api/client';
import { keys, useInboxes } from '../../api/queries';
import type { Conversation, Inbox } from '../../api/types';

interface Move {
  conversationId: string;
  inbox: Inbox;
}

/** POST /conversations/:id/move; the conversation, its thread (the system message) and the lists refresh. */
function useMoveConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ conversationId, inbox }: Move) => api.post<Conversation>(`/conversations/${conversationId}/move`, { inbox_id: inbox.id }),
    onSuccess: (conversation, { inbox }) => {
      queryClient.setQueryData(keys.conversation(conversation.id), conversation);
      const to = conversation.contact?.email;
      const where = conversation.inbox.name || inbox.name;
      notifications.show({ color: 'teal', message: to ? `Moved to ${where}: replies now go by email to ${to}` : `Moved to ${where}: replies now go by email` });
    },
    // The server says why in a sentence (no email address on the contact, say): show it as it is.
    onError: (err) => notifications.show({ color: 'red', title: 'Could not continue by email', message: errorMessage(err) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.conversations }),
  });
}

interface Props {
  conversation: Conversation;
  /** Narrow screens: a shorter button, without its icon. */
  compact?: boolean;
}

/** A menu of the email inboxes I work in; hidden on email conversations and when there is none. */
export function ContinueByEmail({ conversation, compact }: Props) {
  const inboxes = useInboxes();
  const move = useMoveConversation();
  const targets = (inboxes.data ?? []).filter((i) => i.channel === 'email' && i.id !== conversation.inbox.id);
  if (conversation.channel === 'email' || targets.length === 0) return null;
  const address = conversation.contact?.email;

  return (
    <Menu position="bottom-end" withinPortal width={280}>
      <Menu.Target>
        {/* On a phone the short label keeps the header's actions on one line; the name stays whole. */}
        <Button
          size="xs"
          variant="default"
          leftSection={compact ? undefined : <IconMail size={14} />}
          rightSection={<IconChevronDown size={12} />}
          loading={move.isPending}
          aria-label={compact ? 'Continue by email' : undefined}
        >
          {compact ? 'Email' : 'Continue by email'}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Move to an email inbox</Menu.Label>
        {targets.map((inbox) => (
          <Menu.Item key={inbox.id} leftSection={<IconMail size={14} />} onClick={() => move.mutate({ conversationId: conversation.id, inbox })}>
            <Text size="sm">{inbox.name}</Text>
            {inbox.email && (
              <Text size="xs" c="dimmed">
                {inbox.email}
              </Text>
            )}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Text size="xs" c="dimmed" px="sm" py={6}>
          {address ? `The history moves with it; replies go by email to ${address}.` : 'This customer has no email address on record yet.'}
        </Text>
      </Menu.Dropdown>
    </Menu>
  );
}

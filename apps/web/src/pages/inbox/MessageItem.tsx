import { Avatar, Badge, Box, Group, Stack, Text } from '@mantine/core';
import { IconChecks, IconLock } from '@tabler/icons-react';
import { useHeldConversation } from '../../api/queries';
import type { Message } from '../../api/types';
import type { Formatters } from '../../lib/format';
import { CallEntry } from './CallEntry';
import { DeliveryStatus } from './DeliveryStatus';
import { EmailMessage } from './email/EmailMessage';
import { isProviderChannel } from './inbox';
import classes from './Inbox.module.css';
import { MessageAttachments } from './MessageAttachments';
import { MessageMenu } from './handling/MessageMenu';

const isoTimestamp = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

interface Props {
  message: Message;
  conversationId: string;
  /** The conversation's subject, and whether this is its first message (emails show theirs then). */
  subject: string | null;
  first: boolean;
  fmt: Formatters;
}

/** Message text is always rendered as text, never as HTML (an email's HTML goes in a sandboxed frame). */
export function MessageItem({ message, conversationId, subject, first, fmt }: Props) {
  // On a messaging channel the delivery checks already say "Read".
  const channel = useHeldConversation(conversationId)?.channel;
  if (message.kind === 'system') return <SystemEvent message={message} fmt={fmt} />;
  if (message.kind === 'call' && message.call) return <CallEntry message={message} fmt={fmt} />;
  if (message.email) return <EmailMessage message={{ ...message, email: message.email }} conversationId={conversationId} subject={subject} first={first} fmt={fmt} />;
  const outgoing = message.direction === 'outgoing';
  const name = message.author?.name || message.bot?.name || (outgoing ? 'Agent' : 'Visitor');
  const attachments = message.attachments ?? [];
  const seen = outgoing && !message.private && message.status === 'read' && !(channel && isProviderChannel(channel));
  return (
    <Box component="li" data-kind="text" data-private={message.private || undefined} aria-label={message.private ? `Private note by ${name}` : `Message from ${name}`}>
      <Group gap="sm" align="flex-end" wrap="nowrap" justify={outgoing ? 'flex-end' : 'flex-start'}>
        {!outgoing && <Avatar size={28} radius="xl" color="initials" name={name} />}
        <Stack gap={4} align={outgoing ? 'flex-end' : 'flex-start'} style={{ minWidth: 0, flex: '0 1 auto', maxWidth: 'min(640px, 85%)' }}>
          <Group gap={6} wrap="wrap" justify={outgoing ? 'flex-end' : 'flex-start'}>
            <Text size="xs" fw={600}>
              {name}
            </Text>
            {message.private && (
              <Badge size="xs" color="yellow" variant="light" leftSection={<IconLock size={10} />}>
                Private note
              </Badge>
            )}
            {message.bot && (
              <Badge size="xs" color="grape" variant="light">
                Answer bot
              </Badge>
            )}
            <Text size="xs" c="dimmed" component="time" dateTime={message.created_at} title={fmt.dateTime(message.created_at)}>
              {fmt.smart(message.created_at)}
            </Text>
            {seen && (
              <Text size="xs" c="dimmed" className={classes.typing} title="The customer has seen this">
                <IconChecks size={12} aria-hidden />
                Seen
              </Text>
            )}
            <MessageMenu message={message} conversationId={conversationId} />
          </Group>
          {(message.content || attachments.length === 0) && (
            <Box className={classes.bubble} data-direction={message.direction} data-private={message.private || undefined}>
              <Text size="sm">
                {message.content}
              </Text>
            </Box>
          )}
          <MessageAttachments attachments={attachments} align={outgoing ? 'flex-end' : 'flex-start'} />
          <DeliveryStatus message={message} conversationId={conversationId} />
        </Stack>
        {outgoing && <Avatar size={28} radius="xl" color={message.private ? 'yellow' : 'indigo'} variant="filled" name={name} />}
      </Group>
    </Box>
  );
}

/** An event in the thread (assigned, resolved, snoozed…): a small centred line, not a bubble. */
function SystemEvent({ message, fmt }: { message: Message; fmt: Formatters }) {
  // The server writes instants as ISO timestamps; show them as the reader's local date and time.
  const text = message.content.replace(isoTimestamp, (iso) => fmt.dateTime(iso));
  return (
    <Box component="li" data-kind="system" className={classes.systemEvent}>
      <Text size="xs" c="dimmed" ta="center">
        {text}
        <Text span size="xs" c="dimmed" component="time" dateTime={message.created_at} title={fmt.dateTime(message.created_at)}>
          {' · '}
          {fmt.smart(message.created_at)}
        </Text>
      </Text>
    </Box>
  );
}

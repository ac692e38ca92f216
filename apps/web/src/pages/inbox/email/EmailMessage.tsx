import { MessageMenu } from '../handling/MessageMenu';
import { Alert, Avatar, Badge, Box, Group, Stack, Text } from '@mantine/core';
import { IconFileOff, IconLock, IconRobot, IconShieldExclamation } from '@tabler/icons-react';
import type { EmailDetails, Message } from '../../../api/types';
import type { Formatters } from '../../../lib/format';
import { DeliveryStatus } from '../DeliveryStatus';
import classes from '../Inbox.module.css';
import { MessageAttachments } from '../MessageAttachments';
import { EmailBody } from './EmailBody';
import { automatedLabels, formatAddress, sameSubject } from './emailText';

interface Props {
  message: Message & { email: EmailDetails };
  conversationId: string;
  /** The conversation's subject: a message's own is shown only when it differs (or on the first). */
  subject: string | null;
  first: boolean;
  fmt: Formatters;
}

/** An email in the thread: who sent it to whom, warnings about the sender, and its body. */
export function EmailMessage({ message, conversationId, subject, first, fmt }: Props) {
  const { email } = message;
  const outgoing = message.direction === 'outgoing';
  // A reply shows the teammate who wrote it, sent via the support address; an incoming email its sender.
  const name = (outgoing ? message.author?.name : null) || email.from?.name || message.author?.name || email.from?.address || (outgoing ? 'Agent' : 'Customer');
  const address = email.from && email.from.address !== name ? email.from.address : null;
  const showSubject = Boolean(email.subject) && (first || !sameSubject(email.subject, subject));
  const attachments = message.attachments ?? [];
  const blocked = email.blocked_attachments ?? [];

  return (
    <Box
      component="li"
      data-kind="email"
      data-direction={message.direction}
      aria-label={`Email from ${name}`}
      className={classes.email}
      data-private={message.private || undefined}
    >
      <Stack gap="xs" className={classes.emailCard} data-direction={message.direction} data-private={message.private || undefined}>
        <Group gap="sm" wrap="nowrap" align="flex-start" className={classes.emailHeader}>
          <Avatar size={32} radius="xl" color={outgoing ? 'indigo' : 'initials'} variant={outgoing ? 'filled' : undefined} name={name} />
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Group gap="xs" wrap="nowrap" justify="space-between" align="flex-start">
              <Group gap={6} wrap="wrap" style={{ minWidth: 0 }}>
                <Text size="sm" fw={600}>
                  {name}
                </Text>
                {address && (
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {outgoing ? `via ${address}` : `<${address}>`}
                  </Text>
                )}
                {message.private && (
                  <Badge size="xs" color="yellow" variant="light" leftSection={<IconLock size={10} />}>
                    Private note
                  </Badge>
                )}
                {email.automated && (
                  <Badge size="xs" color="gray" variant="light" leftSection={<IconRobot size={10} />}>
                    {automatedLabels[email.automated]}
                  </Badge>
                )}
                {email.suspicious && (
                  <Badge size="xs" color="orange" variant="light" leftSection={<IconShieldExclamation size={10} />}>
                    Suspicious sender
                  </Badge>
                )}
              </Group>
              <Group gap={2} wrap="nowrap" style={{ flexShrink: 0 }}>
                <Text size="xs" c="dimmed" component="time" dateTime={message.created_at} title={fmt.dateTime(message.created_at)}>
                  {fmt.smart(message.created_at)}
                </Text>
                <MessageMenu message={message} conversationId={conversationId} />
              </Group>
            </Group>
            <AddressLine label="To" people={email.to} />
            <AddressLine label="Cc" people={email.cc} />
            {showSubject && (
              <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                <Text span size="xs" c="dimmed">
                  Subject:{' '}
                </Text>
                <Text span size="xs" fw={600}>
                  {email.subject}
                </Text>
              </Text>
            )}
          </Stack>
        </Group>
        {email.suspicious && (
          <Alert color="orange" variant="light" icon={<IconShieldExclamation size={18} />} py="xs" mx="sm" title="Check before you trust this email">
            {email.suspicious}
          </Alert>
        )}
        <EmailBody email={email} content={message.content} title={`Email from ${name}`} />
        {attachments.length > 0 && (
          <Box px="sm" pb="sm">
            <MessageAttachments attachments={attachments} align="flex-start" />
          </Box>
        )}
        {blocked.length > 0 && (
          <Stack gap={2} px="sm" pb="sm" component="ul" aria-label="Files not kept" style={{ listStyle: 'none', margin: 0 }}>
            {blocked.map((b, i) => (
              <Text key={i} component="li" size="xs" c="dimmed" style={{ display: 'flex', gap: 4, overflowWrap: 'anywhere' }}>
                <IconFileOff size={14} style={{ flexShrink: 0 }} aria-hidden />
                <span>
                  Not kept: {b.file_name} ({b.reason})
                </span>
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
      {outgoing && (
        <Box mt={4}>
          <DeliveryStatus message={message} conversationId={conversationId} />
        </Box>
      )}
    </Box>
  );
}

function AddressLine({ label, people }: { label: string; people: EmailDetails['to'] }) {
  if (people.length === 0) return null;
  return (
    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
      {label}: {people.map(formatAddress).join(', ')}
    </Text>
  );
}

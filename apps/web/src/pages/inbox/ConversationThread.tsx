import { ActionIcon, Alert, Avatar, Badge, Box, Group, ScrollArea, Skeleton, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { useMessages } from '../../api/queries';
import type { Conversation, Message } from '../../api/types';
import { ErrorState } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import classes from './Inbox.module.css';
import { channelLabel, priorityColors, statusColors, statusLabels, titleCase } from './inbox';

export function ConversationThread({ conversation }: { conversation: Conversation }) {
  const messages = useMessages(conversation.id);
  const fmt = useFormat();
  const viewport = useRef<HTMLDivElement>(null);
  const contactName = conversation.contact?.name || conversation.contact?.email || 'Unknown visitor';

  useEffect(() => {
    const el = viewport.current;
    if (el && messages.data) el.scrollTo({ top: el.scrollHeight });
  }, [messages.data]);

  return (
    <>
      <Box className={classes.paneHeader}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Tooltip label="Back to conversations">
            <ActionIcon component={Link} to="/inbox" variant="subtle" color="gray" hiddenFrom="md" aria-label="Back to conversations">
              <IconArrowLeft size={18} />
            </ActionIcon>
          </Tooltip>
          <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
            <Title order={2} size="h4" lineClamp={2}>
              {conversation.subject || 'No subject'}
            </Title>
            <Group gap="xs" wrap="wrap">
              <Text size="sm" fw={500}>
                {contactName}
              </Text>
              {conversation.contact?.email && conversation.contact.name && (
                <Text size="sm" c="dimmed">
                  {conversation.contact.email}
                </Text>
              )}
            </Group>
            <Group gap={6} wrap="wrap">
              <Badge variant="light" color={statusColors[conversation.status]}>
                {statusLabels[conversation.status]}
              </Badge>
              <Badge variant="default">{channelLabel(conversation.channel)}</Badge>
              {conversation.priority && (
                <Badge variant="outline" color={priorityColors[conversation.priority] ?? 'gray'}>
                  {titleCase(conversation.priority)} priority
                </Badge>
              )}
              <Text size="xs" c="dimmed">
                {conversation.assignee ? `Assigned to ${conversation.assignee.name}` : 'Unassigned'}
              </Text>
            </Group>
          </Stack>
        </Group>
      </Box>

      <ScrollArea className={classes.messages} viewportRef={viewport} type="auto">
        <Stack gap="md" p={{ base: 'md', sm: 'lg' }} component="ol" style={{ listStyle: 'none', margin: 0 }} aria-label="Messages">
          {messages.isPending && <ThreadSkeleton />}
          {messages.isError && (
            <ErrorState error={messages.error} title="Could not load messages" onRetry={() => void messages.refetch()} />
          )}
          {messages.data?.length === 0 && (
            <Text c="dimmed" size="sm" ta="center" py="xl">
              No messages in this conversation yet.
            </Text>
          )}
          {messages.data?.map((m) => (
            <MessageItem key={m.id} message={m} time={fmt.smart(m.created_at)} title={fmt.dateTime(m.created_at)} />
          ))}
        </Stack>
      </ScrollArea>

      <Box className={classes.paneFooter}>
        <Alert variant="light" color="indigo" icon={<IconInfoCircle size={18} />} p="sm">
          <Text size="sm">
            This conversation is read-only for now. Replying from Rapport arrives with live chat.
          </Text>
        </Alert>
      </Box>
    </>
  );
}

function MessageItem({ message, time, title }: { message: Message; time: string; title: string }) {
  const outgoing = message.direction === 'outgoing';
  const name = message.author?.name || (outgoing ? 'Agent' : 'Visitor');
  return (
    <Box component="li">
      <Group gap="sm" align="flex-end" wrap="nowrap" justify={outgoing ? 'flex-end' : 'flex-start'}>
        {!outgoing && <Avatar size={28} radius="xl" color="initials" name={name} />}
        <Stack gap={4} align={outgoing ? 'flex-end' : 'flex-start'} style={{ minWidth: 0, flex: '0 1 auto' }}>
          <Group gap={6} wrap="wrap" justify={outgoing ? 'flex-end' : 'flex-start'}>
            <Text size="xs" fw={600}>
              {name}
            </Text>
            {message.private && (
              <Badge size="xs" color="yellow" variant="light" leftSection={<IconLock size={10} />} style={{ flexShrink: 0 }}>
                Private note
              </Badge>
            )}
            <Text size="xs" c="dimmed" component="time" dateTime={message.created_at} title={title}>
              {time}
            </Text>
          </Group>
          <Box className={classes.bubble} data-direction={message.direction} data-private={message.private || undefined}>
            <Text size="sm">{message.content}</Text>
          </Box>
        </Stack>
        {outgoing && <Avatar size={28} radius="xl" color="indigo" variant="filled" name={name} />}
      </Group>
    </Box>
  );
}

function ThreadSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading messages">
      {[60, 40, 70].map((w, i) => (
        <Group key={i} justify={i % 2 ? 'flex-end' : 'flex-start'}>
          <Skeleton height={56} width={`${w}%`} radius="lg" />
        </Group>
      ))}
    </Stack>
  );
}

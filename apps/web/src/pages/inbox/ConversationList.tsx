import { Avatar, Badge, Box, Button, Group, ScrollArea, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconFlag } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { Conversation } from '../../api/types';
import { useFormat } from '../../lib/format';
import classes from './Inbox.module.css';
import { SlaBadge } from './SlaBadge';
import { MoodBadge } from './mood/MoodBadge';
import { channelIcon, channelLabel, contactName, isProviderChannel, priorityColors, priorityLabels, statusColors, statusLabels } from './inbox';

interface Props {
  conversations: Conversation[] | undefined;
  loading: boolean;
  selectedId: string | undefined;
  onLoadMore?: () => void;
  loadingMore?: boolean;
  /** The list still shows the answer to the previous filters while the new one loads. */
  stale?: boolean;
  /** Shown above the list: errors and empty states. */
  children?: ReactNode;
}

export function ConversationList({ conversations, loading, selectedId, onLoadMore, loadingMore, stale, children }: Props) {
  const fmt = useFormat();
  const { search } = useLocation();

  return (
    <ScrollArea style={{ flex: 1 }} type="auto">
      {loading && <ListSkeleton />}
      {children}
      {conversations && conversations.length > 0 && (
        <nav aria-label="Conversations" aria-busy={stale || undefined} style={{ opacity: stale ? 0.6 : 1, transition: 'opacity 150ms' }}>
          {conversations.map((c) => {
            const active = c.id === selectedId;
            const urgent = c.priority === 'high' || c.priority === 'urgent';
            return (
              <Box
                key={c.id}
                component={Link}
                to={{ pathname: `/inbox/${c.id}`, search }}
                className={classes.item}
                data-active={active || undefined}
                data-conversation-id={c.id}
                aria-current={active ? 'page' : undefined}
              >
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <Avatar size={36} radius="xl" color="initials" name={contactName(c)} />
                  <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="sm" fw={c.unread_count > 0 ? 700 : 600} truncate>
                        {contactName(c)}
                      </Text>
                      <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} title={fmt.dateTime(c.last_message_at)}>
                        {fmt.relative(c.last_message_at)}
                      </Text>
                    </Group>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="sm" fw={c.unread_count > 0 ? 600 : 400} truncate>
                        {c.subject || 'No subject'}
                      </Text>
                      {isProviderChannel(c.channel) && <ChannelTag channel={c.channel} />}
                    </Group>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="xs" c="dimmed" truncate>
                        {c.last_message_preview || 'No messages yet'}
                      </Text>
                      <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
                        <MoodBadge conversation={c} />
                        <SlaBadge sla={c.sla} />
                        {urgent && (
                          <Tooltip label={`${priorityLabels[c.priority]} priority`}>
                            <IconFlag size={14} color={`var(--mantine-color-${priorityColors[c.priority]}-filled)`} aria-label={`${priorityLabels[c.priority]} priority`} />
                          </Tooltip>
                        )}
                        {c.assignee && (
                          <Tooltip label={`Assigned to ${c.assignee.name}`}>
                            <Avatar size={18} radius="xl" color="initials" name={c.assignee.name} aria-label={`Assigned to ${c.assignee.name}`} />
                          </Tooltip>
                        )}
                        {c.unread_count > 0 && (
                          <Badge size="xs" circle aria-label={`${c.unread_count} unread`}>
                            {c.unread_count}
                          </Badge>
                        )}
                        <Badge size="xs" variant="light" color={statusColors[c.status]}>
                          {statusLabels[c.status]}
                        </Badge>
                      </Group>
                    </Group>
                  </Stack>
                </Group>
              </Box>
            );
          })}
        </nav>
      )}
      {onLoadMore && (
        <Group justify="center" p="md">
          <Button variant="default" size="xs" loading={loadingMore} onClick={onLoadMore}>
            Load more
          </Button>
        </Group>
      )}
    </ScrollArea>
  );
}

/** A messaging channel's icon and name, so a Telegram or WhatsApp conversation is told apart at a glance. */
function ChannelTag({ channel }: { channel: string }) {
  const ChannelIcon = channelIcon(channel);
  return (
    <Text size="xs" c="dimmed" data-channel={channel} style={{ display: 'flex', alignItems: 'center', gap: 4, flexShrink: 0 }}>
      <ChannelIcon size={12} aria-hidden />
      {channelLabel(channel)}
    </Text>
  );
}

function ListSkeleton() {
  return (
    <Stack gap={0} aria-busy="true" aria-label="Loading conversations">
      {Array.from({ length: 6 }, (_, i) => (
        <Group key={i} gap="sm" p="md" wrap="nowrap" align="flex-start">
          <Skeleton circle height={36} />
          <Stack gap={8} style={{ flex: 1 }}>
            <Skeleton height={10} width="50%" radius="xl" />
            <Skeleton height={10} width="80%" radius="xl" />
            <Skeleton height={8} width="65%" radius="xl" />
          </Stack>
        </Group>
      ))}
    </Stack>
  );
}

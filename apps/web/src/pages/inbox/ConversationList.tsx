import { Avatar, Badge, Box, Button, Group, ScrollArea, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Conversation, ConversationStatus } from '../../api/types';
import { useFormat } from '../../lib/format';
import classes from './Inbox.module.css';
import { statusColors, statusLabels } from './inbox';

type Filter = 'all' | ConversationStatus;

interface Props {
  conversations: Conversation[] | undefined;
  loading: boolean;
  selectedId: string | undefined;
  onLoadMore?: () => void;
  loadingMore?: boolean;
  children?: React.ReactNode;
}

export function ConversationList({ conversations, loading, selectedId, onLoadMore, loadingMore, children }: Props) {
  const [filter, setFilter] = useState<Filter>('all');
  const unread = (conversations ?? []).reduce((n, c) => n + (c.unread_count > 0 ? 1 : 0), 0);
  useDocumentTitle(unread ? `(${unread}) Inbox · Rapport` : 'Inbox · Rapport');
  const fmt = useFormat();
  const visible = (conversations ?? []).filter((c) => filter === 'all' || c.status === filter);
  const openCount = (conversations ?? []).filter((c) => c.status === 'open').length;

  return (
    <>
      <Box className={classes.paneHeader}>
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <Title order={1} size="h3">
            Inbox
          </Title>
          {conversations && (
            <Text size="sm" c="dimmed">
              {openCount} open
            </Text>
          )}
        </Group>
        <SegmentedControl
          fullWidth
          size="xs"
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          aria-label="Filter conversations by status"
          data={[
            { value: 'all', label: 'All' },
            { value: 'open', label: 'Open' },
            { value: 'pending', label: 'Pending' },
            { value: 'resolved', label: 'Resolved' },
          ]}
        />
      </Box>
      <ScrollArea style={{ flex: 1 }} type="auto">
        {loading && <ListSkeleton />}
        {children}
        {conversations && conversations.length > 0 && visible.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" p="xl">
            No {filter} conversations.
          </Text>
        )}
        <nav aria-label="Conversations">
          {visible.map((c) => {
            const active = c.id === selectedId;
            const name = c.contact?.name || c.contact?.email || 'Unknown visitor';
            return (
              <Box
                key={c.id}
                component={Link}
                to={`/inbox/${c.id}`}
                className={classes.item}
                data-active={active || undefined}
                aria-current={active ? 'page' : undefined}
              >
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <Avatar size={36} radius="xl" color="initials" name={name} />
                  <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="sm" fw={c.unread_count > 0 ? 700 : 600} truncate>
                        {name}
                      </Text>
                      <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} title={fmt.dateTime(c.last_message_at)}>
                        {fmt.relative(c.last_message_at)}
                      </Text>
                    </Group>
                    <Text size="sm" fw={c.unread_count > 0 ? 600 : 400} truncate>
                      {c.subject || 'No subject'}
                    </Text>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="xs" c="dimmed" truncate>
                        {c.last_message_preview || 'No messages yet'}
                      </Text>
                      <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
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
        {onLoadMore && (
          <Group justify="center" p="md">
            <Button variant="default" size="xs" loading={loadingMore} onClick={onLoadMore}>
              Load more
            </Button>
          </Group>
        )}
      </ScrollArea>
    </>
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

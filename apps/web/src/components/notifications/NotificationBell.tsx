import { ActionIcon, Anchor, Box, Button, Center, Divider, Group, Indicator, Loader, Popover, ScrollArea, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBell, IconChecks, IconSettings } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { type AppNotification, useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications, useUnreadNotifications } from '../../api/handling';
import { useFormat } from '../../lib/format';
import { ErrorState } from '../QueryStates';
import { AlertSettings } from './AlertSettings';
import classes from './NotificationBell.module.css';

/** The bell in the top bar: the unread count, and a panel of my notifications with links. */
export function NotificationBell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const unread = useUnreadNotifications().data ?? 0;
  const label = unread ? `Notifications, ${unread} unread` : 'Notifications';

  return (
    <Popover opened={opened} onChange={(o) => !o && close()} position="bottom-end" width={380} shadow="md" withinPortal trapFocus returnFocus>
      <Popover.Target>
        <Tooltip label="Notifications" disabled={opened}>
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} aria-haspopup="dialog" aria-expanded={opened} onClick={toggle}>
            <Indicator disabled={!unread} label={unread > 99 ? '99+' : unread} size={16} offset={2} color="red" data-testid="unread-count">
              <IconBell size={20} />
            </Indicator>
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p={0} role="dialog" aria-label="Notifications">
        {opened && <NotificationPanel unread={unread} onClose={close} />}
      </Popover.Dropdown>
    </Popover>
  );
}

function NotificationPanel({ unread, onClose }: { unread: number; onClose: () => void }) {
  const list = useNotifications(true);
  const markAll = useMarkAllNotificationsRead();

  return (
    <Stack gap={0}>
      <Group justify="space-between" px="md" py="sm" wrap="nowrap">
        <Text fw={600} size="sm">
          Notifications
        </Text>
        <Button size="compact-xs" variant="subtle" leftSection={<IconChecks size={14} />} disabled={!unread} loading={markAll.isPending} onClick={() => markAll.mutate()}>
          Mark all read
        </Button>
      </Group>
      <Divider />
      <ScrollArea.Autosize mah={420} type="auto">
        {list.isPending ? (
          <Center p="lg" aria-busy="true">
            <Loader size="sm" aria-label="Loading notifications" />
          </Center>
        ) : list.isError ? (
          <Box p="sm">
            <ErrorState error={list.error} title="Could not load your notifications" onRetry={() => void list.refetch()} />
          </Box>
        ) : list.items?.length ? (
          <Box component="ul" className={classes.list} aria-label="Your notifications">
            {list.items.map((n) => (
              <NotificationItem key={n.id} notification={n} onOpen={onClose} />
            ))}
            {list.hasNextPage && (
              <Center component="li" p="xs">
                <Button size="compact-xs" variant="subtle" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                  Load more
                </Button>
              </Center>
            )}
          </Box>
        ) : (
          <Stack gap={4} p="lg" align="center">
            <IconBell size={24} color="var(--mantine-color-dimmed)" aria-hidden />
            <Text size="sm" fw={500}>
              Nothing new
            </Text>
            <Text size="xs" c="dimmed" ta="center">
              You hear here when a conversation is assigned to you, a teammate mentions you, or a conversation you follow gets a message.
            </Text>
          </Stack>
        )}
      </ScrollArea.Autosize>
      <Divider />
      <Box px="md" py="sm">
        <AlertSettings />
        <Anchor component={Link} to="/settings/profile#notifications" size="xs" mt="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }} onClick={onClose}>
          <IconSettings size={12} aria-hidden /> Choose what you get in the app and by email
        </Anchor>
      </Box>
    </Stack>
  );
}

function NotificationItem({ notification: n, onOpen }: { notification: AppNotification; onOpen: () => void }) {
  const fmt = useFormat();
  const navigate = useNavigate();
  const markRead = useMarkNotificationRead();
  const open = () => {
    if (!n.read) markRead.mutate(n.id);
    onOpen();
    if (n.conversation_id) void navigate(`/inbox/${n.conversation_id}`);
  };
  return (
    <li className={classes.item} data-unread={!n.read || undefined}>
      <UnstyledButton onClick={open} className={classes.button} aria-label={`${n.read ? '' : 'Unread: '}${n.title}`}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Box className={classes.dot} aria-hidden />
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Text size="sm" fw={n.read ? 400 : 600} lineClamp={2}>
              {n.title}
              {n.count > 1 ? ` (${n.count})` : ''}
            </Text>
            {n.body && (
              <Text size="xs" c="dimmed" lineClamp={2}>
                {n.body}
              </Text>
            )}
            <Text size="xs" c="dimmed" component="time" dateTime={n.updated_at} title={fmt.dateTime(n.updated_at)}>
              {fmt.smart(n.updated_at)}
            </Text>
          </Stack>
        </Group>
      </UnstyledButton>
    </li>
  );
}

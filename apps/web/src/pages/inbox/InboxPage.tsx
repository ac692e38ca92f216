import { Box, Button, Center, EmptyState, Loader, ScrollArea, Text, Title, useMantineTheme } from '@mantine/core';
import { SlaAlerts } from './SlaAlerts';
import { useDisclosure, useDocumentTitle, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconFilterOff, IconInbox, IconMessageCircle } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useConversation, useConversations } from '../../api/queries';
import type { ConversationChanges } from '../../api/types';
import { ErrorState } from '../../components/QueryStates';
import type { ComposerHandle } from './Composer';
import { ConversationFilters } from './ConversationFilters';
import { ConversationList } from './ConversationList';
import { ConversationThread } from './ConversationThread';
import { CustomerSidebar } from './CustomerSidebar';
import { ConnectionBanner } from './email/ConnectionBanner';
import { activeFilterCount, defaultFilters, filterParams, readFilters, type Filters } from './filters';
import classes from './Inbox.module.css';
import { ShortcutsHelp, useInboxShortcuts } from './shortcuts';
import { useUpdateConversation } from './useConversationActions';

export function InboxPage() {
  const { conversationId } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = readFilters(params);
  const query = filterParams(filters).toString();
  const conversations = useConversations(query);
  const list = conversations.items;
  const listed = list?.find((c) => c.id === conversationId);
  const single = useConversation(conversationId, listed);
  const selected = single.data;
  const update = useUpdateConversation();
  const composer = useRef<ComposerHandle>(null);
  const [help, helpModal] = useDisclosure(false);
  const filtered = activeFilterCount(filters) > 0;
  const theme = useMantineTheme();
  // Wide screens show the customer beside the thread; narrower ones open it from the header.
  const sidebar = useMediaQuery(`(min-width: ${theme.breakpoints.xl})`, true, { getInitialValueInEffect: false });
  const unread = (list ?? []).filter((c) => c.unread_count > 0).length;
  useDocumentTitle(unread ? `(${unread}) Inbox · Rapport` : 'Inbox · Rapport');

  const setFilters = (next: Filters) => setParams(filterParams(next), { replace: true });
  const change = (changes: ConversationChanges) => selected && update.mutate({ id: selected.id, changes });
  const saving = update.isPending && update.variables.id === selected?.id ? update.variables.changes : undefined;

  const step = (by: 1 | -1) => {
    if (!list?.length) return;
    // The address, not the last render: a quick "j j" moves two conversations, not one.
    const current = /^\/inbox\/([^/]+)/.exec(window.location.pathname)?.[1] ?? conversationId;
    const at = list.findIndex((c) => c.id === current);
    const next = at === -1 ? (by === 1 ? 0 : list.length - 1) : at + by;
    if (next < 0 || next >= list.length) return;
    void navigate({ pathname: `/inbox/${list[next].id}`, search: params.toString() ? `?${params.toString()}` : '' });
    document.querySelector(`[data-conversation-id="${list[next].id}"]`)?.scrollIntoView({ block: 'nearest' });
  };

  useInboxShortcuts({
    j: () => step(1),
    k: () => step(-1),
    r: () => composer.current?.focus('reply'),
    n: () => composer.current?.focus('note'),
    e: () => {
      if (!selected || selected.status === 'resolved' || update.isPending) return;
      update.mutate({ id: selected.id, changes: { status: 'resolved' } }, { onSuccess: () => notifications.show({ color: 'teal', message: 'Conversation resolved' }) });
    },
    '?': helpModal.toggle,
  });

  // A merged conversation lives on in the one it was merged into: open that one instead.
  const mergedInto = selected?.merged_into_id;
  useEffect(() => {
    if (!mergedInto) return;
    notifications.show({ id: `merged-${mergedInto}`, message: 'That conversation was merged into this one' });
    void navigate({ pathname: `/inbox/${mergedInto}`, search: params.toString() ? `?${params.toString()}` : '' }, { replace: true });
  }, [mergedInto, navigate, params]);

  const empty = list?.length === 0;
  return (
    <Box className={classes.layout} data-selected={conversationId ? true : undefined}>
      <SlaAlerts />
      <Box className={classes.listPane}>
        <ConversationFilters filters={filters} onChange={setFilters} onShowShortcuts={helpModal.open} />
        <ConnectionBanner />
        <ConversationList
          conversations={list}
          loading={conversations.isPending}
          selectedId={conversationId}
          onLoadMore={conversations.hasNextPage ? () => void conversations.fetchNextPage() : undefined}
          loadingMore={conversations.isFetchingNextPage}
          stale={conversations.isPlaceholderData}
        >
          {conversations.isError && (
            <Box p="md">
              <ErrorState title="Could not load conversations" error={conversations.error} onRetry={() => void conversations.refetch()} />
            </Box>
          )}
          {empty && !filtered && (
            <EmptyState
              py="xl"
              px="md"
              size="sm"
              variant="light"
              icon={<IconInbox size={22} />}
              title="No conversations yet"
              description="When customers reach out, their conversations show up here."
            />
          )}
          {empty && filtered && (
            <EmptyState py="xl" px="md" size="sm" variant="light" color="gray" icon={<IconFilterOff size={22} />} title="No conversations match">
              <Text size="sm" c="dimmed" ta="center">
                Nothing fits these filters right now.
              </Text>
              <EmptyState.Actions>
                <Button size="xs" variant="light" onClick={() => setFilters({ ...defaultFilters, sort: filters.sort })}>
                  Clear filters
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          )}
        </ConversationList>
      </Box>
      <Box className={classes.threadPane}>
        {selected ? (
          <ConversationThread key={selected.id} conversation={selected} onChange={change} saving={saving} composerRef={composer} />
        ) : conversationId && single.isPending ? (
          <Center style={{ flex: 1 }} aria-busy="true" aria-label="Loading conversation">
            <Loader type="dots" />
          </Center>
        ) : conversationId && !isApiError(single.error, 'not_found') && single.isError ? (
          <Center style={{ flex: 1 }} p="xl">
            <ErrorState title="Could not load this conversation" error={single.error} onRetry={() => void single.refetch()} />
          </Center>
        ) : (
          <Center style={{ flex: 1 }} p="xl">
            <EmptyState
              variant="light"
              icon={<IconMessageCircle size={26} />}
              title={conversationId ? 'Conversation not found' : 'No conversation selected'}
              description={
                conversationId
                  ? 'It may have been removed, or it belongs to an inbox you do not work in.'
                  : empty && !filtered
                    ? 'Your inbox is empty. Create a live chat or email inbox in Settings → Inboxes to start receiving conversations.'
                    : 'Pick a conversation from the list to read it. Press ? for keyboard shortcuts.'
              }
            />
          </Center>
        )}
      </Box>
      {sidebar && selected?.contact && (
        <Box component="aside" className={classes.sidebarPane} aria-labelledby="customer-sidebar-title">
          <Box className={classes.paneHeader}>
            <Title order={2} size="h5" id="customer-sidebar-title">
              Customer
            </Title>
          </Box>
          <ScrollArea style={{ flex: 1 }} type="auto">
            <Box p="md">
              <CustomerSidebar key={selected.contact.id} contactId={selected.contact.id} conversationId={selected.id} />
            </Box>
          </ScrollArea>
        </Box>
      )}
      <ShortcutsHelp opened={help} onClose={helpModal.close} />
    </Box>
  );
}

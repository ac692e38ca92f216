import { Box, Center, EmptyState, Loader } from '@mantine/core';
import { IconInbox, IconMessageCircle } from '@tabler/icons-react';
import { useParams } from 'react-router-dom';
import { useConversation, useConversations } from '../../api/queries';
import { ErrorState } from '../../components/QueryStates';
import { ConversationList } from './ConversationList';
import { ConversationThread } from './ConversationThread';
import classes from './Inbox.module.css';

export function InboxPage() {
  const { conversationId } = useParams();
  const conversations = useConversations();
  const list = conversations.items;
  const inList = list?.find((c) => c.id === conversationId);
  const single = useConversation(conversationId, Boolean(list) && !inList);
  const selected = inList ?? single.data;
  const empty = list?.length === 0;

  return (
    <Box className={classes.layout} data-selected={conversationId ? true : undefined}>
      <Box className={classes.listPane}>
        <ConversationList
          conversations={list}
          loading={conversations.isPending}
          selectedId={conversationId}
          onLoadMore={conversations.hasNextPage ? () => void conversations.fetchNextPage() : undefined}
          loadingMore={conversations.isFetchingNextPage}
        >
          {conversations.isError && (
            <Box p="md">
              <ErrorState
                title="Could not load conversations"
                error={conversations.error}
                onRetry={() => void conversations.refetch()}
              />
            </Box>
          )}
          {empty && (
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
        </ConversationList>
      </Box>
      <Box className={classes.threadPane}>
        {selected ? (
          <ConversationThread key={selected.id} conversation={selected} />
        ) : conversationId && !single.isError && !conversations.isError ? (
          <Center style={{ flex: 1 }} aria-busy="true" aria-label="Loading conversation">
            <Loader type="dots" />
          </Center>
        ) : (
          <Center style={{ flex: 1 }} p="xl">
            <EmptyState
              variant="light"
              icon={<IconMessageCircle size={26} />}
              title={conversationId && single.isError ? 'Conversation not found' : 'No conversation selected'}
              description={
                conversationId && single.isError
                  ? 'It may have been removed, or it belongs to another workspace.'
                  : empty
                    ? 'Your inbox is empty. Live chat and email channels are on the way.'
                    : 'Pick a conversation from the list to read it.'
              }
            />
          </Center>
        )}
      </Box>
    </Box>
  );
}

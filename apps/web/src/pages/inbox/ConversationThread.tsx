import { Box, Group, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect, useRef, type Ref } from 'react';
import { useMessages } from '../../api/queries';
import type { Conversation, ConversationChanges } from '../../api/types';
import { ErrorState } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { Composer, type ComposerHandle } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import classes from './Inbox.module.css';
import { contactName } from './inbox';
import { MessageItem } from './MessageItem';

interface Props {
  conversation: Conversation;
  onChange: (changes: ConversationChanges) => void;
  saving: ConversationChanges | undefined;
  composerRef?: Ref<ComposerHandle>;
}

export function ConversationThread({ conversation, onChange, saving, composerRef }: Props) {
  const messages = useMessages(conversation.id);
  const fmt = useFormat();
  const viewport = useRef<HTMLDivElement>(null);
  const count = messages.data?.length ?? 0;

  // Keep the newest message in view as the thread grows.
  useEffect(() => {
    const el = viewport.current;
    if (el && count) el.scrollTo({ top: el.scrollHeight });
  }, [count]);

  return (
    <>
      <ConversationHeader conversation={conversation} onChange={onChange} saving={saving} />
      <ScrollArea className={classes.messages} viewportRef={viewport} type="auto">
        <Box p={{ base: 'md', sm: 'lg' }}>
          {messages.isPending && <ThreadSkeleton />}
          {messages.isError && (
            <ErrorState error={messages.error} title="Could not load messages" onRetry={() => void messages.refetch()} />
          )}
          {messages.data?.length === 0 && (
            <Text c="dimmed" size="sm" ta="center" py="xl">
              No messages in this conversation yet.
            </Text>
          )}
          {count > 0 && (
            <Stack gap="md" component="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label="Messages">
              {messages.data?.map((m) => <MessageItem key={m.id} message={m} fmt={fmt} />)}
            </Stack>
          )}
        </Box>
      </ScrollArea>
      <Composer ref={composerRef} conversationId={conversation.id} contactName={contactName(conversation)} />
    </>
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

import { Box, Group, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect, useRef, type Ref } from 'react';
import { useMessages } from '../../api/queries';
import type { Conversation, ConversationChanges } from '../../api/types';
import { ErrorState } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { CollisionBar, useCollision } from './collision';
import { Composer, type ComposerHandle } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import classes from './Inbox.module.css';
import { contactName } from './inbox';
import { MessageItem } from './MessageItem';
import { useMarkRead } from './useMarkRead';

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
  const content = useRef<HTMLDivElement>(null);
  // Whether the reader is at the newest message: then the thread follows as it grows (images loading, say).
  const atBottom = useRef(true);
  const lastTop = useRef(0);
  const count = messages.data?.length ?? 0;
  const { viewers, typers } = useCollision(conversation.id);
  const unreadSeq = (messages.data ?? []).reduce((newest, m) => (m.direction === 'incoming' && !m.private && m.kind !== 'system' && m.status !== 'read' ? Math.max(newest, m.seq) : newest), 0);
  useMarkRead(conversation.id, unreadSeq, conversation.unread_count);
  const firstId = messages.data?.find((m) => m.kind !== 'system')?.id;

  // Keep the newest message in view as the thread grows.
  useEffect(() => {
    const el = viewport.current;
    if (el && count) el.scrollTo({ top: el.scrollHeight });
  }, [count]);

  useEffect(() => {
    const el = viewport.current;
    if (!el || !content.current) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) el.scrollTo({ top: el.scrollHeight });
    });
    // The content grows (an image loads) or the viewport shrinks (the composer grows): stay at the bottom.
    observer.observe(content.current);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  return (
    <>
      <ConversationHeader conversation={conversation} onChange={onChange} saving={saving} />
      <ScrollArea
        className={classes.messages}
        viewportRef={viewport}
        type="auto"
        onScrollPositionChange={({ y }) => {
          const el = viewport.current;
          if (!el) return;
          // Only scrolling up leaves the bottom: content that grew meanwhile must not count as the reader leaving.
          const near = el.scrollHeight - y - el.clientHeight < 80;
          if (y < lastTop.current - 1) atBottom.current = near;
          else if (near) atBottom.current = true;
          lastTop.current = y;
        }}
      >
        <Box p={{ base: 'md', sm: 'lg' }} ref={content}>
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
              {messages.data?.map((m) => (
                <MessageItem key={m.id} message={m} conversationId={conversation.id} subject={conversation.subject} first={m.id === firstId} fmt={fmt} />
              ))}
            </Stack>
          )}
        </Box>
      </ScrollArea>
      <CollisionBar viewers={viewers} typers={typers} />
      <Composer
        ref={composerRef}
        conversationId={conversation.id}
        inboxId={conversation.inbox.id}
        contactName={contactName(conversation)}
        emailTo={conversation.channel === 'email' ? (conversation.contact?.email ?? contactName(conversation)) : undefined}
        defaultMode={conversation.channel === 'phone' ? 'note' : 'reply'}
      />
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

import { Box, Button, Group, SegmentedControl, Text, Textarea } from '@mantine/core';
import { IconLock, IconSend } from '@tabler/icons-react';
import { useImperativeHandle, useRef, useState, type FormEvent, type KeyboardEvent, type Ref } from 'react';
import { errorMessage } from '../../api/client';
import classes from './Inbox.module.css';
import { MESSAGE_MAX, newClientMessageId, useSendMessage } from './useConversationActions';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  focus: (mode: ComposerMode) => void;
}

interface Props {
  conversationId: string;
  contactName: string;
  ref?: Ref<ComposerHandle>;
}

// Unsent text per conversation, kept while the agent looks at other conversations.
const drafts = new Map<string, string>();

/** Writes a reply to the customer or a private note. Enter sends, Shift+Enter starts a new line. */
export function Composer({ conversationId, contactName, ref }: Props) {
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  // The id of a send that failed: sending the same text again reuses it, so a retry never doubles a message.
  const pending = useRef<{ id: string; content: string; note: boolean } | null>(null);
  const send = useSendMessage(conversationId);
  const note = mode === 'note';
  const length = text.trim().length;
  const tooLong = length > MESSAGE_MAX;

  useImperativeHandle(ref, () => ({
    focus: (next) => {
      setMode(next);
      input.current?.focus();
    },
  }));

  const update = (value: string) => {
    setText(value);
    setError(null);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
  };

  const submit = async () => {
    const content = text.trim();
    if (!content || tooLong || send.isPending) return;
    const retry = pending.current;
    const id = retry && retry.content === content && retry.note === note ? retry.id : newClientMessageId();
    pending.current = { id, content, note };
    setError(null);
    try {
      await send.mutateAsync({ content, private: note, client_message_id: id });
      pending.current = null;
      update('');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      event.currentTarget.blur();
    }
  };

  return (
    <Box
      component="form"
      aria-label="Write a message"
      className={`${classes.paneFooter} ${classes.composer}`}
      data-mode={mode}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Group justify="space-between" gap="xs" mb="xs" wrap="nowrap">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => {
            setMode(v as ComposerMode);
            input.current?.focus();
          }}
          aria-label="Message type"
          data={[
            { value: 'reply', label: 'Reply' },
            { value: 'note', label: 'Private note' },
          ]}
        />
        <Text size="xs" c="dimmed" visibleFrom="sm" ta="right">
          Enter to send · Shift+Enter for a new line
        </Text>
      </Group>
      <Textarea
        ref={input}
        aria-label={note ? 'Private note' : 'Reply'}
        placeholder={note ? 'Only your team sees notes' : `Reply to ${contactName}…`}
        value={text}
        onChange={(e) => update(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        readOnly={send.isPending}
        autosize
        minRows={2}
        maxRows={8}
        error={error}
        classNames={{ input: classes.composerInput }}
      />
      <Group justify="space-between" gap="xs" mt="xs" wrap="nowrap">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          {note && (
            <Text size="xs" c="var(--mantine-color-yellow-light-color)" fw={500} style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
              <IconLock size={12} />
              Not sent to the customer
            </Text>
          )}
          {length >= MESSAGE_MAX * 0.9 && (
            <Text size="xs" c={tooLong ? 'red' : 'dimmed'} aria-live="polite">
              {length.toLocaleString()} / {MESSAGE_MAX.toLocaleString()}
              {tooLong && ' · too long to send'}
            </Text>
          )}
        </Group>
        <Button
          type="submit"
          loading={send.isPending}
          disabled={!length || tooLong}
          color={note ? 'yellow' : undefined}
          autoContrast
          rightSection={note ? <IconLock size={16} /> : <IconSend size={16} />}
        >
          {note ? 'Add note' : 'Send'}
        </Button>
      </Group>
    </Box>
  );
}

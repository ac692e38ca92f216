import { ActionIcon, Box, Button, FileButton, Group, SegmentedControl, Text, Textarea, Tooltip } from '@mantine/core';
import { IconLock, IconMail, IconPaperclip, IconSend } from '@tabler/icons-react';
import { useImperativeHandle, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent, type Ref } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage, isApiError } from '../../api/client';
import { keys } from '../../api/queries';
import { AttachmentChips } from './composer/AttachmentChips';
import { ArticlePicker } from './composer/ArticlePicker';
import { EmojiPicker } from './composer/EmojiPicker';
import { ReplyWindowNote } from './composer/ReplyWindowNote';
import { MentionList, mentionedIds, useMentionables, useMentions } from './composer/mentions';
import { CannedList, useCannedPicker } from './composer/cannedResponses';
import { DraftReplyButton } from './composer/DraftReplyButton';
import { useAttachments } from './composer/useAttachments';
import { useTypingSignal } from './collision';
import classes from './Inbox.module.css';
import { MESSAGE_MAX, newClientMessageId, useSendMessage } from './useConversationActions';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  focus: (mode: ComposerMode) => void;
}

interface Props {
  conversationId: string;
  inboxId: string;
  contactName: string;
  /** In an email conversation: where a reply goes. */
  emailTo?: string;
  /** Where the composer starts: a private note on channels that carry no written replies (the phone). */
  defaultMode?: ComposerMode;
  ref?: Ref<ComposerHandle>;
}

// Unsent text per conversation, kept while the agent looks at other conversations.
const drafts = new Map<string, string>();

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

/** Writes a reply to the customer or a private note, with files, emoji and (in notes) @mentions. Enter sends. */
export function Composer({ conversationId, inboxId, contactName, emailTo, defaultMode = 'reply', ref }: Props) {
  const [mode, setMode] = useState<ComposerMode>(defaultMode);
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const [caret, setCaret] = useState(text.length);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  // The id of a send that failed: sending the same message again reuses it, so a retry never doubles it.
  const pending = useRef<{ id: string; signature: string } | null>(null);
  const send = useSendMessage(conversationId);
  const queryClient = useQueryClient();
  const files = useAttachments(conversationId);
  const typing = useTypingSignal(conversationId);
  const people = useMentionables(inboxId);
  const note = mode === 'note';
  const length = text.trim().length;
  const tooLong = length > MESSAGE_MAX;
  const sendable = (length > 0 || files.attachments.length > 0) && !tooLong && !files.uploading;

  useImperativeHandle(ref, () => ({
    focus: (next) => {
      setMode(next);
      input.current?.focus();
    },
  }));

  const update = (value: string, cursor = value.length) => {
    setText(value);
    setCaret(cursor);
    setError(null);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
    typing.typed(value, note);
  };

  /** Puts `insert` in place of text[from, to) and leaves the caret after it. */
  const splice = (from: number, to: number, insert: string) => {
    const next = text.slice(0, from) + insert + text.slice(to);
    const cursor = from + insert.length;
    update(next, cursor);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(cursor, cursor);
    });
  };

  const mentions = useMentions({ enabled: note, text, caret, people, onPick: (from, insert) => splice(from, caret, insert) });
  const canned = useCannedPicker({ conversationId, text, caret, onPick: (from, insert) => splice(from, caret, insert) });

  const submit = async () => {
    if (!sendable || send.isPending) return;
    const content = text.trim();
    const attachmentIds = files.attachments.map((a) => a.id);
    const mentionIds = note ? mentionedIds(content, people) : [];
    const signature = JSON.stringify([content, note, attachmentIds]);
    const id = pending.current?.signature === signature ? pending.current.id : newClientMessageId();
    pending.current = { id, signature };
    setError(null);
    try {
      await send.mutateAsync({
        content,
        private: note,
        client_message_id: id,
        ...(attachmentIds.length ? { attachment_ids: attachmentIds } : {}),
        ...(mentionIds.length ? { mentions: mentionIds } : {}),
      });
      pending.current = null;
      files.clear();
      update('');
      typing.stop();
    } catch (err) {
      setError(errorMessage(err));
      // The reply window closed meanwhile: the composer offers a template once it knows.
      if (isApiError(err, 'reply_window_closed')) void queryClient.invalidateQueries({ queryKey: keys.conversation(conversationId) });
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(event) || canned.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      event.currentTarget.blur();
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = Array.from(event.clipboardData.files);
    if (pasted.length === 0) return;
    event.preventDefault();
    files.add(pasted);
  };

  const trackCaret = () => setCaret(input.current?.selectionStart ?? text.length);

  return (
    <Box
      component="form"
      aria-label="Write a message"
      className={`${classes.paneFooter} ${classes.composer} ${classes.dropZone}`}
      data-mode={mode}
      data-dragging={dragging || undefined}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void submit();
      }}
      onDragOver={(e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e: DragEvent) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        files.add(Array.from(e.dataTransfer.files));
      }}
    >
      <Group justify="space-between" gap="xs" mb="xs" wrap="nowrap">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => {
            setMode(v as ComposerMode);
            // A reply being typed is shown to the customer, a note is not: say which it is now.
            typing.typed(text, v === 'note');
            input.current?.focus();
          }}
          aria-label="Message type"
          data={[
            { value: 'reply', label: 'Reply' },
            { value: 'note', label: 'Private note' },
          ]}
        />
        <Text size="xs" c="dimmed" visibleFrom="sm" ta="right">
          {note ? 'Type @ to mention a teammate · / for a canned response' : 'Type / for a canned response · Enter to send'}
        </Text>
      </Group>
      {!note && <ReplyWindowNote conversationId={conversationId} onTemplateSent={() => setError(null)} />}
      <AttachmentChips files={files.files} onRemove={files.remove} />
      <Box pos="relative">
        <MentionList mentions={mentions} />
        <CannedList picker={canned} />
        <Textarea
          ref={input}
          aria-label={note ? 'Private note' : 'Reply'}
          placeholder={note ? 'Only your team sees notes' : `Reply to ${contactName}…`}
          value={text}
          onChange={(e) => update(e.currentTarget.value, e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onKeyUp={trackCaret}
          onClick={trackCaret}
          onPaste={onPaste}
          onBlur={() => typing.stop()}
          readOnly={send.isPending}
          autosize
          minRows={2}
          maxRows={8}
          error={error}
          classNames={{ input: classes.composerInput }}
          {...(canned.open ? canned.inputProps : mentions.inputProps)}
        />
      </Box>
      <Group justify="space-between" gap="xs" mt="xs" wrap="nowrap">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <FileButton onChange={(picked) => files.add(picked)} multiple accept={files.accept}>
            {(props) => (
              <Tooltip label="Attach files">
                <ActionIcon {...props} variant="subtle" color="gray" aria-label="Attach files" disabled={send.isPending}>
                  <IconPaperclip size={18} />
                </ActionIcon>
              </Tooltip>
            )}
          </FileButton>
          <EmojiPicker disabled={send.isPending} onPick={(emoji) => splice(input.current?.selectionStart ?? caret, input.current?.selectionEnd ?? caret, emoji)} />
          <ArticlePicker conversationId={conversationId} disabled={send.isPending} onInsert={(article) => splice(caret, caret, article)} />
          {!note && (
            <DraftReplyButton
              conversationId={conversationId}
              disabled={send.isPending}
              // The draft goes after what the agent already wrote, never over it.
              onDraft={(draft) => splice(text.length, text.length, text.trim() ? `\n\n${draft}` : draft)}
              onError={setError}
            />
          )}
          {note && (
            <Text size="xs" c="var(--mantine-color-yellow-light-color)" fw={500} style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
              <IconLock size={12} />
              Not sent to the customer
            </Text>
          )}
          {!note && emailTo && (
            <Text size="xs" c="dimmed" truncate title={`Reply goes by email to ${emailTo}`} style={{ display: 'flex', alignItems: 'center', gap: 4, minWidth: 0 }}>
              <IconMail size={12} style={{ flexShrink: 0 }} aria-hidden />
              {/* Phones have room for the address only. */}
              <Text span inherit visibleFrom="sm" style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                Reply goes by email to {emailTo}
              </Text>
              <Text span inherit hiddenFrom="sm" style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                To {emailTo}
              </Text>
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
          disabled={!sendable}
          color={note ? 'yellow' : undefined}
          autoContrast
          rightSection={note ? <IconLock size={16} /> : <IconSend size={16} />}
          style={{ flexShrink: 0 }}
        >
          {note ? 'Add note' : 'Send'}
        </Button>
      </Group>
    </Box>
  );
}

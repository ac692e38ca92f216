// Changing a conversation and writing in it. After each change the conversation, its messages and
// the lists are fetched again (realtime updates arrive later; nothing polls).
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../api/client';
import { keys, mergeMessages, replaceMessage, staleThreads } from '../../api/queries';
import type { Conversation, ConversationChanges, Message, MessageTemplate } from '../../api/types';

export const MESSAGE_MAX = 10_000;

export interface ConversationUpdate {
  id: string;
  changes: ConversationChanges;
}

export function useUpdateConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: ConversationUpdate) => api.patch<Conversation>(`/conversations/${id}`, changes),
    onSuccess: (conversation) => queryClient.setQueryData(keys.conversation(conversation.id), conversation),
    onError: (err) => notifications.show({ color: 'red', title: 'Could not update the conversation', message: errorMessage(err) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.conversations }),
  });
}

export interface NewMessage {
  content: string;
  private: boolean;
  client_message_id: string;
  attachment_ids?: string[];
  /** Teammates mentioned in a private note. */
  mentions?: string[];
  /** An approved template instead of free text (WhatsApp once its window closed); `content` then says what was sent. */
  template?: MessageTemplate;
}

export function useSendMessage(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (message: NewMessage) => api.post<Message>(`/conversations/${id}/messages`, message),
    onSuccess: (message) => {
      queryClient.setQueryData<Message[]>(keys.messages(message.conversation_id ?? id), (current) => mergeMessages(current ?? [], [message]));
      void queryClient.invalidateQueries({ queryKey: keys.conversations });
    },
  });
}

/**
 * Sends a failed email reply again. The message shows "Sending…" at once; the server's answer only
 * lands if no live update about the message came meanwhile (that one is newer).
 */
export function useRetryMessage(conversationId: string) {
  const queryClient = useQueryClient();
  const key = keys.messages(conversationId);
  const held = (id: string) => queryClient.getQueryData<Message[]>(key)?.find((m) => m.id === id);
  const put = (message: Message) => queryClient.setQueryData<Message[]>(key, (current) => (current ? replaceMessage(current, message) : current));
  return useMutation({
    mutationFn: (message: Message) => api.post<Message>(`/conversations/${conversationId}/messages/${message.id}/retry`),
    onMutate: (message) => {
      const sending: Message = { ...message, status: 'pending', delivery_error: null };
      put(sending);
      return { before: message, sending };
    },
    onSuccess: (message, _vars, context) => {
      if (held(message.id) === context.sending) put(message);
    },
    onError: (err, message, context) => {
      if (context && held(message.id) === context.sending) put(context.before);
      notifications.show({ color: 'red', title: 'Could not send the reply again', message: errorMessage(err) });
      // Refused as no longer failed (sent meanwhile, say): show the message as the server has it.
      staleThreads.add(conversationId);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}

/** A fresh id for a message, so that sending it again never makes a second one. */
export function newClientMessageId(): string {
  // randomUUID needs a secure context; a self-hosted server on plain http on the LAN is not one.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

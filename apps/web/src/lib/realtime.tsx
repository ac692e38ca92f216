// Live updates for the agent app: one WebSocket to /api/v1/realtime. Durable events update the
// cached conversations and threads in place; after a dropped connection the app resyncs from the
// API. Ephemeral events (typing, viewing; their id is null) go to whoever subscribed, and the app
// sends its own frames (typing, viewing, activity) over the same socket.
import { Badge, Tooltip } from '@mantine/core';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useEffectEvent, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { keys, mergeMessages, replaceMessage, staleThreads } from '../api/queries';
import type { Conversation, Message, Presence, PresenceStatus } from '../api/types';
import { useIdleReporter } from './activity';
import { alertForMessage, alertForNotification, type NotificationAlert } from './alerts';
import { handlingKeys } from '../api/handling';
import { useSession } from './session';

type Status = 'connecting' | 'live' | 'offline';

/** An event from the server; `id` is null for ephemeral ones (typing, viewing, presence). */
export interface RealtimeEvent {
  id: string | null;
  event: string;
  conversation_id: string | null;
  inbox_id: string | null;
  data: unknown;
}

/** What the app tells the server (see the realtime contract). */
export type ClientFrame =
  | { type: 'typing'; conversation_id: string; private: boolean }
  | { type: 'typing'; conversation_id: string; typing: false }
  | { type: 'viewing'; conversation_id: string; viewing?: false }
  | { type: 'activity'; idle: boolean };

interface Channel {
  /** Sends a frame now, or drops it while disconnected (every frame is re-sent on its own schedule). */
  send: (frame: ClientFrame) => void;
  subscribe: (listener: (event: RealtimeEvent) => void) => () => void;
}

const StatusContext = createContext<Status>('connecting');
const ChannelContext = createContext<Channel>({ send: () => {}, subscribe: () => () => {} });

interface ServerFrame {
  type: string;
  id?: string | null;
  event?: string;
  conversation_id?: string | null;
  inbox_id?: string | null;
  data?: unknown;
}

/** How many durable event ids are remembered to drop a repeat (a reconnect can replay a few). */
const SEEN_IDS = 500;

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { user } = useSession();
  const [status, setStatus] = useState<Status>('connecting');
  const [channel] = useState(() => createChannel());
  useIdleReporter(channel.send, status === 'live');

  const handle = useEffectEvent((event: RealtimeEvent) => {
    applyToCache(queryClient, event);
    if (event.event === 'message.created') {
      const message = (event.data as { message?: Message }).message;
      const conversationId = message?.conversation_id ?? event.conversation_id;
      // Never alert anyone about what they wrote themselves.
      if (message && conversationId && message.author?.id !== user.id) alertForMessage(message, conversationId, navigate);
    }
    if (event.event === 'notification.created') alertForNotification(event.data as NotificationAlert, navigate);
    channel.dispatch(event);
  });

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;
    const seen = new Set<string>();

    const onEvent = (event: RealtimeEvent) => {
      if (event.id !== null) {
        if (seen.has(event.id)) return;
        seen.add(event.id);
        if (seen.size > SEEN_IDS) seen.delete(seen.values().next().value as string);
      }
      handle(event);
    };

    const connect = () => {
      setStatus('connecting');
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`);
      socket = ws;
      ws.onmessage = (message: MessageEvent<string>) => {
        let frame: ServerFrame;
        try {
          frame = JSON.parse(message.data) as ServerFrame;
        } catch {
          return;
        }
        if (frame.type === 'ready') {
          // Whatever happened while we were away is fetched again (threads ask only for what is new).
          if (attempts > 0) {
            for (const [key] of queryClient.getQueriesData({ queryKey: keys.conversations })) {
              if (key[2] === 'messages' && typeof key[1] === 'string') staleThreads.add(key[1]);
            }
            void queryClient.invalidateQueries({ queryKey: keys.conversations });
            void queryClient.invalidateQueries({ queryKey: keys.presence });
          }
          attempts = 0;
          channel.attach(ws);
          setStatus('live');
        } else if (frame.type === 'event' && frame.event) {
          onEvent({ id: frame.id ?? null, event: frame.event, conversation_id: frame.conversation_id ?? null, inbox_id: frame.inbox_id ?? null, data: frame.data ?? {} });
        }
      };
      ws.onclose = () => {
        channel.attach(null);
        if (stopped) return;
        setStatus('offline');
        attempts += 1;
        retry = setTimeout(connect, Math.min(30_000, 500 * 2 ** Math.min(attempts, 6)));
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      channel.attach(null);
      socket?.close();
    };
  }, [queryClient, channel]);

  return (
    <ChannelContext.Provider value={channel}>
      <StatusContext.Provider value={status}>{children}</StatusContext.Provider>
    </ChannelContext.Provider>
  );
}

function createChannel() {
  let socket: WebSocket | null = null;
  const listeners = new Set<(event: RealtimeEvent) => void>();
  return {
    attach: (next: WebSocket | null) => {
      socket = next;
    },
    dispatch: (event: RealtimeEvent) => {
      for (const listener of listeners) listener(event);
    },
    send: (frame: ClientFrame) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    },
    subscribe: (listener: (event: RealtimeEvent) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** Durable events change what the app has cached. */
function applyToCache(queryClient: QueryClient, event: RealtimeEvent): void {
  const data = event.data as Record<string, unknown>;
  switch (event.event) {
    case 'message.created': {
      const message = data.message as Message | undefined;
      const conversationId = message?.conversation_id ?? event.conversation_id;
      if (!message || !conversationId) return;
      queryClient.setQueryData<Message[]>(keys.messages(conversationId), (current) => (current ? mergeMessages(current, [message]) : current));
      void queryClient.invalidateQueries({ queryKey: ['conversations', 'list'] });
      void queryClient.invalidateQueries({ queryKey: keys.conversation(conversationId) });
      return;
    }
    case 'message.updated': {
      // A message's status changed (an email reply was sent, or could not be): the whole message, replaced by id.
      const message = data.message as Message | undefined;
      const conversationId = message?.conversation_id ?? event.conversation_id;
      if (!message || !conversationId) return;
      queryClient.setQueryData<Message[]>(keys.messages(conversationId), (current) => (current ? replaceMessage(current, message) : current));
      return;
    }
    case 'conversation.updated': {
      const conversation = data.conversation as Conversation | undefined;
      if (!conversation) return;
      queryClient.setQueryData(keys.conversation(conversation.id), conversation);
      void queryClient.invalidateQueries({ queryKey: ['conversations', 'list'] });
      // Messages moved in (a merge) or out (a split): the thread is loaded again whole.
      if (data.merged_ids || data.split_into_id) {
        staleThreads.add(conversation.id);
        void queryClient.invalidateQueries({ queryKey: keys.messages(conversation.id) });
      }
      return;
    }
    case 'notification.created': {
      const count = (data as { unread_count?: number }).unread_count;
      if (typeof count === 'number') queryClient.setQueryData(handlingKeys.unread, count);
      void queryClient.invalidateQueries({ queryKey: handlingKeys.notificationList });
      return;
    }
    case 'sla.updated':
    case 'sla.warning':
    case 'sla.breached': {
      // The SLA clock shown on the conversation changed (features/sla): its detail and the lists read it again.
      if (!event.conversation_id) return;
      void queryClient.invalidateQueries({ queryKey: keys.conversation(event.conversation_id) });
      void queryClient.invalidateQueries({ queryKey: ['conversations', 'list'] });
      return;
    }
    case 'messages.read': {
      // The reader has seen the other side's messages up to a sequence number.
      const { reader, up_to_seq: upTo } = data as { reader?: 'contact' | 'agent'; up_to_seq?: number };
      if (!event.conversation_id || typeof upTo !== 'number') return;
      const direction = reader === 'contact' ? 'outgoing' : 'incoming';
      const id = event.conversation_id;
      const current = queryClient.setQueryData<Message[]>(keys.messages(id), (messages) =>
        messages?.map((m) => (m.direction === direction && !m.private && m.kind !== 'system' && m.seq <= upTo && m.status !== 'read' ? { ...m, status: 'read' } : m)),
      );
      // Read up to a message this thread does not hold yet (its own event is still on the way):
      // fetch the thread whole, with the statuses as stored (the receipt is committed by now).
      if (current && Math.max(0, ...current.map((m) => m.seq)) < upTo) {
        staleThreads.add(id);
        void queryClient.invalidateQueries({ queryKey: keys.messages(id) });
      }
      return;
    }
    case 'contact.updated': {
      // A contact was corrected, gained an address, or had another merged into it: its screens read it again.
      const contact = data.contact as { id?: string } | undefined;
      if (!contact?.id) return;
      void queryClient.invalidateQueries({ queryKey: keys.contact(contact.id) });
      void queryClient.invalidateQueries({ queryKey: keys.contacts, exact: true });
      return;
    }
    case 'presence.updated': {
      const { user_id: userId, status } = data as { user_id?: string; status?: PresenceStatus };
      if (!userId || !status) return;
      queryClient.setQueryData<Presence[]>(keys.presence, (current) => current?.map((p) => (p.user_id === userId ? { ...p, status } : p)));
      return;
    }
  }
}

/** Sends frames and listens to events (ephemeral ones too) of the app's socket. */
export function useRealtime(): Channel & { status: Status } {
  return { ...useContext(ChannelContext), status: useContext(StatusContext) };
}

/** Calls `listener` with every event from the server while mounted. */
export function useRealtimeEvents(listener: (event: RealtimeEvent) => void): void {
  const { subscribe } = useContext(ChannelContext);
  const onEvent = useEffectEvent(listener);
  useEffect(() => subscribe((event) => onEvent(event)), [subscribe]);
}

/** A small badge in the top bar: live, connecting, or reconnecting. */
export function RealtimeStatus() {
  const status = useContext(StatusContext);
  if (status === 'live') {
    return (
      <Tooltip label="Updates arrive as they happen">
        <Badge variant="dot" color="teal" visibleFrom="sm">
          Live
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge variant="dot" color={status === 'offline' ? 'red' : 'yellow'} role="status">
      {status === 'offline' ? 'Reconnecting…' : 'Connecting…'}
    </Badge>
  );
}

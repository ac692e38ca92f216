// Live updates for the agent app: one WebSocket to /api/v1/realtime. Events update the cached
// conversations and threads in place; after a dropped connection the app resyncs from the API.
import { Badge, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { keys, mergeMessages } from '../api/queries';
import type { Conversation, Message } from '../api/types';

type Status = 'connecting' | 'live' | 'offline';

interface Frame {
  type: string;
  event?: string;
  conversation_id?: string | null;
  data?: { message?: Message; conversation?: Conversation };
}

const RealtimeContext = createContext<Status>('connecting');

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('connecting');

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;

    const apply = (frame: Frame) => {
      if (frame.event === 'message.created' && frame.data?.message) {
        const message = frame.data.message;
        const conversationId = message.conversation_id ?? frame.conversation_id;
        if (!conversationId) return;
        queryClient.setQueryData<Message[]>(keys.messages(conversationId), (current) => (current ? mergeMessages(current, [message]) : current));
        void queryClient.invalidateQueries({ queryKey: ['conversations', 'list'] });
        void queryClient.invalidateQueries({ queryKey: keys.conversation(conversationId) });
      }
      if (frame.event === 'conversation.updated' && frame.data?.conversation) {
        queryClient.setQueryData(keys.conversation(frame.data.conversation.id), frame.data.conversation);
        void queryClient.invalidateQueries({ queryKey: ['conversations', 'list'] });
      }
    };

    const connect = () => {
      setStatus('connecting');
      socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`);
      socket.onmessage = (event: MessageEvent<string>) => {
        let frame: Frame;
        try {
          frame = JSON.parse(event.data) as Frame;
        } catch {
          return;
        }
        if (frame.type === 'ready') {
          // Whatever happened while we were away is fetched again (threads ask only for what is new).
          if (attempts > 0) void queryClient.invalidateQueries({ queryKey: keys.conversations });
          attempts = 0;
          setStatus('live');
        } else if (frame.type === 'event') apply(frame);
      };
      socket.onclose = () => {
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
      socket?.close();
    };
  }, [queryClient]);

  return <RealtimeContext.Provider value={status}>{children}</RealtimeContext.Provider>;
}

/** A small badge in the top bar: live, connecting, or reconnecting. */
export function RealtimeStatus() {
  const status = useContext(RealtimeContext);
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

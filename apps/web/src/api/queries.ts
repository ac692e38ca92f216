// React Query hooks and keys for the data the app reads.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, ApiError } from './client';
import type {
  ApiToken,
  AuditEvent,
  Contact,
  Conversation,
  Invitation,
  Me,
  Member,
  Message,
  Page,
  Team,
} from './types';

export const keys = {
  me: ['me'] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  invitations: ['invitations'] as const,
  tokens: ['tokens'] as const,
  audit: ['audit-events'] as const,
  contacts: ['contacts'] as const,
  conversations: ['conversations'] as const,
  messages: (id: string) => ['conversations', id, 'messages'] as const,
};

/** The signed-in user, or null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.get<Me>('/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

function useList<T>(key: readonly unknown[], path: string, enabled = true) {
  return useQuery({
    queryKey: key,
    queryFn: async () => (await api.get<Page<T>>(path)).data,
    enabled,
  });
}

export const useUsers = () => useList<Member>(keys.users, '/users');
export const useTeams = () => useList<Team>(keys.teams, '/teams');
export const useInvitations = () => useList<Invitation>(keys.invitations, '/invitations');
export const useTokens = () => useList<ApiToken>(keys.tokens, '/tokens');
/** A cursor-paginated list: pages load on demand ("Load more"). */
function usePagedList<T>(key: readonly unknown[], path: string) {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      api.get<Page<T>>(`${path}${pageParam ? `${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.data), [query.data]);
  return { ...query, items };
}

export const useContacts = () => usePagedList<Contact>(keys.contacts, '/contacts');
export const useConversations = () => usePagedList<Conversation>(keys.conversations, '/conversations');
/** One conversation, for deep links to conversations beyond the loaded pages. */
export const useConversation = (id: string | undefined, enabled: boolean) =>
  useQuery({
    queryKey: ['conversations', id ?? '', 'detail'],
    queryFn: () => api.get<Conversation>(`/conversations/${id ?? ''}`),
    enabled: Boolean(id) && enabled,
    retry: false,
  });

export const useMessages = (id: string | undefined) =>
  useList<Message>(keys.messages(id ?? ''), `/conversations/${id ?? ''}/messages`, Boolean(id));

export const useAuditEvents = () => usePagedList<AuditEvent>(keys.audit, '/audit-events');

// React Query hooks and keys for the data the app reads.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
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
export const useContacts = () => useList<Contact>(keys.contacts, '/contacts');
export const useConversations = () => useList<Conversation>(keys.conversations, '/conversations');
export const useMessages = (id: string | undefined) =>
  useList<Message>(keys.messages(id ?? ''), `/conversations/${id ?? ''}/messages`, Boolean(id));

export function useAuditEvents() {
  return useInfiniteQuery({
    queryKey: keys.audit,
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEvent>>(`/audit-events${pageParam ? `?cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

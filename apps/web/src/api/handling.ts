// Conversation handling (merge, split, follow) and the notification centre: their types, query
// keys and hooks, in their own file beside the rest of the API.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, request } from './client';
import { keys } from './queries';
import type { Conversation } from './types';

export type NotificationKind = 'assigned' | 'mention' | 'message' | 'generic';

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  conversation_id: string | null;
  title: string;
  body: string;
  /** How many events it stands for (new messages of one conversation gather while unread). */
  count: number;
  read: boolean;
  read_at: string | null;
  created_at: string;
  updated_at: string;
}

interface NotificationPage {
  data: AppNotification[];
  next_cursor: string | null;
  unread_count: number;
}

export interface NotificationPreference {
  kind: NotificationKind;
  label: string;
  in_app: boolean;
  email: boolean;
}

export interface NotificationPreferences {
  email_available: boolean;
  preferences: NotificationPreference[];
}

export interface Followers {
  following: boolean;
  data: Array<{ id: string; name: string; avatar_url: string | null }>;
}

export const handlingKeys = {
  notifications: ['notifications'] as const,
  notificationList: ['notifications', 'list'] as const,
  unread: ['notifications', 'unread'] as const,
  preferences: ['notification-preferences'] as const,
  /** Under the conversation, so what refreshes it refreshes its followers too. */
  followers: (id: string) => ['conversations', id, 'followers'] as const,
};

/** My notifications, page by page, newest first. */
export function useNotifications(enabled: boolean) {
  const query = useInfiniteQuery({
    queryKey: handlingKeys.notificationList,
    queryFn: ({ pageParam }) => api.get<NotificationPage>(`/notifications?limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.data), [query.data]);
  return { ...query, items };
}

/** The unread count of the bell; live events set it, and it is asked again now and then. */
export const useUnreadNotifications = () =>
  useQuery({ queryKey: handlingKeys.unread, queryFn: async () => (await api.get<{ count: number }>('/notifications/unread-count')).count, refetchInterval: 120_000 });

export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<AppNotification>(`/notifications/${id}/read`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: handlingKeys.notifications }),
  });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ updated: number }>('/notifications/read-all'),
    onSuccess: () => queryClient.setQueryData(handlingKeys.unread, 0),
    onSettled: () => queryClient.invalidateQueries({ queryKey: handlingKeys.notifications }),
  });
}

export const useNotificationPreferences = () => useQuery({ queryKey: handlingKeys.preferences, queryFn: () => api.get<NotificationPreferences>('/me/notification-preferences') });

export function useSaveNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (preferences: Array<Pick<NotificationPreference, 'kind' | 'in_app' | 'email'>>) => api.put<NotificationPreferences>('/me/notification-preferences', { preferences }),
    // The box shows the choice at once; a refusal puts it back.
    onMutate: (preferences) => {
      const before = queryClient.getQueryData<NotificationPreferences>(handlingKeys.preferences);
      if (before) queryClient.setQueryData(handlingKeys.preferences, { ...before, preferences: before.preferences.map((p) => ({ ...p, ...preferences.find((c) => c.kind === p.kind) })) });
      return { before };
    },
    onError: (_err, _vars, context) => context?.before && queryClient.setQueryData(handlingKeys.preferences, context.before),
    onSuccess: (data) => queryClient.setQueryData(handlingKeys.preferences, data),
  });
}

export const useFollowers = (conversationId: string) => useQuery({ queryKey: handlingKeys.followers(conversationId), queryFn: () => api.get<Followers>(`/conversations/${conversationId}/followers`) });

export function useFollow(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (follow: boolean) => (follow ? api.put<Followers>(`/conversations/${conversationId}/follow`, {}) : request<Followers>('DELETE', `/conversations/${conversationId}/follow`)),
    onSuccess: (data) => queryClient.setQueryData(handlingKeys.followers(conversationId), data),
  });
}

export function useMergeConversations(targetId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { source_ids: string[]; confirm_different_contacts?: boolean }) => api.post<{ conversation: Conversation; merged_ids: string[] }>(`/conversations/${targetId}/merge`, body),
    onSuccess: ({ conversation }) => {
      queryClient.setQueryData(keys.conversation(conversation.id), conversation);
      void queryClient.invalidateQueries({ queryKey: keys.conversations });
    },
  });
}

export function useSplitConversation(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { message_id: string; following: boolean }) => api.post<Conversation>(`/conversations/${conversationId}/split`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.conversations }),
  });
}

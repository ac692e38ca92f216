// Search, saved views and the conversation export: their types, query keys and hooks.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from './client';
import type { Conversation, Page } from './types';

export type SearchType = 'conversations' | 'messages' | 'contacts';

/** Text around the match, and the ranges to highlight (JavaScript string offsets, end exclusive). Never HTML. */
export interface Snippet {
  text: string;
  highlights: Array<{ start: number; end: number }>;
}

export interface SearchHit {
  type: 'conversation' | 'message' | 'contact';
  field: string;
  snippet: Snippet;
  conversation: Conversation | null;
  message: { id: string; seq: number; direction: 'incoming' | 'outgoing'; private: boolean; author_name: string | null; created_at: string } | null;
  contact: { id: string; name: string; email: string | null; phone: string | null; company: string | null; created_at: string } | null;
}

export interface SavedViewFilters {
  status?: string;
  assignee?: string;
  inbox_id?: string;
  team_id?: string;
  tag?: string;
  sort?: string;
}

export interface SavedView {
  id: string;
  name: string;
  filters: SavedViewFilters;
  shared: boolean;
  owner: { id: string; name: string } | null;
  can_edit: boolean;
  created_at: string;
  updated_at: string;
}

export const searchKeys = {
  all: ['search'] as const,
  results: (query: string) => ['search', query] as const,
  views: ['saved-views'] as const,
};

/** One tab of results for a query string (q, type and filters), page by page. */
export function useSearch(query: string, enabled: boolean) {
  const result = useInfiniteQuery({
    queryKey: searchKeys.results(query),
    queryFn: ({ pageParam }) => api.get<Page<SearchHit>>(`/search?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
    staleTime: 15_000,
  });
  const items = useMemo(() => result.data?.pages.flatMap((p) => p.data), [result.data]);
  return { ...result, items };
}

/** A few conversations for the search box's suggestions. */
export function useSearchSuggestions(q: string) {
  return useQuery({
    queryKey: searchKeys.results(`suggest:${q}`),
    queryFn: async () => (await api.get<Page<SearchHit>>(`/search?${new URLSearchParams({ q, limit: '6' }).toString()}`)).data,
    enabled: /[\p{L}\p{N}]/u.test(q),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    retry: false,
  });
}

export function useSavedViews() {
  return useQuery({ queryKey: searchKeys.views, queryFn: async () => (await api.get<{ data: SavedView[] }>('/saved-views')).data });
}

export function useSaveView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; filters: SavedViewFilters; shared: boolean }) => api.post<SavedView>('/saved-views', body),
    onSuccess: () => client.invalidateQueries({ queryKey: searchKeys.views }),
  });
}

export function useDeleteView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/saved-views/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: searchKeys.views }),
  });
}

/** The address of the CSV export of the list for these filters (a plain download link). */
export const exportUrl = (query: string) => `/api/v1/conversations/export.csv${query ? `?${query}` : ''}`;

// The public help center's settings, the knowledge base's synonym groups and the searches that found nothing.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface HelpCenterTheme {
  primary_color: string;
  header_background: string;
  logo_url: string | null;
  contact_url: string | null;
}

export interface HelpCenter {
  name: string;
  slug: string;
  enabled: boolean;
  url: string;
  custom_domain: string | null;
  default_locale: string;
  locales: string[];
  theme: HelpCenterTheme;
  updated_at: string;
}

export interface SynonymGroup {
  id: string;
  terms: string[];
  locale: string | null;
  created_at: string;
}

export interface SearchGap {
  query: string;
  locale: string;
  searches: number;
  without_results: number;
  last_searched_at: string;
}

export const helpCenterKeys = {
  settings: ['help-center'] as const,
  synonyms: ['kb', 'synonyms'] as const,
  gaps: (days: number) => ['kb', 'search-gaps', days] as const,
};

export function useHelpCenter() {
  return useQuery({ queryKey: helpCenterKeys.settings, queryFn: () => api.get<HelpCenter>('/help-center') });
}

export function useSynonyms() {
  return useQuery({ queryKey: helpCenterKeys.synonyms, queryFn: async () => (await api.get<{ data: SynonymGroup[] }>('/kb/synonyms')).data });
}

export function useSearchGaps(days: number) {
  return useQuery({ queryKey: helpCenterKeys.gaps(days), queryFn: async () => (await api.get<{ data: SearchGap[] }>(`/kb/search-gaps?days=${days}&limit=100`)).data });
}

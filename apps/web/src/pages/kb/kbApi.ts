// The knowledge base's API for the agent app: types, query keys, reads and writes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export type KbStatus = 'draft' | 'published' | 'archived';
export type KbVisibility = 'public' | 'internal';
export type Localized = Record<string, string>;

export interface KbSection {
  id: string;
  category_id: string;
  names: Localized;
  descriptions: Localized;
  slug: string;
  position: number;
  article_count: number;
}

export interface KbCategory {
  id: string;
  names: Localized;
  descriptions: Localized;
  slug: string;
  icon: string | null;
  position: number;
  sections: KbSection[];
}

export interface KbTranslation {
  locale: string;
  title: string;
  slug: string;
  body: string;
  description: string;
  keywords: string[];
  status: KbStatus;
  published_at: string | null;
  updated_at: string;
  url: string | null;
}

interface Stats {
  view_count: number;
  helpful_count: number;
  unhelpful_count: number;
  deflection_count: number;
  helpful_percent: number | null;
}

export interface KbArticle extends Stats {
  id: string;
  section_id: string | null;
  visibility: KbVisibility;
  position: number;
  import_key: string | null;
  created_at: string;
  updated_at: string;
  translations: KbTranslation[];
  related: Array<{ id: string; locale: string; title: string; status: KbStatus }>;
  related_source: 'explicit' | 'section';
}

export interface KbArticleSummary extends Stats {
  id: string;
  section_id: string | null;
  visibility: KbVisibility;
  position: number;
  created_at: string;
  updated_at: string;
  translations: Array<{ locale: string; title: string; slug: string; status: KbStatus; published_at: string | null; updated_at: string }>;
}

export interface KbRevision {
  id: string;
  locale: string;
  title: string;
  body: string;
  description: string;
  status: KbStatus;
  author: { id: string; name: string } | null;
  created_at: string;
}

export interface KbFeedback extends Stats {
  comments: Array<{ helpful: boolean; comment: string; locale: string; created_at: string }>;
}

export interface KbImportReport {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  files: Array<{ path: string; status: string; article_id: string | null; locale: string | null; error: string | null }>;
}

export interface KbHit {
  id: string;
  locale: string;
  title: string;
  description: string;
  passage: string;
  score: number;
  visibility: KbVisibility;
}

export type ArticleChanges = Partial<Pick<KbTranslation, 'title' | 'body' | 'description' | 'keywords' | 'status'>> & {
  locale?: string;
  section_id?: string | null;
  visibility?: KbVisibility;
  related_ids?: string[];
};

export const kbKeys = {
  all: ['kb'] as const,
  categories: ['kb', 'categories'] as const,
  articles: ['kb', 'articles'] as const,
  article: (id: string) => ['kb', 'article', id] as const,
  revisions: (id: string) => ['kb', 'article', id, 'revisions'] as const,
  feedback: (id: string) => ['kb', 'article', id, 'feedback'] as const,
  search: (q: string) => ['kb', 'search', q] as const,
};

/** A category or section's name in `locale`, else in English, else any. */
export function nameIn(names: Localized, locale = 'en'): string {
  return names[locale] ?? names.en ?? Object.values(names)[0] ?? '';
}

export function useKbCategories() {
  return useQuery({ queryKey: kbKeys.categories, queryFn: async () => (await api.get<{ data: KbCategory[] }>('/kb/categories')).data });
}

/** Every article (the list groups them by section, so it reads all pages). */
export function useKbArticles() {
  return useQuery({
    queryKey: kbKeys.articles,
    queryFn: async () => {
      const all: KbArticleSummary[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: KbArticleSummary[]; next_cursor: string | null } = await api.get(`/kb/articles?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        all.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor && all.length < 5000);
      return all;
    },
  });
}

export function useKbArticle(id: string | undefined) {
  return useQuery({ queryKey: kbKeys.article(id ?? 'new'), queryFn: () => api.get<KbArticle>(`/kb/articles/${id}`), enabled: !!id });
}

export function useKbRevisions(id: string, enabled: boolean) {
  return useQuery({ queryKey: kbKeys.revisions(id), queryFn: async () => (await api.get<{ data: KbRevision[] }>(`/kb/articles/${id}/revisions`)).data, enabled });
}

export function useKbFeedback(id: string) {
  return useQuery({ queryKey: kbKeys.feedback(id), queryFn: () => api.get<KbFeedback>(`/kb/articles/${id}/feedback`) });
}

export function useKbPreview(markdown: string, enabled: boolean) {
  return useQuery({ queryKey: ['kb', 'preview', markdown], queryFn: () => api.post<{ html: string }>('/kb/preview', { markdown }), enabled, staleTime: Infinity, placeholderData: (previous) => previous });
}

export function useKbSearch(q: string) {
  const query = q.trim();
  return useQuery({ queryKey: kbKeys.search(query), queryFn: async () => (await api.get<{ data: KbHit[] }>(`/kb/articles/search?q=${encodeURIComponent(query)}`)).data, enabled: query.length > 1, placeholderData: (previous) => previous });
}

/** Writes that change articles refresh the lists and the article. */
export function useKbInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: kbKeys.all });
}

export function useSaveArticle(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: ArticleChanges & { locale: string; title?: string; body?: string }) =>
      id ? api.patch<KbArticle>(`/kb/articles/${id}`, changes) : api.post<KbArticle>('/kb/articles', changes),
    onSuccess: (article) => {
      client.setQueryData(kbKeys.article(article.id), article);
      void client.invalidateQueries({ queryKey: kbKeys.articles });
      void client.invalidateQueries({ queryKey: kbKeys.categories });
      void client.invalidateQueries({ queryKey: kbKeys.revisions(article.id) });
    },
  });
}

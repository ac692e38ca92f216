// Mood (server: features/mood): what the built-in model read in customers' messages; types, labels and hooks.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';

export type Mood = 'angry' | 'frustrated' | 'neutral' | 'happy';
export type MoodTrend = 'worsening' | 'improving' | 'steady';

export const moodLabels: Record<Mood, string> = { angry: 'Angry', frustrated: 'Frustrated', neutral: 'Neutral', happy: 'Happy' };
export const moodColors: Record<Mood, string> = { angry: 'red', frustrated: 'orange', neutral: 'gray', happy: 'teal' };
export const trendLabels: Record<MoodTrend, string> = { worsening: 'getting worse', improving: 'getting better', steady: 'steady' };

/** What a conversation carries (null until its customer's first message has been read). */
export interface ConversationMood {
  mood?: Mood | null;
  sentiment?: number | null;
  mood_trend?: MoodTrend | null;
  language?: string | null;
}

export interface ContactMoodPoint {
  at: string;
  mood: Mood;
  sentiment: number;
  conversation_id: string;
}

export interface ContactMood {
  contact_id: string;
  mood: Mood | null;
  sentiment: number | null;
  points: ContactMoodPoint[];
}

export const moodKeys = { contact: (id: string) => ['contacts', id, 'mood'] as const };

/**
 * The contact's mood over time, oldest first. `version` is what the app knows of the open
 * conversation's mood: when the mood reactor changes it (the change arrives live), the points are
 * read again, keeping the old ones on screen meanwhile.
 */
export function useContactMood(contactId: string, version = '') {
  return useQuery({ queryKey: [...moodKeys.contact(contactId), version], queryFn: () => api.get<ContactMood>(`/contacts/${contactId}/mood`), placeholderData: keepPreviousData });
}

/** Whether a conversation deserves a look for its mood: an angry customer, or one getting worse. */
export const isUpset = (c: ConversationMood) => c.mood === 'angry' || c.mood_trend === 'worsening';

/** "Mood: angry, getting worse": the words a badge says to screen readers and in its tooltip. */
export function moodDescription(c: ConversationMood): string {
  if (!c.mood) return 'Mood not known yet';
  return `Mood: ${moodLabels[c.mood].toLowerCase()}${c.mood_trend && c.mood_trend !== 'steady' ? `, ${trendLabels[c.mood_trend]}` : ''}`;
}

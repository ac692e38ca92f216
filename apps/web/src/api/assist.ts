// The answer bot (per inbox) and AI assist (per workspace): types, query keys and hooks of their
// settings screens, and the agent's draft and summary actions.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface AnswerBotSettings {
  inbox_id: string;
  enabled: boolean;
  threshold: number;
  bot_name: string;
  handover_message: string;
  default_handover_message: string;
  generative: boolean;
}

export interface AiSettings {
  enabled: boolean;
  base_url: string;
  model: string;
  api_key_set: boolean;
}

export const assistKeys = {
  answerBot: (inboxId: string) => ['answer-bot', inboxId] as const,
  ai: ['ai-settings'] as const,
  status: ['ai-status'] as const,
};

export function useAnswerBot(inboxId: string) {
  return useQuery({ queryKey: assistKeys.answerBot(inboxId), queryFn: () => api.get<AnswerBotSettings>(`/inboxes/${inboxId}/answer-bot`) });
}

export function useAiSettings(enabled = true) {
  return useQuery({ queryKey: assistKeys.ai, queryFn: () => api.get<AiSettings>('/ai/settings'), enabled });
}

/** Whether AI assist is on (any teammate may ask; the settings are admins'). */
export function useAiStatus() {
  return useQuery({ queryKey: assistKeys.status, queryFn: () => api.get<{ enabled: boolean }>('/ai/status'), staleTime: 60_000 });
}

/** A draft of the next reply or a summary, written by the workspace's model. */
export const assist = (conversationId: string, kind: 'draft' | 'summary') => api.post<{ text: string }>(`/conversations/${conversationId}/ai/${kind}`);

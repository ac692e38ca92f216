// Automation: rules and their runs, macros, canned responses and auto-close; types, query keys
// and hooks, beside the rest of the API because the automation screens are their readers.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type Status = 'open' | 'pending' | 'snoozed' | 'resolved';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export type Trigger =
  | { type: 'conversation_created' | 'message_received' | 'assignee_changed' | 'priority_changed' | 'tags_changed' | 'sla_warning' | 'sla_breached' | 'mood_changed' }
  | { type: 'status_changed'; to?: Status }
  | { type: 'time_in_state'; state: 'pending' | 'open' | 'open_unassigned' | 'snoozed'; minutes: number };

export type Condition =
  | { field: 'channel'; operator: 'in' | 'not_in'; values: string[] }
  | { field: 'inbox'; operator: 'in' | 'not_in'; values: string[] }
  | { field: 'message'; operator: 'contains_any' | 'contains_none'; values: string[] }
  | { field: 'tags'; operator: 'has_any' | 'has_all' | 'has_none'; values: string[] }
  | { field: 'priority'; operator: 'in' | 'not_in'; values: Priority[] }
  | { field: 'status'; operator: 'in' | 'not_in'; values: Status[] }
  | { field: 'assignee'; operator: 'assigned' | 'unassigned' }
  | { field: 'contact'; attribute: string; operator: 'equals' | 'contains' | 'is_set' | 'is_not_set'; value?: string }
  | { field: 'business_hours'; operator: 'within' | 'outside' }
  | { field: 'mood'; operator: 'in' | 'not_in' | 'worse_than'; values: MoodValue[] }
  | { field: 'mood_trend'; operator: 'in' | 'not_in'; values: Array<'worsening' | 'improving' | 'steady'> };

/** The four moods; negative and positive are what rules saved before four moods said (negative: angry or frustrated). */
export type MoodValue = 'angry' | 'frustrated' | 'neutral' | 'happy' | 'negative' | 'positive';

export type Action =
  | { type: 'assign'; user_id: string | null }
  | { type: 'assign_team'; team_id: string | null }
  | { type: 'add_tags' | 'remove_tags'; tags: string[] }
  | { type: 'set_priority'; priority: Priority }
  | { type: 'set_status'; status: 'open' | 'pending' | 'resolved' }
  | { type: 'snooze'; minutes: number }
  | { type: 'reply' | 'note'; body: string }
  | { type: 'webhook'; webhook_id: string };

export interface Rule {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  trigger: Trigger;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: Action[];
  position: number;
  last_run: { outcome: RunOutcome; created_at: string } | null;
  created_at: string;
  updated_at: string;
}

export type RuleInput = Pick<Rule, 'name' | 'trigger' | 'match' | 'conditions' | 'actions'> & { enabled?: boolean; description?: string };

export type RunOutcome = 'done' | 'skipped' | 'failed';

export interface Run {
  id: string;
  conversation_id: string | null;
  trigger: string;
  outcome: RunOutcome;
  actions: Array<{ type: string; outcome: RunOutcome; detail: string }>;
  error: string | null;
  depth: number;
  created_at: string;
}

export interface Macro {
  id: string;
  name: string;
  shared: boolean;
  actions: Action[];
  created_at: string;
  updated_at: string;
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  shared: boolean;
  /** The body filled in for the conversation asked about. */
  rendered?: string;
  created_at: string;
  updated_at: string;
}

export interface AutoClose {
  enabled: boolean;
  after_minutes: number;
  message: string;
}

export const automationKeys = {
  all: ['automation'] as const,
  rules: ['automation', 'rules'] as const,
  rule: (id: string) => ['automation', 'rules', id] as const,
  runs: (id: string) => ['automation', 'rules', id, 'runs'] as const,
  macros: ['automation', 'macros'] as const,
  canned: ['automation', 'canned'] as const,
  cannedFor: (conversationId: string) => ['automation', 'canned', conversationId] as const,
  autoClose: ['automation', 'auto-close'] as const,
};

/** The variables a canned response, macro or rule reply may use. */
export const VARIABLES: Array<{ name: string; description: string }> = [
  { name: 'contact.first_name', description: "The contact's first name" },
  { name: 'contact.name', description: "The contact's full name" },
  { name: 'contact.email', description: "The contact's email address" },
  { name: 'agent.name', description: 'Your name (in a rule: the assignee’s)' },
  { name: 'conversation.id', description: "The conversation's id" },
];

export function useRules() {
  return useQuery({ queryKey: automationKeys.rules, queryFn: async () => (await api.get<{ data: Rule[] }>('/automation-rules')).data });
}

export function useRule(id: string | undefined) {
  return useQuery({ queryKey: automationKeys.rule(id ?? ''), queryFn: () => api.get<Rule>(`/automation-rules/${id}`), enabled: Boolean(id) });
}

export function useRuleRuns(id: string) {
  return useQuery({ queryKey: automationKeys.runs(id), queryFn: async () => (await api.get<{ data: Run[] }>(`/automation-rules/${id}/runs?limit=50`)).data, refetchInterval: 10_000 });
}

export function useMacros() {
  return useQuery({ queryKey: automationKeys.macros, queryFn: async () => (await api.get<{ data: Macro[] }>('/macros')).data });
}

export function useCannedResponses() {
  return useQuery({ queryKey: automationKeys.canned, queryFn: async () => (await api.get<{ data: CannedResponse[] }>('/canned-responses')).data });
}

/** Canned responses filled in for one conversation (asked when the picker opens). */
export function useCannedFor(conversationId: string, enabled: boolean) {
  return useQuery({
    queryKey: automationKeys.cannedFor(conversationId),
    queryFn: async () => (await api.get<{ data: CannedResponse[] }>(`/canned-responses?conversation_id=${conversationId}`)).data,
    enabled,
    staleTime: 30_000,
  });
}

export function useAutoClose() {
  return useQuery({ queryKey: automationKeys.autoClose, queryFn: () => api.get<AutoClose>('/automation/auto-close') });
}

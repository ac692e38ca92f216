// Routing: how inboxes and teams assign conversations, each person's capacity and skills, and why
// a conversation went to its agent. Types, query keys and hooks of the routing screens.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type RoutingMode = 'manual' | 'round_robin' | 'least_loaded';
export type ChannelKind = 'chat' | 'email' | 'messaging' | 'phone';
export type Capacity = Record<ChannelKind, number>;

export interface InboxRouting {
  inbox_id: string;
  mode: RoutingMode;
  hand_on_offline: boolean;
  team_id: string | null;
  channel_kind: ChannelKind;
}

export interface TeamRouting {
  team_id: string;
  mode: RoutingMode;
  hand_on_offline: boolean;
}

export interface UserRouting {
  user_id: string;
  /** Their own numbers; null where the workspace default applies. */
  capacity: Record<ChannelKind, number | null>;
  effective_capacity: Capacity;
  default_capacity: Capacity;
  /** The open conversations of each kind assigned to them now. */
  load: Capacity;
  skills: string[];
}

export interface RoutingDefaults {
  capacity: Capacity;
}

export interface Assignment {
  id: string;
  assignee: { id: string; name: string } | null;
  rule: 'round_robin' | 'least_loaded' | 'handed_on' | string;
  reason: string;
  team_id: string | null;
  created_at: string;
}

export const routingModes: Array<{ value: RoutingMode; label: string; description: string }> = [
  { value: 'manual', label: 'Manual', description: 'Conversations wait unassigned until someone takes or assigns them.' },
  { value: 'round_robin', label: 'Round robin', description: 'Each online agent in turn, up to their capacity.' },
  { value: 'least_loaded', label: 'Least loaded', description: 'The online agent with the most room left.' },
];

export const channelKinds: Array<{ kind: ChannelKind; label: string; noun: string }> = [
  { kind: 'chat', label: 'Chats', noun: 'chats' },
  { kind: 'email', label: 'Emails', noun: 'emails' },
  { kind: 'messaging', label: 'Messaging', noun: 'messages' },
  { kind: 'phone', label: 'Calls', noun: 'calls' },
];

/** "2 of 3 chats", "4 of 10 emails": a person's load against their capacity, for the kinds they take or hold. */
export function loadParts(routing: Pick<UserRouting, 'load' | 'effective_capacity'>): string[] {
  return channelKinds
    .filter(({ kind }) => routing.effective_capacity[kind] > 0 || routing.load[kind] > 0)
    .map(({ kind, noun }) => `${routing.load[kind]} of ${routing.effective_capacity[kind]} ${noun}`);
}

export const routingKeys = {
  inbox: (id: string) => ['routing', 'inbox', id] as const,
  team: (id: string) => ['routing', 'team', id] as const,
  user: (id: string) => ['routing', 'user', id] as const,
  defaults: ['routing', 'defaults'] as const,
  assignments: (conversationId: string, assigneeId: string | null) => ['conversations', conversationId, 'assignments', assigneeId] as const,
};

export function useInboxRouting(id: string) {
  return useQuery({ queryKey: routingKeys.inbox(id), queryFn: () => api.get<InboxRouting>(`/inboxes/${id}/routing`) });
}

export function useTeamRouting(id: string | undefined) {
  return useQuery({ queryKey: routingKeys.team(id ?? ''), queryFn: () => api.get<TeamRouting>(`/teams/${id}/routing`), enabled: Boolean(id) });
}

export function useUserRouting(id: string | undefined) {
  return useQuery({ queryKey: routingKeys.user(id ?? ''), queryFn: () => api.get<UserRouting>(`/users/${id}/routing`), enabled: Boolean(id) });
}

export function useRoutingDefaults() {
  return useQuery({ queryKey: routingKeys.defaults, queryFn: () => api.get<RoutingDefaults>('/routing/defaults') });
}

/** The conversation's automatic assignments, asked again whenever its assignee changes. */
export function useAssignments(conversationId: string, assigneeId: string | null) {
  return useQuery({
    queryKey: routingKeys.assignments(conversationId, assigneeId),
    queryFn: async () => (await api.get<{ data: Assignment[] }>(`/conversations/${conversationId}/assignments`)).data,
  });
}

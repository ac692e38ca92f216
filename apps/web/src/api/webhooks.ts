// Outgoing webhooks (admins only): their types, query keys and hooks, beside the rest of the API
// because the settings page is their only reader.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface Webhook {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  /** Why Rapport switched it off (410 Gone, repeated failures); null when on or switched off by an admin. */
  disabled_reason: string | null;
  /** On the detail, creation and rotation answers only. */
  secret?: string;
  created_at: string;
}

export interface WebhookEventInfo {
  event: string;
  description: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  response_status: number | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export const webhookKeys = {
  all: ['webhooks'] as const,
  events: ['webhooks', 'events'] as const,
  list: ['webhooks', 'list'] as const,
  detail: (id: string) => ['webhooks', id, 'detail'] as const,
  deliveries: (id: string, limit: number) => ['webhooks', id, 'deliveries', limit] as const,
};

/** How often the log is asked again while a delivery is still on its way, and otherwise (new events come any time). */
const PENDING_REFRESH_MS = 2_000;
const IDLE_REFRESH_MS = 10_000;

export function useWebhooks() {
  return useQuery({ queryKey: webhookKeys.list, queryFn: async () => (await api.get<{ data: Webhook[] }>('/webhooks')).data });
}

export function useWebhookEvents() {
  return useQuery({
    queryKey: webhookKeys.events,
    queryFn: async () => (await api.get<{ data: WebhookEventInfo[] }>('/webhooks/events')).data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useWebhook(id: string | undefined) {
  return useQuery({ queryKey: webhookKeys.detail(id ?? ''), queryFn: () => api.get<Webhook>(`/webhooks/${id}`), enabled: Boolean(id) });
}

/** The newest deliveries first; asked again every two seconds while any of them is pending, else every ten. */
export function useWebhookDeliveries(id: string, limit: number) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id, limit),
    queryFn: async () => (await api.get<{ data: WebhookDelivery[] }>(`/webhooks/${id}/deliveries?limit=${limit}`)).data,
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === 'pending') ? PENDING_REFRESH_MS : IDLE_REFRESH_MS),
    staleTime: 0,
  });
}

/** The JSON shape of a notification, for the API and the realtime event alike. */
import type { NotificationKind } from '../../core/db/schema.js';

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  conversation_id: string | null;
  title: string;
  body: string;
  count: number;
  read_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function presentNotification(n: NotificationRow) {
  return {
    id: n.id,
    kind: n.kind,
    conversation_id: n.conversation_id,
    title: n.title,
    body: n.body,
    count: n.count,
    read: n.read_at !== null,
    read_at: n.read_at?.toISOString() ?? null,
    created_at: n.created_at.toISOString(),
    updated_at: n.updated_at.toISOString(),
  };
}

export const NOTIFICATION_COLUMNS = ['id', 'kind', 'conversation_id', 'title', 'body', 'count', 'read_at', 'created_at', 'updated_at'] as const;

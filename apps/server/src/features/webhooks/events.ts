/**
 * The events a webhook can subscribe to, and how each is made from what the outbox recorded: the
 * same JSON the agents' app gets (one presenter for the API, realtime and webhooks).
 */
export const WEBHOOK_EVENTS = ['conversation.created', 'conversation.updated', 'message.created', 'message.updated', 'sla.warning', 'sla.breached', 'contact.updated'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const EVENT_HELP: Record<WebhookEvent, string> = {
  'conversation.created': 'A customer started a conversation (with its first message)',
  'conversation.updated': 'Status, assignee, team, priority, tags or inbox changed',
  'message.created': 'A message or private note was added (private notes say private: true)',
  'message.updated': 'A message changed: a reply was sent, delivered, read or failed',
  'sla.warning': 'An SLA target of a conversation is due soon (once per target)',
  'sla.breached': 'An SLA target of a conversation was missed (once per target)',
  'contact.updated': 'A contact changed: name, email, phone or company, the addresses it is known by, or another contact merged into it',
};

interface OutboxEvent {
  event: string;
  payload: Record<string, unknown>;
}

/** The public events an outbox event is; none for internal ones (typing, read markers, notifications). */
export function publicEventsOf(e: OutboxEvent): WebhookEvent[] {
  switch (e.event) {
    case 'message.created': {
      const message = e.payload.message as { seq?: number; direction?: string } | undefined;
      // The first message of a conversation from the customer is also the conversation's start.
      return message?.seq === 1 && message.direction === 'incoming' ? ['conversation.created', 'message.created'] : ['message.created'];
    }
    case 'message.updated':
      return ['message.updated'];
    case 'conversation.updated':
      return ['conversation.updated'];
    case 'sla.warning':
    case 'sla.breached':
    case 'contact.updated':
      return [e.event];
    default:
      return [];
  }
}

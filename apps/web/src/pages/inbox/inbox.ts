import type { ConversationStatus } from '../../api/types';

export const statusColors: Record<ConversationStatus, string> = {
  open: 'blue',
  pending: 'yellow',
  snoozed: 'grape',
  resolved: 'teal',
};

export const statusLabels: Record<ConversationStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
};

export const priorityColors: Record<string, string> = {
  urgent: 'red',
  high: 'orange',
  medium: 'yellow',
  normal: 'gray',
  low: 'gray',
};

const channelLabels: Record<string, string> = {
  web_chat: 'Live chat',
  webchat: 'Live chat',
  chat: 'Live chat',
  live_chat: 'Live chat',
  email: 'Email',
  api: 'API',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
};

export function channelLabel(channel: string): string {
  return channelLabels[channel] ?? channel.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

export function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

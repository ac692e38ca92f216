import { IconApi, IconMail, IconMessageCircle, IconPhone, type Icon } from '@tabler/icons-react';
import type { Conversation, ConversationStatus, Priority } from '../../api/types';

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
  phone: 'Phone',
};

export function channelLabel(channel: string): string {
  return channelLabels[channel] ?? channel.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

export function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const priorityLabels: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export function channelIcon(channel: string): Icon {
  if (channel === 'email') return IconMail;
  if (channel === 'api') return IconApi;
  if (channel === 'phone') return IconPhone;
  return IconMessageCircle;
}

/** The contact's name for lists and headers. */
export function contactName(c: Conversation): string {
  return c.contact?.name || c.contact?.email || 'Unknown visitor';
}

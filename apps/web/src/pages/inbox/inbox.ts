import {
  IconApi,
  IconBrandInstagram,
  IconBrandMessenger,
  IconBrandTelegram,
  IconBrandWhatsapp,
  IconDeviceMobileMessage,
  IconMail,
  IconMessageCircle,
  IconMessages,
  IconPhone,
  type Icon,
} from '@tabler/icons-react';
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
  messenger: 'Messenger',
  instagram: 'Instagram',
  telegram: 'Telegram',
  phone: 'Phone',
};

export function channelLabel(channel: string): string {
  return channelLabels[channel] ?? channel.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

export function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const priorityLabels: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

const channelIcons: Record<string, Icon> = {
  email: IconMail,
  api: IconApi,
  sms: IconDeviceMobileMessage,
  whatsapp: IconBrandWhatsapp,
  messenger: IconBrandMessenger,
  instagram: IconBrandInstagram,
  telegram: IconBrandTelegram,
  phone: IconPhone,
};

const liveChat = new Set(['webchat', 'web_chat', 'chat', 'live_chat']);

export function channelIcon(channel: string): Icon {
  if (channelIcons[channel]) return channelIcons[channel];
  // A messaging channel added to the server after this app was built still looks like one.
  return liveChat.has(channel) ? IconMessageCircle : IconMessages;
}

/**
 * Whether the channel is one of the server's messaging providers (Telegram, SMS, WhatsApp…, listed
 * by GET /channels) rather than one built into Rapport: its replies carry delivery receipts.
 */
export function isProviderChannel(channel: string): boolean {
  return !liveChat.has(channel) && channel !== 'email' && channel !== 'api';
}

/** The contact's name for lists and headers. */
export function contactName(c: Conversation): string {
  return c.contact?.name || c.contact?.email || 'Unknown visitor';
}

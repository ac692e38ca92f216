/**
 * Reply windows: some providers take free-form replies only for a while after the customer's last
 * message (WhatsApp: 24 hours, "customer service window"); after that only an approved template
 * may be sent. The composer is told when the window closes; a free-form reply after it is refused.
 */
import { AppError } from '../../../core/errors.js';
import { PROVIDERS } from './providers.js';
import { isMessagingChannel, type Provider } from './provider.js';

export function windowClosesAt(provider: Pick<Provider, 'replyWindowHours'>, lastIncomingAt: Date | null): Date | null {
  if (!provider.replyWindowHours) return null;
  if (!lastIncomingAt) return new Date(0);
  return new Date(lastIncomingAt.getTime() + provider.replyWindowHours * 3600_000);
}

export const windowClosed = (provider: Pick<Provider, 'replyWindowHours'>, lastIncomingAt: Date | null, now = new Date()): boolean => {
  const closes = windowClosesAt(provider, lastIncomingAt);
  return closes !== null && closes <= now;
};

/** What the conversation answers about its window: null on channels without one. */
export function replyWindowOf(channel: string, lastIncomingAt: Date | null): { closes_at: string | null; open: boolean; template_required: boolean } | null {
  const provider = isMessagingChannel(channel) ? PROVIDERS[channel] : undefined;
  if (!provider?.replyWindowHours) return null;
  const closes = windowClosesAt(provider, lastIncomingAt);
  const open = !windowClosed(provider, lastIncomingAt);
  return { closes_at: closes && closes.getTime() > 0 ? closes.toISOString() : null, open, template_required: !open && provider.templates !== false };
}

/** True when a reply now must carry the provider's human-agent tag (Messenger, from 24 hours to 7 days after the customer wrote). */
export function humanAgentTagNeeded(provider: Pick<Provider, 'humanAgentTagAfterHours'>, lastIncomingAt: Date | null, now = new Date()): boolean {
  if (!provider.humanAgentTagAfterHours || !lastIncomingAt) return false;
  return lastIncomingAt.getTime() + provider.humanAgentTagAfterHours * 3600_000 <= now.getTime();
}

const inWords = (hours: number) => (hours % 24 === 0 && hours > 24 ? `${hours / 24} days` : `${hours} hours`);

/** What to tell an agent whose free-form reply the window no longer takes. */
export function windowClosedSentence(provider: Pick<Provider, 'label' | 'replyWindowHours' | 'templates'>): string {
  return provider.templates === false
    ? `${provider.label} takes replies only within ${inWords(provider.replyWindowHours!)} of the customer's last message; you can answer again once they write.`
    : `${provider.label} takes free-form replies only within ${inWords(provider.replyWindowHours!)} of the customer's last message; send an approved template instead (it reopens the conversation when the customer answers).`;
}

/** Refuses a free-form reply the provider would not take. */
export function checkReplyWindow(channel: string, lastIncomingAt: Date | null, template: boolean): void {
  const provider = isMessagingChannel(channel) ? PROVIDERS[channel] : undefined;
  if (!provider || template || !windowClosed(provider, lastIncomingAt)) return;
  throw new AppError('reply_window_closed', windowClosedSentence(provider));
}

/** Channels whose replies may be approved templates (those with a reply window that a template reopens). */
export const hasTemplates = (channel: string): boolean => {
  const provider = isMessagingChannel(channel) ? PROVIDERS[channel] : undefined;
  return !!provider?.replyWindowHours && provider.templates !== false;
};

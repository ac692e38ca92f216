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
  return { closes_at: closes && closes.getTime() > 0 ? closes.toISOString() : null, open, template_required: !open };
}

/** Refuses a free-form reply the provider would not take. */
export function checkReplyWindow(channel: string, lastIncomingAt: Date | null, template: boolean): void {
  const provider = isMessagingChannel(channel) ? PROVIDERS[channel] : undefined;
  if (!provider || template || !windowClosed(provider, lastIncomingAt)) return;
  throw new AppError(
    'reply_window_closed',
    `${provider.label} takes free-form replies only within ${provider.replyWindowHours} hours of the customer's last message; send an approved template instead (it reopens the conversation when the customer answers).`,
  );
}

/** Channels whose replies may be approved templates (those with a reply window). */
export const hasTemplates = (channel: string): boolean => isMessagingChannel(channel) && !!PROVIDERS[channel]?.replyWindowHours;

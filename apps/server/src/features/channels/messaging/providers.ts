/** Every messaging provider adapter, by the channel it serves (one adapter per channel). */
import { AppError } from '../../../core/errors.js';
import type { MessagingChannel, Provider } from './provider.js';
import { instagram } from './instagram.js';
import { messenger } from './messenger.js';
import { telegram } from './telegram.js';
import { twilioSms } from './twilio-sms.js';
import { whatsapp } from './whatsapp.js';

export const PROVIDERS: Partial<Record<MessagingChannel, Provider>> = {
  sms: twilioSms,
  whatsapp,
  messenger,
  instagram,
  telegram,
};

/** The adapter of a channel; a channel without one yet cannot have inboxes. */
export function providerOf(channel: MessagingChannel): Provider {
  const provider = PROVIDERS[channel];
  if (!provider) throw new AppError('validation_failed', `The ${channel} channel is not available yet.`, [{ field: 'channel', message: 'has no provider adapter yet' }]);
  return provider;
}

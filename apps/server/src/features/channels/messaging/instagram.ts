/**
 * Instagram direct messages of a professional account linked to a Facebook Page, through the
 * Messenger Platform (messenger-platform.ts, https://developers.facebook.com/docs/messenger-platform/instagram):
 * the Instagram account's id, the linked Page's access token and the app secret; webhooks of
 * `object: 'instagram'`, replies by the same Send API (1000 characters a message).
 */
import { ProviderError } from './provider.js';
import { messengerPlatform, platformFields } from './messenger-platform.js';

export const instagram = messengerPlatform({
  channel: 'instagram',
  label: 'Instagram',
  object: 'instagram',
  accountField: 'instagram_account_id',
  textMax: 1000,
  docs: [
    'https://developers.facebook.com/docs/messenger-platform/instagram',
    'https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook',
    'https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message',
    'https://developers.facebook.com/docs/messenger-platform/webhooks',
    'https://developers.facebook.com/docs/messenger-platform/send-messages',
  ],
  webhookHelp: 'In your Meta app, open Instagram → Webhooks (or Webhooks → Instagram), paste this URL as the callback URL and the verify token below, and subscribe to messages, messaging_postbacks and messaging_seen.',
  fields: [
    { name: 'instagram_account_id', label: 'Instagram account ID', pattern: '^\\d{5,25}$', problem: 'must be the numeric ID of the Instagram professional account', placeholder: '17841400000000000', help: 'The numeric ID of the Instagram professional account (GET /me?fields=instagram_business_account with the Page token shows it).' },
    ...platformFields('Instagram'),
  ],
  async check(_ctx, settings, call) {
    // The token is the linked Page's; that Page must be the one linked to this Instagram account.
    const page = (await call('me', { what: 'the Page access token', query: { fields: 'id,name,instagram_business_account' } })) as { id?: string; name?: string; instagram_business_account?: { id?: string } };
    const linked = page.instagram_business_account?.id;
    if (linked !== settings.instagram_account_id) {
      throw new ProviderError(linked ? `This Page's Instagram account is ${linked}, not ${settings.instagram_account_id}; check the account ID.` : `The Page ${page.name ?? page.id ?? ''} has no Instagram professional account linked to it; link one in the Page's settings first.`.replace(/ {2}/, ' '), true);
    }
  },
});

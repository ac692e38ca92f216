/**
 * Messenger, for one Facebook Page, through the Messenger Platform (messenger-platform.ts):
 * the Page's id, a Page access token and the app secret; webhooks of `object: 'page'`.
 * Rapport subscribes the Page to the app's webhook fields itself when the inbox is saved
 * (POST /{page-id}/subscribed_apps, https://developers.facebook.com/docs/messenger-platform/webhooks#connect-your-app).
 */
import { ProviderError } from './provider.js';
import { messengerPlatform, platformFields } from './messenger-platform.js';

export const messenger = messengerPlatform({
  channel: 'messenger',
  label: 'Messenger',
  object: 'page',
  accountField: 'page_id',
  textMax: 2000,
  docs: ['https://developers.facebook.com/docs/messenger-platform/webhooks', 'https://developers.facebook.com/docs/messenger-platform/send-messages', 'https://developers.facebook.com/docs/messenger-platform/error-codes'],
  webhookHelp: 'In your Meta app, open Messenger → Settings → Webhooks, paste this URL as the callback URL and the verify token below, and subscribe to messages, messaging_postbacks, message_deliveries and message_reads.',
  fields: [
    { name: 'page_id', label: 'Page ID', pattern: '^\\d{5,20}$', problem: 'must be the Page’s numeric ID (Page → About → Page transparency, or Meta Business Suite)', placeholder: '104123456789012', help: 'The numeric ID of the Facebook Page customers write to.' },
    ...platformFields('Messenger'),
  ],
  async check(_ctx, settings, call) {
    // With a Page token, /me is the Page: the token must be this Page's.
    const page = (await call('me', { what: 'the Page access token', query: { fields: 'id,name' } })) as { id?: string; name?: string };
    if (page.id !== settings.page_id) throw new ProviderError(`This token is not the Page ${settings.page_id}'s${page.name ? ` (it is the token of ${page.name}, ${page.id})` : ''}; use the Page's own access token.`, true);
  },
  async subscribe(_ctx, settings, call) {
    await call(`${settings.page_id}/subscribed_apps`, { what: 'the webhook subscription', method: 'POST', query: { subscribed_fields: 'messages,messaging_postbacks,message_deliveries,message_reads' } });
  },
});

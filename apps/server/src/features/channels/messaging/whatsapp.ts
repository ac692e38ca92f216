/**
 * WhatsApp through Meta's Cloud API, one business phone number per inbox:
 * - Webhooks (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples):
 *   `whatsapp_business_account` objects whose `messages` changes carry the customer's messages
 *   (their wa_id is their phone number, so they are the same contact as on SMS or the phone) and
 *   the statuses of our replies (sent, delivered, read, failed with errors[]). A change for
 *   another phone number of the same business account is not this inbox's and is left alone.
 * - Files arrive as media ids: GET /{media-id} answers a short-lived URL that is fetched with
 *   the access token (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media).
 * - Replies (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages) go by
 *   POST /{phone-number-id}/messages: text (4096 characters a message), files by their public
 *   link, and templates, the only kind WhatsApp takes more than 24 hours after the customer's
 *   last message (error 131047 otherwise).
 */
import type { AppContext } from '../../../core/context.js';
import { callGraph, graphErrorText, graphProblem, hubChallenge, META_DOCS, verifyHubSignature, type GraphError } from './meta-graph.js';
import { ProviderError, type InboundMessage, type MediaRef, type Outgoing, type ProviderInbox, type Provider, type Receipt } from './provider.js';
import { splitText } from './telegram.js';

const LABEL = 'WhatsApp';
const TEXT_MAX = 4096;
/** The image types WhatsApp shows as a photo; every other file goes as a document. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png']);

interface WhatsAppMedia {
  id: string;
  mime_type?: string;
  caption?: string;
  filename?: string;
}

interface WhatsAppMessage {
  from: string;
  id: string;
  timestamp?: string;
  type: string;
  text?: { body?: string };
  image?: WhatsAppMedia;
  document?: WhatsAppMedia;
  audio?: WhatsAppMedia;
  video?: WhatsAppMedia;
  sticker?: WhatsAppMedia;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  contacts?: Array<{ name?: { formatted_name?: string }; phones?: Array<{ phone?: string }> }>;
  interactive?: { type?: string; button_reply?: { title?: string }; list_reply?: { title?: string } };
  button?: { text?: string };
  errors?: GraphError[];
}

interface WhatsAppStatus {
  id: string;
  status: string;
  recipient_id?: string;
  errors?: Array<GraphError & { title?: string }>;
}

interface WhatsAppValue {
  metadata?: { phone_number_id?: string };
  contacts?: Array<{ profile?: { name?: string }; wa_id?: string }>;
  messages?: WhatsAppMessage[];
  statuses?: WhatsAppStatus[];
}

/** Sentences for the refusals an agent can act on; the rest are told in Meta's words. */
function knownRefusal(error: GraphError): string | undefined {
  switch (error.code) {
    case 131047:
      return 'WhatsApp takes free-form replies only within 24 hours of the customer’s last message; send an approved template instead.';
    case 131026:
      return `WhatsApp could not deliver the reply: the number may not use WhatsApp, or has not accepted its latest terms (${graphErrorText(error)}).`;
    case 132001:
      return `WhatsApp has no approved template of that name in that language (${graphErrorText(error)}).`;
    default:
      return undefined;
  }
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'video/mp4': 'mp4', 'application/pdf': 'pdf' };
const nameFor = (kind: string, media: WhatsAppMedia) => media.filename || `${kind}.${EXTENSIONS[media.mime_type?.split(';')[0] ?? ''] ?? 'bin'}`;

function messageOf(m: WhatsAppMessage, name: string | undefined): InboundMessage | undefined {
  const base = { externalId: m.id, from: `+${m.from.replace(/^\+/, '')}`, ...(name ? { name } : {}) };
  const media: MediaRef[] = [];
  for (const kind of ['image', 'document', 'audio', 'video', 'sticker'] as const) {
    const file = m[kind];
    if (m.type === kind && file?.id) media.push({ id: file.id, fileName: nameFor(kind, file), ...(file.mime_type ? { contentType: file.mime_type } : {}) });
  }
  if (media.length) return { ...base, text: m[m.type as 'image']?.caption ?? '', media, ...(m.type === 'sticker' ? { note: 'Sent a sticker' } : {}) };
  switch (m.type) {
    case 'text':
      return { ...base, text: m.text?.body ?? '', media };
    case 'interactive':
      return { ...base, text: m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? '', media, note: 'Answered with a button' };
    case 'button':
      return { ...base, text: m.button?.text ?? '', media, note: 'Answered with a button' };
    case 'location': {
      const l = m.location ?? {};
      const place = [l.name, l.address].filter(Boolean).join(', ');
      return { ...base, text: '', media, note: `Shared a location: ${place ? `${place} ` : ''}(${l.latitude}, ${l.longitude})` };
    }
    case 'contacts': {
      const cards = (m.contacts ?? []).map((c) => [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '));
      return { ...base, text: '', media, note: `Shared a contact: ${cards.join('; ') || 'no details'}` };
    }
    case 'reaction':
      // A reaction is not a message to answer (and removing one comes as an empty emoji).
      return undefined;
    default: {
      const why = m.errors?.[0] ? graphErrorText(m.errors[0]) : m.type;
      return { ...base, text: '', media, note: `Sent a message Rapport cannot show (${why}); it can be seen in WhatsApp on the phone.` };
    }
  }
}

function receiptOf(s: WhatsAppStatus): Receipt | undefined {
  if (s.status !== 'sent' && s.status !== 'delivered' && s.status !== 'read' && s.status !== 'failed') return undefined;
  if (s.status !== 'failed') return { externalId: s.id, status: s.status };
  const error = s.errors?.[0];
  const words = error ? (knownRefusal(error) ?? `WhatsApp could not deliver the reply: ${[error.title, graphErrorText(error)].filter((w, i, all) => w && all.indexOf(w) === i).join(' — ')}.`) : undefined;
  return { externalId: s.id, status: 'failed', ...(words ? { error: words } : {}) };
}

const graph = (inbox: Pick<ProviderInbox, 'settings'>, what: string) => ({ label: LABEL, what, token: inbox.settings.access_token, appSecret: inbox.settings.app_secret, known: knownRefusal });

/** Signs in and reads the phone number: the token, the app secret (appsecret_proof) and the number ID all checked. */
async function checkNumber(ctx: AppContext, settings: Record<string, string>): Promise<void> {
  const number = await callGraph<{ display_phone_number?: string }>(ctx, encodeURIComponent(settings.phone_number_id), { ...graph({ settings }, 'the phone number ID'), query: { fields: 'display_phone_number,verified_name' } });
  if (!number.display_phone_number) throw new ProviderError(`The ID ${settings.phone_number_id} is not a WhatsApp business phone number.`, true);
}

function bodiesOf(out: Outgoing): Array<{ what: string; body: Record<string, unknown> }> {
  const to = out.to.replace(/^\+/, '');
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (out.template) {
    const { name, language, parameters } = out.template;
    const components = parameters.length ? [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }] : [];
    return [{ what: `the template ${name}`, body: { ...base, type: 'template', template: { name, language: { code: language }, components } } }];
  }
  const bodies: Array<{ what: string; body: Record<string, unknown> }> = (out.text.trim() ? splitText(out.text, TEXT_MAX) : []).map((body) => ({ what: 'the reply', body: { ...base, type: 'text', text: { body, preview_url: false } } }));
  for (const file of out.files) {
    const photo = PHOTO_TYPES.has(file.contentType);
    bodies.push({ what: `the file ${file.fileName}`, body: { ...base, type: photo ? 'image' : 'document', [photo ? 'image' : 'document']: photo ? { link: file.url } : { link: file.url, filename: file.fileName } } });
  }
  return bodies;
}

export const whatsapp: Provider = {
  channel: 'whatsapp',
  label: LABEL,
  docs: [
    'https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples',
    'https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages',
    'https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media',
    META_DOCS.verification,
    META_DOCS.errors,
  ],
  addressKind: 'phone',
  replyWindowHours: 24,
  webhookHelp: 'In your Meta app, open WhatsApp → Configuration, paste this URL as the callback URL and the verify token below, then subscribe to the “messages” field.',
  fields: [
    { name: 'phone_number_id', label: 'Phone number ID', pattern: '^\\d{5,20}$', problem: 'must be the number ID shown under WhatsApp → API Setup (digits only)', placeholder: '106540352242922', help: 'WhatsApp → API Setup in your Meta app shows it next to the business phone number.' },
    { name: 'business_account_id', label: 'WhatsApp Business Account ID', optional: true, pattern: '^\\d{5,20}$', problem: 'must be digits only', placeholder: '102290129340398', help: 'Shown on the same page; lets Rapport subscribe your app to the account’s webhooks.' },
    { name: 'access_token', label: 'Access token', secret: true, pattern: '^[A-Za-z0-9_.|-]{20,}$', problem: 'must be the access token of a system user, such as EAAG…', placeholder: 'EAAG…', help: 'A permanent token of a system user with the whatsapp_business_messaging permission (Business Settings → System users).' },
    { name: 'app_secret', label: 'App secret', secret: true, pattern: '^[0-9a-f]{32}$', problem: 'must be the 32 hexadecimal characters of App settings → Basic → App secret', help: 'App settings → Basic → App secret: Meta signs every webhook with it.' },
    { name: 'verify_token', label: 'Verify token', generated: true, help: 'Made by Rapport: paste it as the verify token of the webhook in your Meta app.' },
  ],

  verify: (inbox, req) => verifyHubSignature(inbox.settings.app_secret, req),
  challenge: (inbox, req) => hubChallenge(inbox.settings.verify_token, req),

  parse(inbox, req) {
    const payload = JSON.parse(req.rawBody.toString('utf8')) as { object?: string; entry?: Array<{ changes?: Array<{ field?: string; value?: WhatsAppValue }> }> };
    if (payload?.object !== 'whatsapp_business_account' || !Array.isArray(payload.entry)) throw new Error('its object is not whatsapp_business_account.');
    const messages: InboundMessage[] = [];
    const receipts: Receipt[] = [];
    for (const change of payload.entry.flatMap((e) => e.changes ?? [])) {
      const value = change.value;
      if (change.field !== 'messages' || !value || value.metadata?.phone_number_id !== inbox.settings.phone_number_id) continue;
      for (const m of value.messages ?? []) {
        if (!m?.id || !m.from) continue;
        const name = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name;
        const message = messageOf(m, name);
        if (message) messages.push(message);
      }
      for (const s of value.statuses ?? []) {
        const receipt = s?.id ? receiptOf(s) : undefined;
        if (receipt) receipts.push(receipt);
      }
    }
    return { messages, receipts };
  },

  async mediaUrl(ctx, inbox, media) {
    const found = await callGraph<{ url?: string; mime_type?: string }>(ctx, encodeURIComponent(media.id ?? ''), graph(inbox, 'the file'));
    if (!found.url) throw new ProviderError('WhatsApp has no file for it (it may have expired).', true);
    // The URL is Meta's and wants the token too (downloadMedia drops it if Meta redirects elsewhere).
    return { url: found.url, headers: { authorization: `Bearer ${inbox.settings.access_token}` } };
  },

  async send(ctx, inbox, out) {
    let last: string | undefined;
    for (const { what, body } of bodiesOf(out)) {
      const sent = await callGraph<{ messages?: Array<{ id?: string }> }>(ctx, `${inbox.settings.phone_number_id}/messages`, { ...graph(inbox, what), method: 'POST', body });
      last = sent.messages?.[0]?.id ?? last;
    }
    if (!last) throw new ProviderError(out.text.trim() || out.files.length || out.template ? 'WhatsApp answered without a message id.' : 'The reply is empty.', true);
    return { externalId: last };
  },

  async test(ctx, settings) {
    if (!settings.phone_number_id || !settings.access_token || !settings.app_secret) return 'Give the phone number ID, the access token and the app secret to try.';
    return graphProblem(() => checkNumber(ctx, settings));
  },

  async connect(ctx: AppContext, inbox) {
    await checkNumber(ctx, inbox.settings);
    // Subscribing the app to the business account is what makes Meta post its messages to the app's webhook.
    if (inbox.settings.business_account_id) await callGraph(ctx, `${inbox.settings.business_account_id}/subscribed_apps`, { ...graph(inbox, 'the webhook subscription'), method: 'POST' });
  },
};

/**
 * The Messenger Platform, which carries both Messenger (a Facebook Page) and Instagram messaging
 * (a professional account linked to a Page): the same webhook events, the same Send API, the same
 * messaging window. messenger.ts and instagram.ts are this with their own fields and checks.
 * - Webhooks (https://developers.facebook.com/docs/messenger-platform/webhooks): `entry[]` per
 *   Page or Instagram account, each with `messaging[]` events: `message` (text, attachments with
 *   a URL, `is_echo` for what the Page itself sent: ours, ignored), `postback` (a button's title),
 *   `delivery` (mids and a watermark) and `read` (a watermark on Messenger, a mid on Instagram).
 *   The sender's id is page-scoped (PSID / IGSID): an address of this inbox only.
 * - Send API (https://developers.facebook.com/docs/messenger-platform/send-messages):
 *   POST /me/messages with the Page's token, `messaging_type: RESPONSE` within 24 hours of the
 *   customer's last message, and from then up to 7 days only `MESSAGE_TAG` with the
 *   `HUMAN_AGENT` tag (https://developers.facebook.com/docs/messenger-platform/policy/policy-overview#24hours_window).
 *   Meta counts the window per person and Page, not per conversation, so the tag is chosen from
 *   the customer's latest message in any of their conversations of the inbox.
 */
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { callGraph, graphProblem, hubChallenge, META_DOCS, verifyHubSignature, type GraphCall, type GraphError } from './meta-graph.js';
import { ProviderError, type InboundMessage, type MediaRef, type Outgoing, type Provider, type ProviderInbox, type Receipt, type SettingField } from './provider.js';
import { splitText } from './telegram.js';
import { humanAgentTagNeeded } from './window.js';

interface Attachment {
  type?: string;
  payload?: { url?: string; title?: string; sticker_id?: number; coordinates?: { lat?: number; long?: number } };
  title?: string;
  url?: string;
}

interface MessagingEvent {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: { mid?: string; text?: string; is_echo?: boolean; is_deleted?: boolean; attachments?: Attachment[] };
  postback?: { mid?: string; title?: string; payload?: string };
  delivery?: { mids?: string[]; watermark?: number };
  read?: { watermark?: number; mid?: string };
}

export interface PlatformChannel {
  channel: 'messenger' | 'instagram';
  label: string;
  /** The webhook's `object`: 'page' or 'instagram'. */
  object: string;
  /** The setting naming the Page or Instagram account; events for other ids are not this inbox's. */
  accountField: string;
  /** Characters in one message (Messenger 2000, Instagram 1000). */
  textMax: number;
  docs: string[];
  fields: SettingField[];
  webhookHelp: string;
  /** Signs in with the settings and checks they belong together; throws a ProviderError saying what is wrong. */
  check(ctx: AppContext, settings: Record<string, string>, call: (path: string, extra?: Partial<GraphCall>) => Promise<unknown>): Promise<void>;
  /** After saving, subscribes what needs subscribing at Meta (the Page to the app). */
  subscribe?(ctx: AppContext, settings: Record<string, string>, call: (path: string, extra?: Partial<GraphCall>) => Promise<unknown>): Promise<void>;
}

/** The fields every Messenger Platform inbox has after its account's id. */
export const platformFields = (label: string): SettingField[] => [
  { name: 'page_access_token', label: 'Page access token', secret: true, pattern: '^[A-Za-z0-9_.|-]{20,}$', problem: 'must be a Page access token, such as EAAG…', placeholder: 'EAAG…', help: `A Page access token with the pages_messaging permission${label === 'Instagram' ? ' and instagram_manage_messages' : ''} (your Meta app → Messenger → Settings → Access tokens, or a system user's token).` },
  { name: 'app_secret', label: 'App secret', secret: true, pattern: '^[0-9a-f]{32}$', problem: 'must be the 32 hexadecimal characters of App settings → Basic → App secret', help: 'App settings → Basic → App secret: Meta signs every webhook with it.' },
  { name: 'verify_token', label: 'Verify token', generated: true, help: 'Made by Rapport: paste it as the verify token of the webhook in your Meta app.' },
];

const WINDOW_CLOSED = new Set([2018278, 2534022]);

function knownRefusal(label: string) {
  return (error: GraphError): string | undefined => {
    if (error.code === 10 && (error.error_subcode === undefined || WINDOW_CLOSED.has(error.error_subcode))) {
      return `${label} takes replies only within 7 days of the customer’s last message; you can answer once they write again.`;
    }
    if (error.code === 551) return `${label} could not deliver the reply: this person is not available right now (they may have blocked the account or left).`;
    if (error.code === 100 && error.error_subcode === 2018001) return `${label} has no such person for this account any more.`;
    return undefined;
  };
}

function noteOf(a: Attachment): string | undefined {
  const url = a.payload?.url ?? a.url;
  switch (a.type) {
    case 'location':
      return `Shared a location: ${a.payload?.coordinates?.lat}, ${a.payload?.coordinates?.long}`;
    case 'fallback':
    case 'share':
    case 'ig_reel':
    case 'reel':
      return `Shared a link: ${[a.payload?.title ?? a.title, url].filter(Boolean).join(' ')}`;
    case 'story_mention':
      return `Mentioned the account in their story: ${url ?? ''}`.trim();
    case 'template':
      return 'Sent a message Rapport cannot show (a template).';
    default:
      return undefined;
  }
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'file']);

function messageOf(event: MessagingEvent): InboundMessage | undefined {
  const from = event.sender?.id;
  const m = event.message;
  if (!from) return undefined;
  if (m?.mid && !m.is_echo && !m.is_deleted) {
    const media: MediaRef[] = [];
    const notes: string[] = [];
    for (const a of m.attachments ?? []) {
      if (a.type && MEDIA_TYPES.has(a.type) && a.payload?.url) {
        media.push({ url: a.payload.url, fileName: fileNameOf(a.type, a.payload.url) });
        if (a.payload.sticker_id) notes.push('Sent a sticker');
      } else {
        const note = noteOf(a);
        if (note) notes.push(note);
      }
    }
    return { externalId: m.mid, from, text: m.text ?? '', media, ...(notes.length ? { note: notes.join('\n') } : {}) };
  }
  if (event.postback && (event.postback.title || event.postback.payload)) {
    return { externalId: event.postback.mid ?? `postback:${from}:${event.timestamp ?? 0}`, from, text: event.postback.title ?? event.postback.payload ?? '', media: [], note: 'Pressed a button' };
  }
  return undefined;
}

/** The file's name from its URL's path, when it has one (CDN URLs usually do). */
function fileNameOf(type: string, url: string): string {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    if (/^[\w.-]{1,100}\.\w{2,5}$/.test(last)) return last;
  } catch {
    /* not a URL: the download says so */
  }
  return type === 'file' ? 'file' : type;
}

function receiptsOf(event: MessagingEvent): Receipt[] {
  const address = event.sender?.id;
  const out: Receipt[] = [];
  if (event.delivery) {
    for (const mid of event.delivery.mids ?? []) out.push({ externalId: mid, status: 'delivered' });
    if (address && event.delivery.watermark) out.push({ upTo: new Date(event.delivery.watermark), address, status: 'delivered' });
  }
  if (event.read) {
    if (event.read.mid) out.push({ externalId: event.read.mid, status: 'read' });
    if (address && event.read.watermark) out.push({ upTo: new Date(event.read.watermark), address, status: 'read' });
  }
  return out;
}

/** When the customer last wrote to the inbox, in any of their conversations (Meta's window is per person). */
async function lastIncomingAt(ctx: AppContext, inbox: ProviderInbox, address: string): Promise<Date | null> {
  const row = await scoped(ctx.db, inbox.account_id)
    .selectFrom('conversations')
    .select((eb) => eb.fn.max('last_incoming_at').as('at'))
    .where('inbox_id', '=', inbox.id)
    .where('channel_address', '=', address)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

function messagesOf(out: Outgoing, textMax: number): Array<{ what: string; message: Record<string, unknown> }> {
  const parts: Array<{ what: string; message: Record<string, unknown> }> = (out.text.trim() ? splitText(out.text, textMax) : []).map((text) => ({ what: 'the reply', message: { text } }));
  for (const file of out.files) {
    const kind = file.contentType.startsWith('image/') ? 'image' : file.contentType.startsWith('video/') ? 'video' : file.contentType.startsWith('audio/') ? 'audio' : 'file';
    parts.push({ what: `the file ${file.fileName}`, message: { attachment: { type: kind, payload: { url: file.url, is_reusable: false } } } });
  }
  return parts;
}

/** A Provider for one channel of the Messenger Platform. */
export function messengerPlatform(c: PlatformChannel): Provider {
  const graph = (settings: Record<string, string>, what: string): GraphCall => ({ label: c.label, what, token: settings.page_access_token, appSecret: settings.app_secret, known: knownRefusal(c.label) });
  const caller = (ctx: AppContext, settings: Record<string, string>) => (path: string, extra: Partial<GraphCall> = {}) => callGraph(ctx, path, { ...graph(settings, 'the settings'), ...extra });

  const provider: Provider = {
    channel: c.channel,
    label: c.label,
    docs: [...c.docs, META_DOCS.verification],
    addressKind: 'handle',
    // Free-form for 24 hours, then as a person's reply (HUMAN_AGENT) up to 7 days; no templates reopen it.
    replyWindowHours: 168,
    humanAgentTagAfterHours: 24,
    templates: false,
    webhookHelp: c.webhookHelp,
    fields: c.fields,

    verify: (inbox, req) => verifyHubSignature(inbox.settings.app_secret, req),
    challenge: (inbox, req) => hubChallenge(inbox.settings.verify_token, req),

    parse(inbox, req) {
      const payload = JSON.parse(req.rawBody.toString('utf8')) as { object?: string; entry?: Array<{ id?: string; messaging?: MessagingEvent[] }> };
      if (payload?.object !== c.object || !Array.isArray(payload.entry)) throw new Error(`its object is not ${c.object}.`);
      const messages: InboundMessage[] = [];
      const receipts: Receipt[] = [];
      const account = inbox.settings[c.accountField];
      for (const entry of payload.entry) {
        if (String(entry?.id) !== account) continue;
        for (const event of entry.messaging ?? []) {
          if (!event || typeof event !== 'object') continue;
          const message = messageOf(event);
          if (message) messages.push(message);
          receipts.push(...receiptsOf(event));
        }
      }
      return { messages, receipts };
    },

    // Attachment URLs are signed CDN links: fetched as they are, without the token.
    mediaUrl: async (_ctx, _inbox, media) => ({ url: media.url ?? '', headers: {} }),

    async send(ctx, inbox, out) {
      const tagged = humanAgentTagNeeded(provider, await lastIncomingAt(ctx, inbox, out.to));
      const type = tagged ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' };
      let last: string | undefined;
      for (const { what, message } of messagesOf(out, c.textMax)) {
        const sent = await callGraph<{ message_id?: string }>(ctx, 'me/messages', { ...graph(inbox.settings, what), method: 'POST', body: { recipient: { id: out.to }, ...type, message } });
        last = sent.message_id ?? last;
      }
      if (!last) throw new ProviderError(out.text.trim() || out.files.length ? `${c.label} answered without a message id.` : 'The reply is empty.', true);
      return { externalId: last };
    },

    async test(ctx, settings) {
      if (!settings[c.accountField] || !settings.page_access_token || !settings.app_secret) return `Give the ${c.fields[0].label}, the Page access token and the app secret to try.`;
      return graphProblem(() => c.check(ctx, settings, caller(ctx, settings)));
    },

    async connect(ctx, inbox) {
      await c.check(ctx, inbox.settings, caller(ctx, inbox.settings));
      await c.subscribe?.(ctx, inbox.settings, caller(ctx, inbox.settings));
    },
  };
  return provider;
}

/**
 * SMS (and MMS) through Twilio:
 * - The inbox's webhook URL is pasted at the number (or messaging service) as "A message comes
 *   in"; Twilio posts the message form-encoded (MessageSid, AccountSid, From, To, Body, NumMedia,
 *   MediaUrlN, MediaContentTypeN) and signs it with X-Twilio-Signature over that URL and the
 *   parameters (twilio-signature.ts). The answer is empty TwiML: Rapport replies later, through the API.
 * - Media is fetched from MediaUrlN with the account's credentials (HTTP Basic), sent to Twilio's
 *   own hosts only; Twilio redirects to its CDN, which gets none.
 * - Replies are POSTed to Messages.json with StatusCallback set to the same webhook URL; the
 *   status callbacks (MessageStatus, ErrorCode, no Body) move the reply to delivered or failed.
 * - STOP and START are answered by Twilio itself on standard numbers; Rapport notes them on the
 *   conversation, and a send to an unsubscribed customer fails with Twilio's 21610.
 */
import { webhookUrlOf } from './inbox.js';
import { header, ProviderError, type InboundMessage, type MediaRef, type Provider, type Receipt, type ReceiptStatus } from './provider.js';
import { splitText } from './telegram.js';
import { accountUrl, basicAuth, callTwilio, checkTwilioAccount, throwUnlessRefusal, twilioErrorOf, twilioHosts } from './twilio-rest.js';
import { formParams, verifyTwilio } from './twilio-signature.js';

/** Twilio concatenates the segments of one message up to this many characters. */
const BODY_MAX = 1600;
/** Twilio takes at most ten MediaUrl in one message. */
const MEDIA_MAX = 10;

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export const UNSUBSCRIBED = 'The customer unsubscribed from SMS; replies will fail until they send START.';
const RESUBSCRIBED = 'The customer subscribed to SMS again (START); replies reach them again.';

// Twilio's default opt-out and opt-in keywords (https://help.twilio.com/articles/223134027), matched on the whole message.
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const START_WORDS = new Set(['START', 'YES', 'UNSTOP']);

/** What the customer's number or carrier did, in words, for Twilio's common error codes (https://www.twilio.com/docs/api/errors). */
const ERROR_SENTENCES: Record<number, string> = {
  30003: 'The customer’s phone could not be reached (switched off or out of coverage; Twilio error 30003).',
  30005: 'The customer’s number is unknown to their carrier and may no longer exist (Twilio error 30005).',
  30006: 'The customer’s number is a landline or cannot receive SMS (Twilio error 30006).',
  30007: 'The customer’s carrier filtered the message as spam (Twilio error 30007); register the sender with Twilio or change the wording.',
  21610: UNSUBSCRIBED,
  21211: 'The customer’s number is not a valid phone number (Twilio error 21211); correct it on the contact.',
  21614: 'The customer’s number is not a mobile number and cannot receive SMS (Twilio error 21614).',
};

const sentenceFor = (code: number | null, said?: string): string =>
  (code !== null && ERROR_SENTENCES[code]) || `Twilio could not deliver the reply${said ? `: ${said.replace(/\.$/, '')}` : ''}${code !== null ? ` (error ${code}, https://www.twilio.com/docs/errors/${code})` : ''}.`;

/** MessageStatus as a receipt: queued, sending and sent are all "sent" to the agent; undelivered and failed carry the reason. */
const STATUS: Record<string, ReceiptStatus> = { accepted: 'sent', scheduled: 'sent', queued: 'sent', sending: 'sent', sent: 'sent', delivered: 'delivered', read: 'read', undelivered: 'failed', failed: 'failed', canceled: 'failed' };

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'video/mp4': 'mp4', 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'audio/amr': 'amr', 'text/vcard': 'vcf', 'text/x-vcard': 'vcf', 'application/pdf': 'pdf' };

function mediaOf(params: Map<string, string>): MediaRef[] {
  const count = Math.min(Number.parseInt(params.get('NumMedia') ?? '0', 10) || 0, 20);
  const out: MediaRef[] = [];
  for (let i = 0; i < count; i++) {
    const url = params.get(`MediaUrl${i}`);
    if (!url) continue;
    const contentType = params.get(`MediaContentType${i}`)?.split(';')[0].trim().toLowerCase();
    const ext = contentType ? EXTENSIONS[contentType] : undefined;
    out.push({ url, contentType, ...(ext ? { fileName: `sms-${contentType!.split('/')[0]}-${i + 1}.${ext}` } : {}) });
  }
  return out;
}

/** What an opt-out or opt-in keyword means for the conversation (Twilio's OptOutType when Advanced Opt-Out says so). */
function subscriptionNote(params: Map<string, string>): string | undefined {
  const kind = params.get('OptOutType')?.toUpperCase();
  const word = (params.get('Body') ?? '').trim().toUpperCase();
  if (kind === 'STOP' || (!kind && STOP_WORDS.has(word))) return UNSUBSCRIBED;
  if (kind === 'START' || (!kind && START_WORDS.has(word))) return RESUBSCRIBED;
  return undefined;
}

/** The messages one reply becomes: the text in parts Twilio takes, the files riding along (ten a message). */
function messagesOf(text: string, mediaUrls: string[]): Array<{ body?: string; media: string[] }> {
  const out: Array<{ body?: string; media: string[] }> = (text.trim() ? splitText(text, BODY_MAX) : []).map((body) => ({ body, media: [] }));
  for (let i = 0; i < mediaUrls.length; i += MEDIA_MAX) {
    const media = mediaUrls.slice(i, i + MEDIA_MAX);
    if (i === 0 && out.length) out[0].media = media;
    else out.push({ media });
  }
  return out;
}

function refusalOf(e: ReturnType<typeof twilioErrorOf>): ProviderError {
  throwUnlessRefusal(e);
  if (e.code !== null && ERROR_SENTENCES[e.code]) return new ProviderError(ERROR_SENTENCES[e.code], true);
  return new ProviderError(`Twilio refused the reply: ${e.message.replace(/\.$/, '')}${e.code !== null ? ` (error ${e.code})` : ''}.`, true);
}

export const twilioSms: Provider = {
  channel: 'sms',
  label: 'SMS (Twilio)',
  docs: [
    'https://www.twilio.com/docs/messaging/guides/webhook-request',
    'https://www.twilio.com/docs/usage/webhooks/webhooks-security',
    'https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource',
    'https://www.twilio.com/docs/messaging/guides/track-outbound-message-status',
    'https://www.twilio.com/docs/api/errors',
  ],
  addressKind: 'phone',
  webhookHelp: 'In the Twilio console, open the number (or the messaging service) and paste this URL as the webhook for "A message comes in", method HTTP POST.',
  fields: [
    { name: 'account_sid', label: 'Account SID', pattern: '^AC[0-9a-f]{32}$', problem: 'must be the Account SID from the Twilio console: AC and 32 hexadecimal characters', placeholder: 'AC…', help: 'On the Twilio console’s home page, under Account Info.' },
    { name: 'auth_token', label: 'Auth token', secret: true, pattern: '^[0-9a-f]{32}$', problem: 'must be the auth token from the Twilio console: 32 hexadecimal characters', help: 'Next to the Account SID; Twilio signs its webhooks with it.' },
    { name: 'phone_number', label: 'Phone number', optional: true, oneOf: 'sender', pattern: '^\\+[1-9]\\d{7,14}$', problem: 'must be the number in international form, such as +14155550100', placeholder: '+14155550100', help: 'The Twilio number customers text. Give it or a messaging service.' },
    { name: 'messaging_service_sid', label: 'Messaging service SID', optional: true, oneOf: 'sender', pattern: '^MG[0-9a-f]{32}$', problem: 'must be a Messaging Service SID: MG and 32 hexadecimal characters', placeholder: 'MG…', help: 'Send through a messaging service (a pool of numbers) instead of one number.' },
  ],

  verify(inbox, req) {
    return verifyTwilio(inbox.settings.auth_token, req.url, req.rawBody, header(req, 'content-type'), header(req, 'x-twilio-signature'));
  },

  parse(inbox, req) {
    const params = new Map<string, string>();
    for (const [k, v] of formParams(req.rawBody)) if (!params.has(k)) params.set(k, v);
    const sid = params.get('MessageSid') ?? params.get('SmsSid');
    if (!sid) throw new Error('there is no MessageSid in it.');
    const account = params.get('AccountSid');
    if (account !== inbox.settings.account_sid) throw new Error(`it is for the Twilio account ${account?.slice(0, 40) ?? '(none)'}, and this inbox is connected to ${inbox.settings.account_sid}; check the Account SID in the inbox settings.`);
    const answer = { type: 'text/xml', body: EMPTY_TWIML };

    const status = params.get('MessageStatus') ?? params.get('SmsStatus');
    if (!params.has('Body') && status) {
      const receipts: Receipt[] = [];
      const mapped = STATUS[status];
      if (mapped) {
        const code = params.has('ErrorCode') ? Number.parseInt(params.get('ErrorCode')!, 10) : null;
        const reason = status === 'canceled' ? 'The reply was canceled at Twilio before it was sent.' : sentenceFor(Number.isNaN(code) ? null : code, params.get('ErrorMessage'));
        receipts.push({ externalId: sid, status: mapped, ...(mapped === 'failed' ? { error: reason } : {}) });
      }
      return { messages: [], receipts, answer };
    }

    const from = params.get('From');
    if (!from) throw new Error('there is no From in it.');
    const message: InboundMessage = { externalId: sid, from, name: params.get('ProfileName') ?? '', text: params.get('Body') ?? '', media: mediaOf(params) };
    const note = subscriptionNote(params);
    if (note) message.systemNote = note;
    return { messages: [message], receipts: [], answer };
  },

  async mediaUrl(ctx, inbox, media) {
    const url = media.url ?? '';
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      /* downloadMedia says the address is not valid */
    }
    // The account's credentials go to Twilio and nowhere else, whatever host a webhook names.
    const headers: Record<string, string> = twilioHosts(ctx).has(host) ? { authorization: basicAuth({ account_sid: inbox.settings.account_sid, auth_token: inbox.settings.auth_token }) } : {};
    return { url, headers };
  },

  async send(ctx, inbox, out) {
    const credentials = { account_sid: inbox.settings.account_sid, auth_token: inbox.settings.auth_token };
    const parts = messagesOf(out.text, out.files.map((f) => f.url));
    if (!parts.length) throw new ProviderError('The reply is empty.', true);
    let last: string | undefined;
    for (const [i, part] of parts.entries()) {
      const form = new URLSearchParams({ To: out.to });
      if (inbox.settings.phone_number) form.set('From', inbox.settings.phone_number);
      if (inbox.settings.messaging_service_sid) form.set('MessagingServiceSid', inbox.settings.messaging_service_sid);
      if (part.body) form.set('Body', part.body);
      for (const url of part.media) form.append('MediaUrl', url);
      form.set('StatusCallback', webhookUrlOf(ctx, inbox.channel, inbox.inbound_key));
      let error: ProviderError;
      try {
        const answer = await callTwilio(ctx, credentials, accountUrl(ctx, credentials.account_sid, 'Messages.json'), { method: 'POST', form });
        const sid = (answer.json as { sid?: string } | null)?.sid;
        if (answer.status === 201 && sid) {
          last = sid;
          continue;
        }
        error = refusalOf(twilioErrorOf(answer));
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        error = err;
      }
      // Trying the whole reply again would send the first parts twice: say what reached the customer instead.
      if (i > 0) {
        const then = error.permanent ? `refused the next: ${error.message}` : 'could not take the next just then.';
        throw new ProviderError(`Twilio took ${i} of the ${parts.length} messages of this reply, then ${then} Retrying sends the whole reply again.`, true, error.credentials);
      }
      throw error;
    }
    return { externalId: last! };
  },

  test(ctx, settings) {
    return checkTwilioAccount(ctx, settings, settings.phone_number);
  },
};

/**
 * The phone channel, over Twilio Voice: a helpline number whose calls become call entries.
 *
 * - Rapport points the number's Voice URL and status callback at the inbox's webhook when the
 *   inbox is saved (IncomingPhoneNumbers, https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource).
 * - Every request is signed with X-Twilio-Signature over the URL (query included) and the form
 *   parameters (https://www.twilio.com/docs/usage/webhooks/webhooks-security); the step of the
 *   call is in the query, so it is signed too.
 * - A call rings the helpline's phone (forward_to) with <Dial> for ring_seconds; the dial's outcome
 *   (DialCallStatus) says answered, or the caller gets the greeting and <Record> (voicemail, with
 *   transcription) (https://www.twilio.com/docs/voice/twiml/dial, /record#attributes-transcribe).
 *   Without forward_to every call goes to voicemail.
 * - The recording is fetched from RecordingUrl + ".mp3" with HTTP Basic auth (the Account SID and
 *   auth token), only from the Twilio API's own host (TWILIO_API_URL); the status callback
 *   (CallStatus, CallDuration) closes the call (https://www.twilio.com/docs/voice/api/call-resource#statuscallback).
 */
import type { AppContext } from '../../../core/context.js';
import { AppError } from '../../../core/errors.js';
import { callProvider } from '../messaging/http.js';
import { header, ProviderError, type InboundRequest, type Provider, type ProviderInbox } from '../messaging/provider.js';
import { formParams, verifyTwilio } from '../messaging/twilio-signature.js';
import type { CallStatus } from './call.js';
import { recordCallReport, type CallReport } from './calls.js';
import { DEFAULT_GREETING, dialTwiml, emptyTwiml, hangupTwiml, stepUrl, voicemailTwiml } from './twiml.js';

const E164 = '^\\+[1-9]\\d{6,14}$';
const DEFAULT_RING_SECONDS = 20;
const TWIML = 'text/xml; charset=utf-8';

const basicAuth = (settings: Record<string, string>) => `Basic ${Buffer.from(`${settings.account_sid}:${settings.auth_token}`).toString('base64')}`;
const accountUrl = (ctx: AppContext, settings: Record<string, string>, path: string) => `${ctx.config.twilioApiUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.account_sid)}${path}`;

const invalid = (message: string) => new AppError('validation_failed', `This is not a Twilio Voice webhook: ${message}`);

/** The helpline number's resource at Twilio (its sid, to point it at Rapport), or a sentence saying what is wrong. */
async function findNumber(ctx: AppContext, settings: Record<string, string>): Promise<{ sid: string }> {
  const answer = await callProvider(accountUrl(ctx, settings, `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(settings.phone_number)}`), {
    headers: { authorization: basicAuth(settings) },
    what: 'Twilio',
  });
  if (answer.status === 401 || answer.status === 404) throw new ProviderError('Twilio refused the Account SID and auth token; copy both again from the Twilio Console.', true, true);
  if (answer.status >= 500 || answer.status === 429) throw new ProviderError(`Twilio is busy (HTTP ${answer.status}); try again shortly.`, false);
  if (answer.status !== 200) throw new ProviderError(`Twilio answered HTTP ${answer.status} when asked for the number.`, true);
  const numbers = (answer.json as { incoming_phone_numbers?: Array<{ sid: string; phone_number: string }> } | null)?.incoming_phone_numbers ?? [];
  const found = numbers.find((n) => n.phone_number === settings.phone_number);
  if (!found) throw new ProviderError(`${settings.phone_number} is not a number of this Twilio account; buy or port it in the Twilio Console, or check the number.`, true);
  return { sid: found.sid };
}

const DIAL_OUTCOME: Record<string, CallStatus> = { completed: 'answered', answered: 'answered', 'no-answer': 'missed', busy: 'missed', failed: 'missed', canceled: 'missed' };
/** The final statuses of a call (the status callback's default event, "completed"). */
const CALL_STATUSES = new Set(['completed', 'no-answer', 'busy', 'failed', 'canceled']);

const seconds = (v: string | null): number | undefined => (v !== null && /^\d{1,6}$/.test(v) ? Number(v) : undefined);

/** Reads one step's form parameters into a report of the call; refuses what Twilio never sends. */
function reportOf(inbox: ProviderInbox, params: URLSearchParams): CallReport {
  const sid = params.get('CallSid') ?? '';
  if (!/^CA[0-9a-f]{32}$/i.test(sid)) throw invalid('no CallSid.');
  if (params.get('AccountSid') !== inbox.settings.account_sid) throw invalid('the call belongs to another Twilio account than this inbox’s.');
  const outbound = (params.get('Direction') ?? 'inbound').startsWith('outbound');
  const from = params.get('From') ?? '';
  const to = params.get('To') ?? '';
  return { sid, direction: outbound ? 'outbound' : 'inbound', customer: outbound ? to : from, ours: outbound ? from : to, callerName: params.get('CallerName') ?? undefined };
}

async function handleStep(ctx: AppContext, inbox: ProviderInbox, req: InboundRequest): Promise<string> {
  const params = new URLSearchParams(formParams(req.rawBody));
  const report = reportOf(inbox, params);
  // The address Twilio called, without the step: where the next steps post to.
  const webhook = req.url.split('?')[0];
  const greeting = inbox.settings.voicemail_greeting || DEFAULT_GREETING;
  const step = req.query.step ?? 'incoming';
  switch (step) {
    case 'incoming': {
      await recordCallReport(ctx, inbox, { ...report, status: 'ringing' });
      if (report.direction === 'outbound') return emptyTwiml();
      const forward = inbox.settings.forward_to;
      return forward ? dialTwiml(webhook, forward, Number(inbox.settings.ring_seconds) || DEFAULT_RING_SECONDS) : voicemailTwiml(webhook, greeting);
    }
    case 'dial': {
      const status = DIAL_OUTCOME[params.get('DialCallStatus') ?? ''];
      if (!status) throw invalid('no DialCallStatus.');
      await recordCallReport(ctx, inbox, { ...report, status, durationSeconds: status === 'answered' ? seconds(params.get('DialCallDuration')) : undefined });
      return status === 'answered' ? hangupTwiml() : voicemailTwiml(webhook, greeting);
    }
    case 'recorded': {
      const url = params.get('RecordingUrl');
      const recordingSid = params.get('RecordingSid') ?? '';
      const length = seconds(params.get('RecordingDuration'));
      // A caller who hangs up at the beep leaves nothing: a missed call.
      if (!url || !recordingSid || length === 0) {
        await recordCallReport(ctx, inbox, { ...report, status: 'missed' });
        return hangupTwiml();
      }
      const media = await twilioVoice.mediaUrl(ctx, inbox, { url });
      await recordCallReport(ctx, inbox, { ...report, status: 'voicemail', recording: { sid: recordingSid, url: media.url, headers: media.headers, durationSeconds: length } });
      return hangupTwiml('Thank you. We will call you back.');
    }
    case 'transcription': {
      const text = params.get('TranscriptionStatus') === 'completed' ? (params.get('TranscriptionText') ?? '') : undefined;
      // It names the recording too: one that could not be fetched at the recorded step (not ready yet) is tried again.
      const url = params.get('RecordingUrl');
      const recordingSid = params.get('RecordingSid');
      const recording = url && recordingSid ? { sid: recordingSid, ...(await twilioVoice.mediaUrl(ctx, inbox, { url })) } : undefined;
      await recordCallReport(ctx, inbox, { ...report, ...(text !== undefined ? { transcription: text } : {}), ...(recording ? { recording } : {}) });
      return emptyTwiml();
    }
    case 'status': {
      const callStatus = params.get('CallStatus') ?? '';
      if (!CALL_STATUSES.has(callStatus)) throw invalid('no CallStatus.');
      // "completed" says the call is over, not that a person took it: a call still ringing then was missed.
      const outcome = callStatus === 'completed' ? { ended: true } : { status: 'missed' as const };
      await recordCallReport(ctx, inbox, { ...report, ...outcome, durationSeconds: seconds(params.get('CallDuration')) });
      return emptyTwiml();
    }
    default:
      throw invalid(`the step ${step.slice(0, 20)} is not one Rapport asks for.`);
  }
}

export const twilioVoice: Provider = {
  channel: 'phone',
  label: 'Phone (Twilio Voice)',
  docs: [
    'https://www.twilio.com/docs/voice/twiml',
    'https://www.twilio.com/docs/voice/twiml/record#attributes-transcribe',
    'https://www.twilio.com/docs/voice/api/call-resource#statuscallback',
    'https://www.twilio.com/docs/usage/webhooks/webhooks-security',
    'https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource',
  ],
  addressKind: 'phone',
  noTextReplies: 'A phone conversation carries no written replies: call the customer back and log the call, or write a private note for your team.',
  webhookHelp: 'Nothing to paste: Rapport sets this as the number’s Voice URL and status callback at Twilio when the inbox is saved.',
  fields: [
    { name: 'account_sid', label: 'Account SID', pattern: '^AC[0-9a-fA-F]{32}$', problem: 'must be the Account SID from the Twilio Console, AC followed by 32 characters', placeholder: 'AC…', help: 'On the Twilio Console’s home page.' },
    { name: 'auth_token', label: 'Auth token', secret: true, pattern: '^[0-9a-fA-F]{32}$', problem: 'must be the 32-character auth token from the Twilio Console', help: 'Beside the Account SID; it also signs Twilio’s webhooks.' },
    { name: 'phone_number', label: 'Helpline number', pattern: E164, problem: 'must be a number in international form, such as +4930123456', placeholder: '+4930123456', help: 'The Twilio number customers call.' },
    {
      name: 'forward_to',
      label: 'Ring this phone',
      optional: true,
      pattern: E164,
      problem: 'must be a number in international form, such as +4917612345678',
      placeholder: '+4917612345678',
      help: 'The helpline’s phone your agents answer. Without it, every call goes to voicemail.',
    },
    { name: 'voicemail_greeting', label: 'Voicemail greeting', optional: true, pattern: '^[^<>]{1,500}$', problem: 'must be at most 500 characters, without angle brackets', placeholder: DEFAULT_GREETING, help: 'Read to callers nobody answered, before the tone.' },
    { name: 'ring_seconds', label: 'Ring for (seconds)', optional: true, pattern: '^([5-9]|[1-5]\\d|60)$', problem: 'must be a whole number of seconds from 5 to 60', placeholder: String(DEFAULT_RING_SECONDS), help: 'How long the phone rings before the caller gets voicemail.' },
  ],

  verify(inbox, req) {
    return verifyTwilio(inbox.settings.auth_token, req.url, req.rawBody, header(req, 'content-type'), header(req, 'x-twilio-signature'));
  },

  parse() {
    // Voice webhooks are steps of a call, not messages: see handle.
    return { messages: [], receipts: [] };
  },

  async handle(ctx, inbox, req) {
    return { type: TWIML, body: await handleStep(ctx, inbox, req) };
  },

  async mediaUrl(ctx, inbox, media) {
    // The credentials go to Twilio's API only, never to a host a webhook names.
    let url: URL;
    try {
      url = new URL(`${media.url ?? ''}.mp3`);
    } catch {
      throw invalid('the RecordingUrl is not a URL.');
    }
    if (url.origin !== new URL(ctx.config.twilioApiUrl).origin) throw invalid(`the recording is not on Twilio’s API (${url.host.slice(0, 60)}).`);
    return { url: url.href, headers: { authorization: basicAuth(inbox.settings) } };
  },

  async send() {
    throw new ProviderError('A phone inbox sends no written replies.', true);
  },

  async test(ctx, settings) {
    if (!settings.account_sid || !settings.auth_token || !settings.phone_number) return 'Give the Account SID, auth token and helpline number to try.';
    try {
      await findNumber(ctx, settings);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },

  async connect(ctx, inbox, webhookUrl) {
    const number = await findNumber(ctx, inbox.settings);
    const body = new URLSearchParams({ VoiceUrl: webhookUrl, VoiceMethod: 'POST', StatusCallback: stepUrl(webhookUrl, 'status'), StatusCallbackMethod: 'POST' });
    const answer = await callProvider(accountUrl(ctx, inbox.settings, `/IncomingPhoneNumbers/${encodeURIComponent(number.sid)}.json`), {
      method: 'POST',
      headers: { authorization: basicAuth(inbox.settings), 'content-type': 'application/x-www-form-urlencoded' },
      body,
      what: 'Twilio',
    });
    if (answer.status !== 200) throw new ProviderError(`Twilio did not take the webhook for ${inbox.settings.phone_number} (HTTP ${answer.status}).`, answer.status >= 500);
  },
};

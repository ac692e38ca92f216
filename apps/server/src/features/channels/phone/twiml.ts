/**
 * The TwiML Rapport answers a call with (https://www.twilio.com/docs/voice/twiml): ring the
 * helpline's phone with <Dial>, or take a voicemail with <Say> and <Record>. Every value is
 * escaped as XML text or attribute: a greeting an admin typed cannot add verbs.
 */
const xml = (v: string) => v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const document = (verbs: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs}</Response>`;

export const DEFAULT_GREETING = 'Sorry, nobody can take your call right now. Please leave a message after the tone and we will call you back.';
export const VOICEMAIL_MAX_SECONDS = 120;

/** Where each step of the call posts back: the inbox's webhook with the step in the query (Twilio signs it). */
export const stepUrl = (webhookUrl: string, step: string) => `${webhookUrl}?step=${step}`;

/** Rings the helpline's phone; Twilio posts the outcome to the dial step. */
export function dialTwiml(webhookUrl: string, forwardTo: string, ringSeconds: number): string {
  // Twilio shows the caller's own number on the helpline's phone (the default callerId when forwarding).
  return document(`<Dial action="${xml(stepUrl(webhookUrl, 'dial'))}" method="POST" timeout="${ringSeconds}"><Number>${xml(forwardTo)}</Number></Dial>`);
}

/** The greeting, then a recording with transcription; the recording and its text post to their own steps. */
export function voicemailTwiml(webhookUrl: string, greeting: string): string {
  return document(
    `<Say>${xml(greeting)}</Say>` +
      `<Record maxLength="${VOICEMAIL_MAX_SECONDS}" playBeep="true" transcribe="true" transcribeCallback="${xml(stepUrl(webhookUrl, 'transcription'))}" action="${xml(stepUrl(webhookUrl, 'recorded'))}" method="POST"/>`,
  );
}

/** The call is over (answered, or the message is left). */
export const hangupTwiml = (goodbye?: string) => document(`${goodbye ? `<Say>${xml(goodbye)}</Say>` : ''}<Hangup/>`);

/** Nothing to do (a status or transcription callback, whose answer Twilio ignores). */
export const emptyTwiml = () => document('');

/**
 * A local stand-in for Twilio Voice, which cannot be reached from the tests. It plays Twilio's
 * part of a call the documented way:
 * - the REST API at /2010-04-01/Accounts/{AccountSid}/…, HTTP Basic auth with the Account SID and
 *   auth token (401 with Twilio's error body otherwise): IncomingPhoneNumbers.json?PhoneNumber=
 *   (list) and IncomingPhoneNumbers/{Sid}.json (update VoiceUrl, StatusCallback), and recordings at
 *   Recordings/{RecordingSid}.mp3 (https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource,
 *   https://www.twilio.com/docs/voice/api/recording#fetch-a-recording-media-file);
 * - webhooks as Twilio posts them: application/x-www-form-urlencoded, signed with
 *   X-Twilio-Signature = base64(HMAC-SHA1(auth token, URL + the sorted parameters)) over the
 *   exact URL it calls, query included (https://www.twilio.com/docs/usage/webhooks/webhooks-security);
 * - a call follows the TwiML Rapport answers (https://www.twilio.com/docs/voice/twiml): the first
 *   request goes to the number's VoiceUrl with CallStatus=ringing; the <Dial> action gets
 *   DialCallStatus and DialCallDuration; <Record>'s action gets RecordingUrl (without extension),
 *   RecordingSid and RecordingDuration, its transcribeCallback gets TranscriptionText and
 *   TranscriptionStatus (https://www.twilio.com/docs/voice/twiml/record#attributes-transcribe); the
 *   number's StatusCallback gets the final CallStatus and CallDuration
 *   (https://www.twilio.com/docs/voice/api/call-resource#statuscallback). A URL Rapport never
 *   answered (no <Dial action>, say) cannot be called: the fake throws, as Twilio would not post.
 * The TwiML answers are read with a small strict XML reader: a document Twilio could not parse
 * (a stray "&", mismatched tags) fails the test.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { twilioSignature } from '../../src/features/channels/messaging/twilio-signature.js';

/** One element of a TwiML document. */
export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  children: TwimlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) => {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(s)) throw new Error(`not XML: a bare & in ${JSON.stringify(s.slice(0, 60))}`);
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) => (e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]));
};

/** Parses a TwiML document strictly (one root, matching tags, escaped text); throws when it is not XML. */
export function parseTwiml(doc: string): TwimlNode {
  const body = doc.replace(/^\s*<\?xml[^?]*\?>/, '');
  const root: TwimlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<\/([A-Za-z]+)\s*>|<([A-Za-z]+)((?:\s+[A-Za-z]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const [, close, open, attrs, selfClose, text, stray] = m;
    const top = stack[stack.length - 1];
    if (stray) throw new Error(`not XML: a stray < at ${m.index}`);
    if (text !== undefined) {
      if (text.trim() && top === root) throw new Error('not XML: text outside the root');
      top.text += decode(text);
    } else if (close) {
      if (top.name !== close) throw new Error(`not XML: </${close}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: TwimlNode = { name: open, attrs: {}, children: [], text: '' };
      for (const a of attrs.matchAll(/([A-Za-z]+)="([^"]*)"/g)) node.attrs[a[1]] = decode(a[2]);
      top.children.push(node);
      if (!selfClose) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error(`not XML: <${stack[stack.length - 1].name}> is never closed`);
  if (root.children.length !== 1 || root.children[0].name !== 'Response') throw new Error('not TwiML: the root must be one <Response>');
  return root.children[0];
}

/** What the app answered a webhook with. */
export interface WebhookAnswer {
  status: number;
  contentType: string;
  body: string;
}
export type Transport = (url: string, headers: Record<string, string>, body: string) => Promise<WebhookAnswer>;

const fetchTransport: Transport = async (url, headers, body) => {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
};

export interface FakeCall {
  sid: string;
  from: string;
  /** Every answer so far, in order, with the TwiML read from it. */
  answers: Array<WebhookAnswer & { twiml: TwimlNode | null }>;
  /** The call comes in: the number's VoiceUrl, CallStatus=ringing. */
  ring(): Promise<TwimlNode>;
  /** The helpline's phone was answered (completed) or not, after <Dial>. */
  dialed(status: 'completed' | 'no-answer' | 'busy' | 'failed', durationSeconds?: number): Promise<TwimlNode>;
  /** The caller left a voicemail of this many seconds, after <Record> (its recording is served by the fake). */
  recorded(durationSeconds: number, audio?: Buffer): Promise<TwimlNode>;
  /** Twilio's transcription of the voicemail is ready. */
  transcribed(text: string, status?: 'completed' | 'failed'): Promise<WebhookAnswer>;
  /** The call is over: the number's StatusCallback. */
  ended(status: 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled', durationSeconds: number): Promise<WebhookAnswer>;
  /** Posts one step again, exactly as before (Twilio retrying, or a second node getting it). */
  repeat(index: number): Promise<WebhookAnswer>;
}

export interface FakeTwilioVoice {
  url: string;
  accountSid: string;
  authToken: string;
  number: { sid: string; phone_number: string; voice_url: string | null; status_callback: string | null };
  /** Recordings fetched, with the Authorization header they came with. */
  recordingFetches: Array<{ sid: string; authorization: string | undefined }>;
  /** The next n recording fetches answer 404, as Twilio does while a recording is still being processed. */
  recordingsNotReady: number;
  call(from: string, opts?: { callerName?: string }): FakeCall;
  /** Signs and posts a form to a URL, as Twilio does (for tests that make their own requests). */
  post(url: string, params: Record<string, string>, signWith?: string): Promise<WebhookAnswer>;
  /** The headers and body Twilio would send to this URL with these parameters. */
  signed(url: string, params: Record<string, string>, signWith?: string): { headers: Record<string, string>; body: string };
  close(): Promise<void>;
}

/** A silent MPEG audio file (MPEG-1 Layer III frames), as Twilio serves a recording in .mp3. */
export function silentMp3(frames = 40): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

const hex = (n: number) => randomBytes(n).toString('hex');

export async function startFakeTwilioVoice(opts: { phoneNumber: string; transport?: Transport }): Promise<FakeTwilioVoice> {
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const transport = opts.transport ?? fetchTransport;
  const recordings = new Map<string, Buffer>();
  let base = '';

  const signed = (url: string, params: Record<string, string>, signWith = authToken) => {
    const pairs = Object.entries(params);
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(signWith, url, pairs), 'i-twilio-idempotency-token': hex(8) },
      body: new URLSearchParams(pairs).toString(),
    };
  };
  const post = (url: string, params: Record<string, string>, signWith?: string) => {
    const s = signed(url, params, signWith);
    return transport(url, s.headers, s.body);
  };

  const fake: Omit<FakeTwilioVoice, 'url' | 'close'> = {
    accountSid,
    authToken,
    number: { sid: `PN${hex(16)}`, phone_number: opts.phoneNumber, voice_url: null, status_callback: null },
    recordingFetches: [],
    recordingsNotReady: 0,
    post,
    signed,
    call(from, callOpts = {}) {
      const sid = `CA${hex(16)}`;
      const sent: Array<{ url: string; params: Record<string, string> }> = [];
      const common = () => ({ AccountSid: accountSid, CallSid: sid, From: from, To: opts.phoneNumber, Direction: 'inbound', ApiVersion: '2010-04-01', Caller: from, Called: opts.phoneNumber, ...(callOpts.callerName ? { CallerName: callOpts.callerName } : {}) });
      const answers: FakeCall['answers'] = [];
      const send = async (url: string | null | undefined, params: Record<string, string>) => {
        if (!url) throw new Error('Twilio would not post here: Rapport gave no URL for this step');
        sent.push({ url, params });
        const request = signed(url, params);
        const answer = await transport(url, request.headers, request.body);
        const twiml = answer.status === 200 && answer.contentType.startsWith('text/xml') ? parseTwiml(answer.body) : null;
        answers.push({ ...answer, twiml });
        return answers[answers.length - 1];
      };
      const lastVerb = (name: string) => {
        for (let i = answers.length - 1; i >= 0; i--) {
          const found = answers[i].twiml?.children.find((c) => c.name === name);
          if (found) return found;
        }
        return undefined;
      };
      const twimlOf = (a: WebhookAnswer & { twiml: TwimlNode | null }) => {
        if (!a.twiml) throw new Error(`Rapport answered HTTP ${a.status} ${a.contentType}: ${a.body.slice(0, 200)}`);
        return a.twiml;
      };
      return {
        sid,
        from,
        answers,
        ring: async () => twimlOf(await send(fake.number.voice_url, { ...common(), CallStatus: 'ringing' })),
        dialed: async (status, durationSeconds) =>
          twimlOf(await send(lastVerb('Dial')?.attrs.action, { ...common(), CallStatus: 'in-progress', DialCallStatus: status, DialCallSid: `CA${hex(16)}`, ...(durationSeconds !== undefined ? { DialCallDuration: String(durationSeconds) } : {}) })),
        recorded: async (durationSeconds, audio = silentMp3()) => {
          const recordingSid = `RE${hex(16)}`;
          recordings.set(recordingSid, audio);
          const RecordingUrl = `${base}/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`;
          return twimlOf(await send(lastVerb('Record')?.attrs.action, { ...common(), CallStatus: 'in-progress', RecordingUrl, RecordingSid: recordingSid, RecordingDuration: String(durationSeconds), Digits: 'hangup' }));
        },
        transcribed: async (text, status = 'completed') => {
          const record = lastVerb('Record');
          const recordingSid = [...recordings.keys()].pop() ?? `RE${hex(16)}`;
          return send(record?.attrs.transcribeCallback, {
            ...common(),
            CallStatus: 'completed',
            TranscriptionSid: `TR${hex(16)}`,
            TranscriptionText: text,
            TranscriptionStatus: status,
            TranscriptionUrl: `${base}/2010-04-01/Accounts/${accountSid}/Transcriptions/TR${hex(16)}`,
            RecordingSid: recordingSid,
            RecordingUrl: `${base}/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`,
          });
        },
        ended: (status, durationSeconds) => send(fake.number.status_callback, { ...common(), CallStatus: status, CallDuration: String(durationSeconds), Duration: String(Math.ceil(durationSeconds / 60)), Timestamp: new Date().toUTCString(), CallbackSource: 'call-progress-events', SequenceNumber: '0' }),
        repeat: (index) => send(sent[index].url, sent[index].params),
      };
    },
  };

  const refuse = (res: http.ServerResponse, status: number, code: number, message: string) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      const account = /^\/2010-04-01\/Accounts\/([^/]+)\/(.+)$/.exec(url.pathname);
      if (!account) return refuse(res, 404, 20404, 'The requested resource was not found');
      if (req.headers.authorization !== expected || account[1] !== accountSid) return refuse(res, 401, 20003, 'Authenticate');
      const rest = account[2];
      const recording = /^Recordings\/(RE[0-9a-f]{32})\.mp3$/.exec(rest);
      if (recording && req.method === 'GET') {
        fake.recordingFetches.push({ sid: recording[1], authorization: req.headers.authorization });
        const audio = recordings.get(recording[1]);
        if (fake.recordingsNotReady > 0) {
          fake.recordingsNotReady--;
          return refuse(res, 404, 20404, 'The requested resource was not found');
        }
        if (!audio) return refuse(res, 404, 20404, 'The requested resource was not found');
        return res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': audio.length }).end(audio);
      }
      const present = () => ({ sid: fake.number.sid, account_sid: accountSid, phone_number: fake.number.phone_number, voice_url: fake.number.voice_url, voice_method: 'POST', status_callback: fake.number.status_callback, status_callback_method: 'POST' });
      if (rest === 'IncomingPhoneNumbers.json' && req.method === 'GET') {
        const wanted = url.searchParams.get('PhoneNumber');
        const list = !wanted || wanted === fake.number.phone_number ? [present()] : [];
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ incoming_phone_numbers: list, page: 0, page_size: 50 }));
      }
      if (rest === `IncomingPhoneNumbers/${fake.number.sid}.json` && req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (form.has('VoiceUrl')) fake.number.voice_url = form.get('VoiceUrl');
        if (form.has('StatusCallback')) fake.number.status_callback = form.get('StatusCallback');
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(present()));
      }
      return refuse(res, 404, 20404, 'The requested resource was not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return Object.assign(fake, { url: base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }) as FakeTwilioVoice;
}

/**
 * A local stand-in for Twilio, which cannot be reached from the tests: its REST API and the
 * webhooks it posts, in the documented wire format, for every Twilio channel (SMS now, the phone
 * later: `on()` adds a resource such as Calls.json).
 *
 * REST API (https://www.twilio.com/docs/usage/api):
 * - resources under /2010-04-01/Accounts/{AccountSid}/, HTTP Basic auth with the account SID and
 *   auth token (anything else: 401 with code 20003 "Authenticate"), form-encoded requests, JSON
 *   answers, errors as `{ code, message, more_info, status }` (https://www.twilio.com/docs/api/errors);
 * - GET /Accounts/{sid}.json (the account, `status` active / suspended / closed);
 * - GET /Accounts/{sid}/IncomingPhoneNumbers.json?PhoneNumber= (the account's numbers);
 * - POST /Accounts/{sid}/Messages.json (To, From or MessagingServiceSid, Body up to 1600
 *   characters, MediaUrl repeated, StatusCallback) → 201 `{ sid: "SM…", status: "queued", … }`;
 *   refused with 21211 (To not a number), 21602 (no Body and no MediaUrl), 21603 / 21606 (no
 *   sender, or one not of the account), 21610 (the customer texted STOP), 21614 (a landline),
 *   21617 (Body over 1600 characters) (https://www.twilio.com/docs/messaging/api/message-resource);
 * - media at /Accounts/{sid}/Messages/{MM…}/Media/{ME…}, which, like Twilio with "HTTP Basic
 *   authentication for media" on, asks for the credentials and redirects (307) to a CDN on another
 *   host that takes none (https://www.twilio.com/docs/messaging/guides/webhook-request#media-related-parameters).
 *
 * Webhooks: `incomingMessage()` and `statusCallback()` build the parameters Twilio posts ("A
 * message comes in", https://www.twilio.com/docs/messaging/guides/webhook-request; status callbacks,
 * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status), and `signedForm()`
 * signs them as Twilio does (https://www.twilio.com/docs/usage/webhooks/webhooks-security): an
 * implementation of its own, so a mistake in Rapport's checker is not repeated here.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';

export interface TwilioAccount {
  sid: string;
  authToken: string;
  status: 'active' | 'suspended' | 'closed';
  /** The account's phone numbers, E.164. */
  numbers: Set<string>;
  /** The account's messaging services (MG…). */
  services: Set<string>;
}

export interface SentMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string | null;
  mediaUrls: string[];
  statusCallback: string | null;
  /** The Authorization header it came with. */
  authorization: string;
}

export interface TwilioRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  account: TwilioAccount;
}
export type TwilioRoute = (req: TwilioRequest, match: RegExpExecArray) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

export interface FakeTwilio {
  url: string;
  /** The account the tests use; `addAccount` makes others. */
  account: TwilioAccount;
  addAccount(): TwilioAccount;
  sent: SentMessage[];
  /** Numbers that texted STOP (and not START since): sends to them are refused with 21610. */
  optedOut: Set<string>;
  /** Numbers that are landlines: sends to them are refused with 21614. */
  landlines: Set<string>;
  /** The next n calls (after `after` that go through) answer this error (by default 503, Twilio having a bad moment). */
  failNext(n: number, error?: { status: number; code: number; message: string }, after?: number): void;
  /** A file a customer sent, at its Twilio media URL. */
  addMedia(account: TwilioAccount, bytes: Buffer, contentType: string): string;
  /** Where Twilio's media URLs redirect to: another host. */
  cdnUrl: string;
  /** What the CDN was asked for, with the Authorization header if any came. */
  cdnRequests: Array<{ path: string; authorization: string | undefined }>;
  /** What Twilio's media URLs were asked for, with the Authorization header. */
  mediaRequests: Array<{ path: string; authorization: string | undefined }>;
  /** Another resource of the account, such as POST Calls.json for the phone. */
  on(method: 'GET' | 'POST', resource: RegExp, route: TwilioRoute): void;
  /** The parameters of "A message comes in"; a STOP or START from the customer changes `optedOut` as Twilio does. */
  incomingMessage(opts: { from: string; to: string; body: string; account?: TwilioAccount; messageSid?: string; media?: Array<{ url: string; contentType: string }>; profileName?: string; optOutType?: 'STOP' | 'START' | 'HELP' }): Array<[string, string]>;
  /** The parameters of a status callback for a sent message. */
  statusCallback(message: SentMessage, status: string, errorCode?: number): Array<[string, string]>;
  close(): Promise<void>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
export const twilioSid = (prefix: string) => `${prefix}${hex(16)}`;

/** X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the URL and then each parameter's name and value, sorted by name. */
export function signTwilio(authToken: string, url: string, params: Array<[string, string]>): string {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let data = url;
  for (const [name, value] of sorted) data += name + value;
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** A webhook as Twilio posts it: form-encoded, signed for the URL it calls. */
export function signedForm(authToken: string, url: string, params: Array<[string, string]>): { headers: Record<string, string>; payload: string } {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'x-twilio-signature': signTwilio(authToken, url, params), 'i-twilio-idempotency-token': hex(16), 'user-agent': 'TwilioProxy/1.1' },
    payload: new URLSearchParams(params).toString(),
  };
}

const STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'];
const START_WORDS = ['START', 'YES', 'UNSTOP'];

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accounts = new Map<string, TwilioAccount>();
  const addAccount = (): TwilioAccount => {
    const account: TwilioAccount = { sid: twilioSid('AC'), authToken: hex(16), status: 'active', numbers: new Set(), services: new Set() };
    accounts.set(account.sid, account);
    return account;
  };
  const media = new Map<string, { bytes: Buffer; contentType: string; cdnKey: string }>();
  const routes: Array<{ method: string; resource: RegExp; route: TwilioRoute }> = [];
  let failures: { n: number; after: number; error: { status: number; code: number; message: string } } = { n: 0, after: 0, error: { status: 503, code: 20503, message: 'Service Unavailable' } };

  const errorBody = (status: number, code: number, message: string) => ({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  const answer = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  // Twilio's media CDN: a different host, no credentials needed (the key in the path is the secret).
  const cdnFiles = new Map<string, { bytes: Buffer; contentType: string }>();
  const cdnRequests: FakeTwilio['cdnRequests'] = [];
  const cdn = http.createServer((req, res) => {
    cdnRequests.push({ path: req.url ?? '/', authorization: req.headers.authorization });
    const file = cdnFiles.get((req.url ?? '/').slice(1));
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  const cdnUrl = `http://127.0.0.1:${(cdn.address() as { port: number }).port}`;

  const authOf = (header: string | undefined): TwilioAccount | undefined => {
    const m = /^Basic (.+)$/.exec(header ?? '');
    if (!m) return undefined;
    const [sid, token] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    const account = accounts.get(sid);
    return account && account.authToken === token ? account : undefined;
  };

  const createMessage = (req: TwilioRequest, authorization: string): { status: number; body: unknown } => {
    const { form, account } = req;
    const to = form.get('To') ?? '';
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body');
    const mediaUrls = form.getAll('MediaUrl');
    if (!/^\+[1-9]\d{7,14}$/.test(to)) return { status: 400, body: errorBody(400, 21211, `The 'To' number ${to} is not a valid phone number.`) };
    if (!from && !service) return { status: 400, body: errorBody(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.") };
    if (from && !account.numbers.has(from)) return { status: 400, body: errorBody(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`) };
    if (service && !account.services.has(service)) return { status: 400, body: errorBody(400, 21701, `The Messaging Service Sid ${service} is invalid.`) };
    if (!body && !mediaUrls.length) return { status: 400, body: errorBody(400, 21602, 'Message body is required.') };
    if (body && body.length > 1600) return { status: 400, body: errorBody(400, 21617, 'The concatenated message body exceeds the 1600 character limit.') };
    if (fake.optedOut.has(to)) return { status: 400, body: errorBody(400, 21610, 'Attempt to send to unsubscribed recipient') };
    if (fake.landlines.has(to)) return { status: 400, body: errorBody(400, 21614, "'To' number is not a valid mobile number") };
    const sid = twilioSid(mediaUrls.length ? 'MM' : 'SM');
    fake.sent.push({ sid, accountSid: account.sid, to, from: from ?? null, messagingServiceSid: service ?? null, body: body ?? null, mediaUrls, statusCallback: form.get('StatusCallback'), authorization });
    return {
      status: 201,
      body: {
        account_sid: account.sid,
        api_version: '2010-04-01',
        body: body ?? '',
        date_created: new Date().toUTCString(),
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: from ?? null,
        messaging_service_sid: service ?? null,
        num_media: String(mediaUrls.length),
        num_segments: String(Math.max(1, Math.ceil((body ?? '').length / 153))),
        price: null,
        sid,
        status: service ? 'accepted' : 'queued',
        to,
        uri: `/2010-04-01/Accounts/${account.sid}/Messages/${sid}.json`,
      },
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(Buffer.concat(chunks)));
    const handle = async (raw: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const m = /^\/2010-04-01\/Accounts\/([^/.]+)(?:\.json|\/(.+))$/.exec(url.pathname);
      if (!m) return answer(res, 404, errorBody(404, 20404, 'The requested resource was not found'));
      const account = authOf(req.headers.authorization);
      const isMedia = /^Messages\/[^/]+\/Media\/[^/]+$/.test(m[2] ?? '');
      if (isMedia) fake.mediaRequests.push({ path: url.pathname, authorization: req.headers.authorization });
      // Twilio answers 401 for wrong credentials, and for an account path that is not theirs.
      if (!account || account.sid !== m[1]) return answer(res, 401, errorBody(401, 20003, 'Authenticate'));
      if (failures.n > 0 && failures.after > 0) failures.after--;
      else if (failures.n > 0) {
        failures.n--;
        return answer(res, failures.error.status, errorBody(failures.error.status, failures.error.code, failures.error.message));
      }
      const resource = m[2];
      const form = new URLSearchParams(raw.toString('utf8'));
      if (!resource && req.method === 'GET') return answer(res, 200, { sid: account.sid, friendly_name: 'My first Twilio account', status: account.status, type: 'Full', date_created: new Date().toUTCString() });
      if (resource === 'IncomingPhoneNumbers.json' && req.method === 'GET') {
        const wanted = url.searchParams.get('PhoneNumber');
        const numbers = [...account.numbers].filter((n) => !wanted || n === wanted);
        return answer(res, 200, {
          incoming_phone_numbers: numbers.map((n) => ({ sid: twilioSid('PN'), account_sid: account.sid, phone_number: n, friendly_name: n, capabilities: { sms: true, mms: true, voice: true } })),
          page: 0,
          page_size: 50,
          uri: `${url.pathname}${url.search}`,
        });
      }
      if (resource === 'Messages.json' && req.method === 'POST') {
        const { status, body } = createMessage({ method: 'POST', path: url.pathname, query: url.searchParams, form, account }, req.headers.authorization ?? '');
        return answer(res, status, body);
      }
      if (isMedia && req.method === 'GET') {
        const file = media.get(url.pathname);
        if (!file) return answer(res, 404, errorBody(404, 20404, 'The requested resource was not found'));
        return res.writeHead(307, { location: `${cdnUrl}/${file.cdnKey}` }).end();
      }
      for (const r of routes) {
        const hit = r.method === req.method ? r.resource.exec(resource ?? '') : null;
        if (hit) {
          const { status, body } = await r.route({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, form, account }, hit);
          return answer(res, status, body);
        }
      }
      return answer(res, 404, errorBody(404, 20404, 'The requested resource was not found'));
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const fake: FakeTwilio = {
    url: base,
    account: addAccount(),
    addAccount,
    sent: [],
    optedOut: new Set(),
    landlines: new Set(),
    cdnUrl,
    cdnRequests,
    mediaRequests: [],
    failNext(n, error = { status: 503, code: 20503, message: 'Service Unavailable' }, after = 0) {
      failures = { n, after, error };
    },
    addMedia(account, bytes, contentType) {
      const path = `/2010-04-01/Accounts/${account.sid}/Messages/${twilioSid('MM')}/Media/${twilioSid('ME')}`;
      const cdnKey = hex(20);
      media.set(path, { bytes, contentType, cdnKey });
      cdnFiles.set(cdnKey, { bytes, contentType });
      return `${base}${path}`;
    },
    on(method, resource, route) {
      routes.push({ method, resource, route });
    },
    incomingMessage({ from, to, body, account = fake.account, messageSid, media: files = [], profileName, optOutType }) {
      const sid = messageSid ?? twilioSid(files.length ? 'MM' : 'SM');
      const word = body.trim().toUpperCase();
      if (optOutType === 'STOP' || STOP_WORDS.includes(word)) fake.optedOut.add(from);
      if (optOutType === 'START' || START_WORDS.includes(word)) fake.optedOut.delete(from);
      const params: Array<[string, string]> = [
        ['ToCountry', 'US'],
        ['ToState', 'CA'],
        ['SmsMessageSid', sid],
        ['NumMedia', String(files.length)],
        ['ToCity', 'SAN FRANCISCO'],
        ['FromZip', ''],
        ['SmsSid', sid],
        ['FromState', ''],
        ['SmsStatus', 'received'],
        ['FromCity', ''],
        ['Body', body],
        ['FromCountry', 'DE'],
        ['To', to],
        ['ToZip', '94105'],
        ['NumSegments', '1'],
        ['MessageSid', sid],
        ['AccountSid', account.sid],
        ['From', from],
        ['ApiVersion', '2010-04-01'],
      ];
      files.forEach((f, i) => params.push([`MediaContentType${i}`, f.contentType], [`MediaUrl${i}`, f.url]));
      if (profileName) params.push(['ProfileName', profileName]);
      if (optOutType) params.push(['OptOutType', optOutType]);
      return params;
    },
    statusCallback(message, status, errorCode) {
      const params: Array<[string, string]> = [
        ['SmsSid', message.sid],
        ['SmsStatus', status],
        ['MessageStatus', status],
        ['To', message.to],
        ['MessageSid', message.sid],
        ['AccountSid', message.accountSid],
        ['From', message.from ?? ''],
        ['ApiVersion', '2010-04-01'],
      ];
      if (message.messagingServiceSid) params.push(['MessagingServiceSid', message.messagingServiceSid]);
      if (errorCode !== undefined) params.push(['ErrorCode', String(errorCode)]);
      if (status === 'delivered') params.push(['RawDlrDoneDate', new Date().toISOString().slice(2, 16).replace(/\D/g, '')]);
      return params;
    },
    close: () => Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), new Promise<void>((resolve) => cdn.close(() => resolve()))]).then(() => undefined),
  };
  return fake;
}

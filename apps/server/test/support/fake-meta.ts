/**
 * A local stand-in for Meta's Graph API, which the tests cannot reach: one business phone number
 * on the WhatsApp Cloud API, and one Facebook Page with a linked Instagram account on the
 * Messenger Platform, all under one app (one app secret). It speaks the documented wire format:
 * - Graph calls at /v21.0/…, the token as `Authorization: Bearer` (or `access_token`), with an
 *   appsecret_proof (HMAC-SHA256 of the token with the app secret) required, as when the app's
 *   "Require App Secret" setting is on (https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof);
 *   errors as `{ error: { message, type, code, error_subcode, error_data: { messaging_product, details }, fbtrace_id } }`
 *   (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes): 190 for an
 *   unknown token (HTTP 401), 100 for a bad parameter or an unknown object id, 130429 when throttled;
 * - WhatsApp (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages,
 *   …/cloud-api/reference/media, …/cloud-api/reference/phone-numbers): GET /{phone-number-id},
 *   POST /{phone-number-id}/messages (text, image / document by link, template) answering
 *   `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id: 'wamid.…' }] }`,
 *   GET /{media-id} answering `{ url, mime_type, sha256, file_size, id }` and the download of
 *   that URL with the Bearer token, POST /{waba-id}/subscribed_apps;
 * - Messenger and Instagram (https://developers.facebook.com/docs/messenger-platform/send-messages,
 *   https://developers.facebook.com/docs/messenger-platform/instagram): with the Page token,
 *   GET /me (the Page, and its instagram_business_account), POST /me/messages answering
 *   `{ recipient_id, message_id }`, POST /{page-id}/subscribed_apps; attachment URLs on a CDN
 *   path fetched without a token;
 * - webhooks as Meta posts them, built for the tests to deliver
 *   (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples,
 *   https://developers.facebook.com/docs/messenger-platform/webhooks), and their
 *   X-Hub-Signature-256 (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests).
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';

export interface GraphErrorBody {
  message: string;
  type?: string;
  code: number;
  error_subcode?: number;
  details?: string;
  /** HTTP status of the answer (400 unless said). */
  status?: number;
}

export interface SentCall {
  path: string;
  token: string;
  body: Record<string, unknown>;
  id: string;
}

export interface FakeMeta {
  /** The Graph base URL with its version, as META_GRAPH_URL. */
  url: string;
  appSecret: string;
  whatsapp: { token: string; phoneNumberId: string; businessAccountId: string; displayPhoneNumber: string };
  page: { token: string; id: string; name: string; instagramId: string };
  /** A valid token of some other Page of the same app. */
  otherPage: { token: string; id: string; name: string };
  sent: SentCall[];
  subscribed: Array<{ id: string; fields: string | null }>;
  /** WhatsApp media by id: its bytes, or a URL to answer instead of the fake's own download URL. */
  media: Map<string, { bytes: Buffer; mimeType: string } | { url: string; mimeType: string }>;
  /** Files on the fake CDN (Messenger attachment URLs), by name: `cdn(name)` is their URL. */
  cdnFiles: Map<string, Buffer>;
  cdn(name: string): string;
  /** Sends to this recipient (a wa_id or a PSID) are refused with this error. */
  refuse: Map<string, GraphErrorBody>;
  /** The next n sends answer "throttled" (130429), as under load. */
  throttleNext(n: number): void;
  /** Tokens Meta no longer takes (revoked): 190. */
  revoked: Set<string>;
  sign(raw: string, secret?: string): string;
  wa: {
    webhook(value: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] }, phoneNumberId?: string): Record<string, unknown>;
    text(from: string, body: string, id?: string): Record<string, unknown>;
    media(from: string, type: 'image' | 'document' | 'audio' | 'video' | 'sticker', mediaId: string, extra?: { caption?: string; filename?: string; mime_type?: string }, id?: string): Record<string, unknown>;
    message(from: string, type: string, fields: Record<string, unknown>, id?: string): Record<string, unknown>;
    contact(waId: string, name: string): Record<string, unknown>;
    status(id: string, status: 'sent' | 'delivered' | 'read' | 'failed', recipient: string, errors?: Array<{ code: number; title: string; message?: string; details?: string }>): Record<string, unknown>;
  };
  pm: {
    webhook(object: 'page' | 'instagram', accountId: string, events: unknown[]): Record<string, unknown>;
    message(from: string, to: string, message: { text?: string; attachments?: unknown[]; is_echo?: boolean }, mid?: string): Record<string, unknown>;
    delivery(from: string, to: string, mids: string[], watermark: number): Record<string, unknown>;
    read(from: string, to: string, read: { watermark?: number; mid?: string }): Record<string, unknown>;
  };
  close(): Promise<void>;
}

const token = () => `EAAG${randomBytes(24).toString('base64url')}`;

export async function startFakeMeta(): Promise<FakeMeta> {
  let nextId = 1;
  let throttled = 0;
  const appSecret = randomBytes(16).toString('hex');
  const fake = {
    appSecret,
    whatsapp: { token: token(), phoneNumberId: '106540352242922', businessAccountId: '102290129340398', displayPhoneNumber: '+1 555-010-0199' },
    page: { token: token(), id: '104123456789012', name: 'Shop page', instagramId: '17841400000000001' },
    otherPage: { token: token(), id: '109999999999999', name: 'Another page' },
    sent: [] as SentCall[],
    subscribed: [] as FakeMeta['subscribed'],
    media: new Map() as FakeMeta['media'],
    cdnFiles: new Map<string, Buffer>(),
    refuse: new Map<string, GraphErrorBody>(),
    revoked: new Set<string>(),
    throttleNext: (n: number) => {
      throttled = n;
    },
    sign: (raw: string, secret = appSecret) => `sha256=${createHmac('sha256', secret).update(raw, 'utf8').digest('hex')}`,
  } as unknown as FakeMeta;
  let origin = '';
  fake.cdn = (name) => `${origin}/cdn/${name}`;

  const now = () => Math.floor(Date.now() / 1000).toString();
  fake.wa = {
    webhook: (value, phoneNumberId = fake.whatsapp.phoneNumberId) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: fake.whatsapp.businessAccountId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550100199', phone_number_id: phoneNumberId }, ...value } }] }],
    }),
    message: (from, type, fields, id = `wamid.in${nextId++}`) => ({ from, id, timestamp: now(), type, ...fields }),
    text: (from, body, id) => fake.wa.message(from, 'text', { text: { body } }, id),
    media: (from, type, mediaId, extra = {}, id) => fake.wa.message(from, type, { [type]: { id: mediaId, mime_type: extra.mime_type ?? 'image/png', sha256: 'x', ...extra } }, id),
    contact: (waId, name) => ({ profile: { name }, wa_id: waId }),
    status: (id, status, recipient, errors) => ({
      id,
      status,
      timestamp: now(),
      recipient_id: recipient,
      ...(errors ? { errors: errors.map((e) => ({ code: e.code, title: e.title, message: e.message ?? e.title, error_data: { details: e.details ?? e.title } })) } : {}),
    }),
  };
  fake.pm = {
    webhook: (object, accountId, events) => ({ object, entry: [{ id: accountId, time: Date.now(), messaging: events }] }),
    message: (from, to, message, mid = `m_${randomBytes(12).toString('base64url')}`) => ({ sender: { id: from }, recipient: { id: to }, timestamp: Date.now(), message: { mid, ...message } }),
    delivery: (from, to, mids, watermark) => ({ sender: { id: from }, recipient: { id: to }, delivery: { mids, watermark } }),
    read: (from, to, read) => ({ sender: { id: from }, recipient: { id: to }, timestamp: Date.now(), read }),
  };

  const answer = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const fail = (res: http.ServerResponse, e: GraphErrorBody) =>
    answer(res, e.status ?? 400, {
      error: { message: e.message, type: e.type ?? 'OAuthException', code: e.code, ...(e.error_subcode ? { error_subcode: e.error_subcode } : {}), ...(e.details ? { error_data: { messaging_product: 'whatsapp', details: e.details } } : {}), fbtrace_id: 'AbCdEf' },
    });
  const badParam = (res: http.ServerResponse, message: string) => fail(res, { code: 100, message: `(#100) ${message}`, type: 'OAuthException' });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(Buffer.concat(chunks)));
    const handle = (raw: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('access_token') ?? '';
      const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
      if (cdn) {
        const file = fake.cdnFiles.get(cdn[1]);
        return file ? res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length }).end(file) : answer(res, 404, {});
      }
      const download = /^\/whatsapp-media\/(.+)$/.exec(url.pathname);
      if (download) {
        const file = fake.media.get(download[1]);
        if (bearer !== fake.whatsapp.token) return fail(res, { status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
        return file && 'bytes' in file ? res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length }).end(file.bytes) : answer(res, 404, {});
      }
      const call = /^\/v\d+\.\d+\/(.+)$/.exec(url.pathname);
      if (!call) return answer(res, 404, {});
      const path = call[1];
      const kind = bearer === fake.whatsapp.token ? 'whatsapp' : bearer === fake.page.token ? 'page' : bearer === fake.otherPage.token ? 'other' : null;
      if (!kind || fake.revoked.has(bearer)) return fail(res, { status: 401, code: 190, message: kind ? 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.' : 'Invalid OAuth access token - Cannot parse access token' });
      const proof = url.searchParams.get('appsecret_proof');
      if (!proof) return badParam(res, 'API calls from the server require an appsecret_proof argument');
      if (proof !== createHmac('sha256', appSecret).update(bearer).digest('hex')) return fail(res, { code: 100, message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException' });
      let body: Record<string, unknown> = {};
      if (raw.length) {
        try {
          body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        } catch {
          return badParam(res, 'The parameter body is not JSON');
        }
      }
      const unknownObject = () => fail(res, { code: 100, error_subcode: 33, message: `Unsupported ${req.method?.toLowerCase()} request. Object with ID '${path.split('/')[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, type: 'GraphMethodException' });
      const refused = (to: string) => {
        if (throttled > 0) {
          throttled--;
          return { code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' };
        }
        return fake.refuse.get(to);
      };

      if (kind === 'whatsapp') {
        const w = fake.whatsapp;
        if (req.method === 'GET' && path === w.phoneNumberId) return answer(res, 200, { verified_name: 'Shop', display_phone_number: w.displayPhoneNumber, id: w.phoneNumberId });
        if (req.method === 'POST' && path === `${w.businessAccountId}/subscribed_apps`) {
          fake.subscribed.push({ id: w.businessAccountId, fields: null });
          return answer(res, 200, { success: true });
        }
        if (req.method === 'POST' && path === `${w.phoneNumberId}/messages`) {
          const to = String(body.to ?? '');
          if (body.messaging_product !== 'whatsapp') return badParam(res, 'The parameter messaging_product is required.');
          if (!/^\d{8,15}$/.test(to)) return badParam(res, 'Invalid parameter: to');
          const type = String(body.type ?? 'text');
          const content = body[type] as Record<string, unknown> | undefined;
          if (type === 'text' && !(content?.body as string | undefined)?.length) return badParam(res, 'The parameter text[body] is required.');
          if (type === 'text' && String(content?.body).length > 4096) return badParam(res, 'Param text[body] must be at most 4096 characters long.');
          if ((type === 'image' || type === 'document') && !content?.link && !content?.id) return badParam(res, `The parameter ${type}[link] is required.`);
          if (type === 'template' && (!content?.name || !(content.language as { code?: string } | undefined)?.code)) return badParam(res, 'The parameter template[name] and template[language][code] are required.');
          const refusal = refused(to);
          if (refusal) return fail(res, refusal);
          const id = `wamid.HBgL${nextId++}`;
          fake.sent.push({ path, token: bearer, body, id });
          return answer(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] });
        }
        const media = req.method === 'GET' ? fake.media.get(decodeURIComponent(path)) : undefined;
        if (media) return answer(res, 200, { messaging_product: 'whatsapp', url: 'url' in media ? media.url : `${origin}/whatsapp-media/${encodeURIComponent(path)}?ext=1`, mime_type: media.mimeType, sha256: 'x', file_size: 'bytes' in media ? media.bytes.length : 0, id: path });
        return unknownObject();
      }

      const page = kind === 'page' ? fake.page : fake.otherPage;
      if (req.method === 'GET' && path === 'me') {
        const fields = (url.searchParams.get('fields') ?? 'id,name').split(',');
        return answer(res, 200, { id: page.id, ...(fields.includes('name') ? { name: page.name } : {}), ...(fields.includes('instagram_business_account') && kind === 'page' ? { instagram_business_account: { id: fake.page.instagramId } } : {}) });
      }
      if (req.method === 'POST' && path === `${page.id}/subscribed_apps`) {
        fake.subscribed.push({ id: page.id, fields: url.searchParams.get('subscribed_fields') });
        return answer(res, 200, { success: true });
      }
      if (req.method === 'POST' && path === 'me/messages') {
        const recipient = (body.recipient as { id?: string } | undefined)?.id;
        if (!recipient) return badParam(res, 'The parameter recipient is required');
        if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(String(body.messaging_type))) return badParam(res, 'Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
        if (body.messaging_type === 'MESSAGE_TAG' && !body.tag) return badParam(res, 'Param tag is required when messaging_type is MESSAGE_TAG');
        const message = body.message as { text?: string; attachment?: { type?: string; payload?: { url?: string } } } | undefined;
        if (!message?.text && !message?.attachment?.payload?.url) return badParam(res, 'param message must be non-empty.');
        if (message.text && message.text.length > 2000) return badParam(res, 'Length of param message[text] must be less than or equal to 2000');
        const refusal = refused(recipient);
        if (refusal) return fail(res, refusal);
        const id = `m_${randomBytes(16).toString('base64url')}`;
        fake.sent.push({ path, token: bearer, body, id });
        return answer(res, 200, { recipient_id: recipient, message_id: id });
      }
      return unknownObject();
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return Object.assign(fake, {
    url: `${origin}/v21.0`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

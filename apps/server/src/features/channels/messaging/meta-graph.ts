/**
 * What Meta's three channels (the WhatsApp Cloud API, Messenger, Instagram) have in common:
 * - Webhook subscription checks: before posting, Meta calls the webhook with a GET carrying
 *   hub.mode=subscribe, hub.verify_token (the token typed into the app's webhook setup) and
 *   hub.challenge, which is answered back as it came
 *   (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests).
 * - Webhook signatures: every POST carries X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the
 *   raw body with the app secret> (same page, "Validating payloads").
 * - Graph API calls with an access token (Bearer) and its appsecret_proof, HMAC-SHA256 of the
 *   token with the app secret, so a wrong app secret shows in the connection test too
 *   (https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof).
 * - Graph errors, `{ error: { message, type, code, error_subcode, error_data: { details } } }`,
 *   turned into a ProviderError: a refused token marks the inbox failing, rate limits and
 *   Meta's own outages are tried again, anything else is a refusal shown with Meta's words
 *   (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes,
 *   https://developers.facebook.com/docs/graph-api/guides/error-handling).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../../core/context.js';
import { callProvider } from './http.js';
import { header, ProviderError, type InboundRequest } from './provider.js';

export const META_DOCS = {
  verification: 'https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests',
  errors: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes',
};

/** Checks X-Hub-Signature-256 against the raw body, in constant time. */
export function verifyHubSignature(appSecret: string | undefined, req: InboundRequest): boolean {
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header(req, 'x-hub-signature-256')?.trim() ?? '');
  if (!appSecret || !given) return false;
  const expected = createHmac('sha256', appSecret).update(req.rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given[1], 'hex'));
}

/** The hub.challenge to answer when the subscription check carries this inbox's verify token. */
export function hubChallenge(verifyToken: string | undefined, req: InboundRequest): string | undefined {
  const token = req.query['hub.verify_token'];
  const challenge = req.query['hub.challenge'];
  if (req.query['hub.mode'] !== 'subscribe' || !verifyToken || !token || !challenge) return undefined;
  const [a, b] = [Buffer.from(token), Buffer.from(verifyToken)];
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  // Meta sends a number; anything else is not echoed back.
  return /^[\w-]{1,200}$/.test(challenge) ? challenge : undefined;
}

export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { details?: string };
}

/** Codes that say "not now": throttling and Meta's own trouble (tried again with backoff). */
const BUSY = new Set([1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000, 131016, 131056, 133004]);
/** Codes that say the token is wrong, expired or revoked (the inbox is marked failing). */
const TOKEN = new Set([102, 190]);

export interface GraphCall {
  label: string;
  /** What was asked, for the sentence of a refusal: "the reply", "the file". */
  what: string;
  token: string;
  appSecret?: string;
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  /** Sentences for codes this channel knows better (WhatsApp's 131047); answering permanent refusals. */
  known?: (error: GraphError) => string | undefined;
}

/** The words of a Graph error: its message and, when Meta adds them, the details. */
export const graphErrorText = (error: GraphError): string => {
  const details = error.error_data?.details;
  const message = (error.message ?? 'no reason given').replace(/\.$/, '');
  return details && !message.includes(details) ? `${message} (${details.replace(/\.$/, '')})` : message;
};

/** A Graph error as the ProviderError the send queue understands. */
export function graphRefusal(call: Pick<GraphCall, 'label' | 'what' | 'known'>, status: number, error: GraphError | undefined): ProviderError {
  const said = error ? graphErrorText(error) : `HTTP ${status}`;
  const code = error?.code;
  if ((code !== undefined && TOKEN.has(code)) || status === 401) {
    return new ProviderError(`${call.label} refused the access token (${said}); make a new one in Meta's developer dashboard and paste it in the inbox settings.`, true, true);
  }
  if ((code !== undefined && BUSY.has(code)) || status === 429 || status >= 500) return new ProviderError(`${call.label} is busy (${said}); trying again shortly.`, false);
  if (/appsecret_proof/i.test(error?.message ?? '')) return new ProviderError(`${call.label} refused the app secret (${said}); paste the one under App settings → Basic → App secret again.`, true, true);
  const known = error && call.known?.(error);
  return new ProviderError(known ?? `${call.label} refused ${call.what}: ${said}.`, true);
}

/** Calls the Graph API at META_GRAPH_URL; answers the JSON, or throws a ProviderError. */
export async function callGraph<T>(ctx: AppContext, path: string, call: GraphCall): Promise<T> {
  const query = new URLSearchParams(call.query);
  if (call.appSecret) query.set('appsecret_proof', createHmac('sha256', call.appSecret).update(call.token).digest('hex'));
  const url = `${ctx.config.metaGraphUrl}/${path}${query.size ? `?${query}` : ''}`;
  const answer = await callProvider(url, {
    method: call.method ?? 'GET',
    headers: { authorization: `Bearer ${call.token}`, ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    what: call.label,
  });
  const body = answer.json as ({ error?: GraphError } & T) | null;
  if (answer.status >= 200 && answer.status < 300 && body && !body.error) return body;
  throw graphRefusal(call, answer.status, body?.error);
}

/** The connection test's sentence for a failed Graph call (null when it worked). */
export async function graphProblem(attempt: () => Promise<unknown>): Promise<string | null> {
  try {
    await attempt();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

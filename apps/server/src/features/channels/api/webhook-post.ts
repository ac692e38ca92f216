/**
 * One signed POST of a delivery to a webhook receiver (SECURITY 19, 20, 22): to the address that
 * was checked (pinned lookup), no redirect followed, within a time limit for the whole exchange,
 * and at most 64 KB of the answer read, which is only ever counted, never kept or shown. The
 * outcome says what the worker should do: done, refused for good, or try again later.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { hostOf, isAllowedPrivate, pinnedLookup, resolveTarget, WebhookTargetRefused, type AllowList, type Resolver } from './webhook-target.js';

/** Limits of one attempt; tests lower the time limit instead of waiting 10 s. */
export const webhookLimits = { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 };

export type WebhookOutcome =
  | { kind: 'delivered'; status: number }
  /** 410 Gone: the receiver says this webhook no longer exists. */
  | { kind: 'gone'; status: 410 }
  /** Not worth trying again: a refusal (4xx), a redirect, or a target that may not be reached. */
  | { kind: 'refused'; reason: string; blocked?: boolean; status?: number }
  /** The receiver is down, slow or overloaded: try again later. */
  | { kind: 'retry'; reason: string; status?: number };

/** `sha256=<hex>` of HMAC-SHA256(secret, `${id}.${timestamp}.${body}`), what X-Rapport-Signature carries. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** What an HTTP status means for the delivery. 408 and 429 say "later", so they are retried like 5xx. */
function outcomeOf(status: number): WebhookOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'gone', status };
  if (status >= 300 && status < 400) return { kind: 'refused', status, reason: `The webhook receiver answered a redirect (HTTP ${status}), which Rapport does not follow; set the final URL.` };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', status, reason: `The webhook receiver answered HTTP ${status}.` };
  return { kind: 'refused', status, reason: `The webhook receiver refused this delivery (HTTP ${status}).` };
}

function describeError(err: NodeJS.ErrnoException, url: URL): string {
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `Nothing answers at ${where}.`;
    case 'ENOTFOUND':
    case 'EDNS':
      return err.message;
    case 'ECONNRESET':
      return `The webhook receiver at ${where} closed the connection.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this server.`;
    default:
      if (err.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(err.message)) return `The TLS certificate of ${where} could not be verified (${err.code ?? err.message}).`;
      return `Could not reach the webhook receiver at ${where} (${err.code ?? err.message}).`;
  }
}

export interface WebhookRequest {
  url: string;
  secret: string;
  /** The delivery id: the same on every attempt, so a receiver can drop a second copy. */
  id: string;
  body: string;
  allow: AllowList;
  resolve?: Resolver;
  /** Sent as X-Rapport-Event (event subscriptions). */
  event?: string;
}

export async function postWebhook(req: WebhookRequest): Promise<WebhookOutcome> {
  const url = new URL(req.url);
  const blocked = (err: WebhookTargetRefused): WebhookOutcome => ({ kind: 'refused', blocked: true, reason: `The webhook URL points at ${err.message}; Rapport only sends webhooks to public internet addresses.` });
  // An address written in the URL is never looked up, so it is checked here; a name is checked by the lookup.
  try {
    if (isIP(hostOf(url))) await resolveTarget(hostOf(url), req.allow);
  } catch (err) {
    if (err instanceof WebhookTargetRefused) return blocked(err);
    throw err;
  }
  // The rules of saving hold when sending too: the allow list may have changed since it was saved.
  if (url.protocol === 'http:' && !isAllowedPrivate(hostOf(url), req.allow)) return { kind: 'refused', blocked: true, reason: 'The webhook URL is plain http://, which only receivers named in WEBHOOK_ALLOW_PRIVATE_HOSTS may use; set an https:// URL.' };
  const timestamp = Math.floor(Date.now() / 1000);
  const body = Buffer.from(req.body, 'utf8');
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    'user-agent': 'Rapport-Webhook/1',
    'x-rapport-delivery': req.id,
    'x-rapport-timestamp': String(timestamp),
    'x-rapport-signature': signWebhook(req.secret, req.id, timestamp, req.body),
    ...(req.event ? { 'x-rapport-event': req.event } : {}),
  };
  const client = url.protocol === 'https:' ? https : http;

  return new Promise<WebhookOutcome>((resolve) => {
    let outcome: WebhookOutcome | undefined;
    let settled = false;
    const finish = (result: WebhookOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    // One limit for connecting, sending and the answer; a status that already came counts.
    const timer = setTimeout(() => finish(outcome ?? { kind: 'retry', reason: `The webhook receiver did not answer within ${Math.round(webhookLimits.timeoutMs / 100) / 10} seconds.` }), webhookLimits.timeoutMs);
    // agent: false, a new connection each time: no socket (and no earlier DNS answer) is reused.
    const request = client.request(url, { method: 'POST', headers, agent: false, lookup: pinnedLookup(req.allow, req.resolve) }, (res) => {
      outcome = outcomeOf(res.statusCode ?? 0);
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // Enough: the status has answered; the rest is not ours to hold.
        if (read >= webhookLimits.maxResponseBytes) finish(outcome!);
      });
      res.on('end', () => finish(outcome!));
      res.on('error', () => finish(outcome!));
      res.on('close', () => finish(outcome!));
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (outcome) return finish(outcome);
      finish(err instanceof WebhookTargetRefused ? blocked(err) : { kind: 'retry', reason: describeError(err, url) });
    });
    request.end(body);
  });
}

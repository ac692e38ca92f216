/**
 * The two ways Rapport talks HTTP to a messaging provider.
 *
 * - `callProvider`: the provider's API at the base URL the operator configured (TWILIO_API_URL,
 *   META_GRAPH_URL, TELEGRAM_API_URL), within a time limit, the answer read as JSON.
 * - `downloadMedia`: a file a customer sent, at a URL that came in a webhook. It is treated like
 *   a webhook target (SECURITY 19): every address checked and pinned, so a URL pointing inward
 *   (the metadata service, a private network) is refused; at most three redirects, each checked
 *   again; at most ATTACHMENT_MAX_MB read, then the download is abandoned.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { AppContext } from '../../../core/context.js';
import { allowListOf, hostOf, pinnedLookup, resolveTarget, WebhookTargetRefused } from '../api/webhook-target.js';
import { ProviderError } from './provider.js';

export const providerLimits = { timeoutMs: 15_000, mediaTimeoutMs: 30_000 };

export interface ProviderAnswer {
  status: number;
  json: unknown;
  text: string;
}

/** Calls the provider's API; network failures become a ProviderError to try again later. */
export async function callProvider(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | URLSearchParams | FormData; what: string }): Promise<ProviderAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body, redirect: 'error', signal: AbortSignal.timeout(providerLimits.timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new ProviderError(`${init.what} could not be reached (${cause === 'TimeoutError' ? 'no answer within 15 seconds' : cause}).`, false);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: the status says enough */
  }
  return { status: res.status, json, text };
}

export class MediaRefused extends Error {}

/** Downloads a customer's file; throws MediaRefused with a reason a person can read. */
export async function downloadMedia(ctx: AppContext, rawUrl: string, headers: Record<string, string>, redirects = 3): Promise<{ bytes: Buffer; contentType: string | undefined }> {
  const allow = allowListOf(ctx.config.webhookAllowPrivateHosts);
  const maxBytes = ctx.config.attachmentMaxBytes;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new MediaRefused('the provider gave no valid address for it');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MediaRefused(`its address is not http(s) (${url.protocol})`);
  try {
    if (isIP(hostOf(url))) await resolveTarget(hostOf(url), allow);
  } catch (err) {
    if (err instanceof WebhookTargetRefused) throw new MediaRefused(`its address points at ${err.message}, which Rapport never fetches from`);
    throw err;
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      request.destroy();
      reject(new MediaRefused(`the download took longer than ${providerLimits.mediaTimeoutMs / 1000} seconds`));
    }, providerLimits.mediaTimeoutMs);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    const request = client.request(url, { method: 'GET', headers: { 'user-agent': 'Rapport/1', ...headers }, agent: false, lookup: pinnedLookup(allow) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) return done(() => reject(new MediaRefused('the provider redirected too many times')));
        const next = new URL(res.headers.location, url);
        // Credentials go to the provider's own host only, never to where it redirects (a CDN).
        const keep = next.host === url.host ? headers : {};
        return done(() => void downloadMedia(ctx, next.href, keep, redirects - 1).then(resolve, reject));
      }
      if (status !== 200) {
        res.resume();
        return done(() => reject(new MediaRefused(`the provider answered HTTP ${status}`)));
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        res.destroy();
        return done(() => reject(new MediaRefused(`larger than ${Math.round(maxBytes / 1048576)} MB`)));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy();
          done(() => reject(new MediaRefused(`larger than ${Math.round(maxBytes / 1048576)} MB`)));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => done(() => resolve({ bytes: Buffer.concat(chunks), contentType: res.headers['content-type']?.split(';')[0] })));
      res.on('error', (err) => done(() => reject(new MediaRefused(`the download broke off (${err.message})`))));
    });
    request.on('error', (err: NodeJS.ErrnoException) =>
      done(() => reject(err instanceof WebhookTargetRefused ? new MediaRefused(`its address points at ${err.message}, which Rapport never fetches from`) : new MediaRefused(`it could not be fetched (${err.code ?? err.message})`))),
    );
    request.end();
  });
}

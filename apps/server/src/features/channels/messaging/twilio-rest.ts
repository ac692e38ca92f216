/**
 * Twilio's REST API (https://www.twilio.com/docs/usage/api), as every Twilio channel calls it
 * (SMS now, the phone later): resources under /2010-04-01/Accounts/{AccountSid}/ at TWILIO_API_URL,
 * HTTP Basic auth with the account SID and auth token, form-encoded requests, JSON answers, and
 * errors as `{ code, message, more_info, status }` (https://www.twilio.com/docs/api/errors).
 */
import type { AppContext } from '../../../core/context.js';
import { callProvider, type ProviderAnswer } from './http.js';
import { ProviderError } from './provider.js';

export interface TwilioCredentials {
  account_sid: string;
  auth_token: string;
}

/** The error Twilio answers: its code (20003, 21211, …) and its words. */
export interface TwilioError {
  code: number | null;
  message: string;
  status: number;
}

export const basicAuth = (c: TwilioCredentials): string => `Basic ${Buffer.from(`${c.account_sid}:${c.auth_token}`).toString('base64')}`;

/** A resource of the account, such as `Messages.json`. */
export const accountUrl = (ctx: AppContext, accountSid: string, resource = ''): string => `${ctx.config.twilioApiUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}${resource ? `/${resource}` : '.json'}`;

/** The hosts Twilio serves an account's resources (and its media) from: credentials go there and nowhere else. */
export const twilioHosts = (ctx: AppContext): Set<string> => new Set([new URL(ctx.config.twilioApiUrl).host, 'api.twilio.com']);

export function twilioErrorOf(answer: ProviderAnswer): TwilioError {
  const body = answer.json as { code?: number; message?: string } | null;
  return { code: typeof body?.code === 'number' ? body.code : null, message: body?.message ?? `HTTP ${answer.status}`, status: answer.status };
}

export const credentialsRefused = (e: TwilioError): string => `Twilio refused the account SID and auth token (${e.message}); copy both again from the Twilio console (Account → API keys & tokens).`;

/** Twilio refusing the credentials, being away, or refusing something else (left to the caller to word). */
export function throwUnlessRefusal(e: TwilioError): void {
  if (e.status === 401 || e.code === 20003) throw new ProviderError(credentialsRefused(e), true, true);
  if (e.status === 429 || e.status >= 500) throw new ProviderError(`Twilio is busy (${e.message}); trying again shortly.`, false);
}

export async function callTwilio(ctx: AppContext, credentials: TwilioCredentials, url: string, init: { method?: 'GET' | 'POST'; form?: URLSearchParams } = {}): Promise<ProviderAnswer> {
  return callProvider(url, {
    method: init.method ?? 'GET',
    headers: { authorization: basicAuth(credentials), accept: 'application/json', ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: init.form?.toString(),
    what: 'Twilio',
  });
}

/**
 * Signs in and checks the account is active and, when one is given, that the number is the
 * account's (IncomingPhoneNumbers); answers what is wrong in words, or null.
 */
export async function checkTwilioAccount(ctx: AppContext, settings: Record<string, string>, phoneNumber?: string): Promise<string | null> {
  const credentials = { account_sid: settings.account_sid ?? '', auth_token: settings.auth_token ?? '' };
  if (!credentials.account_sid || !credentials.auth_token) return 'Give the account SID and the auth token to try.';
  try {
    const account = await callTwilio(ctx, credentials, accountUrl(ctx, credentials.account_sid));
    if (account.status !== 200) {
      const e = twilioErrorOf(account);
      if (e.status === 404) return `Twilio has no account ${credentials.account_sid} for this auth token; copy the account SID again from the Twilio console.`;
      throwUnlessRefusal(e);
      return `Twilio refused the check of the account: ${e.message}.`;
    }
    const status = (account.json as { status?: string } | null)?.status;
    if (status !== 'active') return `The Twilio account is ${status ?? 'not active'}; it must be active to send and receive.`;
    if (!phoneNumber) return null;
    const numbers = await callTwilio(ctx, credentials, `${accountUrl(ctx, credentials.account_sid, 'IncomingPhoneNumbers.json')}?${new URLSearchParams({ PhoneNumber: phoneNumber })}`);
    if (numbers.status !== 200) {
      const e = twilioErrorOf(numbers);
      throwUnlessRefusal(e);
      return `Twilio refused the check of the number: ${e.message}.`;
    }
    const found = (numbers.json as { incoming_phone_numbers?: Array<{ phone_number?: string }> } | null)?.incoming_phone_numbers ?? [];
    if (!found.some((n) => n.phone_number === phoneNumber)) return `${phoneNumber} is not a number of this Twilio account; pick one under Phone Numbers → Active numbers in the Twilio console.`;
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

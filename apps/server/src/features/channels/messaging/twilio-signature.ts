/**
 * Twilio's webhook signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
 * X-Twilio-Signature is base64(HMAC-SHA1(auth token, the full URL Twilio called followed by every
 * POST parameter, sorted by name, as name then value with nothing in between)). A JSON body is
 * signed differently (the URL alone, with a bodySHA256 query parameter holding the SHA-256 of the
 * body); Twilio's SMS and voice webhooks are form posts, which this checks.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The POST parameters of a form body, each name with its values in order. */
export function formParams(raw: Buffer): Array<[string, string]> {
  return [...new URLSearchParams(raw.toString('utf8')).entries()];
}

export function twilioSignature(authToken: string, url: string, params: Array<[string, string]>): string {
  // Sorted by name; values of a repeated name keep their relative order (a stable sort).
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + sorted.map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** True when the signature is Twilio's for this URL and body (form or, with bodySHA256, JSON). */
export function verifyTwilio(authToken: string | undefined, url: string, raw: Buffer, contentType: string | undefined, signature: string | undefined): boolean {
  if (!authToken || !signature) return false;
  let expected: string;
  if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) expected = twilioSignature(authToken, url, formParams(raw));
  else {
    const bodyHash = new URL(url).searchParams.get('bodySHA256');
    if (!bodyHash || createHash('sha256').update(raw).digest('hex') !== bodyHash) return false;
    expected = twilioSignature(authToken, url, []);
  }
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

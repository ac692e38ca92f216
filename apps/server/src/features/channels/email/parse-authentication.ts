/**
 * What the receiving server concluded about the sender (SPF, DKIM, DMARC), from the topmost
 * Authentication-Results header: servers prepend theirs, so the first one is our MX's verdict and
 * any lower one may have been written by the sender. We do not verify anything ourselves.
 */
import type { HeaderLines } from 'mailparser';
import type { EmailAuthentication } from './parse.js';
import { headerValues } from './parse-headers.js';

const NOT_PASSING = new Set(['fail', 'softfail', 'none']);

// Comments are parenthesised and may nest ("(p=REJECT sp=REJECT (x))"); bounded, not recursive.
function withoutComments(value: string): string {
  let current = value;
  for (let i = 0; i < 5; i++) {
    const next = current.replace(/\([^()]*\)/g, ' ');
    if (next === current) break;
    current = next;
  }
  return current;
}

function results(value: string, method: 'spf' | 'dkim' | 'dmarc'): string[] {
  const pattern = new RegExp(`(?:^|[;\\s])${method}\\s*=\\s*([a-z]+)`, 'gi');
  return [...value.matchAll(pattern)].map((match) => (match[1] ?? '').toLowerCase());
}

export function readAuthentication(lines: HeaderLines): EmailAuthentication {
  const topmost = headerValues(lines, 'authentication-results')[0];
  if (topmost === undefined) return { spf: null, dkim: null, dmarc: null, suspicious: false, reason: null };
  const value = withoutComments(topmost);
  const spf = results(value, 'spf')[0] ?? null;
  // A message can carry several DKIM signatures; one that verifies is what matters.
  const dkimResults = results(value, 'dkim');
  const dkim = dkimResults.includes('pass') ? 'pass' : dkimResults[0] ?? null;
  const dmarc = results(value, 'dmarc')[0] ?? null;

  if (dmarc === 'fail') {
    return { spf, dkim, dmarc, suspicious: true, reason: "The sender's domain failed DMARC checks at the receiving server (dmarc=fail)." };
  }
  // Without a DMARC verdict, a sender that neither SPF nor DKIM vouches for is suspicious. A
  // header that reports neither method (a server that checked nothing) is no evidence either way.
  const unverified = (result: string | null): boolean => result === null || NOT_PASSING.has(result);
  if (dmarc === null && (spf !== null || dkim !== null) && unverified(spf) && unverified(dkim)) {
    return {
      spf, dkim, dmarc, suspicious: true,
      reason: `Neither SPF nor DKIM confirmed the sender at the receiving server (spf=${spf ?? 'none'}, dkim=${dkim ?? 'none'}), and there was no DMARC result.`,
    };
  }
  return { spf, dkim, dmarc, suspicious: false, reason: null };
}

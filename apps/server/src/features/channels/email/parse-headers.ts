/**
 * Header values read from the raw header lines mailparser keeps (in message order), where its own
 * parsed view loses something we need: every In-Reply-To id, an unparseable Date as null rather
 * than "now", the order of repeated headers.
 */
import { parseAddressHeader, type AddressObject, type EmailAddress as MailAddress, type HeaderLines } from 'mailparser';
import type { EmailAddress } from './parse.js';

/** Every value of a header, unfolded, in the order the lines appear. */
export function headerValues(lines: HeaderLines, name: string): string[] {
  return lines
    .filter((line) => line.key === name)
    .map((line) => line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]*/g, ' ').trim());
}

/** One line of plain text: line breaks and control characters become single spaces. */
export function cleanLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Message ids without angle brackets, in header order, each once. */
export function messageIds(values: string[]): string[] {
  const ids: string[] = [];
  for (const value of values) {
    const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? '');
    // A broken client may leave out the brackets; only tokens that look like ids count then,
    // so words of a comment ("(Anna's message of …)") do not.
    const found = bracketed.length > 0 ? bracketed : value.split(/[\s,]+/).filter((token) => /^[^@\s]+@[^@\s]+$/.test(token));
    for (const id of found) {
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      const clean = id.replace(/[<>\u0000-\u0020\u007f]/g, '');
      if (clean && !ids.includes(clean)) ids.push(clean);
    }
  }
  return ids;
}

export function headerDate(values: string[]): Date | null {
  const value = values[0];
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function flatten(entries: MailAddress[]): MailAddress[] {
  return entries.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
}

/** Mailboxes of an address header: names decoded by mailparser, addresses lower-case. */
export function addressList(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return flatten(objects.flatMap((object) => object.value))
    .map((entry) => ({ address: cleanLine(entry.address ?? '').replace(/\s/g, '').toLowerCase(), name: cleanLine(entry.name) }))
    .filter((entry) => entry.address.includes('@'));
}

/** Delivered-To, X-Original-To and Envelope-To: where the mail was actually delivered. */
export function deliveredTo(lines: HeaderLines): string[] {
  const values = ['delivered-to', 'x-original-to', 'envelope-to'].flatMap((name) => headerValues(lines, name));
  const addresses = addressList(parseAddressHeader(values)).map((entry) => entry.address);
  return [...new Set(addresses)];
}

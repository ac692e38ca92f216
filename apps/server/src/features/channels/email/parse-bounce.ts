/**
 * What a bounce says: who could not be reached, the status code and the server's words, and which
 * of our messages it returns (its Message-ID), so the failure lands on the right conversation.
 * RFC 3464 reports say it in a message/delivery-status part; older servers (qmail, Exim) only in
 * prose, which is read as well as cheaply possible.
 */
import type { ParsedEmail } from './parse.js';
import { cleanLine, messageIds } from './parse-headers.js';

export type Bounce = NonNullable<ParsedEmail['bounce']>;

export interface BounceSources {
  /** Contents of message/delivery-status parts. */
  deliveryStatus: string[];
  /** Contents of text/rfc822-headers and message/rfc822 parts: the returned original. */
  originals: string[];
  /** The readable text of the bounce. */
  text: string;
  /** The raw body after the top-level headers, for an original inlined by the parser. */
  rawBody: string;
}

type Fields = Map<string, string>;

function fieldGroups(content: string): Fields[] {
  const unfolded = content.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  return unfolded.split(/\n\s*\n/).map((block) => {
    const fields: Fields = new Map();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      if (colon > 0 && !fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
    }
    return fields;
  });
}

// "rfc822; anna@example.com" and "smtp; 550 5.1.1 …": the part after the type.
const afterType = (value: string): string => (value.includes(';') ? value.slice(value.indexOf(';') + 1) : value).trim();
const address = (value: string): string | null => cleanLine(afterType(value)).replace(/^<|>$/g, '').toLowerCase() || null;
const statusCode = (value: string): string | null => value.match(/\b[245]\.\d{1,3}\.\d{1,3}\b/)?.[0] ?? (cleanLine(value) || null);
const diagnostic = (value: string): string | null => cleanLine(afterType(value)).slice(0, 500) || null;

export function parseBounce(sources: BounceSources): Bounce {
  const fromReport = reportFields(sources.deliveryStatus);
  const fromText = fromReport ?? textFields(sources.text);
  return { originalMessageId: originalMessageId(sources), ...fromText };
}

function reportFields(reports: string[]): Omit<Bounce, 'originalMessageId'> | null {
  for (const report of reports) {
    const recipients = fieldGroups(report).filter((fields) => fields.has('final-recipient') || fields.has('original-recipient'));
    const failed = recipients.find((fields) => /^failed/i.test(fields.get('action') ?? '')) ?? recipients[0];
    if (!failed) continue;
    const recipient = failed.get('final-recipient') ?? failed.get('original-recipient') ?? '';
    const status = failed.get('status');
    const code = failed.get('diagnostic-code');
    return { recipient: address(recipient), status: status ? statusCode(status) : null, diagnostic: code ? diagnostic(code) : null };
  }
  return null;
}

function textFields(text: string): Omit<Bounce, 'originalMessageId'> {
  const recipient =
    text.match(/^\s*Final-Recipient:\s*(.+)$/im)?.[1] ??
    // Exim: "The following address(es) failed:" then the address on its own line.
    text.match(/address(?:\(es\))? failed:\s*\n\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$/im)?.[1] ??
    // qmail: "<anna@example.com>:" at the start of a line.
    text.match(/^<([^\s<>]+@[^\s<>]+)>:\s*$/m)?.[1] ??
    null;
  const code = text.match(/^\s*Diagnostic-Code:\s*(.+)$/im)?.[1] ?? text.match(/^.*\b[45]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b.*$/m)?.[0] ?? null;
  const status = text.match(/\b[245]\.\d{1,3}\.\d{1,3}\b/)?.[0] ?? null;
  return { recipient: recipient ? address(recipient) : null, status, diagnostic: code ? diagnostic(code) : null };
}

const MESSAGE_ID_LINE = /^[ \t]*Message-ID[ \t]*:[ \t]*(<[^>\r\n]+>|[^\s<>]+@[^\s<>]+)/im;

function originalMessageId(sources: BounceSources): string | null {
  for (const original of sources.originals) {
    const headers = original.replace(/\r\n?/g, '\n').split(/\n\s*\n/)[0] ?? '';
    const unfolded = headers.replace(/\n[ \t]+/g, ' ');
    const found = unfolded.match(MESSAGE_ID_LINE)?.[1];
    if (found) return messageIds([found])[0] ?? null;
  }
  for (const text of [sources.text, sources.rawBody]) {
    const found = text.match(MESSAGE_ID_LINE)?.[1];
    if (found) return messageIds([found])[0] ?? null;
  }
  return null;
}

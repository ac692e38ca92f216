/**
 * Inbound email, from raw bytes to what an agent reads: addresses, thread ids, safe HTML, the
 * text without quoted history, attachments, whether a robot or a spoofer sent it, and what a
 * bounce returns. Pure: no database, no network. mailparser does the MIME work, inside limits we
 * check first; a message that cannot be parsed safely throws EmailQuarantined with a reason.
 */
import { Readable } from 'node:stream';
import { simpleParser, type HeaderValue, type ParsedMail, type SimpleParserOptions, type StructuredHeader } from 'mailparser';
import { toParsedAttachment } from './parse-attachments.js';
import { readAuthentication } from './parse-authentication.js';
import { detectAutomated } from './parse-automated.js';
import { parseBounce } from './parse-bounce.js';
import { addressList, cleanLine, deliveredTo, headerDate, headerValues, messageIds } from './parse-headers.js';
import { cutHtmlQuotes } from './parse-html-quotes.js';
import { checkRawLimits, effectiveLimits, EmailQuarantined, formatBytes, formatCount, headerEnd, type ParseLimits } from './parse-limits.js';
import { countRemoteImages, sanitizeEmailHtml } from './parse-sanitize.js';
import { cutTextQuotes, isForwardSubject } from './quotes.js';

export { DEFAULT_LIMITS, EmailQuarantined, type ParseLimits } from './parse-limits.js';

export interface EmailAddress { address: string; name: string }
export interface ParsedAttachment { filename: string; contentType: string; size: number; content: Buffer; contentId: string | null; inline: boolean }
export interface EmailAuthentication { spf: string | null; dkim: string | null; dmarc: string | null; suspicious: boolean; reason: string | null }
export interface ParsedEmail {
  /** Without angle brackets; null when missing. */
  messageId: string | null;
  inReplyTo: string[];
  /** In header order. */
  references: string[];
  from: EmailAddress | null;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  /** Delivered-To / X-Original-To / Envelope-To addresses, lower-case. */
  deliveredTo: string[];
  subject: string;
  date: Date | null;
  /** The whole plain text: the text part, or text made from the HTML. */
  text: string;
  /** The text without the quoted history and without the signature. */
  visibleText: string;
  /** Sanitised HTML; null for plain-text mail. */
  html: string | null;
  visibleHtml: string | null;
  hasQuoted: boolean;
  remoteImages: number;
  attachments: ParsedAttachment[];
  automated: null | { kind: 'auto-reply' | 'bulk' | 'bounce'; reason: string };
  bounce: null | { originalMessageId: string | null; recipient: string | null; status: string | null; diagnostic: string | null };
  authentication: EmailAuthentication;
}

// Fed in slices so that, on a timeout, destroying the source stops a parse still reading input.
const CHUNK_BYTES = 256 * 1024;
// html-to-text on a larger HTML part takes seconds; such a part then has no text, only HTML.
const MAX_HTML_TO_TEXT = 5 * 1024 * 1024;

const DELIVERY_STATUS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_MESSAGE = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);

function parserOptions(limits: ParseLimits): SimpleParserOptions {
  return {
    // The caller replaces cid: links with URLs of the stored attachments.
    keepCidLinks: true,
    // Kept as parts so the bounce reader gets them; their text is added back to `text` below.
    keepDeliveryStatus: true,
    checksumAlgo: false,
    // Nothing reads mailparser's HTML made from the text part (textAsHtml); linkifying it is a good part of a parse.
    skipTextToHtml: true,
    maxHeadSize: limits.maxHeaderBytes,
    maxChildNodes: limits.maxParts,
    maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
    // Forwarded mail (message/rfc822) follows mailparser's default on purpose: a part marked
    // "Content-Disposition: inline" is parsed, so its text (with its From/Subject/Date lines)
    // is readable in `text` and `html`; any other is kept whole as an .eml attachment, which is
    // how clients forward "as attachment" and how bounces return the original.
  };
}

export async function parseEmail(raw: Buffer, limits: Partial<ParseLimits> = {}): Promise<ParsedEmail> {
  const effective = effectiveLimits(limits);
  const latin1 = raw.toString('latin1');
  checkRawLimits(raw, latin1, effective);
  const { bodyStart } = headerEnd(raw);
  let mail = await runParser(raw, effective);
  let recoveredText: string | null = null;
  const body = latin1.slice(bodyStart);
  if (isEmpty(mail) && lostStructure(mail, body)) {
    const repaired = repairBoundary(mail, body);
    if (repaired) mail = await runParser(Buffer.concat([Buffer.from(repaired, 'latin1'), raw]), effective);
    // Still nothing: show the body as it is rather than an empty message.
    if (isEmpty(mail)) recoveredText = readableRawBody(raw.subarray(bodyStart));
  }
  return assemble(mail, latin1, bodyStart, recoveredText);
}

async function runParser(raw: Buffer, limits: ParseLimits): Promise<ParsedMail> {
  const source = Readable.from(slices(raw));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      source.destroy(new Error('parse timeout'));
      reject(new EmailQuarantined(`Reading the message took longer than ${formatCount(limits.timeoutMs / 1000)} seconds, so it was set aside; it is probably malformed or built to be slow to read.`));
    }, limits.timeoutMs);
  });
  try {
    const mail = await Promise.race([simpleParser(source, parserOptions(limits)), timeout]);
    // Input that never reached a header (nothing at all) leaves these unset.
    mail.headers ??= new Map();
    mail.headerLines ??= [];
    return mail;
  } catch (error) {
    throw quarantineFor(error, limits);
  } finally {
    clearTimeout(timer);
  }
}

function* slices(raw: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < raw.length; offset += CHUNK_BYTES) yield raw.subarray(offset, offset + CHUNK_BYTES);
}

function quarantineFor(error: unknown, limits: ParseLimits): EmailQuarantined {
  if (error instanceof EmailQuarantined) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/child nodes/i.test(message)) return new EmailQuarantined(`The message has more than ${formatCount(limits.maxParts)} MIME parts; at most ${formatCount(limits.maxParts)} are accepted.`);
  if (/header size/i.test(message)) return new EmailQuarantined(`A part of the message has a header section over ${formatBytes(limits.maxHeaderBytes)}; at most ${formatBytes(limits.maxHeaderBytes)} is accepted.`);
  return new EmailQuarantined(`The message could not be read as email (${cleanLine(message).slice(0, 200)}).`);
}

function structured(value: HeaderValue | undefined): StructuredHeader | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return null;
  const candidate = value as Partial<StructuredHeader>;
  return typeof candidate.value === 'string' && typeof candidate.params === 'object' ? (candidate as StructuredHeader) : null;
}

function isEmpty(mail: ParsedMail): boolean {
  return !(mail.text ?? '').trim() && typeof mail.html !== 'string' && mail.attachments.length === 0;
}

/** A multipart message whose declared boundary never occurs in its body: the parser found no parts. */
function lostStructure(mail: ParsedMail, body: string): boolean {
  const contentType = structured(mail.headers.get('content-type'));
  if (!contentType || !contentType.value.toLowerCase().startsWith('multipart/')) return false;
  const boundary = contentType.params.boundary;
  return !boundary || !body.includes(`--${boundary}`);
}

/**
 * A body that uses another boundary than the one declared (a broken mailer): declaring the one
 * it does use, in a Content-Type line put first (mailparser builds the structure from the first
 * one), recovers the parts.
 */
function repairBoundary(mail: ParsedMail, body: string): string | null {
  const contentType = structured(mail.headers.get('content-type'));
  const used = body.match(/^--([^\s"\\]{1,200}?)(?:--)?[ \t]*\r?$/m)?.[1];
  if (!contentType || !used || used === contentType.params.boundary) return null;
  const type = /^multipart\/[a-z0-9.+-]{1,40}$/i.test(contentType.value) ? contentType.value : 'multipart/mixed';
  return `Content-Type: ${type}; boundary="${used}"\r\n`;
}

function readableRawBody(body: Buffer): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return body.toString('utf8').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
}

// Which text the visible part is cut from: the sender's own text part when there is one, else
// the HTML, once its quotes are gone (mailparser's text made from the whole HTML has them inline).
function hasPlainPart(mail: ParsedMail, latin1: string): boolean {
  const root = structured(mail.headers.get('content-type'))?.value.toLowerCase() ?? 'text/plain';
  if (root === 'text/plain') return true;
  if (!root.startsWith('multipart/')) return false;
  return /^content-type[ \t]*:[ \t]*"?text\/plain/im.test(latin1);
}

/** Text made from HTML the way mailparser makes `text`, by handing it a one-part HTML message. */
async function htmlToText(html: string): Promise<string> {
  const body = Buffer.from(html, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const message = Buffer.from(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`);
  try {
    const mail = await simpleParser(message, { skipTextToHtml: true, skipImageLinks: true, checksumAlgo: false, maxHtmlLengthToParse: MAX_HTML_TO_TEXT });
    return mail.text ?? '';
  } catch {
    return '';
  }
}

async function assemble(mail: ParsedMail, latin1: string, bodyStart: number, recoveredText: string | null): Promise<ParsedEmail> {
  const lines = mail.headerLines;
  const parts = mail.attachments.map((attachment) => ({ attachment, parsed: toParsedAttachment(attachment) }));
  const reports = parts.filter((part) => DELIVERY_STATUS.has(part.parsed.contentType)).map((part) => part.parsed.content.toString('utf8'));
  const attachments = parts.filter((part) => !DELIVERY_STATUS.has(part.parsed.contentType)).map((part) => part.parsed);
  const bodyText = recoveredText ?? (mail.text ?? '').replace(/\r\n?/g, '\n');
  // A delivery report's fields are machine detail: part of `text`, collapsed from the view.
  const text = [bodyText, ...reports.map((report) => report.replace(/\r\n?/g, '\n'))].filter((part) => part.trim() !== '').join('\n');
  const from = addressList(mail.from)[0] ?? null;
  const subject = cleanLine(mail.subject ?? '');

  const html = typeof mail.html === 'string' ? sanitizeEmailHtml(mail.html) : null;
  const forward = isForwardSubject(subject);
  const htmlCut = html === null ? null : forward ? { visible: html, cut: false } : cutHtmlQuotes(html);
  const cutFromHtml = htmlCut !== null && htmlCut.cut && !hasPlainPart(mail, latin1);
  const textCut = forward ? { visible: bodyText.trim(), cut: false } : cutTextQuotes(cutFromHtml ? await htmlToText(htmlCut.visible) : bodyText);

  const contentType = structured(mail.headers.get('content-type'));
  const automated = detectAutomated({
    lines,
    contentType: contentType?.value.toLowerCase() ?? 'text/plain',
    reportType: contentType?.params['report-type']?.toLowerCase() ?? null,
    fromAddress: from?.address ?? null,
    subject,
    hasDeliveryStatus: reports.length > 0,
  });
  const originals = attachments.filter((file) => ORIGINAL_MESSAGE.has(file.contentType)).map((file) => file.content.toString('utf8'));

  return {
    messageId: messageIds(headerValues(lines, 'message-id'))[0] ?? null,
    inReplyTo: messageIds(headerValues(lines, 'in-reply-to')),
    references: messageIds(headerValues(lines, 'references')),
    from,
    replyTo: addressList(mail.replyTo),
    to: addressList(mail.to),
    cc: addressList(mail.cc),
    deliveredTo: deliveredTo(lines),
    subject,
    date: headerDate(headerValues(lines, 'date')),
    text,
    visibleText: textCut.visible,
    html,
    visibleHtml: htmlCut?.visible ?? null,
    hasQuoted: textCut.cut || (htmlCut?.cut ?? false),
    remoteImages: html === null ? 0 : countRemoteImages(html),
    attachments,
    automated,
    bounce: automated?.kind === 'bounce' ? parseBounce({ deliveryStatus: reports, originals, text, rawBody: latin1.slice(bodyStart) }) : null,
    authentication: readAuthentication(lines),
  };
}

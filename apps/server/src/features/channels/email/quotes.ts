/**
 * Where the author's own words end in a plain-text email: before the quoted history a mail client
 * appended, or before the signature. No library for this was installed (and we add none), so these
 * are the patterns the common clients write, each covered by a test. The cut part is collapsed in
 * the agent's view, never thrown away.
 */

export interface QuoteCut {
  visible: string;
  /** False when nothing was found, or when cutting would have left nothing to show. */
  cut: boolean;
}

// Attribution lines ("On <date>, <name> wrote:") in the languages our customers write most.
const ATTRIBUTIONS = [
  /^On\b.{0,400}\bwrote:$/i,
  /^Am\b.{0,400}\bschrieb\b.{0,300}:$/i,
  /^Le\b.{0,400}\ba écrit ?:$/i,
];

const ORIGINAL_MESSAGE = /^-{2,} ?(Original Message|Ursprüngliche Nachricht|Message d'origine|Oorspronkelijk bericht|Messaggio originale|Mensaje original) ?-{2,}$/i;

// Outlook's reply header: "From:" then, within a few lines, "Sent:" (or "Date:") and "Subject:".
const HEADER_FROM = /^\*?(From|Von|De|Van|Da|Från|Fra)\*? ?:\*? ?\S/i;
const HEADER_SENT = /^\*?(Sent|Date|Gesendet|Datum|Envoyé|Verzonden|Inviato|Enviado|Skickat|Sendt)\*? ?:/i;
const HEADER_SUBJECT = /^\*?(Subject|Betreff|Objet|Onderwerp|Oggetto|Asunto|Ämne|Emne)\*? ?:/i;
const SEPARATOR = /^[_\-=]{5,}$/;
// What clients write above a forwarded message's header block; that block is not history.
const FORWARD_MARKER = /(Forwarded message|Begin forwarded message|Weitergeleitete Nachricht|Message transféré|Original Message follows)/i;
const FORWARD_SUBJECT = /^\s*(fwd?|wg|tr|rv|vs|doorst)\s*:/i;

/**
 * A forward is sent for the forwarded part: it is what the customer wants us to read, so none of
 * it is collapsed (Outlook's "FW:" carries the same header block as its replies).
 */
export function isForwardSubject(subject: string): boolean {
  return FORWARD_SUBJECT.test(subject);
}

/** Spaces as a person would read them: no-break and thin spaces are common in French clients. */
export function normalizeSpaces(value: string): string {
  return value.replace(/[\u00a0\u202f\u2007\t]/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Whether a (possibly wrapped, so joined) line is a reply attribution such as "On … wrote:". */
export function isAttribution(line: string): boolean {
  const value = normalizeSpaces(line.replace(/\n/g, ' '));
  return value.length <= 600 && ATTRIBUTIONS.some((pattern) => pattern.test(value));
}

export function isOriginalMessageLine(line: string): boolean {
  return ORIGINAL_MESSAGE.test(normalizeSpaces(line));
}

/** Whether the text's first line could open a reply header: a cheap test before the full one. */
export function startsWithFromLine(text: string): boolean {
  const first = text.split('\n').map(normalizeSpaces).find((line) => line !== '');
  return first !== undefined && HEADER_FROM.test(first);
}

/**
 * Whether the lines start with an Outlook reply header: From, directly followed by Sent (or
 * Date), and a Subject below. The order matters: an embedded message's header lines as mailparser
 * writes them (From, Subject, Date, To) belong to a forwarded message, not to history.
 */
export function isReplyHeader(lines: string[]): boolean {
  const clean = lines.map(normalizeSpaces).filter((line) => line !== '');
  if (clean.length < 3 || !HEADER_FROM.test(clean[0] ?? '') || !HEADER_SENT.test(clean[1] ?? '')) return false;
  return clean.slice(2, 7).some((line) => HEADER_SUBJECT.test(line));
}

const isQuoted = (line: string): boolean => /^\s*>/.test(line);
const isBlank = (line: string): boolean => normalizeSpaces(line) === '';

export function cutTextQuotes(text: string): QuoteCut {
  const whole = text.replace(/\r\n?/g, '\n').trim();
  const lines = whole.split('\n');
  const candidates = [attributionAt(lines), originalMessageAt(lines), replyHeaderAt(lines), trailingQuoteAt(lines), signatureAt(lines)];
  const cutAt = Math.min(...candidates.filter((index): index is number => index !== null), lines.length);
  const visible = lines.slice(0, cutAt).join('\n').trim();
  const removed = lines.slice(cutAt).some((line) => !isBlank(line));
  // Never show an empty message: a mail that is all quote (a bare forward) is shown whole.
  if (!removed || visible === '') return { visible: whole, cut: false };
  return { visible, cut: true };
}

function nextNonBlank(lines: string[], from: number): number | null {
  for (let i = from; i < lines.length; i++) if (!isBlank(lines[i] ?? '')) return i;
  return null;
}

function previousNonBlank(lines: string[], from: number): number | null {
  for (let i = from; i >= 0; i--) if (!isBlank(lines[i] ?? '')) return i;
  return null;
}

// Clients wrap a long attribution over two or three lines, so the joined lines are tried too.
// Only an attribution followed by quoted lines counts: "On Monday you wrote: …" in prose does not.
function attributionAt(lines: string[]): number | null {
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*(On|Am|Le)\b/i.test(lines[i] ?? '')) continue;
    for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
      if (!isAttribution(lines.slice(i, i + span).join(' '))) continue;
      const next = nextNonBlank(lines, i + span);
      if (next !== null && isQuoted(lines[next] ?? '')) return i;
    }
  }
  return null;
}

function originalMessageAt(lines: string[]): number | null {
  const index = lines.findIndex((line) => isOriginalMessageLine(line));
  return index >= 0 ? index : null;
}

function replyHeaderAt(lines: string[]): number | null {
  for (let i = 0; i < lines.length; i++) {
    if (!HEADER_FROM.test(normalizeSpaces(lines[i] ?? '')) || !isReplyHeader(lines.slice(i, i + 8))) continue;
    const above = previousNonBlank(lines, i - 1);
    const line = above === null ? '' : normalizeSpaces(lines[above] ?? '');
    if (FORWARD_MARKER.test(line)) continue;
    // Outlook draws a line of underscores above its header; it belongs to the quote.
    return above !== null && SEPARATOR.test(line) ? above : i;
  }
  return null;
}

// The last run of "> " lines, when nothing but blank lines follows it: that is history. Quoted
// lines answered in between (inline replies) stay visible.
function trailingQuoteAt(lines: string[]): number | null {
  let index = previousNonBlank(lines, lines.length - 1);
  if (index === null || !isQuoted(lines[index] ?? '')) return null;
  let start = index;
  while (index >= 0 && (isQuoted(lines[index] ?? '') || isBlank(lines[index] ?? ''))) {
    if (isQuoted(lines[index] ?? '')) start = index;
    index--;
  }
  // A short "Anna <anna@example.com>:" or "… wrote:" line just above the quote introduces it.
  const above = previousNonBlank(lines, start - 1);
  if (above !== null) {
    const line = normalizeSpaces(lines[above] ?? '');
    if (line.length <= 200 && line.endsWith(':') && (/@/.test(line) || /\b(wrote|schrieb|écrit)\b/i.test(line))) return above;
  }
  return start;
}

// "-- " on a line of its own starts a signature (RFC 3676). Some clients drop the trailing space;
// a bare "--" counts only when few lines follow, since "--" also separates ordinary text.
function signatureAt(lines: string[]): number | null {
  let linesAfter = lines.filter((line) => !isBlank(line)).length;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\u00a0/g, ' ');
    if (!isBlank(line)) linesAfter--;
    if (line === '-- ') return i;
    if (line.trimEnd() === '--' && linesAfter <= 10) return i;
  }
  return null;
}

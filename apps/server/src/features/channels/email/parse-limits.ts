/**
 * The cheap checks an inbound message passes before the MIME parser sees it. They read the raw
 * bytes once with regular expressions, so a hostile message (a 10 MB header, thousands of nested
 * parts) is refused in milliseconds instead of costing the parser seconds and memory.
 */

export interface ParseLimits {
  maxBytes: number;
  maxHeaderBytes: number;
  maxParts: number;
  timeoutMs: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 40 * 1024 * 1024,
  maxHeaderBytes: 256 * 1024,
  maxParts: 500,
  timeoutMs: 10_000,
};

/** A message that cannot be parsed safely; `reason` tells a person what was wrong with it. */
export class EmailQuarantined extends Error {
  constructor(public readonly reason: string) {
    super(reason);
    this.name = 'EmailQuarantined';
  }
}

export function effectiveLimits(limits: Partial<ParseLimits>): ParseLimits {
  const pick = (key: keyof ParseLimits): number => {
    const value = limits[key];
    // A caller passing undefined or a nonsense value from configuration keeps the safe default.
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_LIMITS[key];
  };
  return { maxBytes: pick('maxBytes'), maxHeaderBytes: pick('maxHeaderBytes'), maxParts: pick('maxParts'), timeoutMs: pick('timeoutMs') };
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [[1024 * 1024, 'MB'], [1024, 'KB']];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const amount = bytes / size;
      return `${Number.isInteger(amount) ? amount : amount.toFixed(1)} ${unit}`;
    }
  }
  return `${formatCount(bytes)} bytes`;
}

/** Where the top-level header section ends (the blank line), or the whole length for headers only. */
export function headerEnd(raw: Buffer): { end: number; bodyStart: number } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { end: lf, bodyStart: lf + 2 };
  return { end: raw.length, bodyStart: raw.length };
}

/** `latin1` is the raw message as a one-byte-per-character string, scanned for part boundaries. */
export function checkRawLimits(raw: Buffer, latin1: string, limits: ParseLimits): void {
  if (raw.length > limits.maxBytes) {
    throw new EmailQuarantined(`The message is ${formatBytes(raw.length)}; at most ${formatBytes(limits.maxBytes)} is accepted.`);
  }
  const { end } = headerEnd(raw);
  if (end > limits.maxHeaderBytes) {
    throw new EmailQuarantined(`The message's header section is ${formatBytes(end)}; at most ${formatBytes(limits.maxHeaderBytes)} of headers is accepted.`);
  }
  const parts = countParts(latin1, limits.maxParts);
  if (parts > limits.maxParts) {
    throw new EmailQuarantined(`The message has ${formatCount(parts)} MIME parts; at most ${formatCount(limits.maxParts)} are accepted.`);
  }
}

const CONTENT_TYPE_LINE = /^content-type[ \t]*:/gim;
const BOUNDARY_PARAM = /boundary[ \t]*=[ \t]*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi;
const DASH_LINE = /^--([^\r\n]{1,210})/gm;

/**
 * Counts MIME parts the way the parser would find them: Content-Type header lines, and opening
 * delimiter lines of the boundaries the message declares (a part needs no Content-Type). Counting
 * any line that starts with "--" would refuse a pasted SQL file full of comments. The set of
 * boundaries is capped: past a few times the limit the answer is "too many" whatever the rest says.
 */
export function countParts(text: string, maxParts: number): number {
  let contentTypes = 0;
  CONTENT_TYPE_LINE.lastIndex = 0;
  while (CONTENT_TYPE_LINE.exec(text)) contentTypes++;

  const boundaries = new Set<string>();
  BOUNDARY_PARAM.lastIndex = 0;
  for (let match = BOUNDARY_PARAM.exec(text); match && boundaries.size <= maxParts * 4; match = BOUNDARY_PARAM.exec(text)) {
    boundaries.add((match[1] ?? match[2] ?? '').trim());
  }
  let delimiters = 0;
  if (boundaries.size > 0) {
    DASH_LINE.lastIndex = 0;
    for (let match = DASH_LINE.exec(text); match; match = DASH_LINE.exec(text)) {
      if (boundaries.has((match[1] ?? '').replace(/[ \t\r]+$/, ''))) delimiters++;
    }
  }
  return Math.max(contentTypes, delimiters + 1);
}

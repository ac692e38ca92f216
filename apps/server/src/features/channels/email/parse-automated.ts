/**
 * Mail no person wrote: bounces, auto-replies (out of office, "we got your ticket") and bulk mail.
 * A help desk must never auto-answer these, or two robots mail each other forever. Bounces are
 * checked first: a delivery report often carries "Auto-Submitted: auto-replied" as well.
 */
import type { HeaderLines } from 'mailparser';
import type { ParsedEmail } from './parse.js';
import { cleanLine, headerValues } from './parse-headers.js';

export type Automated = ParsedEmail['automated'];

export interface AutomatedInput {
  lines: HeaderLines;
  /** The root Content-Type, lower-case, and its report-type parameter. */
  contentType: string;
  reportType: string | null;
  fromAddress: string | null;
  subject: string;
  hasDeliveryStatus: boolean;
}

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const FAILURE_SUBJECT = /undeliver|not (be )?delivered|delivery (status notification|failure|has failed|failed|problem)|returned mail|failure notice|mail delivery (failed|system)|non-?remis|unzustellbar|nicht zugestellt/i;

const first = (lines: HeaderLines, name: string): string | null => headerValues(lines, name)[0] ?? null;
const bare = (value: string): string => value.split(';')[0]?.trim().toLowerCase() ?? '';

export function detectAutomated(input: AutomatedInput): Automated {
  const found = bounceOf(input) ?? autoReplyOf(input) ?? bulkOf(input.lines);
  // The reason quotes header values, which the sender wrote: one short line of text.
  return found && { kind: found.kind, reason: cleanLine(found.reason).slice(0, 300) };
}

function bounceOf(input: AutomatedInput): Automated {
  if (input.contentType === 'multipart/report' && input.reportType === 'delivery-status') {
    return { kind: 'bounce', reason: 'Content-Type: multipart/report; report-type=delivery-status' };
  }
  if (input.hasDeliveryStatus) return { kind: 'bounce', reason: 'a message/delivery-status part' };
  if (input.fromAddress && DAEMON.test(input.fromAddress) && FAILURE_SUBJECT.test(input.subject)) {
    return { kind: 'bounce', reason: `From: ${input.fromAddress} with the subject "${input.subject}"` };
  }
  return null;
}

function autoReplyOf(input: AutomatedInput): Automated {
  const { lines } = input;
  const submitted = first(lines, 'auto-submitted');
  if (submitted !== null && bare(submitted) !== 'no' && bare(submitted) !== '') return { kind: 'auto-reply', reason: `Auto-Submitted: ${submitted}` };
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const value = first(lines, name);
    if (value !== null && !/^(no|false|0)$/i.test(value)) return { kind: 'auto-reply', reason: `${headerName(name)}: ${value}` };
  }
  // X-Auto-Response-Suppress is not among these: it asks the receiver not to auto-answer, and help
  // desks (ours too) put it on replies that people wrote.
  const precedence = first(lines, 'precedence');
  if (precedence !== null && bare(precedence) === 'auto_reply') return { kind: 'auto-reply', reason: `Precedence: ${precedence}` };
  // A read receipt is a machine answering too.
  if (input.contentType === 'multipart/report' && input.reportType === 'disposition-notification') {
    return { kind: 'auto-reply', reason: 'Content-Type: multipart/report; report-type=disposition-notification' };
  }
  return null;
}

function bulkOf(lines: HeaderLines): Automated {
  const precedence = first(lines, 'precedence');
  if (precedence !== null && ['bulk', 'junk', 'list'].includes(bare(precedence))) return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  for (const name of ['list-id', 'list-unsubscribe']) {
    const value = first(lines, name);
    if (value !== null) return { kind: 'bulk', reason: `${headerName(name)}: ${value.slice(0, 200)}` };
  }
  return null;
}

const NAMES: Record<string, string> = { 'x-autoreply': 'X-Autoreply', 'x-autorespond': 'X-Autorespond', 'list-id': 'List-Id', 'list-unsubscribe': 'List-Unsubscribe' };
const headerName = (key: string): string => NAMES[key] ?? key;

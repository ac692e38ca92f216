/**
 * An email inbox's servers: IMAP to fetch from (optional: mail may be forwarded to the built-in
 * SMTP receiver instead) and SMTP to send replies through. Passwords are sealed in the inbox row
 * and never leave the server; the rest is plain settings. Also: trying a connection, and saying
 * what went wrong in words an admin can act on.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type { SecretBox } from '../../../core/crypto-box.js';
import { Obj } from '../../../core/http/schema.js';

const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]+$', description: 'Host name or IP address of the server' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const User = Type.String({ minLength: 1, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 1000 });
const Mailbox = Type.String({ minLength: 1, maxLength: 200, default: 'INBOX' });

export const ImapInput = Obj({ host: Host, port: Port, secure: Type.Boolean({ description: 'TLS from the start (port 993); false: STARTTLS when offered (143)' }), user: User, password: Type.Optional(Password), mailbox: Type.Optional(Mailbox) });
export const SmtpInput = Obj({ host: Host, port: Port, secure: Type.Boolean({ description: 'TLS from the start (port 465); false: STARTTLS when offered (587)' }), user: User, password: Type.Optional(Password) });
export type ImapInputT = Static<typeof ImapInput>;
export type SmtpInputT = Static<typeof SmtpInput>;

export const ImapSettings = Type.Object({ host: Type.String(), port: Type.Integer(), secure: Type.Boolean(), user: Type.String(), mailbox: Type.String(), password_set: Type.Boolean() });
export const SmtpSettings = Type.Object({ host: Type.String(), port: Type.Integer(), secure: Type.Boolean(), user: Type.String(), password_set: Type.Boolean() });

export interface ImapConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  mailbox: string;
}
export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string;
}
export interface EmailConfig {
  imap?: ImapConfig;
  smtp?: SmtpConfig;
}
export interface EmailSecrets {
  imap_password?: string;
  smtp_password?: string;
}

export interface EmailServers {
  address: string;
  imap: (ImapConfig & { password: string }) | null;
  smtp: (SmtpConfig & { password: string }) | null;
}

export function openSecrets(box: SecretBox, sealed: string | null): EmailSecrets {
  if (!sealed) return {};
  try {
    return JSON.parse(box.open(sealed)) as EmailSecrets;
  } catch {
    return {};
  }
}

/** The servers of an inbox row, with their passwords, for connecting. */
export function serversOf(box: SecretBox, row: { email_address: string | null; channel_config: Record<string, unknown>; channel_secrets: string | null }): EmailServers {
  const config = row.channel_config as EmailConfig;
  const secrets = openSecrets(box, row.channel_secrets);
  return {
    address: row.email_address ?? '',
    imap: config.imap ? { ...config.imap, password: secrets.imap_password ?? '' } : null,
    smtp: config.smtp ? { ...config.smtp, password: secrets.smtp_password ?? '' } : null,
  };
}

/** Settings and passwords after a create or an edit: a password left out keeps the stored one. */
export function mergeSettings(
  current: { config: EmailConfig; secrets: EmailSecrets },
  change: { imap?: ImapInputT | null; smtp?: SmtpInputT },
): { config: EmailConfig; secrets: EmailSecrets; missing: Array<{ field: string; message: string }> } {
  const config: EmailConfig = { ...current.config };
  const secrets: EmailSecrets = { ...current.secrets };
  if (change.imap === null) {
    delete config.imap;
    delete secrets.imap_password;
  } else if (change.imap) {
    const { password, mailbox, ...rest } = change.imap;
    config.imap = { ...rest, host: rest.host.toLowerCase(), mailbox: mailbox ?? 'INBOX' };
    if (password !== undefined) secrets.imap_password = password;
  }
  if (change.smtp) {
    const { password, ...rest } = change.smtp;
    config.smtp = { ...rest, host: rest.host.toLowerCase() };
    if (password !== undefined) secrets.smtp_password = password;
  }
  const missing: Array<{ field: string; message: string }> = [];
  if (config.imap && !secrets.imap_password) missing.push({ field: 'imap.password', message: 'is required' });
  if (config.smtp && !secrets.smtp_password) missing.push({ field: 'smtp.password', message: 'is required' });
  return { config, secrets, missing };
}

export function presentSettings(config: EmailConfig, secrets: EmailSecrets) {
  return {
    imap: config.imap ? { ...config.imap, password_set: Boolean(secrets.imap_password) } : null,
    smtp: config.smtp ? { ...config.smtp, password_set: Boolean(secrets.smtp_password) } : null,
  };
}

const TIMEOUT_MS = 10_000;

/** Turns a connection failure into a sentence for the admin who set the inbox up. */
export function describeMailError(kind: 'IMAP' | 'SMTP', server: { host: string; port: number }, err: unknown): string {
  const e = err as { code?: string; message?: string; authenticationFailed?: boolean; responseCode?: number; response?: string; responseText?: string };
  const at = `${server.host}:${server.port}`;
  // nodemailer reports socket errors as ESOCKET with the system error in the message.
  const sys = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET)\b/.exec(e.message ?? '')?.[1];
  const code = sys && (!e.code || e.code === 'ESOCKET' || e.code === 'ECONNECTION') ? sys : e.code;
  if (e.authenticationFailed || code === 'EAUTH' || e.responseCode === 535 || /AUTHENTICATIONFAILED|authentication failed|invalid credentials/i.test(`${e.message ?? ''} ${e.responseText ?? ''}`))
    return `The ${kind} server at ${at} refused the user name or password.`;
  if (code === 'ECONNREFUSED') return `Nothing answers at ${at}: check the ${kind} host and port.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The ${kind} host ${server.host} cannot be found: check its name.`;
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || code === 'CONNECT_TIMEOUT' || /timed? ?out/i.test(e.message ?? '')) return `The ${kind} server at ${at} did not answer in time.`;
  if (code === 'ESOCKET' && /wrong version number|ssl|tls/i.test(e.message ?? '')) return `TLS failed with the ${kind} server at ${at}: try the other TLS setting for this port.`;
  if (/self[- ]signed|certificate/i.test(e.message ?? '')) return `The ${kind} server at ${at} has a certificate that cannot be trusted (${e.message}).`;
  if (/mailbox.*(doesn.t|does not|not) exist|NONEXISTENT|Mailbox doesn't exist/i.test(`${e.message ?? ''} ${e.responseText ?? ''}`)) return `The IMAP mailbox was not found on ${at}.`;
  const detail = (e.responseText ?? e.response ?? e.message ?? String(err)).replace(/\s+/g, ' ').slice(0, 200);
  return `The ${kind} server at ${at} could not be used: ${detail}`;
}

export function imapClient(imap: ImapConfig & { password: string }, options: { logger?: false } = {}): ImapFlow {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: options.logger ?? false,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: 5 * 60_000,
    // Servers without a trusted certificate are refused unless they are this machine (tests, local relays).
    tls: { rejectUnauthorized: !isLoopback(imap.host) },
    disableAutoIdle: false,
    // Into IDLE a second after the last command (the default waits 15 s, and new mail with it).
    autoIdleDelay: 1000,
  });
}

export function smtpTransport(smtp: SmtpConfig & { password: string }) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: { user: smtp.user, pass: smtp.password },
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: 60_000,
    tls: { rejectUnauthorized: !isLoopback(smtp.host) },
  });
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);

export interface ConnectionResult {
  ok: boolean;
  error: string | null;
}

/** Signs in to the IMAP server and opens the mailbox, then leaves. */
export async function testImap(imap: ImapConfig & { password: string }): Promise<ConnectionResult> {
  const client = imapClient(imap);
  client.on('error', () => {
    /* reported by connect() */
  });
  try {
    await client.connect();
    const lock = await client.getMailboxLock(imap.mailbox, { readOnly: true });
    lock.release();
    await client.logout();
    return { ok: true, error: null };
  } catch (err) {
    client.close();
    return { ok: false, error: describeMailError('IMAP', imap, err) };
  }
}

/** Connects and signs in to the SMTP server without sending anything. */
export async function testSmtp(smtp: SmtpConfig & { password: string }): Promise<ConnectionResult> {
  const transport = smtpTransport(smtp);
  try {
    await transport.verify();
    return { ok: true, error: null };
  } catch (err) {
    return { ok: false, error: describeMailError('SMTP', smtp, err) };
  } finally {
    transport.close();
  }
}

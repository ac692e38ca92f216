// The email inbox form: its values, the checks the browser can make, and the API bodies built from it.
// Values are flat (imap_host, smtp_port…) so server errors on "imap.host" land on the right input.
import type { ImapInput, Inbox, MailServerInput } from '../../../../api/types';

export type MailServer = 'imap' | 'smtp';

export interface EmailInboxValues {
  name: string;
  email: string;
  member_ids: string[];
  /** Whether Rapport fetches the mailbox by IMAP (the IMAP fields are ignored when off). */
  fetch: boolean;
  imap_host: string;
  imap_port: number | string;
  imap_secure: boolean;
  imap_user: string;
  imap_password: string;
  imap_mailbox: string;
  smtp_host: string;
  smtp_port: number | string;
  smtp_secure: boolean;
  smtp_user: string;
  smtp_password: string;
}

/** The usual port for each server with and without TLS from the first byte (STARTTLS otherwise). */
export const defaultPorts: Record<MailServer, { tls: number; plain: number }> = {
  imap: { tls: 993, plain: 143 },
  smtp: { tls: 465, plain: 587 },
};

export function initialValues(inbox: Inbox | null, memberIds: string[]): EmailInboxValues {
  const imap = inbox?.imap ?? null;
  const smtp = inbox?.smtp ?? null;
  return {
    name: inbox?.name ?? '',
    email: inbox?.email ?? '',
    member_ids: inbox?.member_ids ?? memberIds,
    fetch: inbox ? imap !== null : true,
    imap_host: imap?.host ?? '',
    imap_port: imap?.port ?? defaultPorts.imap.tls,
    imap_secure: imap?.secure ?? true,
    imap_user: imap?.user ?? '',
    imap_password: '',
    imap_mailbox: imap?.mailbox ?? 'INBOX',
    smtp_host: smtp?.host ?? '',
    smtp_port: smtp?.port ?? defaultPorts.smtp.tls,
    smtp_secure: smtp?.secure ?? true,
    smtp_user: smtp?.user ?? '',
    smtp_password: '',
  };
}

/**
 * The port after the TLS switch flips: the other usual port, unless the admin typed their own
 * (a port that is not one of the two usual ones is theirs and stays).
 */
export function portAfterTlsChange(server: MailServer, port: number | string, secure: boolean): number | string {
  const { tls, plain } = defaultPorts[server];
  if (port === '' || Number(port) === tls || Number(port) === plain) return secure ? tls : plain;
  return port;
}

const looksLikeAddress = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim());

/** Checks one server's fields; `passwordSaved` says whether the server keeps one already. */
function checkServer(values: EmailInboxValues, server: MailServer, passwordSaved: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  const label = server.toUpperCase();
  const host = values[`${server}_host`].trim();
  const port = Number(values[`${server}_port`]);
  if (!host) errors[`${server}_host`] = `Enter the ${label} server, such as ${server}.example.com`;
  // A name or an IP address (IPv6 has colons): no scheme, no path.
  else if (/\s|\//.test(host)) errors[`${server}_host`] = 'Only the server name, without “https://” or a path';
  if (values[`${server}_port`] === '' || !Number.isInteger(port) || port < 1 || port > 65535) errors[`${server}_port`] = 'A port from 1 to 65535';
  if (!values[`${server}_user`].trim()) errors[`${server}_user`] = 'Enter the user name (often the full address)';
  if (!passwordSaved && !values[`${server}_password`]) errors[`${server}_password`] = `Enter the ${label} password`;
  return errors;
}

export interface SavedPasswords {
  imap: boolean;
  smtp: boolean;
}

/** Every error the browser can find before asking the server; `only` limits it to the servers being tested. */
export function checkValues(values: EmailInboxValues, saved: SavedPasswords, only?: MailServer[]): Record<string, string> {
  const servers = only ?? (['imap', 'smtp'] as MailServer[]);
  let errors: Record<string, string> = {};
  if (!only) {
    if (!values.name.trim()) errors.name = 'Give the inbox a name';
    if (!values.email.trim()) errors.email = 'Enter the address customers write to';
    else if (!looksLikeAddress(values.email)) errors.email = 'An email address, such as support@shop.example';
  }
  if (servers.includes('imap') && values.fetch) errors = { ...errors, ...checkServer(values, 'imap', saved.imap) };
  if (servers.includes('smtp')) errors = { ...errors, ...checkServer(values, 'smtp', saved.smtp) };
  return errors;
}

/** One server as the API takes it; an empty password is left out, so the stored one stays. */
export function serverBody(values: EmailInboxValues, server: 'smtp'): MailServerInput;
export function serverBody(values: EmailInboxValues, server: 'imap'): ImapInput;
export function serverBody(values: EmailInboxValues, server: MailServer): MailServerInput | ImapInput {
  const body: MailServerInput & { mailbox?: string } = {
    host: values[`${server}_host`].trim(),
    port: Number(values[`${server}_port`]),
    secure: values[`${server}_secure`],
    user: values[`${server}_user`].trim(),
  };
  const password = values[`${server}_password`];
  if (password) body.password = password;
  if (server === 'imap') body.mailbox = values.imap_mailbox.trim() || 'INBOX';
  return body;
}

/** The body of POST /inboxes (creating) or PATCH /inboxes/:id (editing). */
export function inboxBody(values: EmailInboxValues, creating: boolean) {
  const common = {
    name: values.name.trim(),
    email: values.email.trim(),
    smtp: serverBody(values, 'smtp'),
    member_ids: values.member_ids,
  };
  if (creating) return { channel: 'email', ...common, ...(values.fetch ? { imap: serverBody(values, 'imap') } : {}) };
  return { ...common, imap: values.fetch ? serverBody(values, 'imap') : null };
}

/** Server field names ("imap.host", "smtp.password") → the form's ("imap_host"). */
export const serverFieldMap: Record<string, string> = Object.fromEntries(
  (['imap', 'smtp'] as const).flatMap((server) =>
    ['host', 'port', 'secure', 'user', 'password', 'mailbox'].map((field) => [`${server}.${field}`, `${server}_${field}`]),
  ),
);

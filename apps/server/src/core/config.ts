/**
 * One validated configuration object. Every variable has a description, a default, a type and
 * whether it is secret. Precedence: environment variables, then defaults. Nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';

export class ConfigError extends Error {
  constructor(public readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Kind = 'string' | 'port' | 'url' | 'boolean' | 'integer' | 'enum' | 'list';

export interface ConfigVariable {
  name: string;
  description: string;
  default: string | undefined;
  kind: Kind;
  secret?: boolean;
  values?: readonly string[];
  protocols?: readonly string[];
}

/** The documented variables, in the order the README lists them. */
export const configVariables: readonly ConfigVariable[] = [
  { name: 'PORT', description: 'TCP port the HTTP server listens on', default: '3000', kind: 'port' },
  { name: 'HOST', description: 'Interface the HTTP server binds to', default: '0.0.0.0', kind: 'string' },
  { name: 'PUBLIC_URL', description: 'Public origin of this server (used in links and for same-origin checks); defaults to http://localhost:PORT', default: undefined, kind: 'url', protocols: ['http:', 'https:'] },
  { name: 'RAPPORT_DATA_DIR', description: 'Folder of the embedded database (PGlite) and local files', default: './data', kind: 'string' },
  { name: 'DATABASE_URL', description: 'PostgreSQL server to use instead of the embedded database', default: undefined, kind: 'url', secret: true, protocols: ['postgres:', 'postgresql:'] },
  { name: 'DATABASE_POOL_SIZE', description: 'Maximum connections to the PostgreSQL server', default: '10', kind: 'integer' },
  { name: 'RAPPORT_SECRET_KEY', description: 'Key that encrypts stored secrets (two-factor seeds); generated into RAPPORT_DATA_DIR/secret.key when unset. Set the same value on every node', default: undefined, kind: 'string', secret: true },
  { name: 'REDIS_URL', description: 'Redis server for rate limits and (later) cross-node fan-out; in-process when unset', default: undefined, kind: 'url', secret: true, protocols: ['redis:', 'rediss:'] },
  { name: 'REDIS_PREFIX', description: 'Prefix of every Redis key, to keep installations that share one Redis apart', default: 'rapport:', kind: 'string' },
  { name: 'RAPPORT_SEED_DEMO', description: 'Seed a demo workspace on the first start of an empty database', default: 'true', kind: 'boolean' },
  { name: 'TRUST_PROXY', description: 'Addresses/CIDRs of reverse proxies whose X-Forwarded-* headers are believed (comma separated); none by default', default: '', kind: 'list' },
  { name: 'LOG_LEVEL', description: 'Log level: fatal, error, warn, info, debug, trace or silent', default: 'info', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
  { name: 'SESSION_TTL_DAYS', description: 'How long a sign-in session lasts without use', default: '30', kind: 'integer' },
  { name: 'LOGIN_MAX_PER_IP', description: 'Sign-in attempts allowed per IP address per 15 minutes', default: '30', kind: 'integer' },
  { name: 'LOGIN_MAX_FAILURES_PER_ACCOUNT', description: 'Failed sign-ins allowed per email address per 15 minutes', default: '10', kind: 'integer' },
  { name: 'ATTACHMENT_MAX_MB', description: 'Largest file an agent or a visitor may upload, in megabytes', default: '25', kind: 'integer' },
  { name: 'WORKSPACE_STORAGE_QUOTA_MB', description: 'Total size of the files one workspace may store, in megabytes', default: '10240', kind: 'integer' },
  { name: 'EMAIL_FETCH', description: 'Fetch mail of email inboxes by IMAP on this node (one node at a time holds each mailbox)', default: 'true', kind: 'boolean' },
  { name: 'EMAIL_MAX_MB', description: 'Largest email accepted (fetched or received), in megabytes; a larger one is kept aside with the reason', default: '40', kind: 'integer' },
  { name: 'SMTP_RECEIVER_PORT', description: 'Port of the built-in SMTP receiver for mail forwarded to an inbox\'s forwarding address; off when unset', default: undefined, kind: 'port' },
  { name: 'SMTP_RECEIVER_HOST', description: 'Interface the SMTP receiver binds to', default: '0.0.0.0', kind: 'string' },
  { name: 'EMAIL_FORWARD_DOMAIN', description: 'Domain of the forwarding addresses (inbox-…@domain) the SMTP receiver accepts; defaults to the host of PUBLIC_URL', default: undefined, kind: 'string' },
  { name: 'WEBHOOK_ALLOW_PRIVATE_HOSTS', description: 'Host names, addresses or CIDRs (comma separated) that webhooks and media downloads may reach although they are private, loopback or link-local, and over plain http; none by default', default: '', kind: 'list' },
  { name: 'AI_ALLOW_PRIVATE_HOSTS', description: 'Host names, addresses or CIDRs (comma separated) of model servers on your own network that AI assist may reach although they are private or loopback, and over plain http; none by default', default: '', kind: 'list' },
  { name: 'TWILIO_API_URL', description: 'Base URL of the Twilio REST API (SMS and voice inboxes)', default: 'https://api.twilio.com', kind: 'url', protocols: ['http:', 'https:'] },
  { name: 'META_GRAPH_URL', description: 'Base URL of the Meta Graph API, with its version (WhatsApp Cloud API, Messenger and Instagram inboxes)', default: 'https://graph.facebook.com/v21.0', kind: 'url', protocols: ['http:', 'https:'] },
  { name: 'TELEGRAM_API_URL', description: 'Base URL of the Telegram Bot API (Telegram inboxes)', default: 'https://api.telegram.org', kind: 'url', protocols: ['http:', 'https:'] },
  { name: 'NOTIFICATIONS_SMTP_URL', description: 'SMTP server that sends notification emails to agents, such as smtps://user:password@mail.example.com:465; email notifications are off when unset', default: undefined, kind: 'url', secret: true, protocols: ['smtp:', 'smtps:'] },
  { name: 'NOTIFICATIONS_FROM', description: 'Sender address of notification emails, such as rapport@example.com (required with NOTIFICATIONS_SMTP_URL)', default: undefined, kind: 'string' },
  { name: 'NOTIFICATIONS_EMAIL_BATCH_SECONDS', description: 'An agent gets at most one notification email per this many seconds; what happens meanwhile is gathered into it', default: '120', kind: 'integer' },
];

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  secretKey: string | undefined;
  redisPrefix: string;
  seedDemo: boolean;
  trustProxy: string[];
  logLevel: string;
  sessionTtlDays: number;
  attachmentMaxBytes: number;
  storageQuotaBytes: number;
  loginMaxPerIp: number;
  loginMaxFailuresPerAccount: number;
  emailFetch: boolean;
  emailMaxBytes: number;
  smtpReceiverPort: number | undefined;
  smtpReceiverHost: string;
  emailForwardDomain: string;
  /** Webhook targets allowed despite the private-network rule (host names, addresses, CIDRs). */
  webhookAllowPrivateHosts: string[];
  /** Model servers (AI assist) allowed despite the private-network rule (host names, addresses, CIDRs). */
  aiAllowPrivateHosts: string[];
  /** Base URLs of the messaging providers' APIs (no trailing slash). */
  twilioApiUrl: string;
  metaGraphUrl: string;
  telegramApiUrl: string;
  /** The system mailer of notification emails; both set, or email notifications are off. */
  notificationsSmtpUrl: string | undefined;
  notificationsFrom: string | undefined;
  notificationsEmailBatchSeconds: number;
}

function read(env: NodeJS.ProcessEnv, v: ConfigVariable): string | undefined {
  const raw = env[v.name];
  const value = raw === undefined || raw.trim() === '' ? v.default : raw.trim();
  if (value === undefined) return undefined;
  switch (v.kind) {
    case 'port': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(v.name, `expected a port number 0-65535, got "${value}"`);
      return value;
    }
    case 'integer': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new ConfigError(v.name, `expected a positive whole number, got "${value}"`);
      return value;
    }
    case 'boolean':
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(value.toLowerCase())) throw new ConfigError(v.name, `expected true or false, got "${value}"`);
      return value.toLowerCase();
    case 'enum':
      if (!v.values!.includes(value)) throw new ConfigError(v.name, `expected one of ${v.values!.join(', ')}, got "${value}"`);
      return value;
    case 'url': {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new ConfigError(v.name, `expected a URL like ${v.protocols?.[0] ?? 'https:'}//…, got something that is not a URL`);
      }
      if (v.protocols && !v.protocols.includes(url.protocol)) {
        throw new ConfigError(v.name, `expected a ${v.protocols.map((p) => p.replace(':', '://')).join(' or ')} URL, got ${url.protocol}//…`);
      }
      return value;
    }
    default:
      return value;
  }
}

const truthy = (s: string | undefined) => s === 'true' || s === '1' || s === 'yes';

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = (name: string) => read(env, configVariables.find((v) => v.name === name)!);
  const port = Number(get('PORT'));
  const publicUrl = (get('PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: get('HOST')!,
    publicUrl,
    dataDir: path.resolve(get('RAPPORT_DATA_DIR')!),
    databaseUrl: get('DATABASE_URL'),
    databasePoolSize: Number(get('DATABASE_POOL_SIZE')),
    redisUrl: get('REDIS_URL'),
    secretKey: get('RAPPORT_SECRET_KEY'),
    redisPrefix: get('REDIS_PREFIX')!,
    seedDemo: truthy(get('RAPPORT_SEED_DEMO')),
    trustProxy: (get('TRUST_PROXY') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: get('LOG_LEVEL')!,
    sessionTtlDays: Number(get('SESSION_TTL_DAYS')),
    attachmentMaxBytes: Number(get('ATTACHMENT_MAX_MB')) * 1024 * 1024,
    storageQuotaBytes: Number(get('WORKSPACE_STORAGE_QUOTA_MB')) * 1024 * 1024,
    loginMaxPerIp: Number(get('LOGIN_MAX_PER_IP')),
    loginMaxFailuresPerAccount: Number(get('LOGIN_MAX_FAILURES_PER_ACCOUNT')),
    emailFetch: truthy(get('EMAIL_FETCH')),
    emailMaxBytes: Number(get('EMAIL_MAX_MB')) * 1024 * 1024,
    smtpReceiverPort: get('SMTP_RECEIVER_PORT') === undefined ? undefined : Number(get('SMTP_RECEIVER_PORT')),
    smtpReceiverHost: get('SMTP_RECEIVER_HOST')!,
    emailForwardDomain: (get('EMAIL_FORWARD_DOMAIN') ?? new URL(publicUrl).hostname).toLowerCase(),
    webhookAllowPrivateHosts: hostList('WEBHOOK_ALLOW_PRIVATE_HOSTS', get('WEBHOOK_ALLOW_PRIVATE_HOSTS')),
    aiAllowPrivateHosts: hostList('AI_ALLOW_PRIVATE_HOSTS', get('AI_ALLOW_PRIVATE_HOSTS')),
    twilioApiUrl: get('TWILIO_API_URL')!.replace(/\/+$/, ''),
    metaGraphUrl: get('META_GRAPH_URL')!.replace(/\/+$/, ''),
    telegramApiUrl: get('TELEGRAM_API_URL')!.replace(/\/+$/, ''),
    ...notificationMailer(get('NOTIFICATIONS_SMTP_URL'), get('NOTIFICATIONS_FROM')),
    notificationsEmailBatchSeconds: Number(get('NOTIFICATIONS_EMAIL_BATCH_SECONDS')),
  };
}

/** The notification mailer is both variables or neither; the sender is one plain address (it goes into a header). */
function notificationMailer(url: string | undefined, from: string | undefined): { notificationsSmtpUrl: string | undefined; notificationsFrom: string | undefined } {
  if (url && !from) throw new ConfigError('NOTIFICATIONS_FROM', 'set the sender address of notification emails too, such as rapport@example.com');
  if (from && !url) throw new ConfigError('NOTIFICATIONS_SMTP_URL', 'set the SMTP server that sends notification emails too, or unset NOTIFICATIONS_FROM');
  if (from && !/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(from)) throw new ConfigError('NOTIFICATIONS_FROM', `expected a plain address such as rapport@example.com, got "${from}"`);
  return { notificationsSmtpUrl: url, notificationsFrom: from?.toLowerCase() };
}

/** A list of host names, IP addresses and CIDRs; anything else names the variable and the entry. */
function hostList(variable: string, value: string | undefined): string[] {
  const entries = (value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const entry of entries) {
    const ok = ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry) || /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry);
    if (!ok) throw new ConfigError(variable, `expected host names, IP addresses or CIDRs such as 10.0.0.0/8, got "${entry}"`);
  }
  return entries;
}

/** RAPPORT_SECRET_KEY, or a key kept in the data folder (made on first use, readable by us only). */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): string {
  if (config.secretKey) {
    if (config.secretKey.length < 32) throw new ConfigError('RAPPORT_SECRET_KEY', 'expected at least 32 characters of random text');
    return config.secretKey;
  }
  const file = path.join(config.dataDir, 'secret.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const key = randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
      return key;
    } catch {
      return fs.readFileSync(file, 'utf8').trim(); // another process made it first
    }
  }
}

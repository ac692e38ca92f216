/**
 * A messaging inbox's settings: the provider's fields (checked against its setup form), the secret
 * ones sealed in channel_secrets and never answered, the generated ones (a verify token, a secret
 * token) made once, and the webhook URL to paste at the provider.
 */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../core/context.js';
import type { SecretBox } from '../../../core/crypto-box.js';
import { scoped, unscoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { Nullable } from '../../../core/http/schema.js';
import { setConnection } from '../connection.js';
import { providerOf } from './providers.js';
import { isMessagingChannel, type MessagingChannel, type Provider, type ProviderInbox } from './provider.js';

export const ProviderSettingsInput = Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 2000 }), {
  description: "The provider's fields (GET /api/v1/channels lists them per channel); a secret left out of a PATCH keeps the stored one",
});

export const MessagingInboxFields = {
  provider_settings: Nullable(Type.Record(Type.String(), Type.String(), { description: 'The settings of a messaging inbox, without its secrets' })),
  secrets_set: Nullable(Type.Array(Type.String(), { description: 'Which secret settings are stored (they are never answered)' })),
  inbound_webhook_url: Nullable(Type.String({ description: 'The URL to paste at the provider as its webhook (messaging and phone inboxes)' })),
};

export const webhookUrlOf = (ctx: AppContext, channel: string, key: string) => `${ctx.config.publicUrl}/webhooks/${channel}/${key}`;

interface Row {
  channel: string;
  channel_config: Record<string, unknown>;
  channel_secrets: string | null;
  inbound_key: string | null;
}

const openSecrets = (box: SecretBox, sealed: string | null): Record<string, string> => (sealed ? (JSON.parse(box.open(sealed)) as Record<string, string>) : {});

export function presentMessagingInbox(ctx: AppContext, row: Row) {
  if (!isMessagingChannel(row.channel) || !row.inbound_key) return { provider_settings: null, secrets_set: null, inbound_webhook_url: null };
  const secrets = openSecrets(ctx.box, row.channel_secrets);
  return {
    provider_settings: Object.fromEntries(Object.entries(row.channel_config).map(([k, v]) => [k, String(v)])),
    secrets_set: Object.keys(secrets).filter((k) => secrets[k]),
    inbound_webhook_url: webhookUrlOf(ctx, row.channel, row.inbound_key),
  };
}

interface Checked {
  config: Record<string, string>;
  secrets: Record<string, string>;
}

/**
 * The settings as they will be stored, merged over the current ones, or every problem at once.
 * Generated fields are made when missing and never taken from the request.
 */
export function checkSettings(provider: Provider, input: Record<string, string>, current: Checked = { config: {}, secrets: {} }): Checked {
  const problems: Array<{ field: string; message: string }> = [];
  const known = new Set(provider.fields.map((f) => f.name));
  for (const name of Object.keys(input)) if (!known.has(name)) problems.push({ field: `settings.${name}`, message: `is not a setting of ${provider.label}` });
  const out: Checked = { config: { ...current.config }, secrets: { ...current.secrets } };
  for (const field of provider.fields) {
    const target = field.secret ? out.secrets : out.config;
    if (field.generated) {
      target[field.name] ||= randomBytes(24).toString('base64url');
      continue;
    }
    const given = input[field.name]?.trim();
    if (given !== undefined && given !== '') {
      if (field.pattern && !new RegExp(field.pattern).test(given)) {
        problems.push({ field: `settings.${field.name}`, message: field.problem ?? 'is not in the expected form' });
        continue;
      }
      target[field.name] = given;
    } else if (given === '' && field.optional) delete target[field.name];
    if (!field.optional && !target[field.name]) problems.push({ field: `settings.${field.name}`, message: 'is required' });
  }
  for (const group of new Set(provider.fields.map((f) => f.oneOf).filter(Boolean))) {
    const alternatives = provider.fields.filter((f) => f.oneOf === group);
    if (alternatives.some((f) => (f.secret ? out.secrets : out.config)[f.name])) continue;
    if (alternatives.some((f) => problems.some((p) => p.field === `settings.${f.name}`))) continue;
    const [first, ...others] = alternatives;
    problems.push({ field: `settings.${first.name}`, message: `is required (or ${others.map((f) => `settings.${f.name}`).join(' or ')})` });
  }
  if (problems.length) throw new AppError('validation_failed', `Invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);
  return out;
}

export function newMessagingColumns(ctx: AppContext, channel: MessagingChannel, input: Record<string, string>) {
  const checked = checkSettings(providerOf(channel), input);
  return {
    channel_config: JSON.stringify(checked.config),
    channel_secrets: ctx.box.seal(JSON.stringify(checked.secrets)),
    inbound_key: `in_${randomBytes(18).toString('base64url')}`,
  };
}

export function changedMessagingColumns(ctx: AppContext, row: Row, input: Record<string, string>) {
  if (!isMessagingChannel(row.channel)) throw new AppError('validation_failed', 'Only messaging inboxes have provider settings.', [{ field: 'settings', message: 'only for SMS, WhatsApp, Messenger, Instagram and Telegram inboxes' }]);
  const current = { config: Object.fromEntries(Object.entries(row.channel_config).map(([k, v]) => [k, String(v)])), secrets: openSecrets(ctx.box, row.channel_secrets) };
  const checked = checkSettings(providerOf(row.channel), input, current);
  return { channel_config: JSON.stringify(checked.config), channel_secrets: ctx.box.seal(JSON.stringify(checked.secrets)), connection_status: 'unknown' as const, connection_error: null, connection_checked_at: null };
}

/** The inbox with its settings and opened secrets, for the sender; or by its webhook key (the one unscoped lookup: the key names the workspace). */
export async function loadProviderInbox(ctx: AppContext, where: { accountId: string; inboxId: string } | { channel: string; inboundKey: string }): Promise<ProviderInbox | undefined> {
  const base = 'accountId' in where ? scoped(ctx.db, where.accountId).selectFrom('inboxes').where('id', '=', where.inboxId) : unscoped(ctx.db).selectFrom('inboxes').where('inbound_key', '=', where.inboundKey).where('channel', '=', where.channel);
  const row = await base.select(['id', 'account_id', 'name', 'channel', 'inbound_key', 'channel_config', 'channel_secrets']).executeTakeFirst();
  if (!row || !row.inbound_key || !isMessagingChannel(row.channel)) return undefined;
  const settings = { ...Object.fromEntries(Object.entries(row.channel_config).map(([k, v]) => [k, String(v)])), ...openSecrets(ctx.box, row.channel_secrets) };
  return { id: row.id, account_id: row.account_id, name: row.name, channel: row.channel, inbound_key: row.inbound_key, settings };
}

/** The settings to try: the form's, with secrets left out taken from the stored inbox. */
export async function settingsToTest(ctx: AppContext, accountId: string, channel: MessagingChannel, input: Record<string, string>, inboxId?: string): Promise<Record<string, string>> {
  const stored = inboxId ? await loadProviderInbox(ctx, { accountId, inboxId }) : undefined;
  if (inboxId && (!stored || stored.channel !== channel)) throw new AppError('not_found', 'Inbox not found.');
  const merged = { ...(stored?.settings ?? {}) };
  for (const [k, v] of Object.entries(input)) if (v.trim()) merged[k] = v.trim();
  return merged;
}

/** After saving: tells the provider where to post (where it needs telling), and records how that went. */
export async function connectInbox(ctx: AppContext, accountId: string, inboxId: string): Promise<void> {
  const inbox = await loadProviderInbox(ctx, { accountId, inboxId });
  if (!inbox) return;
  const provider = providerOf(inbox.channel);
  if (!provider.connect) return;
  try {
    await provider.connect(ctx, inbox, webhookUrlOf(ctx, inbox.channel, inbox.inbound_key));
    await setConnection(ctx, accountId, inbox.id, 'ok', null, 'provider');
  } catch (err) {
    await setConnection(ctx, accountId, inbox.id, 'failing', (err as Error).message, 'provider');
  }
}

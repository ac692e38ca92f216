/**
 * What an API inbox adds to an inbox: the webhook its replies go to and the secret that signs
 * them (sealed in channel_secrets; shown to admins, so the receiver can verify, and it is the very
 * secret that signs: SECURITY 20). Used by the inbox routes.
 */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../core/context.js';
import type { SecretBox } from '../../../core/crypto-box.js';
import { AppError } from '../../../core/errors.js';
import { Nullable, Timestamp } from '../../../core/http/schema.js';
import { allowListOf, checkWebhookUrl, MAX_WEBHOOK_URL } from './webhook-target.js';

export const WebhookUrlField = Type.String({ minLength: 1, maxLength: MAX_WEBHOOK_URL, description: 'Where agents’ replies are POSTed: a public https:// URL' });

/** The fields an inbox answer has for the API channel (null or absent on other channels). */
export const ApiInboxFields = {
  webhook_url: Nullable(Type.String({ description: 'Where agents’ replies are POSTed (API inboxes)' })),
  webhook_secret: Type.Optional(Type.String({ description: 'Signs every webhook: X-Rapport-Signature is sha256=hex(HMAC-SHA256(secret, id + "." + timestamp + "." + body)); admins only' })),
  webhook_disabled_at: Nullable(Timestamp),
};

const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The secret that signs an API inbox's webhooks, from its sealed channel secrets. */
export function webhookSecretOf(box: SecretBox, sealed: string | null): string | null {
  if (!sealed) return null;
  const secret = (JSON.parse(box.open(sealed)) as { webhook_secret?: unknown }).webhook_secret;
  return typeof secret === 'string' ? secret : null;
}

const sealSecret = (box: SecretBox, secret: string) => box.seal(JSON.stringify({ webhook_secret: secret }));

/** A webhook URL checked as it will be used (public target, https), or a 422 naming the field. */
export async function checkedWebhookUrl(ctx: AppContext, raw: string): Promise<string> {
  const checked = await checkWebhookUrl(raw, allowListOf(ctx.config.webhookAllowPrivateHosts));
  if (!checked.ok) throw new AppError('invalid_webhook_url', `The webhook URL ${checked.message}.`, [{ field: 'webhook_url', message: checked.message }]);
  return checked.url;
}

/**
 * The columns of a (re)saved webhook URL. Saving it again switches a disabled webhook back on and
 * forgets the old failures: an admin looked at it.
 */
export const webhookUrlColumns = (url: string) => ({
  webhook_url: url,
  webhook_disabled_at: null,
  webhook_failures: 0,
  connection_status: 'unknown' as const,
  connection_error: null,
  connection_part: null,
  connection_checked_at: null,
});

/** The columns of a new API inbox: its webhook (already checked) and a fresh secret. */
export const newApiInboxColumns = (box: SecretBox, url: string) => ({ ...webhookUrlColumns(url), channel_secrets: sealSecret(box, newWebhookSecret()) });

/** A new signing secret; the old one stops signing at once. */
export const rotatedSecretColumns = (box: SecretBox) => ({ channel_secrets: sealSecret(box, newWebhookSecret()) });

interface ApiInboxRow {
  channel: string;
  webhook_url: string | null;
  webhook_disabled_at: Date | null;
  channel_secrets: string | null;
}

export function presentApiInbox(box: SecretBox, row: ApiInboxRow, admin: boolean) {
  if (row.channel !== 'api') return { webhook_url: null, webhook_disabled_at: null };
  const secret = admin ? webhookSecretOf(box, row.channel_secrets) : null;
  return { webhook_url: row.webhook_url, webhook_disabled_at: row.webhook_disabled_at?.toISOString() ?? null, ...(secret ? { webhook_secret: secret } : {}) };
}

/**
 * A workspace's AI assist endpoint: an OpenAI-compatible base URL, a model and an API key (sealed
 * with RAPPORT_SECRET_KEY, never shown again). Off by default; with nothing configured every
 * feature that could use it works without it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { allowListOf } from '../channels/api/webhook-target.js';
import { chatCompletion, type ChatMessage, type ChatResult, type LlmEndpoint } from './llm-client.js';

type Executor = Kysely<DB> | Transaction<DB>;

export interface AiSettingsView {
  enabled: boolean;
  base_url: string;
  model: string;
  api_key_set: boolean;
}

export async function aiSettingsOf(db: Executor, accountId: string): Promise<AiSettingsView> {
  const row = await scoped(db, accountId).selectFrom('ai_settings').select(['enabled', 'base_url', 'model', 'api_key_sealed']).executeTakeFirst();
  return { enabled: row?.enabled ?? false, base_url: row?.base_url ?? '', model: row?.model ?? '', api_key_set: Boolean(row?.api_key_sealed) };
}

/** The endpoint to call, or null when AI assist is off or not fully configured. */
export async function aiEndpointOf(db: Executor, ctx: Pick<AppContext, 'box'>, accountId: string): Promise<LlmEndpoint | null> {
  const row = await scoped(db, accountId).selectFrom('ai_settings').select(['enabled', 'base_url', 'model', 'api_key_sealed']).executeTakeFirst();
  if (!row?.enabled || !row.base_url || !row.model) return null;
  let apiKey: string | null;
  try {
    apiKey = row.api_key_sealed ? ctx.box.open(row.api_key_sealed) : null;
  } catch {
    // Sealed with another RAPPORT_SECRET_KEY: as good as not configured.
    return null;
  }
  return { baseUrl: row.base_url, model: row.model, apiKey };
}

/** One chat completion through the workspace's endpoint, under the server's allow list. */
export function complete(ctx: Pick<AppContext, 'config'>, endpoint: LlmEndpoint, messages: ChatMessage[], maxTokens?: number): Promise<ChatResult> {
  return chatCompletion({ ...endpoint, messages, maxTokens, allow: allowListOf(ctx.config.aiAllowPrivateHosts) });
}

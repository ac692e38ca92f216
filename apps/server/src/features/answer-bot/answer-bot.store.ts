/** The answer bot's settings per inbox and its state per conversation, read and written scoped to the workspace. */
import type { Kysely, Transaction } from 'kysely';
import type { AnswerBotState, DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { BotWords } from './replies.js';
import { ANSWER_THRESHOLD } from '../kb/retrieval.js';

type Executor = Kysely<DB> | Transaction<DB>;

export interface BotSettings {
  inbox_id: string;
  enabled: boolean;
  threshold: number;
  bot_name: string;
  handover_message: string;
  generative: boolean;
}

export const DEFAULT_THRESHOLD = ANSWER_THRESHOLD;

/** An inbox's saved bot settings; undefined when the inbox never had a bot. */
export function savedBotSettings(db: Executor, accountId: string, inboxId: string): Promise<BotSettings | undefined> {
  return scoped(db, accountId).selectFrom('answer_bot_settings').select(['inbox_id', 'enabled', 'threshold', 'bot_name', 'handover_message', 'generative']).where('inbox_id', '=', inboxId).executeTakeFirst();
}

/** An inbox's bot settings, or the defaults (off) when none were saved. */
export async function botSettingsOf(db: Executor, accountId: string, inboxId: string): Promise<BotSettings> {
  return (await savedBotSettings(db, accountId, inboxId)) ?? { inbox_id: inboxId, enabled: false, threshold: DEFAULT_THRESHOLD, bot_name: 'Answer bot', handover_message: '', generative: false };
}

/** The admin's handover message, else the bot's own in the customer's language. */
export const handoverMessageOf = (s: BotSettings, words: BotWords) => s.handover_message.trim() || words.handover;

export async function botStateOf(db: Executor, accountId: string, conversationId: string) {
  return scoped(db, accountId)
    .selectFrom('answer_bot_conversations')
    .select(['state', 'awaiting_article_id', 'awaiting_locale', 'question', 'answers', 'handover_reason'])
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
}

export async function setBotState(
  db: Executor,
  accountId: string,
  conversationId: string,
  to: { state: AnswerBotState; awaiting_article_id?: string | null; awaiting_locale?: string | null; question?: string; answers?: number; handover_reason?: string | null },
): Promise<void> {
  const values = { state: to.state, awaiting_article_id: to.awaiting_article_id ?? null, awaiting_locale: to.awaiting_locale ?? null, handover_reason: to.handover_reason ?? null, updated_at: new Date(), ...(to.question !== undefined ? { question: to.question.slice(0, 2000) } : {}), ...(to.answers !== undefined ? { answers: to.answers } : {}) };
  await scoped(db, accountId)
    .insertInto('answer_bot_conversations', { conversation_id: conversationId, ...values })
    .onConflict((oc) => oc.columns(['account_id', 'conversation_id']).doUpdateSet(values))
    .execute();
}

/**
 * True while the bot is handling the conversation: routing leaves it alone until the bot hands it
 * over (or a person takes it, which the bot notices on the next message).
 */
export async function botHolds(db: Executor, accountId: string, conversationId: string): Promise<boolean> {
  const row = await scoped(db, accountId).selectFrom('answer_bot_conversations').select('state').where('conversation_id', '=', conversationId).executeTakeFirst();
  return botHoldsIn(row?.state);
}

/** The same, for a caller that read the bot's state with the conversation (routing). */
export const botHoldsIn = (state: string | null | undefined): boolean => state === 'answering';

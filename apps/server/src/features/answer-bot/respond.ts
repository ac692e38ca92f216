/**
 * What the answer bot does with one customer message, inside the transaction that holds the
 * conversation: answer from the best published public article (quoted, cited with its link, and
 * "did that answer your question?"), thank and resolve on "yes", or hand over to a person — when
 * asked, after an unhelpful answer, or when retrieval is not sure (it never guesses). The bot's
 * messages are ordinary outgoing messages (author: nobody in particular, `content_attributes.bot`
 * naming the bot), so they reach the customer on any channel through the normal delivery path
 * and stay in the thread for the agent who takes over.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { JobName } from '../../core/jobs.js';
import { queueDelivery, queueOf, sendsReplies } from '../channels/deliveries.js';
import { applyConversationChanges, systemActor } from '../conversations/commands/update-conversation.js';
import { insertMessage } from '../conversations/commands/post-message.js';
import { recordAnswered } from '../kb/feedback.js';
import { articleUrl, helpCenterOf } from '../kb/help-center-address.js';
import { markdownToText } from '../kb/markdown.js';
import type { ArticleHit } from '../kb/retrieval.js';
import { handoverMessageOf, setBotState, type BotSettings } from './answer-bot.store.js';
import { answerText, quote, wordsFor } from './replies.js';

export interface BotConversation {
  id: string;
  accountId: string;
  inboxId: string;
  channel: string;
  /** The customer's language, as the chat learnt it: the bot speaks it when it can. */
  language?: string;
}

export type HandoverReason = 'asked' | 'unhelpful' | 'unsure' | 'limit' | 'no text';

const REASON_WORDS: Record<HandoverReason, string> = {
  asked: 'the customer asked for a person',
  unhelpful: 'the customer said the answer did not help',
  unsure: 'no article answered the question well enough',
  limit: 'the customer kept asking after several answers',
  'no text': 'the customer sent something other than text',
};

/** Writes one of the bot's messages (sent through the channel's queue where the channel sends), answering the queue to wake. */
export async function botSays(
  trx: Transaction<DB>,
  ctx: AppContext,
  c: BotConversation,
  settings: BotSettings,
  content: string,
  extra: { quick_replies?: string[]; citation?: { article_id: string; title: string; url: string } | null } = {},
): Promise<JobName | undefined> {
  const outbound = sendsReplies(c.channel);
  const message = await insertMessage(trx, c.accountId, {
    conversationId: c.id,
    content,
    author: { type: 'system' },
    kind: 'text',
    ...(outbound ? { status: 'pending' as const } : {}),
    contentAttributes: { bot: { name: settings.bot_name, quick_replies: extra.quick_replies ?? [], citation: extra.citation ?? null } },
  });
  if (!outbound) return undefined;
  await queueDelivery(ctx, trx, c.channel, { accountId: c.accountId, messageId: message.id });
  return queueOf(c.channel);
}

/**
 * Hands the conversation to the team: tells the customer, leaves a line for the agents saying
 * why, and lets go (routing, which runs after the bot on the same event, then assigns it).
 */
export async function handOver(trx: Transaction<DB>, ctx: AppContext, c: BotConversation, settings: BotSettings, reason: HandoverReason): Promise<JobName | undefined> {
  const words = wordsFor(c.language);
  const queue = await botSays(trx, ctx, c, settings, reason === 'unsure' ? `${words.unsure} ${handoverMessageOf(settings, words)}` : handoverMessageOf(settings, words));
  await insertMessage(trx, c.accountId, { conversationId: c.id, content: `${settings.bot_name} handed the conversation to the team: ${REASON_WORDS[reason]}`, author: { type: 'system' } });
  await setBotState(trx, c.accountId, c.id, { state: 'handed_over', handover_reason: reason });
  return queue;
}

/** The cited article's public address. */
export async function citationOf(trx: Transaction<DB>, ctx: AppContext, accountId: string, hit: Pick<ArticleHit, 'article_id' | 'slug' | 'locale' | 'title'>) {
  const hc = await helpCenterOf(trx, accountId);
  return { article_id: hit.article_id, title: hit.title, url: articleUrl(ctx.config.publicUrl, hc, hit.locale, { id: hit.article_id, slug: hit.slug }) };
}

/** Answers with an article: `text` is the model's wording, else the passage is quoted as plain text (never its markup). */
export async function answerWith(trx: Transaction<DB>, ctx: AppContext, c: BotConversation, settings: BotSettings, hit: ArticleHit, question: string, answers: number, text?: string): Promise<JobName | undefined> {
  const citation = await citationOf(trx, ctx, c.accountId, hit);
  const words = wordsFor(c.language);
  const queue = await botSays(trx, ctx, c, settings, answerText({ text: text ?? quote(markdownToText(hit.passage)), title: citation.title, url: citation.url }, words), { quick_replies: [words.yes, words.no], citation });
  await setBotState(trx, c.accountId, c.id, { state: 'answering', awaiting_article_id: hit.article_id, awaiting_locale: hit.locale, question, answers: answers + 1 });
  return queue;
}

/** "Yes, that helped": learnt and counted as a deflection; the bot thanks and resolves the conversation. */
export async function helped(trx: Transaction<DB>, ctx: AppContext, c: BotConversation, settings: BotSettings, state: { awaiting_article_id: string; awaiting_locale: string | null; question: string }): Promise<JobName | undefined> {
  await recordAnswered(trx, c.accountId, { articleId: state.awaiting_article_id, question: state.question, locale: state.awaiting_locale ?? undefined, helped: true, deflected: true });
  const queue = await botSays(trx, ctx, c, settings, wordsFor(c.language).thanks);
  await setBotState(trx, c.accountId, c.id, { state: 'resolved', question: '' });
  const open = await scoped(trx, c.accountId).selectFrom('conversations').select('status').where('id', '=', c.id).executeTakeFirst();
  if (open?.status === 'open' || open?.status === 'pending') await applyConversationChanges(trx, systemActor(c.accountId, settings.bot_name), c.id, { status: 'resolved' });
  return queue;
}

/** "No": learnt as an answer that did not help for this question. */
export async function notHelped(trx: Transaction<DB>, accountId: string, state: { awaiting_article_id: string; awaiting_locale: string | null; question: string }): Promise<void> {
  await recordAnswered(trx, accountId, { articleId: state.awaiting_article_id, question: state.question, locale: state.awaiting_locale ?? undefined, helped: false, deflected: false });
}

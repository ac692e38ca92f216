/**
 * The answer bot as a reactor (core/reactions.ts): each customer message in a bot-enabled inbox
 * is read once, in the transaction that claims its event, so the bot answers exactly once per
 * message even with several dispatchers (answer_bot_turns, keyed by the message, makes a second
 * look a no-op too). It runs before routing (features/reactors.ts): on the message that starts a
 * conversation the bot takes it first and routing leaves it alone; on the message that hands it
 * over routing assigns it at once.
 *
 * A phrased (generative) answer needs a call to the model, which a reactor never makes in its
 * transaction: the bot queues an `answer-bot.generate` job instead (answer-bot.jobs.ts).
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { JobName } from '../../core/jobs.js';
import type { Reactor } from '../../core/reactions.js';
import { checkTextReply } from '../channels/messaging/providers.js';
import { recordSearch } from '../kb/feedback.js';
import { findArticles } from '../kb/retrieval.js';
import { aiEndpointOf } from '../ai/ai.store.js';
import { botSettingsOf, botStateOf, savedBotSettings, setBotState, type BotSettings } from './answer-bot.store.js';
import { intentOf } from './replies.js';
import { answerWith, handOver, helped, notHelped, type BotConversation } from './respond.js';

/** After this many answers in a row the bot stops answering and gets a person. */
export const MAX_ANSWERS = 3;

type EventMessage = { id?: string; direction?: string; private?: boolean; kind?: string; content?: string };

/** The customer's language as the chat learnt it ('de-AT' → 'de'), if known. */
function languageOf(attributes: unknown): string | undefined {
  const language = (attributes as { last_context?: { language?: unknown } } | null)?.last_context?.language;
  return typeof language === 'string' && language ? language.split('-')[0].toLowerCase() : undefined;
}

export async function answerMessage(
  trx: Transaction<DB>,
  ctx: AppContext,
  accountId: string,
  inboxId: string,
  conversationId: string,
  message: { id: string; content: string },
  known?: BotSettings,
): Promise<JobName[]> {
  const ws = scoped(trx, accountId);
  const settings = known ?? (await botSettingsOf(trx, accountId, inboxId));
  if (!settings.enabled) {
    // Switched off while it held conversations: they go back to routing as the customer writes.
    await ws.updateTable('answer_bot_conversations').set({ state: 'handed_over', handover_reason: 'off', updated_at: new Date() }).where('conversation_id', '=', conversationId).where('state', '=', 'answering').execute();
    return [];
  }
  const turn = await ws.insertInto('answer_bot_turns', { message_id: message.id, conversation_id: conversationId, outcome: 'read' }).onConflict((oc) => oc.doNothing()).returning('message_id').executeTakeFirst();
  if (!turn) return [];
  await ws.selectFrom('conversations').select('id').where('id', '=', conversationId).forUpdate().execute();
  const conversation = await ws
    .selectFrom('conversations')
    .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
    .innerJoin('contacts as ct', (j) => j.onRef('ct.id', '=', 'conversations.contact_id').onRef('ct.account_id', '=', 'conversations.account_id'))
    .select(['conversations.assignee_id', 'conversations.first_response_at', 'conversations.status', 'i.channel', 'ct.attributes'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation) return [];
  const state = await botStateOf(trx, accountId, conversationId);
  const outcome = (o: string) => ws.updateTable('answer_bot_turns').set({ outcome: o }).where('message_id', '=', message.id).execute();
  if (state?.state === 'handed_over') {
    await outcome('handed over earlier');
    return [];
  }
  // A person has taken the conversation (assigned it, or replied): the bot steps back quietly.
  if (conversation.assignee_id || conversation.first_response_at) {
    if (state) await setBotState(trx, accountId, conversationId, { state: 'handed_over', handover_reason: 'agent' });
    await outcome('a person has it');
    return [];
  }
  try {
    checkTextReply(conversation.channel);
  } catch {
    // A channel without written replies (phone): nothing for a bot to say.
    return [];
  }
  const locale = languageOf(conversation.attributes);
  const c: BotConversation = { id: conversationId, accountId, inboxId, channel: conversation.channel, language: locale };
  const awaiting = state?.state === 'answering' && state.awaiting_article_id ? { awaiting_article_id: state.awaiting_article_id, awaiting_locale: state.awaiting_locale, question: state.question } : null;
  const intent = intentOf(message.content, awaiting !== null);
  const queues: Array<JobName | undefined> = [];
  if (!message.content.trim()) {
    // A file or a picture: nothing to look up, and nothing to guess at.
    queues.push(await handOver(trx, ctx, c, settings, 'no text'));
  } else if (intent === 'person') {
    if (awaiting) await notHelped(trx, accountId, awaiting);
    queues.push(await handOver(trx, ctx, c, settings, 'asked'));
  } else if (intent === 'no' && awaiting) {
    await notHelped(trx, accountId, awaiting);
    queues.push(await handOver(trx, ctx, c, settings, 'unhelpful'));
  } else if (intent === 'yes' && awaiting) {
    queues.push(await helped(trx, ctx, c, settings, awaiting));
  } else {
    const answers = state?.state === 'answering' ? state.answers : 0;
    if (answers >= MAX_ANSWERS) {
      queues.push(await handOver(trx, ctx, c, settings, 'limit'));
    } else {
      const question = message.content.trim();
      const hits = await findArticles(trx, accountId, { q: question, locale, audience: 'public', limit: 3 });
      await recordSearch(trx, accountId, { q: question, locale, source: 'bot', results: hits.length });
      const best = hits[0];
      if (!best || best.score < settings.threshold) {
        queues.push(await handOver(trx, ctx, c, settings, 'unsure'));
      } else if (settings.generative && (await aiEndpointOf(trx, ctx, accountId))) {
        // Held while the model phrases the answer; the job writes it (or the quoted passage if the model fails).
        await setBotState(trx, accountId, conversationId, { state: 'answering', question, answers });
        await outcome('generating');
        const confident = hits.filter((h) => h.score >= settings.threshold);
        await ctx.jobs.send('answer-bot.generate', { accountId, inboxId, conversationId, messageId: message.id, question, language: locale, hits: confident }, { id: message.id, trx });
        return ['answer-bot.generate'];
      } else {
        queues.push(await answerWith(trx, ctx, c, settings, best, question, answers));
      }
    }
  }
  await outcome(intent);
  return queues.filter((q): q is JobName => q !== undefined);
}

export const answerBotReactor: Reactor = {
  name: 'answer-bot',
  events: ['message.created'],
  async react(trx, ctx, event) {
    const m = event.payload.message as EventMessage | undefined;
    if (!m?.id || m.direction !== 'incoming' || m.private || m.kind !== 'text' || !event.conversationId || !event.inboxId) return;
    // Most inboxes never had a bot: one key lookup and done (and it is the settings the bot then uses).
    const settings = await savedBotSettings(trx, event.accountId, event.inboxId);
    if (!settings) return;
    const queues = await answerMessage(trx, ctx, event.accountId, event.inboxId, event.conversationId, { id: m.id, content: m.content ?? '' }, settings);
    for (const q of new Set(queues)) ctx.jobs.notify(q);
  },
};

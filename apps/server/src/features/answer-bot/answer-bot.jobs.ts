/**
 * The phrased answer (`answer-bot.generate`): the model is asked to answer from the retrieved
 * passages only; its wording replaces the quoted passage, the citation stays. A model that says it
 * does not know makes the bot hand over; a model that fails, times out or is switched off meanwhile
 * leaves the plain quoted answer. The write happens once: the turn moves from 'generating' to
 * 'answered' in the same transaction, and only if the bot still holds the conversation.
 */
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import type { JobHandle, JobName } from '../../core/jobs.js';
import { aiEndpointOf, complete } from '../ai/ai.store.js';
import { answerPrompt, DONT_KNOW } from '../ai/prompts.js';
import { markdownToText } from '../kb/markdown.js';
import type { ArticleHit } from '../kb/retrieval.js';
import { botSettingsOf, botStateOf } from './answer-bot.store.js';
import { answerWith, handOver } from './respond.js';

export interface GenerateJob {
  accountId: string;
  inboxId: string;
  conversationId: string;
  messageId: string;
  question: string;
  /** The customer's language, for the bot's own words. */
  language?: string;
  hits: ArticleHit[];
}

/**
 * The model's answer as the bot may use it: plain text, bounded, and without links (the bot cites
 * the article itself; a link the model wrote could point anywhere); null when nothing is left.
 */
export function usableAnswer(text: string): string | null {
  const plain = text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\b(?:https?|ftp|javascript|data):\S*/gi, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  if (!plain) return null;
  return plain.length > 1500 ? `${plain.slice(0, 1500).trim()} …` : plain;
}

export async function generateAnswer(ctx: AppContext, job: Pick<JobHandle<GenerateJob>, 'data'>, log?: { warn: (o: object, m: string) => void }): Promise<void> {
  const { accountId, inboxId, conversationId, messageId, question, language, hits } = job.data;
  const best = hits[0];
  if (!best) return;
  const endpoint = await aiEndpointOf(ctx.db, ctx, accountId);
  let text: string | undefined;
  let dontKnow = false;
  if (endpoint) {
    const result = await complete(ctx, endpoint, answerPrompt(question, hits.map((h) => ({ title: h.title, text: markdownToText(h.passage) }))), 400);
    if (result.ok) {
      if (result.text.includes(DONT_KNOW)) dontKnow = true;
      else text = usableAnswer(result.text) ?? undefined;
    } else log?.warn({ account_id: accountId, reason: result.reason }, 'the model did not phrase the answer; the bot quotes the article instead');
  }
  let handedOver = false;
  const queues = await ctx.db.transaction().execute(async (trx) => {
    const ws = scoped(trx, accountId);
    const claimed = await ws.updateTable('answer_bot_turns').set({ outcome: dontKnow ? 'model did not know' : text ? 'answered by the model' : 'answered (model unavailable)' }).where('message_id', '=', messageId).where('outcome', '=', 'generating').returning('message_id').executeTakeFirst();
    if (!claimed) return [] as JobName[];
    const conversation = await ws
      .selectFrom('conversations')
      .innerJoin('inboxes as i', (j) => j.onRef('i.id', '=', 'conversations.inbox_id').onRef('i.account_id', '=', 'conversations.account_id'))
      .select(['conversations.assignee_id', 'conversations.first_response_at', 'i.channel'])
      .where('conversations.id', '=', conversationId)
      .forUpdate()
      .executeTakeFirst();
    const state = await botStateOf(trx, accountId, conversationId);
    // Someone took it while the model was thinking, or the bot let go: nothing more to say.
    if (!conversation || conversation.assignee_id || conversation.first_response_at || state?.state !== 'answering') return [];
    const settings = await botSettingsOf(trx, accountId, inboxId);
    const c = { id: conversationId, accountId, inboxId, channel: conversation.channel, language };
    handedOver = dontKnow;
    const queue = dontKnow ? await handOver(trx, ctx, c, settings, 'unsure') : await answerWith(trx, ctx, c, settings, best, question, state.answers, text);
    return queue ? [queue] : [];
  });
  ctx.outbox.kick();
  // Handed to the team here, not on a customer's message that routing reacts to: routed now, not at the next sweep.
  if (handedOver) ctx.routeSoon?.(accountId);
  for (const q of queues) ctx.jobs.notify(q);
}

/** This node's worker of phrased answers. */
export async function startAnswerBotWorker(ctx: AppContext, log?: { warn: (o: object, m: string) => void }): Promise<void> {
  await ctx.jobs.work<GenerateJob>('answer-bot.generate', (job) => generateAnswer(ctx, job, log));
}

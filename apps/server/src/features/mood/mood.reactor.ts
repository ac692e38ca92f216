/**
 * The mood reactor: reads the mood of each customer message after it is written (never on the
 * write path: a message is stored and pushed first, and the model runs in the reactions
 * dispatcher), stores it on the message, and brings the conversation's mood and trend up to date.
 *
 * It runs before the other reactors on the same event, so an automation rule fired by that message
 * already sees the new mood. When the conversation's mood or trend changes it records
 * conversation.updated (changes: mood, mood_trend) so the agents' lists move the conversation and
 * rules with the "mood changed" trigger run; this reactor reacts only to message.created, and
 * nothing a rule does writes a customer message, so no loop can form.
 */
import type { Reactor } from '../../core/reactions.js';
import { scoped } from '../../core/db/tenant.js';
import { recordEvent } from '../../core/outbox.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { presentConversation } from '../conversations/conversations.presenter.js';
import { systemActor } from '../conversations/commands/update-conversation.js';
import { readMood } from './model.js';
import { conversationMood, MOOD_WINDOW } from './aggregate.js';
import { MOOD_TEXT_MAX } from './mood.schema.js';

export const MOOD_ACTOR_NAME = 'Mood';

interface CreatedMessage {
  id?: string;
  direction?: string;
  private?: boolean;
  kind?: string;
  content?: string;
}

export const moodReactor: Reactor = {
  name: 'mood',
  events: ['message.created'],
  async react(trx, _ctx, event) {
    const message = event.payload.message as CreatedMessage | undefined;
    const conversationId = event.conversationId;
    if (!conversationId || !message?.id || message.direction !== 'incoming' || message.private || message.kind !== 'text') return;
    const text = (message.content ?? '').trim();
    if (!text) return;
    const ws = scoped(trx, event.accountId);
    const reading = readMood(text.slice(0, MOOD_TEXT_MAX));
    await ws.updateTable('messages').set({ mood: reading.mood, sentiment: reading.sentiment, language: reading.language }).where('id', '=', message.id).execute();

    const recent = await ws
      .selectFrom('messages')
      .select(['mood', 'sentiment'])
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', 'incoming')
      .where('mood', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(MOOD_WINDOW)
      .execute();
    const current = await ws.selectFrom('conversations').select(['mood', 'mood_trend', 'language', 'inbox_id']).where('id', '=', conversationId).executeTakeFirst();
    if (!current || !recent.length) return;
    const next = conversationMood(recent.map((r) => ({ mood: r.mood!, sentiment: r.sentiment ?? 0 })));
    await ws
      .updateTable('conversations')
      .set({ mood: next.mood, sentiment: next.sentiment, mood_trend: next.trend, language: reading.language ?? current.language, mood_updated_at: new Date() })
      .where('id', '=', conversationId)
      .execute();

    if (current.mood === next.mood && current.mood_trend === next.trend) return;
    const actor = systemActor(event.accountId, MOOD_ACTOR_NAME);
    const updated = await findConversation(trx, actor, conversationId);
    if (!updated) return;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (current.mood !== next.mood) changes.mood = { from: current.mood, to: next.mood };
    if (current.mood_trend !== next.trend) changes.mood_trend = { from: current.mood_trend, to: next.trend };
    await recordEvent(trx, event.accountId, 'conversation.updated', { conversation: presentConversation(updated), changes, actor: { type: 'system', id: null, name: MOOD_ACTOR_NAME } }, { conversationId, inboxId: current.inbox_id });
  },
};

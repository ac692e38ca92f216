/**
 * The reactors that follow every change (core/reactions.ts), in the order they run on each event:
 * the mood of a customer's message is read first, so the rules its message fires see it; then
 * the answer bot reads the message (it holds or hands over the conversation), then
 * routing assigns a new conversation before its SLA is chosen, automation rules see both, and
 * notifications of a new message go to whoever follows or holds the conversation by then.
 */
import type { Reactor } from '../core/reactions.js';
import { moodReactor } from './mood/mood.reactor.js';
import { answerBotReactor } from './answer-bot/answer-bot.reactor.js';
import { routingReactor } from './routing/routing.reactor.js';
import { slaReactor } from './sla/sla.reactor.js';
import { automationReactor } from './automation/engine.js';
import { notificationsReactor } from './notifications/notifications.reactor.js';

export const REACTORS: readonly Reactor[] = [moodReactor, answerBotReactor, routingReactor, slaReactor, automationReactor, notificationsReactor];

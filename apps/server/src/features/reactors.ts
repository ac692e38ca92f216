/**
 * The reactors that follow every change (core/reactions.ts), in the order they run on each event:
 * the answer bot reads a customer's message first (it holds or hands over the conversation),
 * routing assigns a new conversation before its SLA is chosen, automation rules see both, and
 * notifications of a new message go to whoever follows or holds the conversation by then.
 */
import type { Reactor } from '../core/reactions.js';
import { answerBotReactor } from './answer-bot/answer-bot.reactor.js';
import { routingReactor } from './routing/routing.reactor.js';
import { slaReactor } from './sla/sla.reactor.js';
import { automationReactor } from './automation/engine.js';
import { notificationsReactor } from './notifications/notifications.reactor.js';

export const REACTORS: readonly Reactor[] = [answerBotReactor, routingReactor, slaReactor, automationReactor, notificationsReactor];

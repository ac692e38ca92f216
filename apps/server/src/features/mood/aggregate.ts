/**
 * A conversation's mood from its customer's last messages: recent ones count most (each earlier
 * message half as much as the next), and a neutral message ("here is my order number") counts half
 * again, because a fact given in passing does not calm an angry customer. The trend compares that
 * with the same reading before the newest message.
 */
import type { Mood } from './model.js';

export type Trend = 'worsening' | 'improving' | 'steady';

export interface MessageMood {
  mood: Mood;
  sentiment: number;
}

export interface ConversationMood {
  mood: Mood;
  sentiment: number;
  trend: Trend;
}

/** How many of the customer's latest messages are read. */
export const MOOD_WINDOW = 5;
/** A change of the weighted sentiment at least this large is a trend. */
export const TREND_STEP = 0.2;

const round = (n: number) => Math.round(n * 100) / 100;

function weighted(newestFirst: MessageMood[]): { mood: Mood; sentiment: number } {
  const votes = new Map<Mood, number>();
  let sum = 0;
  let total = 0;
  newestFirst.slice(0, MOOD_WINDOW).forEach((m, i) => {
    const w = 0.5 ** i;
    sum += w * m.sentiment;
    total += w;
    votes.set(m.mood, (votes.get(m.mood) ?? 0) + w * (m.mood === 'neutral' ? 0.5 : 1));
  });
  // Ties go to the newest message's mood (the first entry set).
  let mood = newestFirst[0].mood;
  for (const [m, v] of votes) if (v > (votes.get(mood) ?? 0)) mood = m;
  return { mood, sentiment: round(sum / total) };
}

/** The mood of a conversation from its customer's messages, newest first (at least one). */
export function conversationMood(newestFirst: MessageMood[]): ConversationMood {
  const now = weighted(newestFirst);
  if (newestFirst.length < 2) return { ...now, trend: 'steady' };
  const before = weighted(newestFirst.slice(1));
  const delta = now.sentiment - before.sentiment;
  return { ...now, trend: delta <= -TREND_STEP ? 'worsening' : delta >= TREND_STEP ? 'improving' : 'steady' };
}

/** Worst first: the order of the "mood" sort and of "worse than" in automation. */
export const MOOD_SEVERITY: Record<Mood, number> = { happy: 0, neutral: 1, frustrated: 2, angry: 3 };

/** How the conversation list sorts and filters by mood (SQL on `conversations`; values are bound parameters). */
import { sql } from 'kysely';

/**
 * The "mood" sort's key: angriest first, a worsening trend ahead of a steady one in the same mood,
 * then newest activity. Kept a timestamp (the activity moved forward by a thousand years a step of
 * severity) so the one keyset cursor of the list serves this order as it does the others.
 */
export const moodSortKey = sql<Date>`conversations.last_message_at + make_interval(years => 1000 * (
  case conversations.mood when 'angry' then 6 when 'frustrated' then 4 when 'neutral' then 2 when 'happy' then 0 else 1 end
  + case when conversations.mood_trend = 'worsening' then 1 else 0 end))`;

/** Conversations in a mood; "upset": angry, frustrated, or getting worse. */
export function moodCondition(mood: string) {
  if (mood === 'upset') return sql<boolean>`(conversations.mood in ('angry', 'frustrated') or conversations.mood_trend = 'worsening')`;
  return sql<boolean>`conversations.mood = ${mood}`;
}

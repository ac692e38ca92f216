/** Request and response schemas of mood: the fields messages and conversations carry, and the mood of any text. */
import { Type } from '@sinclair/typebox';
import { Nullable, Obj } from '../../core/http/schema.js';

/** The longest text POST /api/v1/mood reads (a long email's first pages say how its writer feels). */
export const MOOD_TEXT_MAX = 10_000;

export const MoodName = Type.Union([Type.Literal('angry'), Type.Literal('frustrated'), Type.Literal('neutral'), Type.Literal('happy')]);
export const MoodTrend = Type.Union([Type.Literal('worsening'), Type.Literal('improving'), Type.Literal('steady')]);
const Sentiment = Type.Number({ minimum: -1, maximum: 1, description: '-1 (angry) … 1 (happy)' });
const Language = Type.String({ description: 'ISO 639-1 code of the language the text is written in' });

/** On a message: what the built-in model read in a customer's message (null on replies, notes and until it is read, a moment after). */
export const MessageMoodFields = {
  mood: Nullable(MoodName),
  sentiment: Nullable(Sentiment),
  language: Nullable(Language),
};

/** On a conversation: the customer's recent messages, the latest counting most, and where it is heading. */
export const ConversationMoodFields = {
  mood: Nullable(MoodName),
  sentiment: Nullable(Sentiment),
  mood_trend: Nullable(MoodTrend),
  language: Nullable(Language),
};

// The length is checked by the handler, so an empty or too long text is refused as 422 invalid_text
// (the text is well-formed, just not one we read) rather than as a malformed request.
export const MoodRequest = Obj({ text: Type.String({ description: `Any text of 1 to ${MOOD_TEXT_MAX} characters, not only spaces` }) });

export const MoodAnswer = Type.Object({
  mood: MoodName,
  sentiment: Sentiment,
  language: Nullable(Type.String({ description: 'ISO 639-1; null when the text is too short or unlike any language known' })),
});

export const ContactMood = Type.Object({
  contact_id: Type.String({ format: 'uuid' }),
  mood: Nullable(MoodName),
  sentiment: Nullable(Type.Number({ description: 'The average over the points (null without any)' })),
  points: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      mood: MoodName,
      sentiment: Sentiment,
      conversation_id: Type.String({ format: 'uuid' }),
    }),
    { description: 'The mood of each of the contact’s messages, oldest first (the latest 200)' },
  ),
});

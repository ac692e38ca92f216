/** Mood: the mood of any text (previews, integrations) and a contact's mood over time. */
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { scoped } from '../../core/db/tenant.js';
import { atLeast } from '../../core/auth/roles.js';
import { readMood } from './model.js';
import { ContactMood, MOOD_TEXT_MAX, MoodAnswer, MoodRequest } from './mood.schema.js';

/** The latest points of a contact's mood the profile shows. */
export const CONTACT_MOOD_POINTS = 200;

export function moodRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/api/v1/mood',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['mood'],
        summary: 'The mood, sentiment and language the built-in model reads in a text (nothing is stored)',
        body: MoodRequest,
        response: { 200: MoodAnswer, ...errors(400, 401, 403, 422) },
      },
    },
    async (request) => {
      member(request);
      const { text } = request.body;
      if (!text.trim()) throw new AppError('invalid_text', 'The text is empty; give some words to read.', [{ field: 'text', message: 'must not be empty' }]);
      if (text.length > MOOD_TEXT_MAX) throw new AppError('invalid_text', `The text is too long: at most ${MOOD_TEXT_MAX} characters.`, [{ field: 'text', message: `must have at most ${MOOD_TEXT_MAX} characters` }]);
      return readMood(text);
    },
  );

  app.get(
    '/api/v1/contacts/:id/mood',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['contacts', 'mood'],
        summary: "The contact's mood over time: each of their messages' mood in the conversations I may see, oldest first",
        params: IdParams,
        response: { 200: ContactMood, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const auth = member(request);
      const ws = scoped(ctx.db, auth.accountId);
      const contact = await ws.selectFrom('contacts').select('id').where('id', '=', request.params.id).executeTakeFirst();
      if (!contact) throw notFound('Contact');
      let q = ws
        .selectFrom('messages')
        .innerJoin('conversations as cv', (j) => j.onRef('cv.id', '=', 'messages.conversation_id').onRef('cv.account_id', '=', 'messages.account_id'))
        .select(['messages.created_at', 'messages.mood', 'messages.sentiment', 'messages.conversation_id'])
        .where('messages.sender_contact_id', '=', contact.id)
        .where('messages.mood', 'is not', null)
        .orderBy('messages.created_at', 'desc')
        .limit(CONTACT_MOOD_POINTS);
      // An agent sees the mood of conversations in the inboxes they work in, as in the list.
      if (!atLeast(auth.role ?? undefined, 'admin')) q = q.where('cv.inbox_id', 'in', ws.selectFrom('inbox_members').select('inbox_members.inbox_id').where('inbox_members.user_id', '=', auth.userId));
      const rows = (await q.execute()).reverse();
      const points = rows.map((r) => ({ at: r.created_at.toISOString(), mood: r.mood!, sentiment: r.sentiment ?? 0, conversation_id: r.conversation_id }));
      const sentiment = points.length ? Math.round((points.reduce((s, p) => s + p.sentiment, 0) / points.length) * 100) / 100 : null;
      // The contact's mood now is their latest message's; the average tells how it has been.
      const latest = points.at(-1)?.mood ?? null;
      return { contact_id: contact.id, mood: latest, sentiment, points };
    },
  );
}

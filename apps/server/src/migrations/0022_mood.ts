/**
 * Mood (features/mood): each customer message's mood, sentiment and language as the mood reactor
 * read them, and each conversation's recency-weighted mood with its trend. Plain nullable columns
 * (adding them rewrites nothing): a message is written without them and the reactor fills them in
 * after, off the write path. The partial indexes serve the contact's mood over time and the
 * "upset first" sort, and stay small because most rows have no mood or a calm one.
 */
export default /* sql */ `
alter table messages add column mood text, add column sentiment real, add column language text;
alter table conversations add column mood text, add column sentiment real, add column mood_trend text, add column language text, add column mood_updated_at timestamptz;

create index messages_contact_mood_idx on messages (account_id, sender_contact_id, created_at) where mood is not null;
create index conversations_upset_idx on conversations (account_id, last_message_at) where mood in ('angry', 'frustrated') or mood_trend = 'worsening';
`;

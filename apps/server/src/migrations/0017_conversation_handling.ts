/**
 * Conversation handling: a conversation merged into another (it stays, closed, pointing at the
 * one that now holds its messages) or split out of one, the teammates who follow a conversation,
 * each person's notifications (in the app, and by email in batches) and their choices of which
 * to get where.
 */
export default /* sql */ `
alter table conversations
  add column merged_into_id uuid references conversations(id) on delete set null,
  add column split_from_id uuid references conversations(id) on delete set null;
create index conversations_merged_into_idx on conversations (merged_into_id) where merged_into_id is not null;
create index conversations_split_from_idx on conversations (split_from_id) where split_from_id is not null;

create table conversation_followers (
  account_id uuid not null references accounts(id) on delete cascade,
  conversation_id uuid not null references conversations(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (conversation_id, user_id)
);
create index conversation_followers_user_idx on conversation_followers (account_id, user_id);

create table notifications (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  kind text not null check (kind in ('assigned', 'mention', 'message', 'generic')),
  conversation_id uuid references conversations(id) on delete cascade,
  title text not null,
  body text not null default '',
  -- How many events this one stands for (new messages in one conversation collect in one notification while it is unread).
  count integer not null default 1,
  -- Shown in the app (the person may want some by email only).
  in_app boolean not null default true,
  read_at timestamptz,
  -- Email: null (not wanted or no mailer), pending until due_at (a batch), sending (claimed by a job), sent or failed.
  email_state text check (email_state in ('pending', 'sending', 'sent', 'failed')),
  email_due_at timestamptz,
  -- The latest outbox events a message notification counts (every node sees each event; it is counted once).
  source_event_ids bigint[] not null default '{}',
  created_at timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
  updated_at timestamptz not null default date_trunc('milliseconds', clock_timestamp())
);
create index notifications_user_idx on notifications (account_id, user_id, updated_at desc, id desc) where in_app;
create index notifications_unread_idx on notifications (account_id, user_id) where in_app and read_at is null;
create index notifications_email_due_idx on notifications (email_due_at) where email_state in ('pending', 'sending');
create unique index notifications_unread_message_key on notifications (user_id, conversation_id) where kind = 'message' and read_at is null;

create table notification_preferences (
  account_id uuid not null references accounts(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  kind text not null check (kind in ('assigned', 'mention', 'message', 'generic')),
  in_app boolean not null,
  email boolean not null,
  primary key (account_id, user_id, kind)
);
`;

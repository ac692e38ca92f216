/**
 * The conversation core every channel shares: web chat inbox settings and who may work an inbox,
 * contact identities, conversation state (tags, snooze, response timestamps, sequence counter),
 * idempotent messages with delivery status and system events, and the outbox that feeds realtime.
 */
export default /* sql */ `
alter table inboxes
  add column widget_key text,
  add column allowed_origins jsonb not null default '[]'::jsonb,
  add column identity_secret text,
  add column greeting text not null default '';
create unique index inboxes_widget_key_key on inboxes (widget_key);

create table inbox_members (
  account_id uuid not null references accounts(id) on delete cascade,
  inbox_id uuid not null references inboxes(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  primary key (inbox_id, user_id)
);
create index inbox_members_account_idx on inbox_members (account_id, user_id);

create table contact_identities (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  contact_id uuid not null references contacts(id) on delete cascade,
  inbox_id uuid references inboxes(id) on delete cascade,
  kind text not null check (kind in ('visitor', 'email', 'phone', 'handle', 'external_id')),
  value text not null,
  verified boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index contact_identities_value_key
  on contact_identities (account_id, kind, value, coalesce(inbox_id, '00000000-0000-0000-0000-000000000000'::uuid));
create index contact_identities_contact_idx on contact_identities (contact_id);

alter table conversations
  add column tags text[] not null default '{}',
  add column snoozed_until timestamptz,
  add column first_response_at timestamptz,
  add column resolved_at timestamptz,
  add column waiting_since timestamptz,
  add column last_seq integer not null default 0;
create index conversations_tags_idx on conversations using gin (tags);
create index conversations_inbox_idx on conversations (account_id, inbox_id, last_message_at desc);
-- Demo rows from 0002 already hold messages: start their counters after them.
update conversations c set last_seq = coalesce((select max(seq) from messages m where m.conversation_id = c.id), 0);

alter table messages
  add column kind text not null default 'text' check (kind in ('text', 'system')),
  add column client_message_id text,
  add column external_id text,
  add column status text not null default 'sent' check (status in ('pending', 'sent', 'delivered', 'read', 'failed')),
  add column content_attributes jsonb not null default '{}'::jsonb;
create unique index messages_client_id_key on messages (conversation_id, client_message_id);
create index messages_conversation_seq_idx on messages (conversation_id, seq);

create table outbox_events (
  id bigint generated always as identity primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  event text not null,
  conversation_id uuid,
  inbox_id uuid,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  published_at timestamptz
);
create index outbox_events_unpublished_idx on outbox_events (id) where published_at is null;
`;

/**
 * The first shape of the conversation model (contacts, inboxes, conversations, messages) so the
 * demo workspace shows living data. The live chat work extends these tables.
 */
export default /* sql */ `
create table contacts (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  name text not null default '',
  email text,
  phone text,
  company text,
  created_at timestamptz not null default date_trunc('milliseconds', clock_timestamp())
);
create index contacts_account_idx on contacts (account_id, created_at desc, id desc);

create table inboxes (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  name text not null,
  channel text not null,
  created_at timestamptz not null default now()
);
create index inboxes_account_idx on inboxes (account_id);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  inbox_id uuid not null references inboxes(id) on delete cascade,
  contact_id uuid not null references contacts(id) on delete cascade,
  subject text not null default '',
  status text not null default 'open' check (status in ('open', 'pending', 'snoozed', 'resolved')),
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  assignee_id uuid references users(id) on delete set null,
  team_id uuid references teams(id) on delete set null,
  unread_count integer not null default 0,
  last_message_at timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
  created_at timestamptz not null default date_trunc('milliseconds', clock_timestamp())
);
create index conversations_account_idx on conversations (account_id, last_message_at desc, id desc);

create table messages (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  conversation_id uuid not null references conversations(id) on delete cascade,
  seq integer not null,
  direction text not null check (direction in ('incoming', 'outgoing')),
  private boolean not null default false,
  content text not null,
  sender_user_id uuid references users(id) on delete set null,
  sender_contact_id uuid references contacts(id) on delete set null,
  created_at timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
  unique (conversation_id, seq)
);
create index messages_account_idx on messages (account_id);
`;

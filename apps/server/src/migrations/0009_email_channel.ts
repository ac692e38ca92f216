/**
 * The email channel: an inbox's mail settings (passwords sealed), the health of its connection,
 * where IMAP fetching resumes, the provider message ids that make ingest idempotent and thread
 * replies, and the addresses that take part in a conversation.
 */
export default /* sql */ `
alter table inboxes
  add column email_address text,
  -- Settings without secrets (imap/smtp host, port, tls, user, mailbox); the passwords are in channel_secrets, sealed.
  add column channel_config jsonb not null default '{}'::jsonb,
  add column channel_secrets text,
  -- A generated address part for mail forwarded to the built-in SMTP receiver (never guessable from the support address).
  add column forward_key text,
  add column connection_status text not null default 'unknown' check (connection_status in ('ok', 'failing', 'unknown')),
  add column connection_error text,
  -- Which server the status is about (imap or smtp): one server's success does not clear the other's failure.
  add column connection_part text,
  add column connection_checked_at timestamptz;
create unique index inboxes_email_address_key on inboxes (account_id, lower(email_address)) where email_address is not null;
create unique index inboxes_forward_key_key on inboxes (forward_key);

-- Where fetching a mailbox resumes after a restart, and which node holds it now (a lease).
create table email_mailboxes (
  inbox_id uuid primary key references inboxes(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  mailbox text not null,
  uid_validity bigint,
  last_uid bigint not null default 0,
  leased_by text,
  lease_until timestamptz,
  updated_at timestamptz not null default now()
);

-- A provider's id for a message (an email's Message-ID, an SMS id), in and out: a second delivery
-- of the same id is dropped, and a reply names the message it answers by it.
create table external_messages (
  account_id uuid not null references accounts(id) on delete cascade,
  inbox_id uuid not null references inboxes(id) on delete cascade,
  external_id text not null,
  conversation_id uuid not null references conversations(id) on delete cascade,
  message_id uuid references messages(id) on delete cascade,
  direction text not null check (direction in ('incoming', 'outgoing')),
  created_at timestamptz not null default now(),
  primary key (inbox_id, external_id)
);
create index external_messages_message_idx on external_messages (message_id);

-- Everyone who may write into a conversation by email (its customer and those copied in).
alter table conversations add column participants text[] not null default '{}';
`;

/**
 * Files sent in conversations. An upload is a handle owned by whoever uploaded it until a message
 * claims it; the bytes live in their own table (in the database, so every node can serve them).
 */
export default /* sql */ `
create table attachments (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  inbox_id uuid not null references inboxes(id) on delete cascade,
  conversation_id uuid references conversations(id) on delete cascade,
  message_id uuid references messages(id) on delete cascade,
  uploaded_by_user_id uuid references users(id) on delete set null,
  uploaded_by_contact_id uuid references contacts(id) on delete cascade,
  file_name text not null,
  content_type text not null,
  byte_size integer not null,
  width integer,
  height integer,
  sha256 text not null,
  created_at timestamptz not null default now()
);
create index attachments_message_idx on attachments (message_id);
create index attachments_account_idx on attachments (account_id, created_at);

create table attachment_blobs (
  attachment_id uuid primary key references attachments(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  data bytea not null
);
`;

/**
 * The API channel: an inbox whose conversations a custom source starts and feeds by API, and whose
 * agent replies go to that source's webhook (the signing secret is sealed in channel_secrets).
 * Requests that made a conversation or a message are kept by their idempotency key, so a retried
 * or doubled request answers what the first one made.
 */
export default /* sql */ `
alter table inboxes
  add column webhook_url text,
  -- The receiver answered 410 Gone, or failed too many replies in a row: nothing is sent until the URL is saved again.
  add column webhook_disabled_at timestamptz,
  add column webhook_failures integer not null default 0;

create table api_idempotency_keys (
  account_id uuid not null references accounts(id) on delete cascade,
  inbox_id uuid not null references inboxes(id) on delete cascade,
  idempotency_key text not null,
  request text not null check (request in ('conversation', 'message')),
  request_hash text not null,
  conversation_id uuid not null references conversations(id) on delete cascade,
  message_id uuid not null references messages(id) on delete cascade,
  created_at timestamptz not null default now(),
  -- Two requests with one key at the same instant: the second insert fails, and it answers the first.
  primary key (inbox_id, idempotency_key)
);
create index api_idempotency_keys_account_idx on api_idempotency_keys (account_id);
create index api_idempotency_keys_conversation_idx on api_idempotency_keys (conversation_id);
`;

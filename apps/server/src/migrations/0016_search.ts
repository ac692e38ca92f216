/**
 * Search: full-text vectors with GIN indexes on messages, conversation subjects and contacts, a
 * per-workspace search language (a text search configuration; 'simple' when the language is not
 * known), saved views of the conversation list, and indexes that keep the list's first page quick
 * for every filter and sort.
 *
 * Messages and subjects are stemmed in the workspace's language, so their vectors are kept by a
 * trigger (a generated column cannot read the workspace). The trigger does one primary-key probe
 * and skips system lines, which keeps the message writer's statement cheap. Contacts (names,
 * addresses, numbers) are never stemmed: a generated column with 'simple', where an address also
 * counts as its parts and a number as its digits.
 */
export default /* sql */ `
alter table accounts add column search_language text not null default 'simple';

create function rapport_search_config(account uuid) returns regconfig
  language sql stable as $$
    select coalesce((select search_language::regconfig from accounts where id = account), 'simple'::regconfig)
  $$;

alter table messages add column search_vector tsvector;
create function rapport_messages_search_vector() returns trigger language plpgsql as $$
begin
  if new.kind = 'system' then
    new.search_vector := null;
  else
    new.search_vector := to_tsvector(rapport_search_config(new.account_id), left(new.content, 100000));
  end if;
  return new;
end $$;
create trigger messages_search_vector before insert or update of content, kind on messages
  for each row execute function rapport_messages_search_vector();
update messages set search_vector = to_tsvector('simple', left(content, 100000)) where kind <> 'system';
create index messages_search_idx on messages using gin (search_vector);
-- The messages tab lists the newest matches first.
create index messages_account_created_idx on messages (account_id, created_at desc, id desc);

alter table conversations add column search_vector tsvector;
create function rapport_conversations_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector := to_tsvector(rapport_search_config(new.account_id), new.subject);
  return new;
end $$;
create trigger conversations_search_vector before insert or update of subject on conversations
  for each row execute function rapport_conversations_search_vector();
update conversations set search_vector = to_tsvector('simple', subject);
create index conversations_search_idx on conversations using gin (search_vector);

alter table contacts add column search_vector tsvector generated always as (
  to_tsvector('simple',
    coalesce(name, '') || ' ' ||
    coalesce(email, '') || ' ' || translate(coalesce(email, ''), '@.+_-', '     ') || ' ' ||
    coalesce(phone, '') || ' ' || regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'))
) stored;
create index contacts_search_idx on contacts using gin (search_vector);

-- The conversation list: one index per filter, in the list's order (newest activity first; the
-- waiting sort orders by coalesce(waiting_since, last_message_at)).
create index conversations_status_idx on conversations (account_id, status, last_message_at desc, id desc);
create index conversations_assignee_idx on conversations (account_id, assignee_id, last_message_at desc, id desc);
create index conversations_team_idx on conversations (account_id, team_id, last_message_at desc, id desc) where team_id is not null;
-- A customer's conversations (search by customer, the contact's page).
create index conversations_contact_idx on conversations (account_id, contact_id);
create index conversations_waiting_idx on conversations (account_id, (coalesce(waiting_since, last_message_at)), id);
drop index if exists conversations_inbox_idx;
create index conversations_inbox_idx on conversations (account_id, inbox_id, last_message_at desc, id desc);

create table saved_views (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  user_id uuid references users(id) on delete set null,
  name text not null,
  filters jsonb not null default '{}'::jsonb,
  shared boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index saved_views_account_idx on saved_views (account_id, user_id);
`;

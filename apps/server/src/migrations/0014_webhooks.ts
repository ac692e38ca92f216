/**
 * Outgoing webhooks: a workspace's subscriptions (a URL, the events it wants, a sealed signing
 * secret, switched off after repeated failures) and the log of every delivery with its outcome.
 * An outbox event of a workspace that has a webhook is marked for the dispatcher as it is written
 * (a trigger, so every writer of events, including the one-statement message writer, is covered
 * and a workspace without webhooks pays one index probe); the dispatcher claims marked events
 * with skip locked, as the publisher does, and they are not purged before it has.
 */
export default /* sql */ `
create table webhooks (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  url text not null,
  description text not null default '',
  events text[] not null,
  secret text not null,
  enabled boolean not null default true,
  disabled_reason text,
  failures integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhooks_account_idx on webhooks (account_id);

create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  webhook_id uuid not null references webhooks(id) on delete cascade,
  event text not null,
  -- The outbox event it carries (null for a test ping); one delivery per webhook, outbox event and event name.
  event_id bigint,
  body text not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  response_status integer,
  error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create unique index webhook_deliveries_event_key on webhook_deliveries (webhook_id, event_id, event);
create index webhook_deliveries_log_idx on webhook_deliveries (webhook_id, created_at desc);

alter table outbox_events add column webhook_pending boolean not null default false;
create index outbox_events_webhook_pending_idx on outbox_events (id) where webhook_pending;
create index webhooks_enabled_idx on webhooks (account_id) where enabled;

create function rapport_mark_webhook_event() returns trigger language plpgsql as $$
begin
  if exists (select 1 from webhooks w where w.account_id = new.account_id and w.enabled) then
    new.webhook_pending := true;
  end if;
  return new;
end;
$$;
create trigger outbox_events_webhook_mark before insert on outbox_events
  for each row execute function rapport_mark_webhook_event();
`;

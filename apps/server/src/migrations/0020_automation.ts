/**
 * Automation: rules (a trigger, conditions and actions, run in order of position), the log of
 * every run (what each action did, or why it failed), canned responses and macros (shared with
 * the workspace or one person's own), and the workspace's auto-close setting.
 *
 * Time-based triggers ("pending for 3 days") need to know when a conversation entered its state:
 * a trigger keeps status_changed_at and assignee_changed_at, so every writer (the one-statement
 * message writer that reopens a conversation included) is covered. Existing conversations start
 * their clock at the upgrade, so no old pending conversation is closed the moment it runs.
 *
 * Loop prevention: a rule's actions run with the setting rapport.automation_cause naming the rule
 * chain; every outbox event written meanwhile carries it in its payload (payload.automation), so
 * the engine knows which rules caused an event and how deep the chain is.
 */
export default /* sql */ `
create table automation_rules (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  name text not null,
  description text not null default '',
  enabled boolean not null default true,
  trigger jsonb not null,
  match text not null default 'all' check (match in ('all', 'any')),
  conditions jsonb not null default '[]',
  actions jsonb not null,
  position integer not null default 0,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index automation_rules_account_idx on automation_rules (account_id, position);
create index automation_rules_timed_idx on automation_rules ((trigger->>'type')) where enabled;

create table automation_runs (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  rule_id uuid not null references automation_rules(id) on delete cascade,
  conversation_id uuid references conversations(id) on delete cascade,
  -- The outbox event that fired it (null for a time-based trigger).
  event_id bigint,
  trigger text not null,
  -- One run per rule, conversation and event or entry into a state.
  dedupe_key text not null,
  outcome text not null check (outcome in ('done', 'skipped', 'failed')),
  actions jsonb not null default '[]',
  error text,
  depth integer not null default 0,
  -- The moment of the run, not of its transaction: runs of one sweep keep their order.
  created_at timestamptz not null default clock_timestamp()
);
create unique index automation_runs_once on automation_runs (rule_id, conversation_id, dedupe_key);
create index automation_runs_log_idx on automation_runs (rule_id, created_at desc);
create index automation_runs_account_idx on automation_runs (account_id, created_at);

create table canned_responses (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  -- null: shared with the workspace; else the one person who uses it.
  owner_user_id uuid references users(id) on delete cascade,
  shortcut text not null,
  title text not null,
  body text not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index canned_responses_shortcut_key on canned_responses (account_id, coalesce(owner_user_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(shortcut));

create table macros (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  owner_user_id uuid references users(id) on delete cascade,
  name text not null,
  actions jsonb not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index macros_account_idx on macros (account_id);

create table automation_settings (
  account_id uuid primary key references accounts(id) on delete cascade,
  auto_close_enabled boolean not null default false,
  auto_close_after_minutes integer not null default 4320 check (auto_close_after_minutes > 0),
  auto_close_message text not null default '',
  updated_at timestamptz not null default now()
);

alter table conversations add column status_changed_at timestamptz not null default now();
alter table conversations add column assignee_changed_at timestamptz not null default now();
create index conversations_status_since_idx on conversations (status, status_changed_at) where status in ('open', 'pending');

create function rapport_conversation_state_since() returns trigger language plpgsql as $$
begin
  if new.status is distinct from old.status then
    new.status_changed_at := now();
  end if;
  if new.assignee_id is distinct from old.assignee_id then
    new.assignee_changed_at := now();
  end if;
  return new;
end;
$$;
create trigger conversations_state_since before update on conversations
  for each row execute function rapport_conversation_state_since();

create function rapport_automation_cause() returns trigger language plpgsql as $$
declare
  cause text := current_setting('rapport.automation_cause', true);
begin
  if cause is not null and cause <> '' then
    new.payload := new.payload || jsonb_build_object('automation', cause::jsonb);
  end if;
  return new;
end;
$$;
create trigger outbox_events_automation_cause before insert on outbox_events
  for each row execute function rapport_automation_cause();
`;

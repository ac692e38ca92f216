/**
 * Business hours as named schedules (a workspace default; an inbox or team may pick one or keep
 * its own) and SLA policies with each conversation's SLA clock. The clock is one row per
 * conversation beside it, so the conversation list reads it with one join; `next_check_at` is the
 * earliest warning or due time still to fire, indexed for the scan that backs up the timers.
 */
export default /* sql */ `
create table business_hours_schedules (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  name text not null,
  schedule jsonb not null,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index business_hours_schedules_account_idx on business_hours_schedules (account_id);
create unique index business_hours_schedules_default_key on business_hours_schedules (account_id) where is_default;

alter table inboxes add column business_hours_id uuid references business_hours_schedules(id) on delete set null;
alter table teams add column business_hours jsonb;
alter table teams add column business_hours_id uuid references business_hours_schedules(id) on delete set null;

create table sla_policies (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  name text not null,
  position integer not null default 0,
  enabled boolean not null default true,
  priorities text[] not null default '{}',
  inbox_ids uuid[] not null default '{}',
  tags text[] not null default '{}',
  companies text[] not null default '{}',
  first_response_minutes integer,
  next_response_minutes integer,
  resolution_minutes integer,
  warning_percent integer,
  warning_minutes integer,
  business_hours boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sla_policies_account_idx on sla_policies (account_id, position);

create table conversation_slas (
  conversation_id uuid primary key references conversations(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  policy_id uuid references sla_policies(id) on delete set null,
  paused_since timestamptz,
  fr_started_at timestamptz, fr_paused_minutes double precision not null default 0, fr_due_at timestamptz, fr_warn_at timestamptz, fr_warned_at timestamptz, fr_breached_at timestamptz, fr_met_at timestamptz,
  nr_started_at timestamptz, nr_paused_minutes double precision not null default 0, nr_due_at timestamptz, nr_warn_at timestamptz, nr_warned_at timestamptz, nr_breached_at timestamptz, nr_met_at timestamptz,
  rs_started_at timestamptz, rs_paused_minutes double precision not null default 0, rs_due_at timestamptz, rs_warn_at timestamptz, rs_warned_at timestamptz, rs_breached_at timestamptz, rs_met_at timestamptz,
  next_target text,
  next_due_at timestamptz,
  next_warn_at timestamptz,
  next_breached_at timestamptz,
  next_check_at timestamptz,
  updated_at timestamptz not null default now()
);
create index conversation_slas_account_idx on conversation_slas (account_id, next_due_at);
create index conversation_slas_check_idx on conversation_slas (next_check_at) where next_check_at is not null;
`;

/**
 * Routing and automatic assignment: how each inbox and team hands out new conversations (by hand,
 * round robin, or to the least loaded agent), how many conversations of each channel kind an
 * agent takes at once (a workspace default, overridden per person), the skills an agent brings
 * (`lang:de`, `product:bikes`), the round-robin cursor, and the log of every automatic
 * assignment with the reason it chose that person.
 */
export default /* sql */ `
create table routing_rules (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  -- Exactly one of the two: the rule of an inbox, or of a team.
  inbox_id uuid references inboxes(id) on delete cascade,
  team_id uuid references teams(id) on delete cascade,
  mode text not null default 'manual' check (mode in ('manual', 'round_robin', 'least_loaded')),
  -- When an agent goes offline, their open chats go back to routing.
  hand_on_offline boolean not null default false,
  -- An inbox may hand its conversations to a team, whose rule then picks among its members.
  route_to_team_id uuid references teams(id) on delete set null,
  -- Round robin: the member who got the last conversation; the next goes to whoever follows.
  cursor_user_id uuid references users(id) on delete set null,
  updated_at timestamptz not null default now(),
  check ((inbox_id is null) <> (team_id is null)),
  check (route_to_team_id is null or inbox_id is not null)
);
create unique index routing_rules_inbox_key on routing_rules (inbox_id) where inbox_id is not null;
create unique index routing_rules_team_key on routing_rules (team_id) where team_id is not null;
create index routing_rules_account_idx on routing_rules (account_id);

-- The workspace's default capacity per channel kind (chat, email, messaging, phone).
create table routing_defaults (
  account_id uuid primary key references accounts(id) on delete cascade,
  capacity jsonb not null default '{"chat": 3, "email": 10, "messaging": 5, "phone": 1}',
  updated_at timestamptz not null default now()
);

-- Per agent: capacity per channel kind (a kind left out takes the workspace default) and skills.
create table agent_routing (
  account_id uuid not null references accounts(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  capacity jsonb not null default '{}',
  skills text[] not null default '{}',
  last_assigned_at timestamptz,
  primary key (account_id, user_id)
);

create table conversation_assignments (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  conversation_id uuid not null references conversations(id) on delete cascade,
  assignee_id uuid references users(id) on delete set null,
  -- round_robin | least_loaded | handed_on (unassigned when its agent went offline)
  rule text not null,
  inbox_id uuid references inboxes(id) on delete set null,
  team_id uuid references teams(id) on delete set null,
  reason text not null,
  -- The clock, not the transaction's start: a hand-on and the pick after it are told apart.
  created_at timestamptz not null default clock_timestamp()
);
create index conversation_assignments_conversation_idx on conversation_assignments (account_id, conversation_id, created_at desc);

-- An agent's load: their open conversations, counted at every assignment.
create index conversations_open_assignee_idx on conversations (account_id, assignee_id) where status = 'open' and assignee_id is not null;
-- The waiting queue: open conversations nobody has.
create index conversations_open_unassigned_idx on conversations (account_id, created_at) where status = 'open' and assignee_id is null;
`;

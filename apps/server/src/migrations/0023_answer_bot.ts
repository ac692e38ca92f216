/**
 * The answer bot and AI assist.
 *
 * answer_bot_settings: one row per inbox whose bot was configured (no row: off). The bot answers
 * from published public articles and hands over below `threshold` (retrieval's score, 0…1).
 *
 * answer_bot_conversations: what the bot is doing in a conversation. While it is `answering`
 * (or waiting for "did that help?") routing leaves the conversation alone; `handed_over` gives it
 * back to routing for good; `resolved` is a helpful answer (a new question starts again).
 * answer_bot_turns makes one answer per customer message: its primary key is the message.
 *
 * ai_settings: a workspace's OpenAI-compatible endpoint (base URL, model, API key sealed with
 * RAPPORT_SECRET_KEY); off by default, and every feature works without it.
 */
export default /* sql */ `
create table answer_bot_settings (
  account_id uuid not null references accounts(id) on delete cascade,
  inbox_id uuid not null references inboxes(id) on delete cascade,
  enabled boolean not null default false,
  threshold real not null default 0.3 check (threshold >= 0 and threshold <= 1),
  bot_name text not null default 'Answer bot',
  handover_message text not null default '',
  generative boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (account_id, inbox_id)
);
create unique index answer_bot_settings_inbox_key on answer_bot_settings (inbox_id);

create table answer_bot_conversations (
  account_id uuid not null references accounts(id) on delete cascade,
  conversation_id uuid not null references conversations(id) on delete cascade,
  state text not null check (state in ('answering', 'handed_over', 'resolved')),
  -- The answer the customer was asked about ("did that help?"), if any.
  awaiting_article_id uuid references kb_articles(id) on delete set null,
  awaiting_locale text,
  question text not null default '',
  answers integer not null default 0,
  handover_reason text,
  updated_at timestamptz not null default now(),
  primary key (account_id, conversation_id)
);
create unique index answer_bot_conversations_key on answer_bot_conversations (conversation_id);

create table answer_bot_turns (
  account_id uuid not null references accounts(id) on delete cascade,
  message_id uuid not null references messages(id) on delete cascade,
  conversation_id uuid not null references conversations(id) on delete cascade,
  outcome text not null,
  created_at timestamptz not null default now(),
  primary key (account_id, message_id)
);

create table ai_settings (
  account_id uuid primary key references accounts(id) on delete cascade,
  enabled boolean not null default false,
  base_url text not null default '',
  model text not null default '',
  api_key_sealed text,
  updated_at timestamptz not null default now()
);
`;

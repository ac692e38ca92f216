/** Row types of every table, as Kysely sees them. Keep in step with src/migrations. */
import type { ColumnType, Generated } from 'kysely';
import type { Schedule } from '../../features/business-hours/schedule.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Role = 'owner' | 'admin' | 'agent';

export interface AccountsTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
  /** The text search configuration messages and subjects are indexed with (features/search). */
  search_language: Generated<string>;
  /** Bumped by the database whenever SLA policies or business hours change (features/sla/sla-settings.ts). */
  sla_settings_version: Generated<string>;
  /** The settings version open conversations were last re-timed to (features/sla/retime-slas.ts). */
  sla_retimed_version: Generated<string>;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  name: string;
  avatar_url: string | null;
  time_zone: Generated<string>;
  language: Generated<string>;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: number | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MembershipsTable {
  account_id: string;
  user_id: string;
  role: Role;
  availability: Generated<Availability>;
  idle: Generated<boolean>;
  last_active_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface TeamsTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  description: Generated<string>;
  created_at: CreatedAt;
}

export interface TeamMembersTable {
  account_id: string;
  team_id: string;
  user_id: string;
}

export interface InvitationsTable {
  id: Generated<string>;
  account_id: string;
  email: string;
  role: Role;
  token_hash: string;
  invited_by: string | null;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface ApiTokensTable {
  id: Generated<string>;
  account_id: string;
  user_id: string;
  name: string;
  role: Role;
  token_hash: string;
  prefix: string;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  current_account_id: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface AuditEventsTable {
  id: Generated<string>;
  account_id: string;
  actor_user_id: string | null;
  actor_token_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
}

export interface ContactsTable {
  id: Generated<string>;
  account_id: string;
  name: Generated<string>;
  email: string | null;
  phone: string | null;
  company: string | null;
  /** Unverified identity claims and the visitor's browsing context (page, referrer, language, browser). */
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  last_seen_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface InboxesTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  channel: string;
  /** Public key the web chat widget names its inbox by. */
  widget_key: string | null;
  allowed_origins: ColumnType<string[], string | undefined, string>;
  /** Sealed (encrypted) secret sites use to sign a signed-in visitor's id (HMAC-SHA256). */
  identity_secret: string | null;
  greeting: Generated<string>;
  /** When the inbox is staffed (features/business-hours); null: always open. */
  business_hours: ColumnType<Schedule | null, string | null | undefined, string | null>;
  /** The support address of an email inbox. */
  email_address: string | null;
  /** Channel settings without secrets (for email: imap and smtp servers). */
  channel_config: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Sealed JSON of the channel's passwords and tokens. */
  channel_secrets: string | null;
  forward_key: string | null;
  connection_status: ColumnType<'ok' | 'failing' | 'unknown', 'ok' | 'failing' | 'unknown' | undefined, 'ok' | 'failing' | 'unknown'>;
  connection_error: string | null;
  connection_part: ConnectionPart | null;
  connection_checked_at: NullableTimestamp;
  /** Where an API inbox POSTs agents' replies (its signing secret is in channel_secrets). */
  webhook_url: string | null;
  /** Set when the receiver answered 410 Gone or failed too often; saving the URL again clears it. */
  webhook_disabled_at: NullableTimestamp;
  /** Replies in a row whose delivery failed after every attempt. */
  webhook_failures: Generated<number>;
  /** The public key of the inbox's contact form (features/channels/forms). */
  form_key: string | null;
  form_config: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The secret path part of the URL a messaging or phone provider posts its webhooks to. */
  inbound_key: string | null;
  created_at: CreatedAt;
}

/** Which server of a channel a connection status is about. */
export type ConnectionPart = 'imap' | 'smtp' | 'webhook' | 'provider';

export interface EmailMailboxesTable {
  inbox_id: string;
  account_id: string;
  mailbox: string;
  uid_validity: number | null;
  last_uid: Generated<number>;
  leased_by: string | null;
  lease_until: NullableTimestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ExternalMessagesTable {
  account_id: string;
  inbox_id: string;
  external_id: string;
  conversation_id: string;
  message_id: string | null;
  direction: 'incoming' | 'outgoing';
  created_at: CreatedAt;
}

/** A request of an API inbox's source that made a conversation or a message, by its idempotency key. */
export interface ApiIdempotencyKeysTable {
  account_id: string;
  inbox_id: string;
  idempotency_key: string;
  request: 'conversation' | 'message';
  /** A digest of what was asked, so a key reused for something else is refused instead of answered. */
  request_hash: string;
  conversation_id: string;
  message_id: string;
  created_at: CreatedAt;
}

export interface InboxMembersTable {
  account_id: string;
  inbox_id: string;
  user_id: string;
}

export type IdentityKind = 'visitor' | 'email' | 'phone' | 'handle' | 'external_id';

export interface ContactIdentitiesTable {
  id: Generated<string>;
  account_id: string;
  contact_id: string;
  inbox_id: string | null;
  kind: IdentityKind;
  value: string;
  verified: Generated<boolean>;
  created_at: CreatedAt;
}

export interface OutboxEventsTable {
  id: Generated<number>;
  account_id: string;
  event: string;
  conversation_id: string | null;
  inbox_id: string | null;
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: CreatedAt;
  published_at: NullableTimestamp;
  /** Set (by a trigger) when the workspace has a webhook: the dispatcher has yet to read it. */
  webhook_pending: Generated<boolean>;
  /** Set as it is written: the reactors (core/reactions.ts) have yet to see it. */
  react_pending: Generated<boolean>;
}

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';
export type ConversationPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface ConversationsTable {
  id: Generated<string>;
  account_id: string;
  inbox_id: string;
  contact_id: string;
  subject: Generated<string>;
  status: ColumnType<ConversationStatus, ConversationStatus | undefined, ConversationStatus>;
  priority: ColumnType<ConversationPriority, ConversationPriority | undefined, ConversationPriority>;
  assignee_id: string | null;
  team_id: string | null;
  unread_count: Generated<number>;
  last_message_at: ColumnType<Date, Date | string | undefined, Date | string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  snoozed_until: NullableTimestamp;
  first_response_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  waiting_since: NullableTimestamp;
  last_seq: Generated<number>;
  contact_last_read_seq: Generated<number>;
  agent_last_read_seq: Generated<number>;
  /** Email addresses that may write into this conversation (its customer and those copied in). */
  participants: ColumnType<string[], string[] | undefined, string[]>;
  /** The customer's address on a messaging or phone channel (number, chat id, page-scoped id): where replies go. */
  channel_address: string | null;
  /** When the customer last wrote (reply windows such as WhatsApp's 24 hours). */
  last_incoming_at: NullableTimestamp;
  /** Set when this conversation was merged into another (it is closed; its messages live there now). */
  merged_into_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The conversation this one was split out of. */
  split_from_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface MessagesTable {
  id: Generated<string>;
  account_id: string;
  conversation_id: string;
  seq: number;
  direction: 'incoming' | 'outgoing';
  private: Generated<boolean>;
  content: string;
  sender_user_id: string | null;
  sender_contact_id: string | null;
  kind: Generated<'text' | 'system' | 'call'>;
  client_message_id: string | null;
  external_id: string | null;
  status: Generated<MessageStatus>;
  content_attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
}

export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface AttachmentsTable {
  id: Generated<string>;
  account_id: string;
  inbox_id: string;
  conversation_id: string | null;
  message_id: string | null;
  uploaded_by_user_id: string | null;
  uploaded_by_contact_id: string | null;
  file_name: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  created_at: CreatedAt;
}

export interface AttachmentBlobsTable {
  attachment_id: string;
  account_id: string;
  data: Buffer;
}

export type Availability = 'online' | 'away' | 'offline';

export interface WebhooksTable {
  id: Generated<string>;
  account_id: string;
  url: string;
  description: Generated<string>;
  events: ColumnType<string[], string[], string[]>;
  /** Sealed with the secret box. */
  secret: string;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  failures: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  account_id: string;
  webhook_id: string;
  event: string;
  event_id: ColumnType<number | null, number | string | null | undefined, number | null>;
  body: string;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  response_status: number | null;
  error: string | null;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

/** A named set of conversation list filters, personal or shared with the whole team (features/search). */
export interface SavedViewsTable {
  id: Generated<string>;
  account_id: string;
  user_id: string | null;
  name: string;
  filters: ColumnType<Record<string, unknown>, string, string>;
  shared: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ConversationFollowersTable {
  account_id: string;
  conversation_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export type NotificationKind = 'assigned' | 'mention' | 'message' | 'generic';

export interface NotificationsTable {
  id: Generated<string>;
  account_id: string;
  user_id: string;
  kind: NotificationKind;
  conversation_id: string | null;
  title: string;
  body: Generated<string>;
  count: Generated<number>;
  in_app: Generated<boolean>;
  read_at: NullableTimestamp;
  email_state: 'pending' | 'sending' | 'sent' | 'failed' | null;
  email_due_at: NullableTimestamp;
  source_event_ids: ColumnType<number[], number[] | undefined, number[]>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface NotificationPreferencesTable {
  account_id: string;
  user_id: string;
  kind: NotificationKind;
  in_app: boolean;
  email: boolean;
}

export type RoutingMode = 'manual' | 'round_robin' | 'least_loaded';
export type ChannelKind = 'chat' | 'email' | 'messaging' | 'phone';
export type Capacity = Partial<Record<ChannelKind, number>>;

export interface RoutingRulesTable {
  id: Generated<string>;
  account_id: string;
  inbox_id: string | null;
  team_id: string | null;
  mode: ColumnType<RoutingMode, RoutingMode | undefined, RoutingMode>;
  hand_on_offline: Generated<boolean>;
  route_to_team_id: string | null;
  cursor_user_id: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RoutingDefaultsTable {
  account_id: string;
  capacity: ColumnType<Capacity, string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AgentRoutingTable {
  account_id: string;
  user_id: string;
  capacity: ColumnType<Capacity, string | undefined, string>;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  last_assigned_at: NullableTimestamp;
}

export interface ConversationAssignmentsTable {
  id: Generated<string>;
  account_id: string;
  conversation_id: string;
  assignee_id: string | null;
  rule: string;
  inbox_id: string | null;
  team_id: string | null;
  reason: string;
  created_at: CreatedAt;
}

export interface RapportMigrationsTable {
  id: string;
  applied_at: CreatedAt;
}

export interface DB {
  accounts: AccountsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  invitations: InvitationsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  audit_events: AuditEventsTable;
  contacts: ContactsTable;
  inboxes: InboxesTable;
  inbox_members: InboxMembersTable;
  contact_identities: ContactIdentitiesTable;
  outbox_events: OutboxEventsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  attachment_blobs: AttachmentBlobsTable;
  email_mailboxes: EmailMailboxesTable;
  external_messages: ExternalMessagesTable;
  api_idempotency_keys: ApiIdempotencyKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  saved_views: SavedViewsTable;
  conversation_followers: ConversationFollowersTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  routing_rules: RoutingRulesTable;
  routing_defaults: RoutingDefaultsTable;
  agent_routing: AgentRoutingTable;
  conversation_assignments: ConversationAssignmentsTable;
  automation_rules: AutomationRulesTable;
  automation_runs: AutomationRunsTable;
  canned_responses: CannedResponsesTable;
  macros: MacrosTable;
  automation_settings: AutomationSettingsTable;
  rapport_migrations: RapportMigrationsTable;
}

// Business hours as named schedules and SLAs (migration 0019); the interfaces merge with those above.
export interface InboxesTable {
  /** A named schedule the inbox follows when it has no hours of its own. */
  business_hours_id: string | null;
}

export interface TeamsTable {
  business_hours: ColumnType<Schedule | null, string | null | undefined, string | null>;
  business_hours_id: string | null;
}

export interface BusinessHoursSchedulesTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  schedule: ColumnType<Schedule, string, string>;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SlaPoliciesTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  position: Generated<number>;
  enabled: Generated<boolean>;
  priorities: ColumnType<string[], string[] | undefined, string[]>;
  inbox_ids: ColumnType<string[], string[] | undefined, string[]>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  companies: ColumnType<string[], string[] | undefined, string[]>;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  warning_percent: number | null;
  warning_minutes: number | null;
  business_hours: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

type SlaTimer<P extends string> = {
  [K in 'started_at' | 'due_at' | 'warn_at' | 'warned_at' | 'breached_at' | 'met_at' as `${P}_${K}`]: NullableTimestamp;
} & { [K in `${P}_paused_minutes`]: Generated<number> };

export type ConversationSlasTable = SlaTimer<'fr'> &
  SlaTimer<'nr'> &
  SlaTimer<'rs'> & {
    conversation_id: string;
    account_id: string;
    policy_id: string | null;
    paused_since: NullableTimestamp;
    next_target: string | null;
    next_due_at: NullableTimestamp;
    next_warn_at: NullableTimestamp;
    next_breached_at: NullableTimestamp;
    next_check_at: NullableTimestamp;
    updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };

export interface DB {
  business_hours_schedules: BusinessHoursSchedulesTable;
  sla_policies: SlaPoliciesTable;
  conversation_slas: ConversationSlasTable;
}

/** Tables whose rows belong to one workspace: every read and write of them is scoped by account_id. */
export const tenantTables = [
  'memberships',
  'teams',
  'team_members',
  'invitations',
  'api_tokens',
  'audit_events',
  'contacts',
  'inboxes',
  'inbox_members',
  'contact_identities',
  'conversations',
  'messages',
  'outbox_events',
  'attachments',
  'attachment_blobs',
  'email_mailboxes',
  'external_messages',
  'api_idempotency_keys',
  'webhooks',
  'webhook_deliveries',
  'saved_views',
  'conversation_followers',
  'notifications',
  'notification_preferences',
  'routing_rules',
  'routing_defaults',
  'agent_routing',
  'conversation_assignments',
  'automation_rules',
  'automation_runs',
  'canned_responses',
  'macros',
  'automation_settings',
  'business_hours_schedules',
  'sla_policies',
  'conversation_slas',
  'help_centers',
  'kb_categories',
  'kb_sections',
  'kb_articles',
  'kb_article_translations',
  'kb_revisions',
  'kb_related_articles',
  'kb_votes',
  'kb_synonyms',
  'kb_learned_answers',
  'kb_searches',
  'answer_bot_settings',
  'answer_bot_conversations',
  'answer_bot_turns',
  'ai_settings',
] as const satisfies ReadonlyArray<keyof DB>;

export type TenantTable = (typeof tenantTables)[number];

// —— automation (migration 0020) ——
type Json<T> = ColumnType<T, string, string>;

/** When the conversation entered its status and its assignment (kept by a trigger, for time-based rules). */
export interface ConversationsTable {
  status_changed_at: ColumnType<Date, never, Date | string>;
  assignee_changed_at: ColumnType<Date, never, Date | string>;
}

export interface AutomationRulesTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  description: Generated<string>;
  enabled: Generated<boolean>;
  trigger: Json<unknown>;
  match: ColumnType<'all' | 'any', 'all' | 'any' | undefined, 'all' | 'any'>;
  conditions: ColumnType<unknown[], string | undefined, string>;
  actions: Json<unknown[]>;
  position: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AutomationRunsTable {
  id: Generated<string>;
  account_id: string;
  rule_id: string;
  conversation_id: string | null;
  event_id: ColumnType<number | null, number | string | null | undefined, number | null>;
  trigger: string;
  dedupe_key: string;
  outcome: 'done' | 'skipped' | 'failed';
  actions: Json<unknown[]>;
  error: string | null;
  depth: Generated<number>;
  created_at: CreatedAt;
}

export interface CannedResponsesTable {
  id: Generated<string>;
  account_id: string;
  owner_user_id: string | null;
  shortcut: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MacrosTable {
  id: Generated<string>;
  account_id: string;
  owner_user_id: string | null;
  name: string;
  actions: Json<unknown[]>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AutomationSettingsTable {
  account_id: string;
  auto_close_enabled: Generated<boolean>;
  auto_close_after_minutes: Generated<number>;
  auto_close_message: Generated<string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

// —— knowledge base and help center (migration 0021) ——
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** Text per locale: { "en": "Billing", "de": "Abrechnung" }. */
export type Localized = Record<string, string>;
export type KbStatus = 'draft' | 'published' | 'archived';
export type KbVisibility = 'public' | 'internal';
export interface HelpCenterTheme {
  primary_color?: string;
  logo_url?: string;
  header_text?: string;
}

export interface DB {
  help_centers: HelpCentersTable;
  kb_categories: KbCategoriesTable;
  kb_sections: KbSectionsTable;
  kb_articles: KbArticlesTable;
  kb_article_translations: KbArticleTranslationsTable;
  kb_revisions: KbRevisionsTable;
  kb_related_articles: KbRelatedArticlesTable;
  kb_votes: KbVotesTable;
  kb_synonyms: KbSynonymsTable;
  kb_learned_answers: KbLearnedAnswersTable;
  kb_searches: KbSearchesTable;
}

export interface HelpCentersTable {
  account_id: string;
  slug: string;
  name: string;
  enabled: Generated<boolean>;
  custom_domain: string | null;
  theme: ColumnType<HelpCenterTheme, string | undefined, string>;
  default_locale: Generated<string>;
  locales: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface KbCategoriesTable {
  id: Generated<string>;
  account_id: string;
  names: ColumnType<Localized, string | undefined, string>;
  descriptions: ColumnType<Localized, string | undefined, string>;
  slug: string;
  icon: string | null;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface KbSectionsTable {
  id: Generated<string>;
  account_id: string;
  category_id: string;
  names: ColumnType<Localized, string | undefined, string>;
  descriptions: ColumnType<Localized, string | undefined, string>;
  slug: string;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface KbArticlesTable {
  id: Generated<string>;
  account_id: string;
  section_id: string | null;
  visibility: ColumnType<KbVisibility, KbVisibility | undefined, KbVisibility>;
  position: Generated<number>;
  author_id: string | null;
  view_count: Generated<number>;
  helpful_count: Generated<number>;
  unhelpful_count: Generated<number>;
  deflection_count: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface KbArticleTranslationsTable {
  id: Generated<string>;
  account_id: string;
  article_id: string;
  locale: string;
  title: string;
  slug: string;
  body: Generated<string>;
  description: Generated<string>;
  keywords: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<KbStatus, KbStatus | undefined, KbStatus>;
  published_at: NullableTimestamp;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Kept by a trigger. */
  search_vector: ColumnType<string | null, never, never>;
  search_words: ColumnType<string, never, never>;
}

export interface KbRevisionsTable {
  id: Generated<string>;
  account_id: string;
  article_id: string;
  locale: string;
  title: string;
  body: string;
  description: Generated<string>;
  status: KbStatus;
  author_id: string | null;
  created_at: CreatedAt;
}

export interface KbRelatedArticlesTable {
  account_id: string;
  article_id: string;
  related_id: string;
  position: Generated<number>;
}

export interface KbVotesTable {
  id: Generated<string>;
  account_id: string;
  article_id: string;
  locale: string;
  voter_key: string;
  helpful: boolean;
  comment: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface KbSynonymsTable {
  id: Generated<string>;
  account_id: string;
  locale: string | null;
  terms: string[];
  created_at: CreatedAt;
}

export interface KbLearnedAnswersTable {
  account_id: string;
  article_id: string;
  query: string;
  locale: Generated<string>;
  helped: Generated<number>;
  not_helped: Generated<number>;
  updated_at: UpdatedAt;
}

export interface KbSearchesTable {
  account_id: string;
  query: string;
  locale: Generated<string>;
  source: Generated<string>;
  searches: Generated<number>;
  without_results: Generated<number>;
  last_searched_at: UpdatedAt;
}

// —— Knowledge base authoring (migration 0024) ——

export interface KbArticlesTable {
  /** The `id` an imported Markdown file gave (unique per workspace); null for articles written in the app. */
  import_key: ColumnType<string | null, string | null | undefined, string | null>;
}

// —— Mood (features/mood, migration 0022) ——
// Filled in by the mood reactor after a customer's message is written; null until then, and on
// agent replies, notes and system lines.
export type MoodName = 'angry' | 'frustrated' | 'neutral' | 'happy';
export type MoodTrend = 'worsening' | 'improving' | 'steady';

export interface MessagesTable {
  mood: ColumnType<MoodName | null, MoodName | null | undefined, MoodName | null>;
  sentiment: ColumnType<number | null, number | null | undefined, number | null>;
  language: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ConversationsTable {
  mood: ColumnType<MoodName | null, MoodName | null | undefined, MoodName | null>;
  sentiment: ColumnType<number | null, number | null | undefined, number | null>;
  mood_trend: ColumnType<MoodTrend | null, MoodTrend | null | undefined, MoodTrend | null>;
  language: ColumnType<string | null, string | null | undefined, string | null>;
  mood_updated_at: NullableTimestamp;
}

// —— answer bot and AI assist (migration 0023) ——
export interface DB {
  answer_bot_settings: AnswerBotSettingsTable;
  answer_bot_conversations: AnswerBotConversationsTable;
  answer_bot_turns: AnswerBotTurnsTable;
  ai_settings: AiSettingsTable;
}

export interface AnswerBotSettingsTable {
  account_id: string;
  inbox_id: string;
  enabled: Generated<boolean>;
  threshold: Generated<number>;
  bot_name: Generated<string>;
  handover_message: Generated<string>;
  generative: Generated<boolean>;
  updated_at: UpdatedAt;
}

export type AnswerBotState = 'answering' | 'handed_over' | 'resolved';

export interface AnswerBotConversationsTable {
  account_id: string;
  conversation_id: string;
  state: AnswerBotState;
  awaiting_article_id: string | null;
  awaiting_locale: string | null;
  question: Generated<string>;
  answers: Generated<number>;
  handover_reason: string | null;
  updated_at: UpdatedAt;
}

export interface AnswerBotTurnsTable {
  account_id: string;
  message_id: string;
  conversation_id: string;
  outcome: string;
  created_at: CreatedAt;
}

export interface AiSettingsTable {
  account_id: string;
  enabled: Generated<boolean>;
  base_url: Generated<string>;
  model: Generated<string>;
  api_key_sealed: string | null;
  updated_at: UpdatedAt;
}

// Shapes of the Rapport REST API (v1), as the web app uses them.

export type Role = 'owner' | 'admin' | 'agent';

export interface User {
  id: string;
  email: string;
  name: string;
  avatar_url: string | null;
  time_zone: string;
  language: string;
  two_factor_enabled: boolean;
  created_at: string;
}

export interface Workspace {
  id: string;
  name: string;
}

export interface WorkspaceMembership extends Workspace {
  role: Role;
}

export interface Me {
  user: User;
  /** Null when the person belongs to no workspace (e.g. removed from their last one). */
  workspace: Workspace | null;
  role: Role | null;
  workspaces: WorkspaceMembership[];
  auth?: 'session' | 'token';
}

/** Sign-in and joining answer the same shape as GET /me. */
export type LoginResponse = Me;

export interface Member {
  id: string;
  email: string;
  name: string;
  avatar_url: string | null;
  role: Role;
  time_zone: string;
  language: string;
  two_factor_enabled: boolean;
  created_at: string;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  member_ids: string[];
  created_at: string;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  url?: string | null;
  expires_at: string;
  created_at: string;
  invited_by: PersonRef | null;
}

export interface InvitationLookup {
  workspace: Workspace;
  email: string;
  role: Role;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  user: PersonRef | null;
}

export interface CreatedApiToken extends ApiToken {
  token: string;
}

export interface AuditEvent {
  id: string;
  action: string;
  actor: PersonRef | null;
  actor_token_id?: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
}

export interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  created_at: string;
}

export interface ContactIdentity {
  kind: string;
  value: string;
  verified: boolean;
}

/** What the chat recorded about the visitor's browser on their last visit. */
export interface VisitorContext {
  url: string | null;
  referrer: string | null;
  language: string | null;
  time_zone: string | null;
  user_agent: string | null;
  seen_at: string | null;
  /** Rough place from the browser's time zone and language (no IP lookup). */
  location: string | null;
}

/** GET /contacts/:id: a contact with identities, visitor details and any unverified claim. */
export interface ContactDetail extends Contact {
  last_seen_at: string | null;
  identities: ContactIdentity[];
  visitor: VisitorContext | null;
  /** What a visitor said about themselves without a valid signature: never to be trusted. */
  unverified_claim: { id: string; email: string | null; name: string | null } | null;
  /** An email the visitor typed into the chat while the team was away: unverified. */
  left_email: { email: string; name: string | null; left_at: string } | null;
}

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface Conversation {
  id: string;
  subject: string | null;
  status: ConversationStatus;
  priority: Priority;
  channel: string;
  inbox: PersonRef;
  contact: { id: string; name: string | null; email: string | null } | null;
  assignee: PersonRef | null;
  team: PersonRef | null;
  tags: string[];
  last_message_preview: string | null;
  last_message_at: string | null;
  last_seq: number;
  unread_count: number;
  snoozed_until: string | null;
  waiting_since: string | null;
  first_response_at: string | null;
  resolved_at: string | null;
  /** Channels that take free-form replies only for a while after the customer last wrote (WhatsApp); null or absent on others. */
  reply_window?: ReplyWindow | null;
  /** Merged into that conversation (which holds its messages now): the app opens that one. */
  merged_into_id?: string | null;
  split_from_id?: string | null;
  created_at: string;
  /** The SLA target due next (api/sla.ts); null without a policy. */
  sla?: import('./sla').SlaSummary | null;
  /** The customer's mood (api/mood.ts): null until their first message has been read. */
  mood?: import('./mood').Mood | null;
  sentiment?: number | null;
  mood_trend?: import('./mood').MoodTrend | null;
  language?: string | null;
}

/** How long free-form replies are possible; after that only an approved template goes out. */
export interface ReplyWindow {
  /** When the window closes (null: the customer never wrote, so it was never open). */
  closes_at: string | null;
  open: boolean;
  template_required: boolean;
}

/** An approved template message (WhatsApp outside its window): `parameters` fill the body's {{1}}, {{2}}, … */
export interface MessageTemplate {
  name: string;
  language: string;
  parameters: string[];
}

/** The fields PATCH /conversations/:id accepts. */
export interface ConversationChanges {
  status?: ConversationStatus;
  priority?: Priority;
  assignee_id?: string | null;
  team_id?: string | null;
  tags?: string[];
  snoozed_until?: string | null;
}

/** Where a message to the customer stands: an email reply is pending until the SMTP server accepts it. */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface EmailAddress {
  address: string;
  name: string;
}

/** What an email message carries besides its visible text (`Message.content`). */
export interface EmailDetails {
  subject: string;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  /** The whole sanitised HTML; blocked remote images carry `data-remote-src` instead of `src`. */
  html: string | null;
  /** The same HTML without the quoted history. */
  html_visible: string | null;
  /** The whole plain text, quoted history and signature included. */
  text: string;
  has_quoted: boolean;
  /** How many remote images were blocked. */
  remote_images: number;
  /** A sentence for agents when the sender failed DMARC/SPF/DKIM checks. */
  suspicious: string | null;
  automated: 'auto-reply' | 'bulk' | 'bounce' | null;
  /** Files of the email that were not kept, and why (absent on older servers). */
  blocked_attachments?: Array<{ file_name: string; reason: string }>;
}

export interface Message {
  id: string;
  conversation_id?: string;
  seq: number;
  /** system: an event in the thread (assigned, resolved…), not something a person wrote; call: a phone call or a callback request. */
  kind: 'text' | 'system' | 'call';
  direction: 'incoming' | 'outgoing';
  private: boolean;
  content: string;
  status?: MessageStatus;
  /** Why an outgoing email could not be sent (status "failed"). */
  delivery_error?: string | null;
  /** Null (or absent) for chat messages. */
  email?: EmailDetails | null;
  /** What a call entry says about its call (null or absent on other messages). */
  call?: CallDetails | null;
  client_message_id?: string | null;
  author: { type: 'contact' | 'user'; id: string; name: string | null } | null;
  /** Set on the answer bot's messages: its name, the quick replies it offered, the article it cited. */
  bot?: { name: string; quick_replies: string[]; citation: { article_id: string; title: string; url: string } | null } | null;
  /** Files sent with the message (absent on servers older than attachments). */
  attachments?: Attachment[];
  created_at: string;
  /** What the mood model read in a customer's message (null on replies and notes). */
  mood?: import('./mood').Mood | null;
  sentiment?: number | null;
  language?: string | null;
}

export type CallStatus = 'ringing' | 'answered' | 'completed' | 'missed' | 'voicemail' | 'no_answer' | 'requested';

/** A call entry: ringing → answered → completed, or ringing → missed → voicemail; requested: a callback the customer asked for. */
export interface CallDetails {
  sid: string | null;
  direction: 'inbound' | 'outbound';
  status: CallStatus;
  duration_seconds: number | null;
  from: string | null;
  to: string | null;
  agent: PersonRef | null;
  /** The id of the recording among the message's attachments. */
  recording: string | null;
  recording_error: string | null;
  transcription: string | null;
  notes: string | null;
  /** When the call took place, when it was logged afterwards. */
  at: string | null;
  logged_by_hand: boolean;
  /** A callback request: "asap", an ISO time, or the customer's words. */
  preferred_time: string | null;
}

/** A file sent with a message. `url` is relative to the server; add `download=1` to force a download. */
export interface Attachment {
  id: string;
  file_name: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  /** An image that may be shown in an <img>; everything else is a download link. */
  inline: boolean;
  url: string;
}

export interface AttachmentLimits {
  max_bytes: number;
  /** The value for <input type=file accept>. */
  accept: string;
}

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface Presence {
  user_id: string;
  name: string;
  avatar_url: string | null;
  status: PresenceStatus;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A weekly schedule in one IANA time zone ("HH:MM" intervals; closing may be "24:00"), with holidays. */
export interface BusinessHours {
  time_zone: string;
  days: Partial<Record<Weekday, Array<[string, string]>>>;
  holidays?: string[];
}

export interface Inbox {
  id: string;
  name: string;
  channel: string;
  widget_key: string | null;
  allowed_origins: string[];
  greeting: string;
  member_ids: string[];
  /** When the inbox is staffed; null: always open. */
  business_hours: BusinessHours | null;
  /** The tag to paste on the website (web chat inboxes with a widget key). */
  snippet: string | null;
  /** Signs a signed-in visitor's id (HMAC-SHA256); only admins receive it. */
  identity_secret?: string;
  /** Email inboxes: the support address (null or absent for web chat). */
  email?: string | null;
  /** Where mail may be forwarded when the server's SMTP receiver is on (else null). */
  forwarding_address?: string | null;
  /** Email inboxes that fetch mail by IMAP; passwords are never returned. */
  imap?: ImapSettings | null;
  smtp?: SmtpSettings | null;
  connection?: InboxConnection | null;
  /** API inboxes: where agents' replies are POSTed (null on other channels). */
  webhook_url?: string | null;
  /** Signs every webhook (`whsec_…`); only admins receive it, on one inbox or a new one. */
  webhook_secret?: string;
  /** When the webhook was switched off (410 Gone, or failure after failure); saving its URL switches it on. */
  webhook_disabled_at?: string | null;
  /** Messaging inboxes (Telegram, SMS, WhatsApp…): the provider's settings without secrets, generated values included. */
  provider_settings?: Record<string, string> | null;
  /** Which secret settings are stored; their values are never answered. */
  secrets_set?: string[] | null;
  /** The URL to paste at the provider as its webhook (messaging inboxes). */
  inbound_webhook_url?: string | null;
  created_at: string;
}

/** One field of a messaging provider's setup form (GET /channels). */
export interface ChannelField {
  name: string;
  label: string;
  /** Write-only: never answered once saved (`Inbox.secrets_set` says whether it is stored). */
  secret: boolean;
  optional: boolean;
  /** Made by Rapport when the inbox is saved (shown then, never typed). */
  generated: boolean;
  /** A regular expression the value must match, and what to say when it does not. */
  pattern: string | null;
  problem: string | null;
  placeholder: string | null;
  /** Fields with the same value are alternatives: at least one of them is required. */
  one_of?: string | null;
  help: string;
}

/** A messaging channel Rapport can connect, with its guided setup form (GET /channels). */
export interface ChannelInfo {
  channel: string;
  /** For people: "SMS (Twilio)". */
  label: string;
  fields: ChannelField[];
  address_kind: string;
  /** Free-form replies only within this many hours of the customer's last message (WhatsApp: 24). */
  reply_window_hours: number | null;
  /** Whether a closed window can be reopened with an approved template (WhatsApp; not Messenger). */
  templates: boolean;
  /** What to do with the inbox's webhook URL at the provider. */
  webhook_help: string;
  docs: string[];
}

/** POST /inboxes/channel-test: whether the provider took the settings, and if not why, in words. */
export interface ChannelTestResult {
  ok: boolean;
  error: string | null;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password_set: boolean;
}

export interface ImapSettings extends SmtpSettings {
  mailbox: string;
}

/** Whether the inbox's mail servers or webhook last answered; `error` is a sentence for a person. */
export interface InboxConnection {
  status: 'ok' | 'failing' | 'unknown';
  error: string | null;
  /** Which one a failure is about: imap, smtp, webhook or provider (absent on older servers). */
  part?: string | null;
  checked_at: string | null;
}

/** A mail server's settings as written to the API; an omitted password keeps the stored one. */
export interface MailServerInput {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password?: string;
}

export interface ImapInput extends MailServerInput {
  mailbox?: string;
}

/** POST /inboxes/connection-test: each server tried (null: not asked about). */
export interface ConnectionTestResult {
  imap: { ok: boolean; error: string | null } | null;
  smtp: { ok: boolean; error: string | null } | null;
}

export type ContactFormFieldType = 'text' | 'textarea' | 'email' | 'tel' | 'select';

/** An extra field of a contact form (name, email, subject and message are always there). */
export interface ContactFormField {
  /** Names the answer: lower-case letters, digits and _, starting with a letter. */
  key: string;
  label: string;
  type: ContactFormFieldType;
  required: boolean;
  /** The choices of a select field. */
  options?: string[];
}

/** What PUT /inboxes/:id/form takes: an email inbox's contact form. */
export interface ContactFormConfig {
  /** Whether the page is published. */
  enabled: boolean;
  title: string;
  intro: string;
  /** Shown after name, email and subject, before the message. */
  fields: ContactFormField[];
  /** Whether the customer gets an email saying their message arrived. */
  confirmation: boolean;
  /** What the customer reads after sending. */
  thanks: string;
}

/** GET /inboxes/:id/form: the form with its public page and the tag to embed it (null until first saved). */
export interface ContactForm extends ContactFormConfig {
  url: string | null;
  embed_snippet: string | null;
}

export interface TwoFactorSetup {
  secret: string;
  otpauth_url: string;
  qr_svg: string;
}

export interface PasswordResetLink {
  url: string;
  expires_at: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

/** The JSON shapes of conversations and messages: one presenter for the API, realtime and webhooks. */
import type { ConversationPriority, ConversationStatus, MoodName, MoodTrend } from '../../core/db/schema.js';
import { agentUrl, attachmentsOf, presentAttachment } from '../attachments/attachments.js';
import { replyWindowOf } from '../channels/messaging/window.js';
import { presentCall } from '../channels/phone/call.js';

export interface ConversationRow {
  id: string;
  subject: string;
  status: ConversationStatus;
  priority: ConversationPriority;
  unread_count: number;
  tags: string[];
  last_message_at: Date;
  last_seq: number;
  snoozed_until: Date | null;
  waiting_since: Date | null;
  first_response_at: Date | null;
  resolved_at: Date | null;
  last_incoming_at: Date | null;
  created_at: Date;
  merged_into_id: string | null;
  split_from_id: string | null;
  inbox_id: string;
  inbox_name: string;
  channel: string;
  contact_id: string;
  contact_name: string;
  contact_email: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  team_id: string | null;
  team_name: string | null;
  preview: string | null;
  sla_target: string | null;
  sla_due_at: Date | null;
  sla_warn_at: Date | null;
  sla_breached_at: Date | null;
  sla_paused_since: Date | null;
  /** Mood (features/mood): null until the customer's first message has been read. */
  mood?: MoodName | null;
  sentiment?: number | null;
  mood_trend?: MoodTrend | null;
  language?: string | null;
}

/** The email part of a message as stored by the email channel (content_attributes.email). */
export interface StoredEmail {
  subject: string;
  from: { address: string; name: string } | null;
  to: Array<{ address: string; name: string }>;
  cc: Array<{ address: string; name: string }>;
  html: string | null;
  html_visible: string | null;
  text: string;
  has_quoted: boolean;
  remote_images: number;
  suspicious: string | null;
  automated: 'auto-reply' | 'bulk' | 'bounce' | null;
  blocked_attachments: Array<{ file_name: string; reason: string }>;
}

function emailOf(attributes: Record<string, unknown>): StoredEmail | null {
  const e = attributes.email as Partial<StoredEmail> | undefined;
  if (!e || typeof e !== 'object') return null;
  return {
    subject: e.subject ?? '',
    from: e.from ?? null,
    to: e.to ?? [],
    cc: e.cc ?? [],
    html: e.html ?? null,
    html_visible: e.html_visible ?? null,
    text: e.text ?? '',
    has_quoted: e.has_quoted ?? false,
    remote_images: e.remote_images ?? 0,
    suspicious: e.suspicious ?? null,
    automated: e.automated ?? null,
    blocked_attachments: e.blocked_attachments ?? [],
  };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentConversation(r: ConversationRow) {
  return {
    id: r.id,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    inbox: { id: r.inbox_id, name: r.inbox_name },
    contact: { id: r.contact_id, name: r.contact_name, email: r.contact_email },
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    team: r.team_id ? { id: r.team_id, name: r.team_name ?? '' } : null,
    tags: r.tags,
    last_message_preview: (r.preview ?? '').slice(0, 200),
    last_message_at: r.last_message_at.toISOString(),
    last_seq: r.last_seq,
    unread_count: r.unread_count,
    snoozed_until: iso(r.snoozed_until),
    waiting_since: iso(r.waiting_since),
    first_response_at: iso(r.first_response_at),
    resolved_at: iso(r.resolved_at),
    reply_window: replyWindowOf(r.channel, r.last_incoming_at),
    merged_into_id: r.merged_into_id,
    split_from_id: r.split_from_id,
    created_at: r.created_at.toISOString(),
    sla: presentSlaSummary(r),
    mood: r.mood ?? null,
    sentiment: r.sentiment ?? null,
    mood_trend: r.mood_trend ?? null,
    language: r.language ?? null,
  };
}

/** The SLA target shown on the conversation (the next due, or the breached one), for the list and the header. */
export function presentSlaSummary(r: Pick<ConversationRow, 'sla_target' | 'sla_due_at' | 'sla_warn_at' | 'sla_breached_at' | 'sla_paused_since'>) {
  if (!r.sla_target) return null;
  return { target: r.sla_target, due_at: iso(r.sla_due_at), warn_at: iso(r.sla_warn_at), breached: r.sla_breached_at !== null, paused: r.sla_paused_since !== null };
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  kind: 'text' | 'system' | 'call';
  direction: 'incoming' | 'outgoing';
  private: boolean;
  content: string;
  status: string;
  client_message_id: string | null;
  content_attributes: Record<string, unknown>;
  created_at: Date;
  user_id: string | null;
  user_name: string | null;
  user_avatar: string | null;
  contact_id: string | null;
  contact_name: string | null;
  /** Mood (features/mood): read a moment after a customer's message is written; null on others. */
  mood?: MoodName | null;
  sentiment?: number | null;
  language?: string | null;
}

export function presentMessage(m: MessageRow) {
  return {
    id: m.id,
    conversation_id: m.conversation_id,
    seq: m.seq,
    kind: m.kind,
    direction: m.direction,
    private: m.private,
    content: m.content,
    status: m.status,
    client_message_id: m.client_message_id,
    attachments: attachmentsOf(m.content_attributes).map((a) => presentAttachment(a, agentUrl(a.id))),
    email: emailOf(m.content_attributes),
    call: m.kind === 'call' ? presentCall(m.content_attributes) : null,
    delivery_error: typeof m.content_attributes.delivery_error === 'string' ? m.content_attributes.delivery_error : null,
    author: m.user_id
      ? { type: 'user' as const, id: m.user_id, name: m.user_name ?? '', avatar_url: m.user_avatar }
      : m.contact_id
        ? { type: 'contact' as const, id: m.contact_id, name: m.contact_name ?? '', avatar_url: null }
        : null,
    bot: botOf(m.content_attributes),
    created_at: m.created_at.toISOString(),
    mood: m.mood ?? null,
    sentiment: m.sentiment ?? null,
    language: m.language ?? null,
  };
}

/** What the answer bot stored on its message (content_attributes.bot), or null for anyone else's. */
export function botOf(attributes: Record<string, unknown>): { name: string; quick_replies: string[]; citation: { article_id: string; title: string; url: string } | null } | null {
  const b = attributes.bot as { name?: unknown; quick_replies?: unknown; citation?: { article_id?: unknown; title?: unknown; url?: unknown } | null } | undefined;
  if (!b || typeof b !== 'object') return null;
  const c = b.citation;
  return {
    name: typeof b.name === 'string' ? b.name : '',
    quick_replies: Array.isArray(b.quick_replies) ? b.quick_replies.filter((q): q is string => typeof q === 'string') : [],
    citation: c && typeof c.article_id === 'string' && typeof c.title === 'string' && typeof c.url === 'string' ? { article_id: c.article_id, title: c.title, url: c.url } : null,
  };
}

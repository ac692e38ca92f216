/** Request and response schemas of conversations and messages. */
import { Type } from '@sinclair/typebox';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';
import { ConversationMoodFields, MessageMoodFields, MoodName } from '../mood/mood.schema.js';

export const MESSAGE_MAX = 10_000;

const Ref = Type.Object({ id: Uuid, name: Type.String() });
export const Status = Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('snoozed'), Type.Literal('resolved')]);
export const Priority = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);
export const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^\\s<>"\'`,]+$', description: 'A label without spaces, commas, quotes or angle brackets' });
export const ChannelFilter = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$', description: 'The inbox channel: web_chat, email, api, whatsapp…' });
const DateBound = (description: string) =>
  Type.String({ maxLength: 40, description: `${description}: a date-time with its offset (2026-03-01T09:00:00Z), or a date (2026-03-01), a day in your time zone (your profile's)` });
export const FromBound = DateBound('Only activity on or after this');
export const ToBound = DateBound('Only activity before this (a date means up to the end of that day)');

export const Conversation = Type.Object({
  id: Uuid,
  subject: Type.String(),
  status: Status,
  priority: Priority,
  channel: Type.String(),
  inbox: Ref,
  contact: Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()) }),
  assignee: Nullable(Ref),
  team: Nullable(Ref),
  tags: Type.Array(Type.String()),
  last_message_preview: Type.String(),
  last_message_at: Timestamp,
  last_seq: Type.Integer({ description: 'Sequence number of the newest message: ask for messages after it' }),
  unread_count: Type.Integer(),
  snoozed_until: Nullable(Timestamp),
  waiting_since: Nullable(Timestamp),
  first_response_at: Nullable(Timestamp),
  resolved_at: Nullable(Timestamp),
  reply_window: Nullable(
    Type.Object(
      {
        closes_at: Nullable(Timestamp),
        open: Type.Boolean(),
        template_required: Type.Boolean({ description: 'Only a template message can be sent now' }),
      },
      { description: 'Channels that take free-form replies only for a while after the customer last wrote (WhatsApp: 24 hours); null on others' },
    ),
  ),
  merged_into_id: Nullable(Type.String({ format: 'uuid', description: 'This conversation was merged into that one, which now holds its messages; open that one instead' })),
  split_from_id: Nullable(Type.String({ format: 'uuid', description: 'The conversation this one was split out of' })),
  created_at: Timestamp,
  sla: Nullable(
    Type.Object(
      {
        target: Type.String({ description: 'first_response, next_response or resolution' }),
        due_at: Nullable(Timestamp),
        warn_at: Nullable(Timestamp),
        breached: Type.Boolean(),
        paused: Type.Boolean({ description: 'Waiting on the customer: the clock stands still (due_at is null)' }),
      },
      { description: 'The SLA target due next (a breached one stays until met); null without an SLA policy' },
    ),
  ),
  ...ConversationMoodFields,
});

export const Attachment = Type.Object({
  id: Uuid,
  file_name: Type.String({ description: 'Display name, cleaned of folders and control characters' }),
  content_type: Type.String({ description: 'Decided from the bytes, not from the name' }),
  byte_size: Type.Integer(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  inline: Type.Boolean({ description: 'An image that may be shown in place; other files are downloads' }),
  url: Type.String({ description: 'Relative to the server; add download=1 to force a download' }),
});

const EmailAddress = Type.Object({ address: Type.String(), name: Type.String() });

/** What an email message shows beyond its text (null on other channels). */
export const EmailDetails = Type.Object({
  subject: Type.String(),
  from: Nullable(EmailAddress),
  to: Type.Array(EmailAddress),
  cc: Type.Array(EmailAddress),
  html: Nullable(Type.String({ description: 'The whole sanitised HTML; blocked remote images carry data-remote-src instead of src' })),
  html_visible: Nullable(Type.String({ description: 'The HTML without the quoted history' })),
  text: Type.String({ description: 'The whole plain text; `content` is the part before the quoted history and signature' }),
  has_quoted: Type.Boolean(),
  remote_images: Type.Integer(),
  suspicious: Nullable(Type.String({ description: 'Why the sender may not be who they say (failed DMARC/SPF/DKIM at the receiving server)' })),
  automated: Nullable(Type.Union([Type.Literal('auto-reply'), Type.Literal('bulk'), Type.Literal('bounce')])),
  blocked_attachments: Type.Array(Type.Object({ file_name: Type.String(), reason: Type.String() })),
});

/** What a call entry says about the call (null on other messages). */
export const CallDetails = Type.Object({
  sid: Nullable(Type.String({ description: "The provider's id of the call (Twilio's CallSid); null when logged by hand" })),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  status: Type.Union(['ringing', 'answered', 'completed', 'missed', 'voicemail', 'no_answer', 'requested'].map((s) => Type.Literal(s)), {
    description: 'ringing → answered → completed, or ringing → missed → voicemail; no_answer: an outbound call nobody took; requested: a callback the customer asked for',
  }),
  duration_seconds: Nullable(Type.Integer()),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  agent: Nullable(Ref),
  recording: Nullable(Type.String({ description: 'The attachment id of the recording (among `attachments`)' })),
  recording_error: Nullable(Type.String({ description: 'Why the recording could not be kept' })),
  transcription: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  at: Nullable(Timestamp),
  logged_by_hand: Type.Boolean(),
  preferred_time: Nullable(Type.String({ description: 'A callback request: asap, a time, or the customer’s words' })),
});

/** An answer bot's message (features/answer-bot): who wrote it, the article it cites, the quick replies it offers. */
export const BotDetails = Type.Object({
  name: Type.String(),
  quick_replies: Type.Array(Type.String(), { description: 'Buttons the widget shows; sending one is the same as typing it' }),
  citation: Nullable(Type.Object({ article_id: Uuid, title: Type.String(), url: Type.String() })),
});

export const Message = Type.Object({
  id: Uuid,
  conversation_id: Uuid,
  seq: Type.Integer(),
  kind: Type.Union([Type.Literal('text'), Type.Literal('system'), Type.Literal('call')], { description: 'call: an entry of a phone call or a callback request (see `call`)' }),
  direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
  private: Type.Boolean(),
  content: Type.String(),
  status: Type.String(),
  client_message_id: Nullable(Type.String()),
  attachments: Type.Array(Attachment),
  email: Nullable(EmailDetails),
  call: Nullable(CallDetails),
  delivery_error: Nullable(Type.String({ description: 'Why a reply could not be sent (status failed)' })),
  author: Nullable(Type.Object({ type: Type.Union([Type.Literal('contact'), Type.Literal('user')]), id: Uuid, name: Type.String(), avatar_url: Nullable(Type.String()) })),
  bot: Nullable(BotDetails),
  created_at: Timestamp,
  ...MessageMoodFields,
});

export const ConversationFilters = Obj({
  status: Type.Optional(Type.Union([Status, Type.Literal('all')], { default: 'all' })),
  assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Type.Literal('any'), Uuid], { description: 'me, unassigned, any, or a user id' })),
  inbox_id: Type.Optional(Uuid),
  team_id: Type.Optional(Uuid),
  tag: Type.Optional(Tag),
  channel: Type.Optional(ChannelFilter),
  from: Type.Optional(FromBound),
  to: Type.Optional(ToBound),
  sort: Type.Optional(
    Type.Union([Type.Literal('newest'), Type.Literal('oldest'), Type.Literal('waiting'), Type.Literal('sla'), Type.Literal('mood')], {
      description: 'newest/oldest activity first, waiting longest for a reply first, SLA due soonest (those without an SLA last), or mood: angriest and worsening first, then newest activity',
    }),
  ),
  mood: Type.Optional(Type.Union([MoodName, Type.Literal('upset')], { description: 'Only conversations in this mood; upset: angry, frustrated or getting worse' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});

export const ConversationUpdate = Obj({
  status: Type.Optional(Status),
  priority: Type.Optional(Priority),
  assignee_id: Type.Optional(Nullable(Uuid)),
  team_id: Type.Optional(Nullable(Uuid)),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 20, uniqueItems: true })),
  snoozed_until: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
});

export const AttachmentIds = Type.Array(Uuid, { maxItems: 10, description: 'Files uploaded for this conversation by the author (at most 10)' });

export const NewMessage = Obj({
  content: Type.String({ maxLength: MESSAGE_MAX, description: 'The text; may be empty when attachment_ids are given' }),
  attachment_ids: Type.Optional(AttachmentIds),
  mentions: Type.Optional(Type.Array(Uuid, { maxItems: 20, description: 'Teammates mentioned in a private note (their user ids); each gets a notification' })),
  private: Type.Optional(Type.Boolean({ default: false, description: 'true makes a private note, never shown to the customer' })),
  client_message_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w-]+$', description: 'Makes a retry safe: the same id never creates a second message' })),
  template: Type.Optional(
    Obj(
      {
        name: Type.String({ minLength: 1, maxLength: 512, pattern: '^[a-z0-9_]+$', description: 'The approved template’s name' }),
        language: Type.String({ minLength: 2, maxLength: 15, pattern: '^[a-z]{2,3}(_[A-Z]{2})?$', description: 'Its language code, such as en_US' }),
        parameters: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 20, description: 'Values of the body’s {{1}}, {{2}}, …' })),
      },
      { description: 'Send an approved template instead of free text (WhatsApp outside its 24-hour window); content is the text agents see' },
    ),
  ),
});

export const MessagesQuery = Obj({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages with a sequence number above this' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
});

/** Request and response schemas of notifications and notification preferences. */
import { Type } from '@sinclair/typebox';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';

export const Kind = Type.Union([Type.Literal('assigned'), Type.Literal('mention'), Type.Literal('message'), Type.Literal('generic')], {
  description: 'assigned: a conversation was assigned to me; mention: a teammate mentioned me; message: new messages in a conversation I follow or am assigned to; generic: alerts such as SLA warnings',
});

export const Notification = Type.Object({
  id: Uuid,
  kind: Kind,
  conversation_id: Nullable(Uuid),
  title: Type.String(),
  body: Type.String(),
  count: Type.Integer({ description: 'How many events it stands for (new messages gather in one notification while it is unread)' }),
  read: Type.Boolean(),
  read_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const NotificationPage = Type.Object({
  data: Type.Array(Notification),
  next_cursor: Nullable(Type.String()),
  unread_count: Type.Integer(),
});

export const NotificationsQuery = Obj({
  unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
});

const Preference = Obj({ in_app: Type.Boolean(), email: Type.Boolean() });

export const Preferences = Type.Object({
  email_available: Type.Boolean({ description: 'Whether this server sends email notifications at all (NOTIFICATIONS_SMTP_URL is set)' }),
  preferences: Type.Array(Type.Object({ kind: Kind, label: Type.String(), in_app: Type.Boolean(), email: Type.Boolean() })),
});

export const PreferencesUpdate = Obj({
  preferences: Type.Array(Obj({ kind: Kind, in_app: Type.Boolean(), email: Type.Boolean() }), { minItems: 1, maxItems: 4, description: 'The kinds to change; others stay as they are' }),
});

export { Preference };

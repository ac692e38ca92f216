/** Request and response schemas of workspaces, people and access (validation, types, OpenAPI). */
import { Type } from '@sinclair/typebox';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../core/auth/secrets.js';

export const RoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('agent')], { description: 'owner > admin > agent' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
export const PersonName = Type.String({ minLength: 1, maxLength: 120 });
export const Language = Type.Union(['en', 'de', 'fr', 'es', 'nl', 'pt'].map((l) => Type.Literal(l)));

export const UserRef = Type.Object({ id: Uuid, name: Type.String() });

export const Profile = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  avatar_url: Nullable(Type.String()),
  time_zone: Type.String(),
  language: Type.String(),
  two_factor_enabled: Type.Boolean(),
  created_at: Timestamp,
});

export const Member = Type.Composite([Profile, Type.Object({ role: RoleSchema })]);
export const Workspace = Type.Object({ id: Uuid, name: Type.String() });

export const Me = Type.Object({
  user: Profile,
  workspace: Nullable(Workspace),
  role: Nullable(RoleSchema),
  workspaces: Type.Array(Type.Object({ id: Uuid, name: Type.String(), role: RoleSchema })),
  auth: Type.Union([Type.Literal('session'), Type.Literal('token')]),
});

export const Team = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  member_ids: Type.Array(Uuid),
  created_at: Timestamp,
});

export const Invitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: RoleSchema,
  url: Nullable(Type.String({ description: 'The invite link; only in the answer to its creation' })),
  expires_at: Timestamp,
  created_at: Timestamp,
  invited_by: Nullable(UserRef),
});

export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: RoleSchema,
  prefix: Type.String({ description: 'First characters of the token, to recognise it' }),
  created_at: Timestamp,
  last_used_at: Nullable(Timestamp),
  user: UserRef,
});

export const AuditEvent = Type.Object({
  id: Uuid,
  action: Type.String(),
  actor: Nullable(UserRef),
  actor_token_id: Nullable(Uuid),
  target_type: Nullable(Type.String()),
  target_id: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  created_at: Timestamp,
});

export const TimeZone = Type.String({ minLength: 1, maxLength: 64 });
export const AvatarUrl = Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }));
export const TeamName = Type.String({ minLength: 1, maxLength: 80 });
export const WorkspaceName = Type.String({ minLength: 1, maxLength: 80 });
export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });

export const ProfileUpdate = Obj({
  name: Type.Optional(PersonName),
  avatar_url: Type.Optional(AvatarUrl),
  time_zone: Type.Optional(TimeZone),
  language: Type.Optional(Language),
});

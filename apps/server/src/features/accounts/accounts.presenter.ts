/** The JSON shapes of people, workspaces, teams, invitations, tokens and audit events. */
import type { Role } from '../../core/db/schema.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  avatar_url: string | null;
  time_zone: string;
  language: string;
  totp_enabled_at: Date | null;
  created_at: Date;
}

export function presentProfile(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    avatar_url: u.avatar_url,
    time_zone: u.time_zone,
    language: u.language,
    two_factor_enabled: u.totp_enabled_at !== null,
    created_at: u.created_at.toISOString(),
  };
}

export function presentMember(u: UserRow & { role: Role }) {
  return { ...presentProfile(u), role: u.role };
}

export function presentTeam(t: { id: string; name: string; description: string; created_at: Date }, memberIds: string[]) {
  return { id: t.id, name: t.name, description: t.description, member_ids: memberIds, created_at: t.created_at.toISOString() };
}

export function presentInvitation(
  i: { id: string; email: string; role: Role; expires_at: Date; created_at: Date; inviter_id: string | null; inviter_name: string | null },
  url: string | null = null,
) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    url,
    expires_at: i.expires_at.toISOString(),
    created_at: i.created_at.toISOString(),
    invited_by: i.inviter_id ? { id: i.inviter_id, name: i.inviter_name ?? '' } : null,
  };
}

export function presentToken(t: { id: string; name: string; role: Role; prefix: string; created_at: Date; last_used_at: Date | null; user_id: string; user_name: string }) {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    prefix: t.prefix,
    created_at: t.created_at.toISOString(),
    last_used_at: t.last_used_at?.toISOString() ?? null,
    user: { id: t.user_id, name: t.user_name },
  };
}

export function presentAuditEvent(e: {
  id: string;
  action: string;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_token_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}) {
  return {
    id: e.id,
    action: e.action,
    actor: e.actor_user_id ? { id: e.actor_user_id, name: e.actor_name ?? '' } : null,
    actor_token_id: e.actor_token_id,
    target_type: e.target_type,
    target_id: e.target_id,
    ip: e.ip,
    metadata: e.metadata,
    created_at: e.created_at.toISOString(),
  };
}

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

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';

export interface Conversation {
  id: string;
  subject: string | null;
  status: ConversationStatus;
  priority: string | null;
  channel: string;
  inbox?: PersonRef;
  contact: { id: string; name: string | null; email: string | null } | null;
  assignee: PersonRef | null;
  last_message_preview: string | null;
  last_message_at: string | null;
  unread_count: number;
}

export interface Message {
  id: string;
  seq?: number;
  direction: 'incoming' | 'outgoing';
  private: boolean;
  content: string;
  author: { type: 'contact' | 'user'; id: string; name: string | null } | null;
  created_at: string;
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

/** The security audit log: who did what to whom, from where. Written in the caller's transaction. */
import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';

export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_out_everywhere'
  | 'auth.password_changed'
  | 'auth.password_reset'
  | 'auth.two_factor_enabled'
  | 'auth.two_factor_disabled'
  | 'member.added'
  | 'member.removed'
  | 'member.role_changed'
  | 'token.created'
  | 'token.revoked'
  | 'invitation.created'
  | 'invitation.revoked'
  | 'invitation.accepted'
  | 'workspace.created'
  | 'workspace.renamed'
  | 'inbox.identity_secret_rotated'
  | 'contact.merged'
  | 'inbox.webhook_secret_rotated'
  | 'webhook.created'
  | 'webhook.deleted'
  | 'webhook.secret_rotated'
  | 'search.language_changed'
  | 'automation_rule.created'
  | 'automation_rule.updated'
  | 'automation_rule.deleted'
  | 'macro.created'
  | 'macro.updated'
  | 'macro.deleted'
  | 'canned_response.created'
  | 'canned_response.updated'
  | 'canned_response.deleted';

export interface AuditEntry {
  action: AuditAction;
  actorUserId?: string | null;
  actorTokenId?: string | null;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
}

export function requestOrigin(request: FastifyRequest | undefined) {
  return { ip: request?.ip ?? null, userAgent: (request?.headers['user-agent'] ?? '').slice(0, 300) || null };
}

export async function recordAudit(db: Kysely<DB> | Transaction<DB>, accountId: string, entry: AuditEntry, request?: FastifyRequest): Promise<void> {
  const auth = request?.auth;
  const origin = requestOrigin(request);
  await scoped(db, accountId)
    .insertInto('audit_events', {
      action: entry.action,
      actor_user_id: entry.actorUserId !== undefined ? entry.actorUserId : (auth?.userId ?? null),
      actor_token_id: entry.actorTokenId !== undefined ? entry.actorTokenId : (auth?.tokenId ?? null),
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      ip: origin.ip,
      user_agent: origin.userAgent,
      metadata: JSON.stringify(entry.metadata ?? {}),
    })
    .execute();
}

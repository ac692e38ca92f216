import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../../core/db/schema.js';
import { hashToken, newToken } from '../../../core/auth/secrets.js';
import { scoped } from '../../../core/db/tenant.js';
import { assertMayGrant } from '../accounts.policy.js';
import { recordAudit } from '../audit.js';

/** Creates an API token; the plaintext is returned once and only its SHA-256 is stored. */
export async function createApiToken(
  db: Kysely<DB>,
  input: { accountId: string; userId: string; actorRole: Role; name: string; role: Role },
  request?: FastifyRequest,
): Promise<{ id: string; token: string }> {
  assertMayGrant(input.actorRole, input.role);
  const token = newToken('rpt_');
  const id = await db.transaction().execute(async (trx) => {
    const row = await scoped(trx, input.accountId)
      .insertInto('api_tokens', { user_id: input.userId, name: input.name, role: input.role, token_hash: hashToken(token), prefix: token.slice(0, 10) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, input.accountId, { action: 'token.created', actorUserId: input.userId, targetType: 'api_token', targetId: row.id, metadata: { name: input.name, role: input.role } }, request);
    return row.id;
  });
  return { id, token };
}

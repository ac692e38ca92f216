import type { Kysely } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { unscoped } from '../../../core/db/tenant.js';
import { hashPassword } from '../../../core/auth/secrets.js';
import { AppError } from '../../../core/errors.js';
import { recordAudit } from '../audit.js';

export interface NewOwner {
  email: string;
  name: string;
  password: string;
}

/**
 * Creates a workspace owned by an existing person (userId) or by a new one (owner). Used by the
 * CLI's create-admin, the demo seed and "Create workspace" in the app.
 */
export async function createWorkspace(
  db: Kysely<DB>,
  input: { name: string; userId?: string; owner?: NewOwner },
): Promise<{ accountId: string; userId: string }> {
  const passwordHash = input.owner ? await hashPassword(input.owner.password) : undefined;
  return db.transaction().execute(async (trx) => {
    let userId = input.userId;
    if (!userId && input.owner) {
      const existing = await trx.selectFrom('users').select('id').where(({ fn }) => fn('lower', ['email']), '=', input.owner.email.toLowerCase()).executeTakeFirst();
      if (existing) throw new AppError('conflict', `A user with the email ${input.owner.email} already exists.`);
      const user = await trx
        .insertInto('users')
        .values({ email: input.owner.email.toLowerCase(), name: input.owner.name, password_hash: passwordHash! })
        .returning('id')
        .executeTakeFirstOrThrow();
      userId = user.id;
    }
    if (!userId) throw new Error('createWorkspace needs a userId or an owner');
    const account = await trx.insertInto('accounts').values({ name: input.name }).returning('id').executeTakeFirstOrThrow();
    // The membership row is the first row of the new workspace; nothing to scope against yet.
    await unscoped(trx).insertInto('memberships').values({ account_id: account.id, user_id: userId, role: 'owner' }).execute();
    await recordAudit(trx, account.id, { action: 'workspace.created', actorUserId: userId, actorTokenId: null, targetType: 'account', targetId: account.id });
    return { accountId: account.id, userId };
  });
}

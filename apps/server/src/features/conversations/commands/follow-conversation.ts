/**
 * Following a conversation: its followers hear of every new message in it (a notification).
 * The assignee and teammates mentioned in it follow it by themselves; anyone who may open it can
 * follow or stop following it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Adds followers (again is nothing). */
export async function follow(db: Db, accountId: string, conversationId: string, userIds: string[]): Promise<void> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  await scoped(db, accountId)
    .insertInto(
      'conversation_followers',
      ids.map((user_id) => ({ conversation_id: conversationId, user_id })),
    )
    .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
    .execute();
}

export async function unfollow(db: Db, accountId: string, conversationId: string, userId: string): Promise<void> {
  await scoped(db, accountId).deleteFrom('conversation_followers').where('conversation_id', '=', conversationId).where('user_id', '=', userId).execute();
}

/** Who follows the conversation, by name. */
export async function followersOf(db: Db, accountId: string, conversationId: string): Promise<Array<{ id: string; name: string; avatar_url: string | null }>> {
  return scoped(db, accountId)
    .selectFrom('conversation_followers')
    .innerJoin('users as u', 'u.id', 'conversation_followers.user_id')
    .select(['u.id', 'u.name', 'u.avatar_url'])
    .where('conversation_followers.conversation_id', '=', conversationId)
    .orderBy('u.name')
    .execute();
}

/**
 * Moves a conversation to another inbox of the workspace, so the customer is answered on another
 * channel they have: "continue by email" when a chat visitor has left. The whole history moves
 * with it; from then on replies go out through the new inbox's channel. Only to an inbox that can
 * reach this customer (an email inbox needs their email address), and only between inboxes the
 * agent works in. Both inboxes' agents hear of it, and the thread says who moved it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { recordEvent } from '../../../core/outbox.js';
import { atLeast } from '../../../core/auth/roles.js';
import { checkAddress } from '../../channels/email/addresses.js';
import { findConversation, type Viewer } from '../conversations.queries.js';
import { presentConversation } from '../conversations.presenter.js';
import { insertMessage } from './post-message.js';

export async function moveConversation(db: Kysely<DB>, viewer: Viewer & { name: string }, id: string, inboxId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ws = scoped(trx, viewer.accountId);
    const current = await findConversation(trx, viewer, id);
    if (!current) throw notFound('Conversation');
    await ws.selectFrom('conversations').select('id').where('id', '=', id).forUpdate().execute();
    if (current.inbox_id === inboxId) return;
    const target = await ws.selectFrom('inboxes').select(['id', 'name', 'channel', 'email_address']).where('id', '=', inboxId).executeTakeFirst();
    const works = atLeast(viewer.role ?? undefined, 'admin') || (await ws.selectFrom('inbox_members').select('user_id').where('inbox_id', '=', inboxId).where('user_id', '=', viewer.userId).executeTakeFirst());
    if (!target || !works) throw new AppError('invalid_reference', 'That inbox does not exist, or you do not work in it.', [{ field: 'inbox_id', message: 'is not an inbox you work in' }]);

    let how = `replies now go through ${target.name}`;
    if (target.channel === 'email') {
      const address = checkAddress(current.contact_email ?? '');
      if (!address.ok) throw new AppError('invalid_state', 'This customer has no email address to continue by email; add one to the contact first.', [{ field: 'inbox_id', message: 'the customer has no email address' }]);
      // The customer takes part by email from now on (a reply of theirs threads in here).
      await ws.updateTable('conversations').set({ participants: [...new Set([...(await ws.selectFrom('conversations').select('participants').where('id', '=', id).executeTakeFirstOrThrow()).participants, address.address])] }).where('id', '=', id).execute();
      how = `replies now go by email to ${address.address}`;
    } else if (target.channel === 'webchat') {
      throw new AppError('invalid_state', 'A conversation cannot move into a live chat inbox: the visitor starts chats from the website.', [{ field: 'inbox_id', message: 'is a live chat inbox' }]);
    }
    await ws.updateTable('conversations').set({ inbox_id: target.id }).where('id', '=', id).execute();
    // Files travel with their conversation: they belong to the inbox it is in.
    await ws.updateTable('attachments').set({ inbox_id: target.id }).where('conversation_id', '=', id).execute();
    await insertMessage(trx, viewer.accountId, { conversationId: id, content: `${viewer.name} moved the conversation from ${current.inbox_name} to ${target.name}: ${how}`, author: { type: 'system', id: viewer.userId } });
    const updated = presentConversation((await findConversation(trx, viewer, id))!);
    // The old inbox's agents see it leave, the new inbox's see it arrive.
    await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: updated, moved_from_inbox_id: current.inbox_id }, { conversationId: id, inboxId: current.inbox_id });
    await recordEvent(trx, viewer.accountId, 'conversation.updated', { conversation: updated }, { conversationId: id, inboxId: target.id });
  });
}

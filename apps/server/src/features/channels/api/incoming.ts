/**
 * A customer's message that an API inbox's source sends in: a new conversation (with its first
 * message) or one more message in a conversation. Idempotent on the request's key: a retry, or the
 * same request twice at the same instant (SECURITY 36), answers what the first one made; the
 * primary key of api_idempotency_keys decides which one that is. A key used for a different
 * request is refused instead of answered with something else.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../../core/context.js';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { insertMessage } from '../../conversations/commands/post-message.js';
import { resolveContact, type CheckedContact } from './api.contacts.js';

export interface Made {
  conversationId: string;
  messageId: string;
  /** False when the key had made them already. */
  created: boolean;
}

type Request = 'conversation' | 'message';
const UNIQUE_VIOLATION = '23505';
/** A lost race (the same key, or the same new contact, at once) is tried again this many times. */
const ATTEMPTS = 3;

const digest = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/**
 * Runs `make` once per key: answers the stored outcome of an earlier request with this key, else
 * makes it and records the key in the same transaction. A unique violation means another request
 * got there first (the key, or the contact's identity): the next turn answers or finds its work.
 */
async function once(ctx: AppContext, accountId: string, inboxId: string, key: string, request: Request, hash: string, make: (trx: Transaction<DB>) => Promise<Omit<Made, 'created'>>): Promise<Made> {
  const ws = scoped(ctx.db, accountId);
  for (let attempt = 1; ; attempt++) {
    const seen = await ws.selectFrom('api_idempotency_keys').select(['request', 'request_hash', 'conversation_id', 'message_id']).where('inbox_id', '=', inboxId).where('idempotency_key', '=', key).executeTakeFirst();
    if (seen) {
      if (seen.request !== request || seen.request_hash !== hash) {
        throw new AppError('idempotency_key_reused', undefined, [{ field: 'idempotency_key', message: `was already used for a different ${seen.request === 'conversation' ? 'new conversation' : 'message'}` }]);
      }
      return { conversationId: seen.conversation_id, messageId: seen.message_id, created: false };
    }
    try {
      const made = await ctx.db.transaction().execute(async (trx) => {
        const result = await make(trx);
        await scoped(trx, accountId)
          .insertInto('api_idempotency_keys', { inbox_id: inboxId, idempotency_key: key, request, request_hash: hash, conversation_id: result.conversationId, message_id: result.messageId })
          .execute();
        return result;
      });
      ctx.outbox.kick();
      return { ...made, created: true };
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= ATTEMPTS) throw err;
    }
  }
}

export interface NewConversation {
  inboxId: string;
  contact: CheckedContact;
  subject: string;
  content: string;
  key: string;
}

/** A new conversation in an API inbox, from the customer, with their first message. */
export async function startApiConversation(ctx: AppContext, accountId: string, input: NewConversation): Promise<Made> {
  const hash = digest(['conversation', input.contact, input.subject, input.content]);
  return once(ctx, accountId, input.inboxId, input.key, 'conversation', hash, async (trx) => {
    const contactId = await resolveContact(trx, accountId, input.contact);
    const conversation = await scoped(trx, accountId).insertInto('conversations', { inbox_id: input.inboxId, contact_id: contactId, subject: input.subject }).returning('id').executeTakeFirstOrThrow();
    const message = await insertMessage(trx, accountId, { conversationId: conversation.id, content: input.content, author: { type: 'contact', id: contactId } });
    return { conversationId: conversation.id, messageId: message.id };
  });
}

export interface IncomingMessage {
  inboxId: string;
  conversationId: string;
  contactId: string;
  content: string;
  key: string;
}

/** One more message from the conversation's customer (it reopens a resolved conversation, as any customer message does). */
export async function addIncomingMessage(ctx: AppContext, accountId: string, input: IncomingMessage): Promise<Made> {
  const hash = digest(['message', input.conversationId, input.content]);
  return once(ctx, accountId, input.inboxId, input.key, 'message', hash, async (trx) => {
    const message = await insertMessage(trx, accountId, { conversationId: input.conversationId, content: input.content, author: { type: 'contact', id: input.contactId } });
    return { conversationId: input.conversationId, messageId: message.id };
  });
}

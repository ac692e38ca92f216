/**
 * Writing call entries: a new one (from the provider's first report, an agent's log, a widget's
 * callback request), or the same one changed in place as later reports come (the outcome, the
 * duration, the voicemail's recording and transcription). Each change is one transaction with its
 * event (message.created, or message.updated like a delivery receipt), and a missed call or a
 * voicemail opens the callback task there too, once per call.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { recordEvent } from '../../../core/outbox.js';
import { attachmentsOf, type AttachmentSummary } from '../../attachments/attachments.js';
import { insertMessage, type Author } from '../../conversations/commands/post-message.js';
import { findConversation, findMessage } from '../../conversations/conversations.queries.js';
import { presentConversation, presentMessage, type MessageRow } from '../../conversations/conversations.presenter.js';
import { callOf, sentenceOf, wantsCallback, type StoredCall } from './call.js';

export const CALLBACK_TAG = 'callback';
const SYSTEM_VIEWER = { userId: '00000000-0000-0000-0000-000000000000', role: 'owner' as const };
const withCallbackTag = sql<string[]>`case when ${CALLBACK_TAG}::text = any(tags) then tags else array_append(tags, ${CALLBACK_TAG}::text) end`;

/** The conversation waits for someone to call: open, tagged `callback`; agents see the change live. */
async function markForCallback(trx: Transaction<DB>, accountId: string, conversationId: string): Promise<void> {
  await scoped(trx, accountId).updateTable('conversations').set({ status: 'open', snoozed_until: null, resolved_at: null, tags: withCallbackTag }).where('id', '=', conversationId).execute();
}

async function conversationChanged(trx: Transaction<DB>, accountId: string, conversationId: string): Promise<void> {
  const updated = await findConversation(trx, { accountId, ...SYSTEM_VIEWER }, conversationId);
  if (updated) await recordEvent(trx, accountId, 'conversation.updated', { conversation: presentConversation(updated) }, { conversationId, inboxId: updated.inbox_id });
}

/**
 * The callback task of a missed call or a voicemail: the conversation is open, tagged `callback`,
 * and says whom to call back. It waits unassigned in the inbox's queue (no routing rules yet)
 * until an agent takes it and resolves it.
 */
async function openCallbackTask(trx: Transaction<DB>, accountId: string, conversationId: string, call: StoredCall, at: Date): Promise<void> {
  await markForCallback(trx, accountId, conversationId);
  const number = call.from ?? 'the caller';
  const what = call.status === 'voicemail' ? 'voicemail' : 'missed call';
  await insertMessage(trx, accountId, { conversationId, content: `Call back ${number} (${what} at ${at.toISOString()})`, author: { type: 'system' } });
  await conversationChanged(trx, accountId, conversationId);
}

/** True when the call now asks for a callback and has not opened its task yet. */
const opensCallback = (call: StoredCall) => wantsCallback(call) && !call.callback_opened;

export interface NewCallEntry {
  conversationId: string;
  author: Author;
  call: StoredCall;
  attachmentIds?: string[];
  clientMessageId?: string;
  /** A request to be called: tagged for a callback without the "missed" sentence. */
  tagCallback?: boolean;
}

/** Writes a new call entry (and its callback task) inside the caller's transaction. */
export async function insertCallEntry(trx: Transaction<DB>, accountId: string, entry: NewCallEntry): Promise<MessageRow> {
  const opens = opensCallback(entry.call);
  const call = opens ? { ...entry.call, callback_opened: true } : entry.call;
  const row = await insertMessage(trx, accountId, {
    conversationId: entry.conversationId,
    kind: 'call',
    content: sentenceOf(call),
    author: entry.author,
    attachmentIds: entry.attachmentIds,
    clientMessageId: entry.clientMessageId,
    contentAttributes: { call },
  });
  // After the entry, so the thread reads: the missed call, then whom to call back.
  if (opens) await openCallbackTask(trx, accountId, entry.conversationId, call, row.created_at);
  else if (entry.tagCallback) {
    await markForCallback(trx, accountId, entry.conversationId);
    await conversationChanged(trx, accountId, entry.conversationId);
  }
  return row;
}

/**
 * Changes a call entry in place: `change` gets the stored call and answers the new one; a
 * recording (already stored as an upload) is attached when the entry has none yet. Answers
 * whether anything changed; an unchanged report (a repeated webhook) writes nothing.
 */
export async function updateCallEntry(
  trx: Transaction<DB>,
  accountId: string,
  messageId: string,
  change: (call: StoredCall) => StoredCall,
  recording?: AttachmentSummary,
): Promise<{ changed: boolean; recordingKept: boolean }> {
  const ws = scoped(trx, accountId);
  const row = await ws.selectFrom('messages').select(['conversation_id', 'content', 'content_attributes', 'created_at']).where('id', '=', messageId).where('kind', '=', 'call').forUpdate().executeTakeFirst();
  const stored = row ? callOf(row.content_attributes) : null;
  if (!row || !stored) return { changed: false, recordingKept: false };
  let next = change(stored);
  const keepRecording = !!recording && !stored.recording;
  if (keepRecording) next = { ...next, recording: recording.id, recording_error: null };
  const opens = opensCallback(next);
  if (opens) next = { ...next, callback_opened: true };
  if (JSON.stringify(next) === JSON.stringify(stored)) return { changed: false, recordingKept: false };
  const attachments = keepRecording ? [...attachmentsOf(row.content_attributes), recording] : attachmentsOf(row.content_attributes);
  await ws
    .updateTable('messages')
    .set({ content: sentenceOf(next), content_attributes: JSON.stringify({ ...row.content_attributes, call: next, ...(attachments.length ? { attachments } : {}) }) })
    .where('id', '=', messageId)
    .execute();
  if (keepRecording) await ws.updateTable('attachments').set({ message_id: messageId, conversation_id: row.conversation_id }).where('id', '=', recording.id).where('message_id', 'is', null).execute();
  if (opens) await openCallbackTask(trx, accountId, row.conversation_id, next, row.created_at);
  const message = await findMessage(trx, accountId, messageId);
  const conversation = await ws.selectFrom('conversations').select(['inbox_id']).where('id', '=', row.conversation_id).executeTakeFirstOrThrow();
  await recordEvent(trx, accountId, 'message.updated', { message: presentMessage(message) }, { conversationId: row.conversation_id, inboxId: conversation.inbox_id });
  return { changed: true, recordingKept: keepRecording };
}

/**
 * Files in conversations: storing an upload (checked by content, counted against the workspace's
 * quota), a message claiming the uploads of its author, and how an attachment is shown to agents
 * and to visitors. An upload is a handle that works only for whoever uploaded it, once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { SecretBox } from '../../core/crypto-box.js';
import { AppError } from '../../core/errors.js';
import { displayName, sniff } from './files.js';

export const MAX_PER_MESSAGE = 10;

export type Uploader = { type: 'user'; id: string } | { type: 'contact'; id: string };

/** What a message keeps about each file (in content_attributes, so reading messages needs no join). */
export interface AttachmentSummary {
  id: string;
  file_name: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  inline: boolean;
}

export interface NewUpload {
  accountId: string;
  inboxId: string;
  conversationId: string | null;
  uploader: Uploader;
  fileName: string;
  bytes: Buffer;
  quotaBytes: number;
}

export async function storeUpload(db: Kysely<DB>, upload: NewUpload): Promise<AttachmentSummary> {
  const checked = await checkUpload(upload);
  const [stored] = await db.transaction().execute((trx) => storeUploads(trx, upload.accountId, upload.quotaBytes, [checked]));
  if (stored instanceof AppError) throw stored;
  return stored;
}

/** An upload with its content checked (what the bytes are, the name shown), ready to store. */
export interface CheckedUpload extends NewUpload {
  summary: Omit<AttachmentSummary, 'id'>;
}

/** Reads what the file is from its bytes (not from its name or the type its sender claims). */
export async function checkUpload(upload: NewUpload): Promise<CheckedUpload> {
  const sniffed = await sniff(upload.bytes, upload.fileName);
  const fileName = displayName(upload.fileName, sniffed.contentType);
  return { ...upload, summary: { file_name: fileName, content_type: sniffed.contentType, byte_size: upload.bytes.length, width: sniffed.width, height: sniffed.height, inline: sniffed.inline } };
}

/**
 * Stores checked uploads of one workspace inside `trx`, in order, against its quota: each answer
 * is the stored file, or the quota error for a file that does not fit (the files after it may).
 * The workspace's usage is read once for them all.
 */
export async function storeUploads(trx: Transaction<DB>, accountId: string, quotaBytes: number, uploads: CheckedUpload[]): Promise<Array<AttachmentSummary | AppError>> {
  if (uploads.length === 0) return [];
  // One workspace's uploads queue here, so two at once cannot both squeeze under the quota.
  await sql`select pg_advisory_xact_lock(hashtext(${`attachments:${accountId}`}))`.execute(trx);
  const ws = scoped(trx, accountId);
  const used = await ws.selectFrom('attachments').select((eb) => eb.fn.coalesce(eb.fn.sum<string>('byte_size'), sql<string>`0`).as('bytes')).executeTakeFirstOrThrow();
  let usage = Number(used.bytes);
  const answers: Array<AttachmentSummary | AppError> = [];
  const rows: Array<{ id: string; upload: CheckedUpload }> = [];
  for (const upload of uploads) {
    if (upload.accountId !== accountId) throw new Error('storeUploads: an upload of another workspace');
    if (usage + upload.bytes.length > quotaBytes) {
      answers.push(new AppError('storage_quota_exceeded'));
      continue;
    }
    usage += upload.bytes.length;
    const id = randomUUID();
    rows.push({ id, upload });
    answers.push({ id, ...upload.summary });
  }
  if (rows.length === 0) return answers;
  await ws
    .insertInto(
      'attachments',
      rows.map(({ id, upload }) => ({
        id,
        inbox_id: upload.inboxId,
        conversation_id: upload.conversationId,
        uploaded_by_user_id: upload.uploader.type === 'user' ? upload.uploader.id : null,
        uploaded_by_contact_id: upload.uploader.type === 'contact' ? upload.uploader.id : null,
        file_name: upload.summary.file_name,
        content_type: upload.summary.content_type,
        byte_size: upload.bytes.length,
        width: upload.summary.width,
        height: upload.summary.height,
        sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      })),
    )
    .execute();
  await ws.insertInto('attachment_blobs', rows.map(({ id, upload }) => ({ attachment_id: id, data: upload.bytes }))).execute();
  return answers;
}

/** The uploads one new message names, by its author (none for a message without files), for its conversation. */
export type UploadUse = { ids: string[]; author: Uploader; conversation: { id: string; inbox_id: string } } | { ids: []; author: null; conversation: { id: string; inbox_id: string } };

/**
 * Locks the uploads a new message names and checks each is its author's own, unclaimed, and made
 * for this conversation (or, for a visitor's first message, this inbox). Refuses per id otherwise.
 */
export async function lockUploads(trx: Transaction<DB>, accountId: string, ids: string[], author: Uploader, conversation: { id: string; inbox_id: string }): Promise<AttachmentSummary[]> {
  const [files] = await lockUploadsOfMessages(trx, accountId, [{ ids, author, conversation }]);
  return files;
}

/**
 * lockUploads for several new messages in one query: each message's files, in order. The first
 * message (in the order given) that names a file it may not use is refused, as it would be alone.
 */
export async function lockUploadsOfMessages(trx: Transaction<DB>, accountId: string, uses: UploadUse[]): Promise<AttachmentSummary[][]> {
  const all = [...new Set(uses.flatMap((use) => use.ids))];
  if (all.length === 0) return uses.map(() => []);
  const rows = await scoped(trx, accountId).selectFrom('attachments').selectAll('attachments').where('id', 'in', all).where('message_id', 'is', null).forUpdate().execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return uses.map(({ ids, author, conversation }) => {
    const unique = [...new Set(ids)];
    const usable = (id: string) => {
      const r = byId.get(id);
      const uploader = author?.type === 'user' ? r?.uploaded_by_user_id : r?.uploaded_by_contact_id;
      return r !== undefined && author !== null && uploader === author.id && r.inbox_id === conversation.inbox_id && (r.conversation_id === null || r.conversation_id === conversation.id);
    };
    const missing = unique.filter((id) => !usable(id));
    if (missing.length) {
      throw new AppError(
        'invalid_reference',
        missing.length === 1 ? 'One of the files is unknown, not yours, or already sent; upload it again.' : 'Some of the files are unknown, not yours, or already sent; upload them again.',
        missing.map((id) => ({ field: 'attachment_ids', id, message: 'unknown, not yours, or already sent' })),
      );
    }
    return unique.map((id) => {
      const r = byId.get(id)!;
      return { id: r.id, file_name: r.file_name, content_type: r.content_type, byte_size: r.byte_size, width: r.width, height: r.height, inline: r.width !== null };
    });
  });
}

export async function claimUploads(trx: Transaction<DB>, accountId: string, ids: string[], conversationId: string, messageId: string): Promise<void> {
  if (ids.length === 0) return;
  await scoped(trx, accountId).updateTable('attachments').set({ message_id: messageId, conversation_id: conversationId }).where('id', 'in', ids).execute();
}

/** claimUploads for several written messages in one statement. */
export async function claimUploadsOfMessages(trx: Transaction<DB>, accountId: string, claims: Array<{ ids: string[]; conversationId: string; messageId: string }>): Promise<void> {
  const files = claims.flatMap((c) => c.ids.map((id) => ({ id, conversationId: c.conversationId, messageId: c.messageId })));
  if (files.length === 0) return;
  const v = sql<{ id: string; message_id: string; conversation_id: string }>`(select unnest(${files.map((f) => f.id)}::uuid[]) as id, unnest(${files.map((f) => f.messageId)}::uuid[]) as message_id, unnest(${files.map((f) => f.conversationId)}::uuid[]) as conversation_id)`.as('v');
  await scoped(trx, accountId)
    .updateTable('attachments')
    .from(v)
    .set((eb) => ({ message_id: eb.ref('v.message_id'), conversation_id: eb.ref('v.conversation_id') }))
    .whereRef('attachments.id', '=', 'v.id')
    .execute();
}

export const attachmentsOf = (contentAttributes: Record<string, unknown> | null | undefined): AttachmentSummary[] =>
  Array.isArray(contentAttributes?.attachments) ? (contentAttributes.attachments as AttachmentSummary[]) : [];

/** Agents fetch files with their session, through the conversation's visibility. */
export const agentUrl = (id: string) => `/api/v1/attachments/${id}`;

/** Visitors have no cookie in a third-party frame: their links carry a signature instead. */
export const visitorUrl = (box: SecretBox, id: string) => `/api/v1/widget/attachments/${id}?sig=${box.sign('attachment', id)}`;

export const presentAttachment = (a: AttachmentSummary, url: string) => ({ ...a, url });

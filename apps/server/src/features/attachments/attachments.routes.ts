/**
 * Uploading and fetching files. Agents upload into a conversation and fetch with their session
 * (through the same visibility as the conversation); visitors upload with their token and fetch
 * through signed links. Every file is served as inert data: its sniffed type, nosniff, a
 * sandboxing CSP, and a download unless it is an image.
 */
import contentDisposition from 'content-disposition';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { atLeast } from '../../core/auth/roles.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { Attachment } from '../conversations/conversations.schema.js';
import type { Visitor } from '../widget/visitors.js';
import { agentUrl, presentAttachment, storeUpload, visitorUrl, type Uploader } from './attachments.js';
import { ACCEPT } from './files.js';

const Limits = Type.Object({ max_bytes: Type.Integer(), accept: Type.String({ description: 'For <input type=file accept>' }) });
const Download = Obj({ download: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])) });
const MB = 1024 * 1024;

export const uploadLimits = (ctx: AppContext) => ({ max_bytes: ctx.config.attachmentMaxBytes, accept: ACCEPT });

/** Reads the one file part of a multipart upload, refusing an oversized body before reading it. */
async function readUpload(ctx: AppContext, request: FastifyRequest): Promise<{ fileName: string; bytes: Buffer }> {
  const max = ctx.config.attachmentMaxBytes;
  const tooLarge = () => new AppError('file_too_large', `This file is larger than ${Math.round(max / MB)} MB; send a smaller one.`);
  // A declared 5 GB body is refused from its headers (the multipart envelope adds a little).
  if (Number(request.headers['content-length'] ?? 0) > max + 64 * 1024) throw tooLarge();
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data, in a part named "file".');
  let part;
  try {
    part = await request.file({ limits: { fileSize: max, files: 1, fields: 0, parts: 1 } });
  } catch (err) {
    throw uploadError(err, tooLarge);
  }
  if (!part || part.fieldname !== 'file') throw new AppError('validation_failed', 'Send the file in a multipart part named "file".', [{ field: 'file', message: 'is required' }]);
  try {
    // Browsers write ", CR and LF in a multipart file name as %22, %0D and %0A (WHATWG HTML); undo that.
    const fileName = (part.filename ?? '').replace(/%22/g, '"').replace(/%0[DA]/gi, ' ');
    return { fileName, bytes: await part.toBuffer() };
  } catch (err) {
    throw uploadError(err, tooLarge);
  }
}

function uploadError(err: unknown, tooLarge: () => AppError): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return new AppError('validation_failed', 'Send one file per upload, in a part named "file".');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new AppError('unsupported_media_type', 'Send the file as multipart/form-data, in a part named "file".');
  if (err instanceof Error && /multipart|boundary|Unexpected end/i.test(err.message)) return new AppError('validation_failed', 'The upload is not valid multipart/form-data.');
  return err;
}

/** Sends a stored file as data that can never run as a page of ours. */
async function serve(ctx: AppContext, reply: FastifyReply, accountId: string, id: string, download: boolean) {
  const ws = scoped(ctx.db, accountId);
  const row = await ws
    .selectFrom('attachments')
    .innerJoin('attachment_blobs as b', (j) => j.onRef('b.attachment_id', '=', 'attachments.id').onRef('b.account_id', '=', 'attachments.account_id'))
    .select(['attachments.file_name', 'attachments.content_type', 'attachments.width', 'b.data'])
    .where('attachments.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('File');
  const inline = row.width !== null && !download;
  return reply
    .header('content-type', row.content_type.startsWith('text/') ? `${row.content_type}; charset=utf-8` : row.content_type)
    .header('content-disposition', contentDisposition(row.file_name, { type: inline ? 'inline' : 'attachment', fallback: row.file_name.replace(/[^\x20-\x7e]/g, '_') }))
    .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    .header('cross-origin-resource-policy', 'same-origin')
    .header('cache-control', 'private, max-age=3600')
    .send(row.data);
}

export function attachmentsRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/v1/attachments/limits', { config: { access: 'agent' }, schema: { tags: ['attachments'], summary: 'The largest file and the kinds of file an upload may be', response: { 200: Limits, ...errors(401, 403) } } }, async () =>
    uploadLimits(ctx),
  );

  app.post(
    '/api/v1/conversations/:id/attachments',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['attachments'],
        summary: 'Upload a file (multipart/form-data, part "file") to send with a reply or note: pass its id in attachment_ids',
        description: 'The kind of file is decided from its bytes (images, PDF, text, office documents, zip, audio, video); the upload is a handle only its uploader can send, once.',
        params: IdParams,
        response: { 201: Attachment, ...errors(400, 401, 403, 404, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const auth = member(request);
      const conversation = await findConversation(db, auth, request.params.id);
      if (!conversation) throw notFound('Conversation');
      await ctx.limiters.uploadsPerUser.hit(auth.userId, 'You are uploading files too fast; wait a moment.');
      const { fileName, bytes } = await readUpload(ctx, request);
      const stored = await storeUpload(db, { accountId: auth.accountId, inboxId: conversation.inbox_id, conversationId: conversation.id, uploader: { type: 'user', id: auth.userId }, fileName, bytes, quotaBytes: ctx.config.storageQuotaBytes });
      return reply.code(201).send(presentAttachment(stored, agentUrl(stored.id)));
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['attachments'], summary: "A file of a conversation I may see (images inline, everything else as a download; download=1 forces a download)", params: IdParams, querystring: Download, response: { ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      const auth = member(request);
      const ws = scoped(db, auth.accountId);
      const found = await ws.selectFrom('attachments').select(['inbox_id', 'message_id', 'uploaded_by_user_id']).where('id', '=', request.params.id).executeTakeFirst();
      // Not yet sent: only its uploader. Sent: whoever may see the conversation's inbox.
      const visible =
        !!found &&
        (found.message_id === null
          ? found.uploaded_by_user_id === auth.userId
          : atLeast(auth.role, 'admin') || !!(await ws.selectFrom('inbox_members').select('user_id').where('inbox_id', '=', found.inbox_id).where('user_id', '=', auth.userId).executeTakeFirst()));
      if (!visible) throw notFound('File');
      return serve(ctx, reply, auth.accountId, request.params.id, request.query.download === '1');
    },
  );
}

/** The visitor's side, mounted by the widget routes with their way of knowing the visitor. */
export function widgetAttachmentsRoutes(app: Api, ctx: AppContext, visitor: (request: FastifyRequest) => Promise<Visitor>): void {
  const { db } = ctx;

  app.post(
    '/api/v1/widget/attachments',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: 'The visitor uploads a file (header X-Visitor-Token; multipart/form-data, part "file") to send with a message',
        response: { 201: Attachment, ...errors(400, 401, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const v = await visitor(request);
      await ctx.limiters.widgetUploadsPerVisitor.hit(v.contactId, 'You are sending files too fast; wait a moment.');
      const { fileName, bytes } = await readUpload(ctx, request);
      const uploader: Uploader = { type: 'contact', id: v.contactId };
      const stored = await storeUpload(db, { accountId: v.accountId, inboxId: v.inboxId, conversationId: null, uploader, fileName, bytes, quotaBytes: ctx.config.storageQuotaBytes });
      return reply.code(201).send(presentAttachment(stored, visitorUrl(ctx.box, stored.id)));
    },
  );

  app.get(
    '/api/v1/widget/attachments/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: "A file of the visitor's conversation, by the signed link the widget was given",
        params: IdParams,
        querystring: Obj({ sig: Type.String({ minLength: 10, maxLength: 100 }), download: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])) }),
        response: { ...errors(400, 404, 429) },
      },
    },
    async (request, reply) => {
      if (!ctx.box.verify('attachment', request.params.id, request.query.sig)) {
        await ctx.limiters.widgetBadTokensPerIp.hit(request.ip);
        throw notFound('File');
      }
      // The signature proves we handed this link out; the row says which workspace holds it.
      const owner = await scopedOwner(ctx, request.params.id);
      if (!owner) throw notFound('File');
      return serve(ctx, reply, owner, request.params.id, request.query.download === '1');
    },
  );
}

async function scopedOwner(ctx: AppContext, id: string): Promise<string | undefined> {
  // Cross-workspace by design: a signed link names only the file (the signature vouches for it).
  const row = await unscoped(ctx.db).selectFrom('attachments').select('account_id').where('id', '=', id).executeTakeFirst();
  return row?.account_id;
}

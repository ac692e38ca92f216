/**
 * Import and export of the knowledge base over the API (admins): Markdown files as JSON or a zip
 * upload in, a zip (or JSON) out. The format is described in import-export.ts; the CLI's
 * `rapport kb import|export` uses the same functions.
 */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { IMPORT_LIMITS, exportFiles, importFiles, unzipFiles, zipFiles } from './import-export.js';

const tags = ['knowledge base'];
const Files = Type.Array(Obj({ path: Type.String({ minLength: 1, maxLength: 500 }), content: Type.String({ maxLength: IMPORT_LIMITS.fileBytes }) }), { maxItems: IMPORT_LIMITS.files });
const Report = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  files: Type.Array(Type.Object({ path: Type.String(), status: Type.String(), article_id: Type.Union([Type.String(), Type.Null()]), locale: Type.Union([Type.String(), Type.Null()]), error: Type.Union([Type.String(), Type.Null()]) })),
});
const ZIP_MAX = 20 * 1024 * 1024;

export function importExportRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/api/v1/kb/import',
    {
      config: { access: 'admin' },
      bodyLimit: 25 * 1024 * 1024,
      schema: { tags, summary: 'Import Markdown files with front matter (one per translation); importing the same files again updates, never duplicates. Answers a report per file', body: Obj({ files: Files }), response: { 200: Report, ...errors(400, 401, 403, 413, 422) } },
    },
    async (request) => {
      const auth = member(request);
      return importFiles(ctx.db, auth.accountId, auth.userId, request.body.files);
    },
  );

  app.post(
    '/api/v1/kb/import/zip',
    { config: { access: 'admin' }, schema: { tags, summary: 'Import a zip of Markdown files (multipart/form-data, part "file"), as /kb/import does', consumes: ['multipart/form-data'], response: { 200: Report, ...errors(400, 401, 403, 413, 415, 422) } } },
    async (request) => {
      const auth = member(request);
      if (Number(request.headers['content-length'] ?? 0) > ZIP_MAX + 64 * 1024) throw new AppError('file_too_large', `A zip may be at most ${ZIP_MAX / 1024 / 1024} MB.`);
      if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the zip as multipart/form-data, in a part named "file".');
      let bytes: Buffer;
      try {
        const part = await request.file({ limits: { fileSize: ZIP_MAX, files: 1, fields: 0, parts: 1 } });
        if (!part || part.fieldname !== 'file') throw new AppError('validation_failed', 'Send the zip in a multipart part named "file".', [{ field: 'file', message: 'is required' }]);
        bytes = await part.toBuffer();
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('file_too_large', `A zip may be at most ${ZIP_MAX / 1024 / 1024} MB.`);
        throw new AppError('validation_failed', 'The upload is not valid multipart/form-data.');
      }
      return importFiles(ctx.db, auth.accountId, auth.userId, unzipFiles(bytes));
    },
  );

  app.get(
    '/api/v1/kb/export',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Every article as Markdown files: a zip (default) or, with format=json, the files as JSON. Importing them again round-trips',
        querystring: Obj({ format: Type.Optional(Type.Union([Type.Literal('zip'), Type.Literal('json')])) }),
        response: { 200: Type.Object({ files: Files }, { description: 'With format=json; the default answer is application/zip' }), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const files = await exportFiles(ctx.db, member(request).accountId);
      if (request.query.format === 'json') return { files };
      // A Buffer is sent as it is (the JSON schema above describes the format=json answer only).
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="knowledge-base-${new Date().toISOString().slice(0, 10)}.zip"`)
        .send(zipFiles(files) as unknown as { files: typeof files });
    },
  );
}

/** Turns every failure into { error: { code, message, details } } with a stable code. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, errorCodes, isDatabaseUnreachable, type ErrorCode } from '../errors.js';
import { toFieldErrors } from './validation.js';
import { UnscopedQueryError } from '../db/tenant.js';

function body(code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

export function errorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.statusCode).send(body(err.code, err.message, err.details));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const details = toFieldErrors(fe.validation as never);
      const where = fe.validationContext === 'body' ? '' : ` in the ${fe.validationContext}`;
      const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
      return reply.code(400).send(body('validation_failed', `Invalid request${where}: ${summary}.`, details));
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(body('payload_too_large', errorCodes.payload_too_large.message));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(body('unsupported_media_type', errorCodes.unsupported_media_type.message));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(body('invalid_json', 'The request body is empty; send a JSON object.'));
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(400).send(body('invalid_json', 'The Content-Length header does not match the body.'));
    }
    if (fe.statusCode === 400 && (err instanceof SyntaxError || /JSON|prototype/i.test(fe.message))) {
      return reply.code(400).send(body('invalid_json', `The request body is not valid JSON: ${fe.message}`));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(body(fe.statusCode === 404 ? 'not_found' : 'validation_failed', fe.message));
    }
    if ((err as { code?: string }).code === '22P02') {
      // invalid text representation (e.g. a malformed uuid that slipped past a schema)
      return reply.code(404).send(body('not_found', errorCodes.not_found.message));
    }
    if (isDatabaseUnreachable(err)) {
      // Retryable, and nothing was kept: the client keeps its message and sends it again.
      request.log.warn({ err }, 'the database is unreachable');
      return reply.code(503).header('retry-after', '5').send(body('database_unavailable', errorCodes.database_unavailable.message));
    }
    if (err instanceof UnscopedQueryError) request.log.fatal({ err }, 'unscoped query on a workspace table');
    else request.log.error({ err }, 'request failed');
    return reply.code(500).send(body('internal_error', errorCodes.internal_error.message, { request_id: request.id }));
  });
}

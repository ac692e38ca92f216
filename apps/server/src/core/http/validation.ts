/**
 * Request validation. Bodies are validated strictly: unknown fields, wrong types and objects where
 * scalars belong are refused, never coerced or silently dropped. Query strings and path params
 * arrive as text, so those (and only those) are coerced to the declared scalar types.
 */
import AjvModule, { type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv and ajv-formats are CommonJS with a default export.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function makeAjv(coerce: boolean) {
  const ajv = new Ajv({ allErrors: true, coerceTypes: coerce, removeAdditional: false, useDefaults: true, strict: false });
  addFormats(ajv, ['email', 'uri', 'uuid', 'date-time']);
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};

export interface FieldError {
  field: string;
  message: string;
}

const readable: Record<string, (e: ErrorObject) => string> = {
  required: () => 'is required',
  additionalProperties: () => 'is not an allowed field',
  type: (e) => `must be ${(e.params as { type: string }).type === 'object' ? 'an object' : `a ${(e.params as { type: string }).type}`}`,
  format: (e) => `must be a valid ${(e.params as { format: string }).format}`,
  minLength: (e) => `must be at least ${(e.params as { limit: number }).limit} characters`,
  maxLength: (e) => `must be at most ${(e.params as { limit: number }).limit} characters`,
  enum: (e) => `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`,
  pattern: () => 'has an invalid format',
};

/** Turns ajv errors into the field errors the API answers and the app shows beside each field. */
export function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    const leaf = params.missingProperty ?? params.additionalProperty;
    const field = [base, leaf].filter(Boolean).join('.') || '(body)';
    const message = readable[e.keyword]?.(e) ?? e.message ?? 'is invalid';
    if (!out.some((o) => o.field === field && o.message === message)) out.push({ field, message });
  }
  return out;
}

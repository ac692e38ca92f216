/**
 * Checks rule and macro input field by field, so a refusal names the exact field
 * (`actions[1].priority`, `conditions[0].values[2]`): a union is checked against the one variant
 * its discriminant names, and template bodies for unknown variables.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { toFieldErrors, type FieldError } from '../../core/http/validation.js';
import { unknownVariables, unknownVariablesMessage } from './variables.js';

const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false });
addFormats(ajv, ['uuid', 'date-time']);
const compiled = new WeakMap<TSchema, ValidateFunction>();

/** `actions.1.priority` → `actions[1].priority`. */
const pathOf = (parts: string[]) => parts.filter(Boolean).reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');

/** Lists too short or too long, in words (ajv says "must NOT have fewer than 1 items"). */
function countMessage(e: ErrorObject | undefined): string | undefined {
  if (!e || (e.keyword !== 'minItems' && e.keyword !== 'maxItems')) return undefined;
  const limit = (e.params as { limit: number }).limit;
  return e.keyword === 'minItems' ? `needs at least ${limit} item${limit === 1 ? '' : 's'}` : `takes at most ${limit} items`;
}

export function check(schema: TSchema, value: unknown, at: string): FieldError[] {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (validate(value)) return [];
  const errors = toFieldErrors(validate.errors ?? []).map((e, i) => ({ field: pathOf([at, ...(e.field === '(body)' ? [] : e.field.split('.'))]) || '(body)', message: countMessage(validate.errors?.[i]) ?? e.message }));
  // A nullable field reports each branch it missed; the first says what to send.
  return errors.filter((e, i) => errors.findIndex((o) => o.field === e.field) === i);
}

/** Checks a value against the variant its discriminant (`type`, `field`) names. */
export function checkVariant(value: unknown, at: string, key: string, variants: Record<string, TSchema>): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: at, message: 'must be an object' }];
  const kind = (value as Record<string, unknown>)[key];
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(variants, kind)) return [{ field: `${at}.${key}`, message: `must be one of ${Object.keys(variants).join(', ')}` }];
  return check(variants[kind], value, at);
}

/** Each item of a list against its variant; then the variables of any template body. */
export function checkList(items: unknown[], at: string, key: string, variants: Record<string, TSchema>): FieldError[] {
  const errors = items.flatMap((item, i) => checkVariant(item, `${at}[${i}]`, key, variants));
  if (errors.length) return errors;
  return items.flatMap((item, i) => {
    const body = (item as { body?: unknown }).body;
    if (typeof body !== 'string') return [];
    const unknown = unknownVariables(body);
    return unknown.length ? [{ field: `${at}[${i}].body`, message: unknownVariablesMessage(unknown) }] : [];
  });
}

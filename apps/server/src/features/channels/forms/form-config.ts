/**
 * What a contact form asks: its title and introduction, its fields (name, email, subject and
 * message always; more as the workspace adds them), whether a confirmation email goes out, and
 * what the customer reads after sending.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Obj } from '../../../core/http/schema.js';

const FieldKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Lower-case letters, digits and _' });

export const FormField = Obj({
  key: FieldKey,
  label: Type.String({ minLength: 1, maxLength: 80 }),
  type: Type.Union([Type.Literal('text'), Type.Literal('textarea'), Type.Literal('email'), Type.Literal('tel'), Type.Literal('select')]),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 30 })),
});

export const FormConfigInput = Obj({
  enabled: Type.Boolean(),
  title: Type.String({ minLength: 1, maxLength: 120 }),
  intro: Type.String({ maxLength: 1000 }),
  fields: Type.Array(FormField, { maxItems: 20, description: 'Extra fields, shown after name, email and subject and before the message' }),
  confirmation: Type.Boolean({ description: 'Email the customer that their message arrived' }),
  thanks: Type.String({ minLength: 1, maxLength: 500 }),
});
export type FormConfig = Static<typeof FormConfigInput>;
export type Field = Static<typeof FormField>;

export const DEFAULT_FORM: FormConfig = {
  enabled: false,
  title: 'Contact us',
  intro: 'Write to us and we will answer by email.',
  fields: [],
  confirmation: true,
  thanks: 'Thank you! Your message has arrived; we will answer by email.',
};

/** The fields every form has, around the workspace's own. */
export function fieldsOf(config: FormConfig): Field[] {
  return [
    { key: 'name', label: 'Your name', type: 'text', required: true },
    { key: 'email', label: 'Email', type: 'email', required: true },
    { key: 'subject', label: 'Subject', type: 'text', required: true },
    ...config.fields.filter((f) => !['name', 'email', 'subject', 'message'].includes(f.key)),
    { key: 'message', label: 'Message', type: 'textarea', required: true },
  ];
}

export const configOf = (stored: Record<string, unknown>): FormConfig => ({ ...DEFAULT_FORM, ...(stored as Partial<FormConfig>) });

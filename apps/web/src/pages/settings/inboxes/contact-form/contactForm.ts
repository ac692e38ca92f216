// The contact form editor: its values, the checks the browser can make (the server's rules), the
// PUT body, and where the server's refusals belong.
import { ApiError, errorMessage } from '../../../../api/client';
import type { ContactForm, ContactFormConfig, ContactFormFieldType } from '../../../../api/types';

/** An extra field as the editor holds it: `uid` keeps its row steady while fields come and go. */
export interface FieldValues {
  uid: string;
  key: string;
  label: string;
  type: ContactFormFieldType;
  required: boolean;
  options: string[];
}

export interface ContactFormValues {
  enabled: boolean;
  title: string;
  intro: string;
  fields: FieldValues[];
  confirmation: boolean;
  thanks: string;
}

export const fieldTypes: Array<{ value: ContactFormFieldType; label: string }> = [
  { value: 'text', label: 'Short text' },
  { value: 'textarea', label: 'Long text' },
  { value: 'email', label: 'Email address' },
  { value: 'tel', label: 'Phone number' },
  { value: 'select', label: 'Choice (drop-down)' },
];

/** The fields every form has, in the order the page shows them; extra fields go before the message. */
export const builtInFields = {
  before: [
    { key: 'name', label: 'Your name', type: 'text' },
    { key: 'email', label: 'Email', type: 'email' },
    { key: 'subject', label: 'Subject', type: 'text' },
  ],
  after: [{ key: 'message', label: 'Message', type: 'textarea' }],
} as const;

/** Keys the page uses itself: the built-in fields, the honeypot and the time stamp. */
const RESERVED_KEYS = new Set(['name', 'email', 'subject', 'message', 'website', 'stamp']);
export const MAX_FIELDS = 20;
export const MAX_OPTIONS = 30;
const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

let lastUid = 0;
const nextUid = () => `field-${++lastUid}`;

/** "Order number" → "order_number", "Größe (EU)" → "grosse_eu": a key the server takes, from a label. */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!key) return '';
  return (/^[a-z]/.test(key) ? key : `field_${key}`).slice(0, 40).replace(/_+$/, '');
}

export function newField(): FieldValues {
  return { uid: nextUid(), key: '', label: '', type: 'text', required: false, options: [] };
}

export function valuesOf(form: ContactForm): ContactFormValues {
  return {
    enabled: form.enabled,
    title: form.title,
    intro: form.intro,
    fields: form.fields.map((f) => ({ uid: nextUid(), key: f.key, label: f.label, type: f.type, required: f.required, options: f.options ?? [] })),
    confirmation: form.confirmation,
    thanks: form.thanks,
  };
}

/** The body of PUT /inboxes/:id/form. */
export function bodyOf(values: ContactFormValues): ContactFormConfig {
  return {
    enabled: values.enabled,
    title: values.title.trim(),
    intro: values.intro.trim(),
    fields: values.fields.map((f) => ({
      key: f.key.trim(),
      label: f.label.trim(),
      type: f.type,
      required: f.required,
      ...(f.type === 'select' ? { options: f.options } : {}),
    })),
    confirmation: values.confirmation,
    thanks: values.thanks.trim(),
  };
}

/** Every error the browser can find before asking the server, keyed by the form's paths ("fields.0.key"). */
export function checkValues(values: ContactFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.title.trim()) errors.title = 'Give the form a title';
  if (!values.thanks.trim()) errors.thanks = 'Say what customers read after sending';
  const keys = values.fields.map((f) => f.key.trim());
  values.fields.forEach((field, i) => {
    const key = keys[i];
    if (!field.label.trim()) errors[`fields.${i}.label`] = 'Give the field a label';
    // An empty key with an empty label follows the label: the label's error says what to do.
    if (!key) {
      if (field.label.trim()) errors[`fields.${i}.key`] = 'Give the field a key';
    } else if (!KEY_PATTERN.test(key)) errors[`fields.${i}.key`] = 'Lower-case letters, digits and _, starting with a letter';
    else if (RESERVED_KEYS.has(key)) errors[`fields.${i}.key`] = `“${key}” is taken by a built-in field`;
    else if (keys.indexOf(key) !== i) errors[`fields.${i}.key`] = 'Another field has this key';
    if (field.type === 'select' && field.options.length === 0) errors[`fields.${i}.options`] = 'Add the choices, pressing Enter after each';
  });
  return errors;
}

/**
 * Where a refused save is shown: errors about one field's property ("fields.0.key") at that input,
 * about the title or thanks at theirs; a refusal of the field list as a whole keeps the server's
 * sentence ("The field key "size" is used twice…") under the list. Returns what belongs in the alert.
 */
export function placeServerErrors(error: unknown, setErrors: (errors: Record<string, string>) => void): string | null {
  if (!(error instanceof ApiError) || error.fieldErrors.length === 0) return errorMessage(error);
  const errors: Record<string, string> = {};
  const rest: string[] = [];
  for (const { field, message } of error.fieldErrors) {
    const path = field.replace(/^\/|^body[./]/, '').replace(/\//g, '.');
    if (path === 'fields') errors.fields = error.message;
    else if (/^fields\.\d+\.(key|label|type|options)/.test(path)) errors[path.replace(/^(fields\.\d+\.\w+).*$/, '$1')] = message;
    else if (['title', 'intro', 'thanks'].includes(path)) errors[path] = message;
    else rest.push(`${field}: ${message}`);
  }
  setErrors(errors);
  return rest.length ? rest.join('. ') : null;
}

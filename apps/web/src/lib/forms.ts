import { ApiError, errorMessage } from '../api/client';

/** The part of a Mantine form this helper needs. */
interface FormLike {
  getValues: () => object;
  setErrors: (errors: Record<string, string>) => void;
}

/**
 * Shows a failed request on a form: `validation_failed` field errors go to the
 * matching inputs (an error about one item of a list field goes to that field, quoting the item);
 * anything else is returned as a message for the form's alert.
 * Returns null when every error found a field.
 */
export function applyServerErrors(
  form: FormLike,
  error: unknown,
  fieldMap: Record<string, string> = {},
): string | null {
  const fields = Object.keys(form.getValues());
  // Errors that clearly belong to one field even without details.
  const owner = error instanceof ApiError ? fieldForCode[error.code] : undefined;
  if (owner && fields.includes(owner)) {
    form.setErrors({ [owner]: (error as ApiError).message });
    return null;
  }
  if (error instanceof ApiError && error.fieldErrors.length > 0) {
    const known = new Set(fields);
    const leftover: string[] = [];
    const errors: Record<string, string> = {};
    for (const { field, message } of error.fieldErrors) {
      const bare = field.replace(/^\/|^body[./]/, '').replace(/\//g, '.');
      const name = fieldMap[bare] ?? bare;
      // An item of a list field ("allowed_origins.1") is shown on the list, naming the item.
      const item = /^(.+)\.(\d+)$/.exec(name);
      const list = item && known.has(item[1]) ? (form.getValues() as Record<string, unknown>)[item[1]] : undefined;
      if (item && Array.isArray(list)) {
        const text = `“${String(list[Number(item[2])] ?? `Item ${Number(item[2]) + 1}`)}” ${message}`;
        errors[item[1]] = errors[item[1]] ? `${errors[item[1]]}; ${text}` : text;
      } else if (known.has(name)) errors[name] = errors[name] ? `${errors[name]}; ${message}` : capitalise(message);
      else leftover.push(`${field}: ${message}`);
    }
    form.setErrors(errors);
    return leftover.length ? leftover.join('. ') : null;
  }
  return errorMessage(error);
}

/**
 * A form kept in component state rather than in Mantine's form, for applyServerErrors: the values
 * of the fields that show errors, and where the errors go.
 */
export function stateForm(values: Record<string, unknown>, setErrors: (errors: Record<string, string>) => void): FormLike {
  return { getValues: () => values, setErrors };
}

const fieldForCode: Record<string, string> = {
  email_taken: 'email',
  wrong_password: 'current_password',
  // The whole sentence ("The webhook URL points at … (a loopback address) …") reads best at the field.
  invalid_webhook_url: 'webhook_url',
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The items of a list field that the server refused ("allowed_origins.1" → the second item). */
export function invalidItems(error: unknown, field: string, values: string[]): Set<string> {
  const bad = new Set<string>();
  if (!(error instanceof ApiError)) return bad;
  for (const e of error.fieldErrors) {
    const m = /^(?:\/|body[./])?(.+)[./](\d+)$/.exec(e.field);
    if (m && m[1] === field && values[Number(m[2])] !== undefined) bad.add(values[Number(m[2])]);
  }
  return bad;
}

/**
 * Every error the API can answer, defined once: a stable code, its HTTP status and a default
 * message a person can act on. Responses always look like { error: { code, message, details } }.
 */
export const errorCodes = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  validation_failed: { status: 400, message: 'Some fields are missing or invalid.' },
  unauthenticated: { status: 401, message: 'Sign in first, or send an API token as "Authorization: Bearer …".' },
  invalid_credentials: { status: 401, message: 'Email or password is incorrect.' },
  invalid_token: { status: 401, message: 'The API token is unknown or has been revoked.' },
  two_factor_required: { status: 401, message: 'Enter the 6-digit code from your authenticator app.' },
  invalid_two_factor_code: { status: 401, message: 'That authentication code is not valid; try the current one.' },
  wrong_password: { status: 403, message: 'Your current password is not correct.' },
  forbidden: { status: 403, message: 'Your role does not allow this.' },
  csrf_failed: { status: 403, message: 'This request came from another site and was refused; reload the app and try again.' },
  not_found: { status: 404, message: 'Not found.' },
  route_not_found: { status: 404, message: 'There is no such API endpoint.' },
  method_not_allowed: { status: 405, message: 'This endpoint does not accept that method.' },
  conflict: { status: 409, message: 'This conflicts with existing data.' },
  email_taken: { status: 409, message: 'Someone with this email is already in the workspace.' },
  conversation_contacts_differ: { status: 409, message: 'These conversations are with different customers; confirm to merge them anyway, or merge the contacts first.' },
  idempotency_key_reused: { status: 409, message: 'This idempotency key was already used for a different request; use a new key for a new request.' },
  invalid_reference: { status: 422, message: 'Some referenced objects do not exist in this workspace.' },
  invalid_filter: { status: 422, message: 'A filter or search parameter is not valid; check the named field.' },
  invalid_state: { status: 422, message: 'This cannot be done in the current state.' },
  invalid_business_hours: { status: 422, message: 'The business hours are not valid.' },
  invalid_routing: { status: 422, message: 'These routing settings are not valid.' },
  invalid_sla_policy: { status: 422, message: 'The SLA policy is not valid.' },
  invalid_webhook_url: { status: 422, message: 'This webhook URL cannot be used; give a public https:// address.' },
  reply_window_closed: { status: 422, message: 'This channel takes only a template message now: the customer last wrote too long ago.' },
  text_replies_unsupported: { status: 422, message: 'This channel carries no text replies; write a private note instead.' },
  invalid_signature: { status: 401, message: 'The webhook signature is missing or wrong; check the secret configured at the provider.' },
  invalid_email: { status: 422, message: 'That is not an email address; check it (such as name@example.com).' },
  invitation_invalid: { status: 404, message: 'This invitation link is invalid, expired or already used.' },
  reset_token_invalid: { status: 400, message: 'This password reset link is invalid, expired or already used; ask for a new one.' },
  widget_not_found: { status: 404, message: 'No chat widget has this key; check the data-inbox attribute of the snippet.' },
  visitor_token_invalid: { status: 401, message: 'The chat session is unknown or has expired; start a new one.' },
  upgrade_required: { status: 426, message: 'This endpoint speaks WebSocket: open it with an Upgrade request.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  file_too_large: { status: 413, message: 'This file is too large.' },
  storage_quota_exceeded: { status: 413, message: 'This workspace has used all of its file storage; delete old conversations or ask an administrator to raise the quota.' },
  file_type_not_allowed: { status: 415, message: 'This kind of file cannot be sent. Send an image, a PDF, a text file or an office document.' },
  image_too_large: { status: 422, message: 'This image has too many pixels; send one of at most 40 megapixels.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json.' },
  invalid_rule: { status: 422, message: 'This automation rule is not valid; see the fields named in details.' },
  invalid_macro: { status: 422, message: 'This macro is not valid; see the fields named in details.' },
  invalid_help_center: { status: 422, message: 'These help center settings are not valid; see the fields named in details.' },
  invalid_synonyms: { status: 422, message: 'A synonym group needs at least two different words or phrases.' },
  invalid_article: { status: 422, message: 'This knowledge base article is not valid; see the fields named in details.' },
  invalid_kb_structure: { status: 422, message: 'This category or section is not valid; see the fields named in details.' },
  invalid_template: { status: 422, message: 'This text uses a variable Rapport does not know.' },
  invalid_text: { status: 422, message: 'Give a text of 1 to 10,000 characters that is not only spaces.' },
  invalid_answer_bot: { status: 422, message: 'These answer bot settings are not valid.' },
  invalid_ai_settings: { status: 422, message: 'These AI assist settings cannot be used; see the fields named in details.' },
  ai_not_configured: { status: 422, message: 'AI assist is off: an admin can set up a model endpoint in Settings → AI assist.' },
  ai_unavailable: { status: 502, message: 'The model server could not answer; try again in a moment.' },
  rate_limited: { status: 429, message: 'Too many attempts; wait a moment and try again.' },
  internal_error: { status: 500, message: 'Something went wrong on our side; it has been logged.' },
  not_ready: { status: 503, message: 'The server is not ready yet.' },
  database_unavailable: { status: 503, message: 'The database cannot be reached right now, so nothing was saved. Try again in a few seconds; sending the same request again (with the same client message id or idempotency key) never makes a duplicate.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    public readonly code: ErrorCode,
    message?: string,
    public readonly details?: unknown,
    public readonly headers?: Record<string, string>,
  ) {
    super(message ?? errorCodes[code].message);
    this.statusCode = errorCodes[code].status;
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found.`);
export const forbidden = (message?: string) => new AppError('forbidden', message);

/**
 * Whether an error means the database could not be reached (PostgreSQL stopped, restarting or cut
 * off): the request did nothing it could keep, and the same request may simply be sent again.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting up.
  if (/^08/.test(code) || code === '57P01' || code === '57P02' || code === '57P03') return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  // node-postgres' own words for a pool that cannot connect or a connection that died mid-query.
  return /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|connect ECONNREFUSED/i.test(message);
}

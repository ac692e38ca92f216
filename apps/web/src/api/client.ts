// A small typed client for the Rapport API: same-origin cookie session, JSON bodies,
// and every non-2xx answer turned into an ApiError carrying the server's code and message.
import type { FieldError } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Per-field errors in `details` (validation_failed, and e.g. conflict or invalid_reference). */
  get fieldErrors(): FieldError[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldError =>
        typeof d === 'object' &&
        d !== null &&
        typeof (d as FieldError).field === 'string' &&
        typeof (d as FieldError).message === 'string',
    );
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The ApiError for an error answer, from its status and parsed JSON body (null when it had none). */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const err = (body as ErrorBody | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : `http_${status}`;
  const message =
    typeof err?.message === 'string' && err.message
      ? err.message
      : status >= 500
        ? 'The server ran into a problem. Please try again.'
        : status === 413
          ? 'This file is too large.'
          : `Request failed (${status})`;
  return new ApiError(status, code, message, err?.details);
}

async function parseError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return apiErrorOf(res.status, body);
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204 || res.status === 205) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T = void>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: (path: string) => request<void>('DELETE', path),
};

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** The widget API of the Rapport server (same origin as this frame). */
import type { WidgetUser } from '../protocol.js';

export interface Author {
  type: 'contact' | 'user';
  name: string;
  avatar_url: string | null;
}

export interface ServerMessage {
  id: string;
  seq: number;
  direction: 'incoming' | 'outgoing';
  content: string;
  status: string;
  client_message_id: string | null;
  author: Author | null;
  created_at: string;
}

export interface InboxInfo {
  name: string;
  greeting: string;
  agents: { name: string; avatar_url: string | null }[];
  reply_time: { typical_minutes: number | null; text: string };
}

export interface Session {
  visitor_token: string;
  visitor: { contact_id: string; name: string; email: string | null; verified: boolean };
  conversation: { id: string; status: string; last_seq: number } | null;
  inbox: InboxInfo;
}

export interface SessionRequest {
  widget_key: string;
  visitor_token?: string;
  identity?: WidgetUser;
  context?: { url?: string; referrer?: string; language?: string; time_zone?: string };
}

/** An answer other than 2xx. status 0: the request never got an answer (offline, server down). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** Where Rapport lives: this frame is served at <root>/widget/frame. */
export const root = location.origin + location.pathname.replace(/\/widget\/frame[^/]*$/, '');

async function call<T>(method: 'GET' | 'POST', path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['x-visitor-token'] = token;
  let res: Response;
  try {
    res = await fetch(`${root}/api/v1/widget/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'network error');
  }
  const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(res.status, json?.error?.code ?? 'http_' + res.status, json?.error?.message ?? res.statusText, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  return json as T;
}

export const api = {
  session: (body: SessionRequest) => call<Session>('POST', 'sessions', null, body),
  messages: (token: string, after: number) => call<{ data: ServerMessage[]; next_cursor: string | null }>('GET', `messages?after=${after}`, token),
  send: (token: string, content: string, clientMessageId: string) => call<ServerMessage>('POST', 'messages', token, { content, client_message_id: clientMessageId }),
};

export const realtimeUrl = () => root.replace(/^http/, 'ws') + '/api/v1/widget/realtime';

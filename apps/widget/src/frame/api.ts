/** The widget API of the Rapport server (same origin as this frame). */
import type { WidgetUser } from '../protocol.js';

export interface Author {
  type: 'contact' | 'user';
  name: string;
  avatar_url: string | null;
}

/** A file on a message. `url` is relative to the Rapport origin and carries its own signature. */
export interface Attachment {
  id: string;
  file_name: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  /** An image the server lets us show in an <img>; anything else is a download link. */
  inline: boolean;
  url: string;
}

/** What the answer bot adds to its messages: its name, the buttons it offers, the article it cites. */
export interface BotInfo {
  name: string;
  quick_replies: string[];
  citation: { article_id: string; title: string; url: string } | null;
}

/** A help article that may answer the visitor's question. */
export interface ArticleSuggestion {
  id: string;
  locale: string;
  title: string;
  description: string;
}

/** A help article as the widget shows it: `html` is sanitised by the server. */
export interface HelpArticle {
  id: string;
  locale: string;
  title: string;
  html: string;
  url: string;
}

export interface ServerMessage {
  id: string;
  seq: number;
  direction: 'incoming' | 'outgoing';
  content: string;
  /** 'read' once the other side has seen it. */
  status: string;
  client_message_id: string | null;
  author: Author | null;
  created_at: string;
  attachments?: Attachment[];
  bot?: BotInfo | null;
}

export interface InboxInfo {
  name: string;
  greeting: string;
  agents: { name: string; avatar_url: string | null }[];
  reply_time: { typical_minutes: number | null; text: string };
  /** Business hours: when closed, the next opening (an instant; shown in the visitor's own time). */
  availability?: { open: boolean; next_open_at: string | null; time_zone: string | null };
}

export interface Session {
  visitor_token: string;
  visitor: { contact_id: string; name: string; email: string | null; verified: boolean; left_email?: string | null };
  conversation: { id: string; status: string; last_seq: number } | null;
  inbox: InboxInfo;
  /** What the visitor may upload (accept: the value for <input type=file accept>). */
  uploads?: { max_bytes: number; accept: string };
}

export interface SessionRequest {
  widget_key: string;
  visitor_token?: string;
  identity?: WidgetUser;
  context?: { url?: string; referrer?: string; language?: string; time_zone?: string };
}

/** "Call me back": a number, and asap or the visitor's words for when; the id makes a retry safe. */
export interface CallbackRequest {
  phone: string;
  preferred_time: string;
  client_request_id: string;
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

function failure(status: number, json: unknown, statusText: string, retryAfter: string | null): ApiError {
  const e = (json as { error?: { code?: string; message?: string } } | null)?.error;
  const retry = Number(retryAfter);
  return new ApiError(status, e?.code ?? 'http_' + status, e?.message ?? statusText, Number.isFinite(retry) && retry > 0 ? retry : null);
}

async function call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['x-visitor-token'] = token;
  let res: Response;
  try {
    res = await fetch(`${root}/api/v1/widget/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'network error');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) throw failure(res.status, json, res.statusText, res.headers.get('retry-after'));
  return json as T;
}

/** Uploads one file (XHR: fetch cannot report upload progress). `progress` gets 0…1. */
function upload(token: string, file: File, progress: (fraction: number) => void): { done: Promise<Attachment>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Attachment>((resolve, reject) => {
    xhr.open('POST', `${root}/api/v1/widget/attachments`);
    xhr.setRequestHeader('x-visitor-token', token);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.response as Attachment) : reject(failure(xhr.status, xhr.response, xhr.statusText, xhr.getResponseHeader('retry-after'))));
    xhr.onerror = xhr.onabort = () => reject(new ApiError(0, 'network', 'network error'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

export const api = {
  session: (body: SessionRequest) => call<Session>('POST', 'sessions', null, body),
  messages: (token: string, after: number) => call<{ data: ServerMessage[]; next_cursor: string | null }>('GET', `messages?after=${after}`, token),
  send: (token: string, content: string, clientMessageId: string, attachmentIds?: string[]) =>
    call<ServerMessage>('POST', 'messages', token, { content, client_message_id: clientMessageId, ...(attachmentIds?.length ? { attachment_ids: attachmentIds } : {}) }),
  upload,
  leaveEmail: (token: string, email: string) => call<{ email: string }>('PATCH', 'visitor', token, { email }),
  articles: (token: string, q: string, locale: string) => call<{ data: ArticleSuggestion[]; available: boolean }>('GET', `articles?q=${encodeURIComponent(q)}&locale=${encodeURIComponent(locale)}`, token),
  article: (token: string, id: string, locale: string) => call<HelpArticle>('GET', `articles/${encodeURIComponent(id)}?locale=${encodeURIComponent(locale)}`, token),
  answered: (token: string, id: string, body: { helped: boolean; question: string; locale: string }) => call<null>('POST', `articles/${encodeURIComponent(id)}/answered`, token, body),
  requestCallback: (token: string, body: CallbackRequest) => call<{ phone: string; preferred_time: string }>('POST', 'callback-requests', token, body),
};

/** An attachment's address on the Rapport origin (never another site, whatever the server sent). */
export function fileUrl(a: Attachment, download = false): string | null {
  let url: URL;
  try {
    // Relative to where Rapport lives (which may be a path under its origin), like every call here.
    url = new URL(/^\/(?!\/)/.test(a.url) ? root + a.url : a.url);
  } catch {
    return null;
  }
  if (url.origin !== location.origin) return null;
  if (download) url.searchParams.set('download', '1');
  return url.href;
}

export const realtimeUrl = () => root.replace(/^http/, 'ws') + '/api/v1/widget/realtime';

/**
 * The message list as the visitor sees it: the server's messages by sequence number, then the
 * visitor's messages the server has not acknowledged yet. Everything arrives here through
 * merge(), whatever the path (history, realtime, the answer to a send), so nothing shows twice.
 */
import type { Attachment, Author, BotInfo, ServerMessage } from './api.js';

export type DeliveryState = 'sending' | 'sent' | 'failed';

export interface ChatMessage {
  /** Stable render key: the client id of the visitor's own messages, else the server id. */
  key: string;
  id: string | null;
  seq: number | null;
  client_message_id: string | null;
  direction: 'incoming' | 'outgoing';
  content: string;
  attachments: Attachment[];
  author: Author | null;
  created_at: string;
  state: DeliveryState;
  /** The server's status ('read' once the other side has seen it); null until the server has it. */
  status: string | null;
  /** Why the last attempt failed, when the server said so (e.g. a validation message). */
  error?: string;
  /** Set on the answer bot's messages. */
  bot?: BotInfo | null;
}

/** A message typed by the visitor and not yet acknowledged; persisted until it is. */
export interface QueuedMessage {
  client_message_id: string;
  content: string;
  created_at: string;
  /** Files already uploaded, sent with the message by id. */
  attachments?: Attachment[];
}

export function fromServer(m: ServerMessage): ChatMessage {
  return {
    key: m.client_message_id ?? m.id,
    id: m.id,
    seq: m.seq,
    client_message_id: m.client_message_id,
    direction: m.direction,
    content: m.content,
    attachments: Array.isArray(m.attachments) ? m.attachments : [],
    author: m.author,
    created_at: m.created_at,
    state: 'sent',
    status: m.status,
    bot: m.bot ?? null,
  };
}

export function fromQueue(q: QueuedMessage, state: DeliveryState = 'sending', error?: string): ChatMessage {
  return {
    key: q.client_message_id,
    id: null,
    seq: null,
    client_message_id: q.client_message_id,
    direction: 'incoming',
    content: q.content,
    attachments: q.attachments ?? [],
    author: null,
    created_at: q.created_at,
    state,
    status: null,
    error,
  };
}

function order(a: ChatMessage, b: ChatMessage): number {
  if (a.seq != null && b.seq != null) return a.seq - b.seq;
  if (a.seq != null) return -1;
  if (b.seq != null) return 1;
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
}

/** Adds or replaces messages, matching by server id or client message id; returns a new sorted list. */
export function merge(list: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const next = list.slice();
  for (const m of incoming) {
    const at = next.findIndex((x) => (m.id != null && x.id === m.id) || (m.client_message_id != null && x.client_message_id === m.client_message_id));
    if (at < 0) next.push(m);
    // A server copy is never replaced by a local one (a late 'failed' after the echo arrived).
    else if (!(next[at].id != null && m.id == null)) next[at] = { ...m, key: next[at].key };
  }
  return next.sort(order);
}

/** The highest sequence number the list holds (what to ask the server for after). */
export function lastSeq(list: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of list) if (m.seq != null && m.seq > max) max = m.seq;
  return max;
}

/** Drops a local message (one the server refused for good and the visitor no longer wants). */
export function without(list: readonly ChatMessage[], clientMessageId: string): ChatMessage[] {
  return list.filter((m) => m.client_message_id !== clientMessageId || m.id != null);
}

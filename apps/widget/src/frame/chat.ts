/**
 * The chat without its looks: the visitor session, history, the realtime connection and the
 * queue of messages the visitor typed. The UI reads `state` and calls send/retry/setOpen.
 *
 * Reliability rules:
 * - the visitor token lives in localStorage (one per widget key), so history survives reloads;
 * - every message gets a client_message_id when typed and keeps it through every retry;
 * - unacknowledged messages are persisted and sent in order whenever the server is reachable
 *   again (the server answers a repeated client id with the original message);
 * - after every (re)connect the frame asks for the messages after the sequence number up to which
 *   it holds everything (`synced`; not the highest it holds: the answer to a send may lie above
 *   replies it never received), and all paths meet in merge(), so nothing is lost or shown twice;
 * - a file is uploaded first (that needs the server, now) and then sent like any message: its
 *   attachment id rides in the queue with the client id, so the message itself survives drops.
 */
import type { PageContext, WidgetUser } from '../protocol.js';
import { ApiError, api, realtimeUrl, type ArticleSuggestion, type Attachment, type Author, type CallbackRequest, type HelpArticle, type InboxInfo, type ServerMessage } from './api.js';
import { Expiring, TYPING_SHOWN_MS, TypingSignal, newestAgentSeq } from './live.js';
import { Uploads, type Upload } from './uploads.js';
import { fromQueue, fromServer, merge, without, type ChatMessage, type QueuedMessage } from './messages.js';
import { post } from './host.js';
import { load, save } from './storage.js';

export type Phase = 'starting' | 'ready' | 'unavailable';
export type Link = 'idle' | 'connecting' | 'online' | 'offline';
export type { Upload };

export interface ChatState {
  phase: Phase;
  inbox: InboxInfo | null;
  messages: ChatMessage[];
  /** Realtime connection (idle until there is a conversation to follow). */
  link: Link;
  /** A passing notice for the visitor (rate limit, a file picked while offline). */
  notice: 'tooFast' | 'uploadOffline' | null;
  open: boolean;
  unread: number;
  /** The host page is phone-sized: the open chat fills the screen. */
  compact: boolean;
  uploads: Upload[];
  /** What the visitor may upload (from the session). */
  limits: { max_bytes: number; accept: string } | null;
  /** The agent typing a reply right now. */
  typing: Pick<Author, 'name' | 'avatar_url'> | null;
  /** The agents have read the visitor's messages up to this sequence number. */
  readUpTo: number;
  /** The email the visitor left to be answered at while the team is away. */
  leftEmail?: string | null;
}

const PING_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

/** 1 s, 2 s, 4 s … up to 30 s, with jitter so a restarted server is not hit all at once. */
export function backoff(attempt: number): number {
  const ms = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(ms * (0.75 + Math.random() * 0.5));
}

export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Insecure contexts (plain-http installations other than localhost) lack randomUUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class Chat {
  state: ChatState;
  private listeners = new Set<() => void>();
  private token: string | null;
  private queue: QueuedMessage[];
  private readonly tokenKey: string;
  private readonly queueKey: string;
  private identity: WidgetUser | null = null;
  private context: PageContext = {};
  private started = false;
  private sessionAttempt = 0;
  private sessionPromise: Promise<boolean> | null = null;
  private flushing = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushAttempt = 0;
  private socket: WebSocket | null = null;
  private socketAttempt = 0;
  private socketTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private catchingUp: Promise<void> | null = null;
  /**
   * The frame holds every message up to this sequence number: what catch-up asks after. Only
   * history and gap-free live events move it; the answer to a send does not, because replies
   * stored while the frame was away lie below the visitor's newly sent message.
   */
  private synced = 0;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The visitor has a conversation to follow live (none until the first message). */
  private following = false;
  private renewals = 0;
  /** The visitor's files on their way; each becomes a message of its own once uploaded. */
  readonly files = new Uploads({
    token: () => (this.state.phase === 'ready' ? this.token : null),
    limits: () => this.state.limits,
    changed: (uploads) => this.set({ uploads }),
    uploaded: (attachment) => this.enqueue('', [attachment]),
    unauthorized: () => void this.renew(),
  });
  private typingSignal = new TypingSignal();
  private typist = new Expiring<ChatState['typing']>(TYPING_SHOWN_MS, (typing) => this.set({ typing }));
  /** The highest agent message seq this connection told the server the visitor has seen. */
  private readSent = 0;

  constructor(
    private readonly widgetKey: string,
    private readonly language: string,
  ) {
    this.tokenKey = `rapport:${widgetKey}:token`;
    this.queueKey = `rapport:${widgetKey}:queue`;
    this.token = load<string | null>(this.tokenKey, null);
    this.queue = load<QueuedMessage[]>(this.queueKey, []).filter(
      (q) => q && typeof q.client_message_id === 'string' && typeof q.content === 'string' && (q.attachments === undefined || Array.isArray(q.attachments)),
    );
    this.state = {
      phase: 'starting',
      inbox: null,
      messages: this.queue.map((q) => fromQueue(q)),
      link: 'idle',
      notice: null,
      open: false,
      unread: 0,
      compact: false,
      uploads: [],
      limits: null,
      typing: null,
      readUpTo: 0,
    };
    addEventListener('online', () => {
      if (this.started && this.state.phase !== 'ready') void this.session();
      this.flush();
      if (this.state.link === 'offline') this.connect(true);
    });
    document.addEventListener('visibilitychange', () => this.markSeen());
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Starts once, with whatever the host page told us (identity, page address). */
  start(identity: WidgetUser | null, context: PageContext): void {
    if (this.started) return;
    this.started = true;
    this.identity = identity;
    this.context = context;
    void this.session();
  }

  setOpen(open: boolean): void {
    this.set(open ? { open, unread: 0 } : { open });
    this.markSeen();
  }

  setCompact(compact: boolean): void {
    if (compact !== this.state.compact) this.set({ compact });
  }

  /** Leaves an email to be answered at (offered while the team is away). Throws ApiError. */
  async leaveEmail(email: string): Promise<void> {
    if (!this.token) throw new ApiError(0, 'network', 'no session yet');
    const left = await api.leaveEmail(this.token, email);
    this.set({ leftEmail: left.email });
  }

  /** Asks to be called back (the phone channel). Throws ApiError. */
  async requestCallback(request: CallbackRequest): Promise<{ phone: string; preferred_time: string }> {
    if (!this.token) throw new ApiError(0, 'network', 'no session yet');
    return api.requestCallback(this.token, request);
  }

  /** Help articles for what the visitor typed; the search is counted for the team. Throws ApiError. */
  async searchArticles(q: string): Promise<ArticleSuggestion[]> {
    if (!this.token) throw new ApiError(0, 'network', 'no session yet');
    return (await api.articles(this.token, q, this.language)).data;
  }

  /** Whether the workspace has help articles to search at all. */
  async hasArticles(): Promise<boolean> {
    if (!this.token) return false;
    return (await api.articles(this.token, '', this.language)).available;
  }

  /** One help article, rendered (and sanitised) by the server. Throws ApiError. */
  async article(id: string): Promise<HelpArticle> {
    if (!this.token) throw new ApiError(0, 'network', 'no session yet');
    return api.article(this.token, id, this.language);
  }

  /** "Did this answer your question?" Throws ApiError. */
  async answered(id: string, helped: boolean, question: string): Promise<void> {
    if (!this.token) throw new ApiError(0, 'network', 'no session yet');
    await api.answered(this.token, id, { helped, question, locale: this.language });
  }

  // ---- session ----------------------------------------------------------------------------

  /** Creates or resumes the visitor session; retries with backoff while the server is away. */
  private session(): Promise<boolean> {
    if (!this.sessionPromise) {
      this.sessionPromise = this.openSession().finally(() => {
        this.sessionPromise = null;
      });
    }
    return this.sessionPromise;
  }

  private async openSession(): Promise<boolean> {
    let time_zone: string | undefined;
    try {
      time_zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      // no time zone support
    }
    try {
      const s = await api.session({
        widget_key: this.widgetKey,
        ...(this.token ? { visitor_token: this.token } : {}),
        ...(this.identity ? { identity: this.identity } : {}),
        context: { ...this.context, language: this.language, time_zone },
      });
      this.sessionAttempt = 0;
      const changed = s.visitor_token !== this.token;
      if (changed) this.synced = 0;
      this.token = s.visitor_token;
      save(this.tokenKey, this.token);
      // Another visitor (a new token, or the site signed someone else in): start the list afresh.
      const kept = changed ? [] : this.state.messages.filter((m) => m.id != null);
      this.set({
        phase: 'ready',
        inbox: s.inbox,
        leftEmail: s.visitor.left_email ?? null,
        messages: merge(kept, this.queue.map((q) => fromQueue(q))),
        limits: s.uploads ?? null,
        ...(changed ? { readUpTo: 0 } : {}),
      });
      this.following = !!s.conversation;
      if (s.conversation) {
        await this.catchUp();
        this.connect(true);
      }
      this.flush();
      return true;
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 400 && this.identity) {
        // The site passed an identity the server refuses (say, a malformed email): chat anonymously.
        console.warn('Rapport: the visitor identity was refused:', (err as Error).message);
        this.identity = null;
        return this.openSession();
      }
      if (status === 404 || status === 400) {
        this.set({ phase: 'unavailable' });
        post({ type: 'rapport:hide', reason: status === 404 ? 'unknown widget key' : (err as Error).message });
        return false;
      }
      if (status === 429 && err instanceof ApiError && err.retryAfter) {
        setTimeout(() => void this.session(), err.retryAfter * 1000);
        return false;
      }
      // Offline, server down or a 5xx: try again later; typed messages wait in the queue.
      if (this.state.phase !== 'ready') this.set({ phase: 'starting' });
      this.retrySession();
      return false;
    }
  }

  private retrySession(): void {
    setTimeout(() => {
      if (this.state.phase !== 'ready') void this.session();
    }, backoff(this.sessionAttempt++));
  }

  /** The server no longer knows our token: get a new visitor (history of the old one is gone). */
  private async renew(): Promise<boolean> {
    // Never a loop of new visitors, whatever the server keeps answering.
    if (++this.renewals > 3) return false;
    this.token = null;
    this.synced = 0;
    save(this.tokenKey, null);
    this.closeSocket();
    return this.session();
  }

  // ---- history ----------------------------------------------------------------------------

  /** Fetches every message after the last one we hold (one request per page). */
  private catchUp(): Promise<void> {
    if (!this.catchingUp) {
      this.catchingUp = this.fetchAfter().finally(() => {
        this.catchingUp = null;
      });
    }
    return this.catchingUp;
  }

  private async fetchAfter(): Promise<void> {
    for (let page = 0; page < 50 && this.token; page++) {
      const token = this.token;
      let res: { data: ServerMessage[]; next_cursor: string | null };
      try {
        res = await api.messages(token, this.synced);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) void this.renew();
        return;
      }
      if (token !== this.token) return;
      this.receive(res.data, false);
      for (const m of res.data) this.synced = Math.max(this.synced, m.seq);
      if (!res.next_cursor || !res.data.length) return;
    }
  }

  private receive(list: ServerMessage[], live: boolean): void {
    if (!list.length) return;
    const fresh = live ? list.filter((m) => m.direction === 'outgoing' && !this.state.messages.some((x) => x.id === m.id)).length : 0;
    const patch: Partial<ChatState> = { messages: merge(this.state.messages, list.map(fromServer)) };
    if (fresh && !this.state.open) patch.unread = this.state.unread + fresh;
    this.set(patch);
    // The agent's reply is here: whatever they were typing has arrived.
    if (fresh && this.state.typing) this.typist.set(null);
    this.markSeen();
  }

  // ---- realtime ---------------------------------------------------------------------------

  private connect(now = false): void {
    clearTimeout(this.socketTimer);
    if (this.socket || !this.token) return;
    if (!now) {
      // While the socket is down (a proxy without WebSockets, a restarting server), each
      // attempt also fetches what was missed: replies still arrive, only later.
      this.socketTimer = setTimeout(() => {
        void this.catchUp();
        this.connect(true);
      }, backoff(this.socketAttempt++));
      return;
    }
    if (this.state.link !== 'offline') this.set({ link: 'connecting' });
    let ws: WebSocket;
    try {
      ws = new WebSocket(realtimeUrl());
    } catch {
      this.connect();
      return;
    }
    this.socket = ws;
    const token = this.token;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', visitor_token: token }));
    ws.onmessage = (event) => {
      this.alive();
      let msg: {
        type?: string;
        event?: string;
        data?: { message?: ServerMessage; typing?: boolean; author?: Author; up_to_seq?: number };
        error?: { code?: string };
        code?: string;
      };
      try {
        msg = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (msg.type === 'ready') {
        this.socketAttempt = 0;
        this.readSent = 0;
        this.set({ link: 'online' });
        this.startPing(ws);
        // Whatever happened while we were away, then whatever was typed meanwhile; and what the
        // visitor has seen, in case the last receipt was lost with the old connection.
        void this.catchUp().then(() => {
          this.flush();
          this.markSeen();
        });
      } else if (msg.type === 'event' && msg.event === 'message.created' && msg.data?.message) {
        const m = msg.data.message;
        const gap = m.seq > this.synced + 1;
        this.receive([m], true);
        if (gap) void this.catchUp();
        else this.synced = Math.max(this.synced, m.seq);
      } else if (msg.type === 'event' && msg.event === 'typing' && msg.data) {
        const a = msg.data.author;
        this.typist.set(msg.data.typing && a ? { name: String(a.name ?? ''), avatar_url: a.avatar_url ?? null } : null);
      } else if (msg.type === 'event' && msg.event === 'messages.read' && typeof msg.data?.up_to_seq === 'number') {
        if (msg.data.up_to_seq > this.state.readUpTo) this.set({ readUpTo: msg.data.up_to_seq });
      } else if (msg.type === 'error' && (msg.error?.code ?? msg.code) === 'visitor_token_invalid') {
        void this.renew();
      }
    };
    ws.onclose = (event) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.stopPing();
      this.set({ link: 'offline' });
      this.typist.set(null);
      // 4401: the server no longer knows this visitor token.
      if (event.code === 4401) void this.renew().then((ok) => ok || this.connect());
      else this.connect();
    };
  }

  private closeSocket(): void {
    const ws = this.socket;
    this.socket = null;
    this.stopPing();
    clearTimeout(this.socketTimer);
    if (ws) ws.close();
  }

  private startPing(ws: WebSocket): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify({ type: 'ping' }));
      clearTimeout(this.pongTimer);
      // No answer: the connection is dead without having said so (sleeping laptop, proxy).
      this.pongTimer = setTimeout(() => ws.close(), PONG_TIMEOUT_MS);
    }, PING_MS);
  }

  private alive(): void {
    clearTimeout(this.pongTimer);
  }

  private stopPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  /** A frame for the server that only matters now (typing, read): dropped when not connected. */
  private signal(frame: object): boolean {
    const ws = this.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.state.link !== 'online') return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** The composer's text changed: tells the agents the visitor is typing, at most every 2 s. */
  compose(text: string): void {
    const typing = this.typingSignal.input(text, Date.now());
    if (typing != null) this.signal({ type: 'typing', typing });
  }

  /** Tells the server the visitor has seen the agents' messages, when the open panel is on screen. */
  private markSeen(): void {
    if (!this.state.open || document.visibilityState !== 'visible') return;
    const upTo = newestAgentSeq(this.state.messages);
    if (upTo > this.readSent && this.signal({ type: 'read', up_to_seq: upTo })) this.readSent = upTo;
  }

  // ---- sending ----------------------------------------------------------------------------

  send(content: string): void {
    if (!content.trim()) return;
    const stop = this.typingSignal.stop();
    if (stop != null) this.signal({ type: 'typing', typing: stop });
    this.enqueue(content.trim(), []);
  }

  private enqueue(content: string, attachments: Attachment[]): void {
    const item: QueuedMessage = { client_message_id: newId(), content, created_at: new Date().toISOString(), ...(attachments.length ? { attachments } : {}) };
    this.queue.push(item);
    this.persistQueue();
    this.set({ messages: merge(this.state.messages, [fromQueue(item)]) });
    this.flush();
  }

  /** Sends a failed message again, with the same client id. */
  retry(clientMessageId: string): void {
    const m = this.state.messages.find((x) => x.client_message_id === clientMessageId && x.id == null);
    if (!m) return;
    if (!this.queue.some((q) => q.client_message_id === clientMessageId)) {
      this.queue.push({ client_message_id: clientMessageId, content: m.content, created_at: m.created_at, attachments: m.attachments });
      this.persistQueue();
    }
    this.flushAttempt = 0;
    this.mark(clientMessageId, 'sending');
    this.flush(true);
  }

  /** Forgets a message the server refused (the visitor chose not to retry it). */
  discard(clientMessageId: string): void {
    this.queue = this.queue.filter((q) => q.client_message_id !== clientMessageId);
    this.persistQueue();
    this.set({ messages: without(this.state.messages, clientMessageId) });
  }

  private persistQueue(): void {
    save(this.queueKey, this.queue.length ? this.queue : null);
  }

  private mark(clientMessageId: string, state: ChatMessage['state'], error?: string): void {
    const q = this.queue.find((x) => x.client_message_id === clientMessageId);
    const m = this.state.messages.find((x) => x.client_message_id === clientMessageId);
    const base = q ?? (m ? { client_message_id: clientMessageId, content: m.content, created_at: m.created_at, attachments: m.attachments } : null);
    if (base) this.set({ messages: merge(this.state.messages, [fromQueue(base, state, error)]) });
  }

  /** Sends the queue in order, one at a time; stops at the first message that cannot go now. */
  flush(now = false): void {
    if (now) clearTimeout(this.flushTimer);
    if (this.flushing || !this.queue.length) return;
    if (!this.token || this.state.phase !== 'ready') {
      void this.session();
      return;
    }
    this.flushing = true;
    void this.drain().finally(() => {
      this.flushing = false;
    });
  }

  private later(ms: number): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flush(), ms);
  }

  private async drain(): Promise<void> {
    while (this.queue.length && this.token) {
      const item = this.queue[0];
      this.mark(item.client_message_id, 'sending');
      try {
        const answer = await api.send(this.token, item.content, item.client_message_id, item.attachments?.map((a) => a.id));
        const message = unwrap(answer);
        this.flushAttempt = 0;
        this.queue = this.queue.filter((q) => q.client_message_id !== item.client_message_id);
        this.persistQueue();
        if (message) this.receive([message], false);
        if (!this.following) {
          // The first message opened a conversation: follow it live from now on.
          this.following = true;
          this.connect(true);
        }
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(0, 'network', String(err));
        if (e.status === 401) {
          this.mark(item.client_message_id, 'sending');
          if (await this.renew()) continue;
          return;
        }
        if (e.status === 429) {
          this.notify('tooFast');
          this.mark(item.client_message_id, 'failed');
          this.later((e.retryAfter ?? 5) * 1000);
          return;
        }
        if (e.status >= 400 && e.status < 500) {
          // Refused for good (too long, invalid): not retried by itself; the visitor sees why.
          this.queue = this.queue.filter((q) => q.client_message_id !== item.client_message_id);
          this.persistQueue();
          this.mark(item.client_message_id, 'failed', e.message);
          continue;
        }
        // Offline or the server is down: keep it queued and try again later or on reconnect.
        this.mark(item.client_message_id, 'failed');
        this.later(backoff(this.flushAttempt++));
        return;
      }
    }
  }

  notify(notice: ChatState['notice']): void {
    clearTimeout(this.noticeTimer);
    this.set({ notice });
    this.noticeTimer = setTimeout(() => this.set({ notice: null }), 8000);
  }
}

function unwrap(answer: unknown): ServerMessage | null {
  if (!answer || typeof answer !== 'object') return null;
  const a = answer as { id?: unknown; message?: ServerMessage; data?: ServerMessage };
  if (typeof a.id === 'string') return answer as ServerMessage;
  return a.message ?? a.data ?? null;
}

/**
 * The web chat's side of the API: visitor sessions, the visitor's messages, their live socket,
 * and the widget files (loader and frame). Visitors authenticate with the token the widget keeps
 * (header X-Visitor-Token, or the first frame on the socket), never with cookies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../../core/context.js';
import type { BusEvent } from '../../core/bus.js';
import { AppError } from '../../core/errors.js';
import { Nullable, Obj, Page, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { scoped } from '../../core/db/tenant.js';
import { Attachment, AttachmentIds, BotDetails, MESSAGE_MAX } from '../conversations/conversations.schema.js';
import { presentAttachment, visitorUrl, type AttachmentSummary } from '../attachments/attachments.js';
import { recordEvent } from '../../core/outbox.js';
import { uploadLimits, widgetAttachmentsRoutes } from '../attachments/attachments.routes.js';
import type { SecretBox } from '../../core/crypto-box.js';
import { sendBatched } from '../realtime/batched-send.js';
import { postMessage } from '../conversations/commands/post-message.js';
import { presentMessage, type MessageRow } from '../conversations/conversations.presenter.js';
import { messages } from '../conversations/conversations.queries.js';
import { inboxByKey, startSession, visitorByToken, type Visitor } from './visitors.js';
import { leaveEmail } from './leave-email.js';
import { widgetCallbackRoutes } from '../channels/phone/callback-requests.js';
import { widgetArticlesRoutes } from '../answer-bot/widget-articles.routes.js';

const VisitorMessage = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
  content: Type.String(),
  status: Type.String(),
  client_message_id: Nullable(Type.String()),
  attachments: Type.Array(Attachment),
  author: Nullable(Type.Object({ type: Type.String(), name: Type.String(), avatar_url: Nullable(Type.String()) })),
  bot: Nullable(BotDetails),
  created_at: Timestamp,
});

const WidgetSession = Type.Object({
  visitor_token: Type.String({ description: 'Keep it (the widget stores it) to resume this visitor later' }),
  visitor: Type.Object({
    contact_id: Uuid,
    name: Type.String(),
    email: Nullable(Type.String()),
    verified: Type.Boolean(),
    left_email: Nullable(Type.String({ description: 'The email this visitor left in the chat (unverified)' })),
  }),
  conversation: Nullable(Type.Object({ id: Uuid, status: Type.String(), last_seq: Type.Integer() })),
  uploads: Type.Object({ max_bytes: Type.Integer(), accept: Type.String({ description: 'For <input type=file accept>' }) }),
  inbox: Type.Object({
    name: Type.String(),
    greeting: Type.String(),
    agents: Type.Array(Type.Object({ name: Type.String(), avatar_url: Nullable(Type.String()) })),
    reply_time: Type.Object({ typical_minutes: Nullable(Type.Integer()), text: Type.String() }),
    availability: Type.Object(
      {
        open: Type.Boolean({ description: 'Inside business hours (always, when the inbox has none)' }),
        next_open_at: Nullable(Type.String({ format: 'date-time', description: 'When closed: the next opening; null if none is scheduled' })),
        time_zone: Nullable(Type.String({ description: "The business hours' IANA time zone; null: always open" })),
        text: Nullable(Type.String({ description: "When closed, in English: \"We're away. Back Monday at 09:00 (Europe/Berlin time).\"" })),
      },
      { description: 'Whether the team is in; the widget offers to leave an email while it is not' },
    ),
  }),
});

const LeftEmail = Type.Object(
  { email: Type.String(), name: Nullable(Type.String()), left_at: Timestamp },
  { description: 'The email the visitor left, kept unverified on their own contact (never matched against other contacts)' },
);

const ContextField = Type.Optional(Type.String({ maxLength: 2000 }));

/** An agent-side message (as events carry it) in the shape a visitor sees. */
interface EventMessage {
  id: string;
  seq: number;
  kind: string;
  private: boolean;
  direction: 'incoming' | 'outgoing';
  content: string;
  status: string;
  client_message_id: string | null;
  attachments: AttachmentSummary[];
  author: { type: 'user' | 'contact'; name: string; avatar_url?: string | null } | null;
  bot?: { name: string; quick_replies: string[]; citation: { article_id: string; title: string; url: string } | null } | null;
  created_at: string;
}

/** A message as the visitor sees it (from the agent-side shape, as stored events carry it). */
function toVisitorMessage(m: EventMessage, box: SecretBox) {
  return {
    id: m.id,
    seq: m.seq,
    direction: m.direction,
    content: m.content,
    status: m.status,
    client_message_id: m.client_message_id,
    // Rebuilt field by field: an agent's link to a file becomes the visitor's signed one.
    attachments: (m.attachments ?? []).map((a) => presentAttachment({ id: a.id, file_name: a.file_name, content_type: a.content_type, byte_size: a.byte_size, width: a.width, height: a.height, inline: a.inline }, visitorUrl(box, a.id))),
    author: m.author ? { type: m.author.type, name: m.author.name, avatar_url: m.author.type === 'user' ? (m.author.avatar_url ?? null) : null } : null,
    bot: m.bot ?? null,
    created_at: m.created_at,
  };
}

/** What a visitor's socket receives for a bus event about their conversation, if anything. */
function visitorFrame(event: BusEvent, box: SecretBox): unknown {
  const p = event.payload as { message?: EventMessage; typing?: boolean; private?: boolean; user?: { name: string; avatar_url?: string | null } | null; reader?: string; up_to_seq?: number };
  if (event.event === 'message.created') {
    const m = p.message;
    // What the customer may see: no private notes, no internal system events.
    if (!m || m.private || m.kind !== 'text') return undefined;
    return { type: 'event', event: 'message.created', data: { message: toVisitorMessage(m, box) } };
  }
  if (event.event === 'conversation.typing' && p.user && !p.private) return { type: 'event', event: 'typing', data: { typing: p.typing === true, author: { name: p.user.name, avatar_url: p.user.avatar_url ?? null } } };
  if (event.event === 'messages.read' && p.reader === 'agent') return { type: 'event', event: 'messages.read', data: { up_to_seq: p.up_to_seq } };
  return undefined;
}

/** Where the built widget lives (dist/widget). */
function widgetRoot(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const candidates = [path.resolve(here, '../../../widget'), path.resolve(here, '../../../../../dist/widget')];
  return candidates.find((c) => fs.existsSync(path.join(c, 'widget.js'))) ?? candidates[0];
}

export function widgetRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const { widgetSessionsPerIp: sessionsPerIp, widgetMessagesPerVisitor: messagesPerVisitor, widgetBadTokensPerIp: badTokensPerIp } = ctx.limiters;

  // Known tokens, briefly: a chatting visitor sends many requests, and a token's visitor never
  // changes (a bounded map; entries live 30 seconds).
  const knownTokens = new Map<string, { visitor: Visitor; until: number }>();
  async function visitorOf(token: string | undefined): Promise<Visitor | null> {
    const now = Date.now();
    const hit = token ? knownTokens.get(token) : undefined;
    if (hit && hit.until > now) return hit.visitor;
    const found = await visitorByToken(db, token);
    if (found && token) {
      if (knownTokens.size >= 10_000) knownTokens.clear();
      knownTokens.set(token, { visitor: found, until: now + 30_000 });
    }
    return found;
  }

  async function visitor(request: FastifyRequest): Promise<Visitor> {
    const header = request.headers['x-visitor-token'];
    const found = await visitorOf(typeof header === 'string' ? header : undefined);
    if (!found) {
      // Guessing tokens is rate limited and logged (SECURITY 29).
      await badTokensPerIp.hit(request.ip);
      request.log.warn({ ip: request.ip }, 'unknown visitor token');
      throw new AppError('visitor_token_invalid');
    }
    return found;
  }

  /** What the customer may see of their conversations here: no private notes, no internal system events. */
  const visitorMessages = (v: Visitor) =>
    messages(db, v.accountId)
      .innerJoin('conversations as cv', (j) => j.onRef('cv.id', '=', 'messages.conversation_id').onRef('cv.account_id', '=', 'messages.account_id'))
      .where('cv.contact_id', '=', v.contactId)
      .where('cv.inbox_id', '=', v.inboxId)
      .where('messages.private', '=', false)
      .where('messages.kind', '=', 'text');

  // The conversation each visitor writes in, briefly remembered (a chatting visitor sends many
  // messages; a bounded map, entries live 30 seconds).
  const knownConversations = new Map<string, { id: string; until: number }>();

  /**
   * One conversation per visitor and inbox, even when two tabs write at the same instant: found
   * without a lock when it exists (nearly always), created under the visitor's lock otherwise.
   */
  async function conversationFor(v: Visitor, firstContent: string): Promise<string> {
    const now = Date.now();
    const known = knownConversations.get(v.contactId);
    if (known && known.until > now) return known.id;
    const current = await scoped(db, v.accountId).selectFrom('conversations').select('id').where('contact_id', '=', v.contactId).where('inbox_id', '=', v.inboxId).where('merged_into_id', 'is', null).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    const id =
      current?.id ??
      (await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${v.contactId}))`.execute(trx);
        const ws = scoped(trx, v.accountId);
        const existing = await ws.selectFrom('conversations').select('id').where('contact_id', '=', v.contactId).where('inbox_id', '=', v.inboxId).where('merged_into_id', 'is', null).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
        if (existing) return existing.id;
        const created = await ws.insertInto('conversations', { inbox_id: v.inboxId, contact_id: v.contactId, subject: (firstContent || 'File').slice(0, 80) }).returning('id').executeTakeFirstOrThrow();
        return created.id;
      }));
    if (knownConversations.size >= 10_000) knownConversations.clear();
    knownConversations.set(v.contactId, { id, until: now + 30_000 });
    return id;
  }

  widgetAttachmentsRoutes(app, ctx, visitor);
  widgetCallbackRoutes(app, ctx, visitor);
  widgetArticlesRoutes(app, ctx, visitor);

  app.post(
    '/api/v1/widget/sessions',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: 'Start or resume a web chat visitor session',
        body: Obj({
          widget_key: Type.String({ minLength: 4, maxLength: 100 }),
          visitor_token: Type.Optional(Type.String({ maxLength: 100 })),
          identity: Type.Optional(
            Obj({ id: Type.String({ minLength: 1, maxLength: 200 }), email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })), name: Type.Optional(Type.String({ maxLength: 120 })), hash: Type.Optional(Type.String({ maxLength: 128 })) }),
          ),
          context: Type.Optional(Obj({ url: ContextField, referrer: ContextField, language: Type.Optional(Type.String({ maxLength: 35 })), time_zone: Type.Optional(Type.String({ maxLength: 64 })) })),
        }),
        response: { 200: WidgetSession, ...errors(400, 404, 429) },
      },
    },
    async (request) => {
      await sessionsPerIp.hit(request.ip);
      const inbox = await inboxByKey(db, request.body.widget_key);
      const userAgent = request.headers['user-agent'];
      const session = await startSession(ctx, inbox, {
        visitorToken: request.body.visitor_token,
        identity: request.body.identity,
        context: { ...request.body.context, user_agent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : undefined },
      });
      return { ...session, uploads: uploadLimits(ctx) };
    },
  );

  app.patch(
    '/api/v1/widget/visitor',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: 'The visitor leaves an email to be answered at (header X-Visitor-Token); kept on their own contact, unverified',
        body: Obj({ email: Type.String({ minLength: 1, maxLength: 254 }), name: Type.Optional(Type.String({ maxLength: 120 })) }),
        response: { 200: LeftEmail, ...errors(400, 401, 422, 429) },
      },
    },
    async (request) => {
      const v = await visitor(request);
      await ctx.limiters.widgetEmailPerVisitor.hit(v.contactId, 'You have changed your email too often; wait a few minutes.');
      return leaveEmail(db, v, request.body);
    },
  );

  app.get(
    '/api/v1/widget/messages',
    {
      config: { access: 'public' },
      schema: { tags: ['widget'], summary: "The visitor's messages after a sequence number (header X-Visitor-Token)", querystring: Obj({ after: Type.Optional(Type.Integer({ minimum: 0 })) }), response: { 200: Page(VisitorMessage), ...errors(400, 401, 429) } },
    },
    async (request) => {
      const v = await visitor(request);
      const rows = (await visitorMessages(v)
        .where('messages.seq', '>', request.query.after ?? 0)
        .orderBy('cv.created_at')
        .orderBy('messages.seq')
        .limit(500)
        .execute()) as MessageRow[];
      return { data: rows.map((m) => toVisitorMessage(presentMessage(m), ctx.box)), next_cursor: null };
    },
  );

  app.post(
    '/api/v1/widget/messages',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: 'The visitor writes (starts the conversation on the first message). Idempotent on client_message_id',
        body: Obj({
          content: Type.String({ maxLength: MESSAGE_MAX, description: 'The text; may be empty when attachment_ids are given' }),
          client_message_id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w-]+$' }),
          attachment_ids: Type.Optional(AttachmentIds),
        }),
        response: { 200: VisitorMessage, 201: VisitorMessage, ...errors(400, 401, 422, 429) },
      },
    },
    async (request, reply) => {
      const v = await visitor(request);
      await messagesPerVisitor.hit(v.contactId, 'You are sending messages too fast; wait a moment.');
      const content = request.body.content.trim();
      const attachmentIds = request.body.attachment_ids ?? [];
      if (!content && attachmentIds.length === 0) throw new AppError('validation_failed', 'Write something before sending.', [{ field: 'content', message: 'must not be blank' }]);
      const input = { content, clientMessageId: request.body.client_message_id, attachmentIds, author: { type: 'contact' as const, id: v.contactId } };
      let conversationId = await conversationFor(v, content);
      let posted;
      try {
        posted = await postMessage(ctx, v.accountId, { ...input, conversationId });
      } catch (err) {
        // The remembered conversation is gone (deleted with its inbox, say): forget what was
        // remembered, check the visitor still exists, then find or start their conversation afresh.
        if (!(err instanceof AppError && err.code === 'not_found')) throw err;
        knownConversations.delete(v.contactId);
        const token = request.headers['x-visitor-token'];
        if (typeof token === 'string') knownTokens.delete(token);
        if (!(await visitorByToken(db, typeof token === 'string' ? token : undefined))) throw new AppError('visitor_token_invalid');
        conversationId = await conversationFor(v, content);
        posted = await postMessage(ctx, v.accountId, { ...input, conversationId });
      }
      const { message, created } = posted;
      return reply.code(created ? 201 : 200).send(toVisitorMessage(presentMessage(message), ctx.box));
    },
  );

  // —— the visitor's live socket ——
  interface VisitorConnection {
    socket: WebSocket;
    visitor: Visitor;
    /** The conversation the visitor is in (found on first need; a new one starts with their first message). */
    conversation?: { id: string; name: string };
    readUpTo: number;
  }
  // Sockets by contact: an event names its conversation's contact, so delivery is one lookup.
  const byContact = new Map<string, Set<VisitorConnection>>();
  const send = (c: VisitorConnection, frame: unknown) => {
    if (c.socket.readyState === c.socket.OPEN) sendBatched(c.socket, JSON.stringify(frame));
  };
  const unsubscribe = ctx.bus.subscribe((event: BusEvent) => {
    const payload = event.payload as { contact_id?: string };
    if (!payload.contact_id) return;
    const sockets = byContact.get(payload.contact_id);
    if (!sockets) return;
    const frame = visitorFrame(event, ctx.box);
    if (!frame) return;
    for (const c of sockets) if (c.visitor.accountId === event.accountId && c.visitor.inboxId === event.inboxId) send(c, frame);
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    for (const set of byContact.values()) for (const c of set) c.socket.close(1001, 'server shutting down');
  });

  async function conversationOf(c: VisitorConnection) {
    if (c.conversation) return c.conversation;
    const row = await scoped(db, c.visitor.accountId)
      .selectFrom('conversations')
      .innerJoin('contacts as ct', (j) => j.onRef('ct.id', '=', 'conversations.contact_id').onRef('ct.account_id', '=', 'conversations.account_id'))
      .select(['conversations.id', 'ct.name'])
      .where('conversations.contact_id', '=', c.visitor.contactId)
      .where('conversations.inbox_id', '=', c.visitor.inboxId)
      .where('conversations.merged_into_id', 'is', null)
      .orderBy('conversations.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) c.conversation = row;
    return row;
  }

  /** The visitor is typing: agents who may see the conversation hear it (nothing is stored). */
  async function visitorTyping(c: VisitorConnection, typing: boolean) {
    const conversation = await conversationOf(c);
    if (!conversation) return;
    await ctx.bus.publish({
      id: 0,
      transient: true,
      accountId: c.visitor.accountId,
      event: 'conversation.typing',
      conversationId: conversation.id,
      inboxId: c.visitor.inboxId,
      payload: { typing, private: false, user: null, contact: { id: c.visitor.contactId, name: conversation.name } },
    });
  }

  /** The visitor has seen the agents' messages up to `upTo`: they turn "read", and agents see it. */
  async function visitorRead(c: VisitorConnection, upTo: number) {
    if (upTo <= c.readUpTo) return;
    const conversation = await conversationOf(c);
    if (!conversation) return;
    const accountId = c.visitor.accountId;
    const changed = await db.transaction().execute(async (trx) => {
      const ws = scoped(trx, accountId);
      const updated = await ws
        .updateTable('conversations')
        .set({ contact_last_read_seq: sql<number>`greatest(contact_last_read_seq, least(${upTo}, last_seq))` })
        .where('id', '=', conversation.id)
        .returning('contact_last_read_seq')
        .executeTakeFirst();
      if (!updated) return false;
      const seen = await ws
        .updateTable('messages')
        .set({ status: 'read' })
        .where('conversation_id', '=', conversation.id)
        .where('direction', '=', 'outgoing')
        .where('private', '=', false)
        .where('seq', '<=', updated.contact_last_read_seq)
        .where('status', 'in', ['sent', 'delivered'])
        .returning('seq')
        .execute();
      if (!seen.length) return false;
      await recordEvent(trx, accountId, 'messages.read', { reader: 'contact', up_to_seq: updated.contact_last_read_seq, contact_id: c.visitor.contactId }, { conversationId: conversation.id, inboxId: c.visitor.inboxId });
      return true;
    });
    c.readUpTo = upTo;
    if (changed) await ctx.outbox.flush();
  }

  app.route({
    method: 'GET',
    url: '/api/v1/widget/realtime',
    config: { access: 'public' },
    schema: {
      tags: ['widget'],
      summary:
        'WebSocket of the visitor\'s live messages, agents typing and read receipts; send {"type":"auth","visitor_token":…} first, then {"type":"typing","typing":true|false} and {"type":"read","up_to_seq":N}',
      response: { ...errors(403, 426) },
    },
    preHandler: async (request) => {
      // Only the widget frame (served from this server) may open it (SECURITY 28).
      const origin = request.headers.origin;
      if (origin !== new URL(ctx.config.publicUrl).origin) throw new AppError('forbidden', 'The chat socket only accepts the Rapport widget.');
    },
    handler: async () => {
      throw new AppError('upgrade_required');
    },
    wsHandler: (socket) => {
      let connection: VisitorConnection | undefined;
      const authTimeout = setTimeout(() => socket.close(4401, 'authenticate first'), 10_000);
      const quietly = (work: Promise<unknown>) =>
        void work.catch(() => {
          /* typing and receipts are best effort; messages have their own path */
        });
      socket.on('message', (raw) => {
        let frame: { type?: unknown; visitor_token?: unknown; typing?: unknown; up_to_seq?: unknown };
        try {
          frame = JSON.parse(String(raw)) as typeof frame;
        } catch {
          socket.send(JSON.stringify({ type: 'error', code: 'invalid_json', message: 'Frames are JSON objects.' }));
          return;
        }
        if (frame.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
        if (frame.type === 'typing' && connection) return quietly(visitorTyping(connection, frame.typing === true));
        if (frame.type === 'read' && connection && Number.isSafeInteger(frame.up_to_seq)) return quietly(visitorRead(connection, frame.up_to_seq as number));
        if (frame.type === 'auth' && !connection) {
          void visitorByToken(db, typeof frame.visitor_token === 'string' ? frame.visitor_token : undefined).then((v) => {
            clearTimeout(authTimeout);
            if (!v) return socket.close(4401, 'unknown visitor token');
            connection = { socket, visitor: v, readUpTo: 0 };
            let set = byContact.get(v.contactId);
            if (!set) byContact.set(v.contactId, (set = new Set()));
            set.add(connection);
            socket.send(JSON.stringify({ type: 'ready' }));
          });
        }
      });
      socket.on('close', () => {
        clearTimeout(authTimeout);
        if (!connection) return;
        const set = byContact.get(connection.visitor.contactId);
        set?.delete(connection);
        if (set?.size === 0) byContact.delete(connection.visitor.contactId);
      });
    },
  });

  // —— the widget's files ——
  const root = widgetRoot();
  const file = (name: string) => path.join(root, name);

  app.get('/widget.js', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    if (!fs.existsSync(file('widget.js'))) return reply.code(503).type('text/plain').send('The widget is not built: run `npm run build`.');
    return reply.header('cache-control', 'public, max-age=300').type('text/javascript; charset=utf-8').send(fs.createReadStream(file('widget.js')));
  });

  // A sample page to try an inbox's chat without a website of one's own (allowed when the inbox
  // lists this server's origin, as the demo inbox does).
  app.get('/widget/demo/:key', { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ key: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
    const inbox = await inboxByKey(db, request.params.key);
    const here = new URL(ctx.config.publicUrl).origin;
    const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const allowed = inbox.allowed_origins.includes(here);
    const note = allowed
      ? 'This sample page embeds the chat of the inbox <strong>' + escape(inbox.name) + '</strong>. Open it with the button in the corner and write; the conversation appears in the agent inbox.'
      : 'The inbox <strong>' + escape(inbox.name) + '</strong> does not list ' + escape(here) + ' among its allowed origins, so the chat stays hidden here. Add it in Settings → Inboxes to try the chat on this page.';
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sample shop · ${escape(inbox.name)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:4rem auto;padding:0 1rem;color:#1f2937;line-height:1.5}h1{font-size:1.8rem}p{color:#4b5563}</style></head>
<body><h1>Northwind sample shop</h1><p>${note}</p>${allowed ? `<script src="${escape(ctx.config.publicUrl)}/widget.js" data-inbox="${escape(request.params.key)}" async></script>` : ''}</body></html>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });

  app.get(
    '/widget/frame',
    { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ key: Type.String({ maxLength: 100 }), origin: Type.Optional(Type.String({ maxLength: 300 })) }) } },
    async (request, reply) => {
      const inbox = await inboxByKey(db, request.query.key);
      if (!fs.existsSync(file('frame.html'))) return reply.code(503).type('text/plain').send('The widget is not built: run `npm run build`.');
      // Only the inbox's allowed sites may frame the chat (SECURITY 28); none allowed, none may.
      const ancestors = inbox.allowed_origins.length ? inbox.allowed_origins.join(' ') : "'none'";
      const wsOrigin = ctx.config.publicUrl.replace(/^http/, 'ws');
      reply.header(
        'content-security-policy',
        `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self' ${wsOrigin}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`,
      );
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(fs.createReadStream(file('frame.html')));
    },
  );
}

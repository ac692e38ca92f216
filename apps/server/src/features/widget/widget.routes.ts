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
import { MESSAGE_MAX } from '../conversations/conversations.schema.js';
import { postMessage } from '../conversations/commands/post-message.js';
import { inboxByKey, startSession, visitorByToken, type Visitor } from './visitors.js';

const VisitorMessage = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
  content: Type.String(),
  status: Type.String(),
  client_message_id: Nullable(Type.String()),
  author: Nullable(Type.Object({ type: Type.String(), name: Type.String(), avatar_url: Nullable(Type.String()) })),
  created_at: Timestamp,
});

const WidgetSession = Type.Object({
  visitor_token: Type.String({ description: 'Keep it (the widget stores it) to resume this visitor later' }),
  visitor: Type.Object({ contact_id: Uuid, name: Type.String(), email: Nullable(Type.String()), verified: Type.Boolean() }),
  conversation: Nullable(Type.Object({ id: Uuid, status: Type.String(), last_seq: Type.Integer() })),
  inbox: Type.Object({
    name: Type.String(),
    greeting: Type.String(),
    agents: Type.Array(Type.Object({ name: Type.String(), avatar_url: Nullable(Type.String()) })),
    reply_time: Type.Object({ typical_minutes: Nullable(Type.Integer()), text: Type.String() }),
  }),
});

const ContextField = Type.Optional(Type.String({ maxLength: 2000 }));

interface VisitorMessageRow {
  id: string;
  seq: number;
  direction: 'incoming' | 'outgoing';
  content: string;
  status: string;
  client_message_id: string | null;
  created_at: Date;
  user_name: string | null;
  user_avatar: string | null;
  contact_name: string | null;
  sender_user_id: string | null;
  sender_contact_id: string | null;
}

function presentVisitorMessage(m: VisitorMessageRow) {
  return {
    id: m.id,
    seq: m.seq,
    direction: m.direction,
    content: m.content,
    status: m.status,
    client_message_id: m.client_message_id,
    author: m.sender_user_id ? { type: 'user', name: m.user_name ?? '', avatar_url: m.user_avatar } : m.sender_contact_id ? { type: 'contact', name: m.contact_name ?? '', avatar_url: null } : null,
    created_at: m.created_at.toISOString(),
  };
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

  async function visitor(request: FastifyRequest): Promise<Visitor> {
    const header = request.headers['x-visitor-token'];
    const found = await visitorByToken(db, typeof header === 'string' ? header : undefined);
    if (!found) {
      // Guessing tokens is rate limited and logged (SECURITY 29).
      await badTokensPerIp.hit(request.ip);
      request.log.warn({ ip: request.ip }, 'unknown visitor token');
      throw new AppError('visitor_token_invalid');
    }
    return found;
  }

  const visitorMessages = (v: Visitor) =>
    scoped(db, v.accountId)
      .selectFrom('messages')
      .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'messages.conversation_id').onRef('c.account_id', '=', 'messages.account_id'))
      .leftJoin('users as u', 'u.id', 'messages.sender_user_id')
      .leftJoin('contacts as ct', (j) => j.onRef('ct.id', '=', 'messages.sender_contact_id').onRef('ct.account_id', '=', 'messages.account_id'))
      .select([
        'messages.id',
        'messages.seq',
        'messages.direction',
        'messages.content',
        'messages.status',
        'messages.client_message_id',
        'messages.created_at',
        'messages.sender_user_id',
        'messages.sender_contact_id',
        'u.name as user_name',
        'u.avatar_url as user_avatar',
        'ct.name as contact_name',
      ])
      .where('c.contact_id', '=', v.contactId)
      .where('c.inbox_id', '=', v.inboxId)
      // What the customer may see: no private notes, no internal system events.
      .where('messages.private', '=', false)
      .where('messages.kind', '=', 'text');

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
      return startSession(ctx, inbox, {
        visitorToken: request.body.visitor_token,
        identity: request.body.identity,
        context: { ...request.body.context, user_agent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : undefined },
      });
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
        .orderBy('c.created_at')
        .orderBy('messages.seq')
        .limit(500)
        .execute()) as VisitorMessageRow[];
      return { data: rows.map(presentVisitorMessage), next_cursor: null };
    },
  );

  app.post(
    '/api/v1/widget/messages',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: 'The visitor writes (starts the conversation on the first message). Idempotent on client_message_id',
        body: Obj({ content: Type.String({ minLength: 1, maxLength: MESSAGE_MAX }), client_message_id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w-]+$' }) }),
        response: { 200: VisitorMessage, 201: VisitorMessage, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const v = await visitor(request);
      await messagesPerVisitor.hit(v.contactId, 'You are sending messages too fast; wait a moment.');
      const content = request.body.content.trim();
      if (!content) throw new AppError('validation_failed', 'Write something before sending.', [{ field: 'content', message: 'must not be blank' }]);
      // One conversation per visitor and inbox, even when two tabs write at the same instant.
      const conversationId = await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${v.contactId}))`.execute(trx);
        const ws = scoped(trx, v.accountId);
        const existing = await ws.selectFrom('conversations').select('id').where('contact_id', '=', v.contactId).where('inbox_id', '=', v.inboxId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
        if (existing) return existing.id;
        const created = await ws.insertInto('conversations', { inbox_id: v.inboxId, contact_id: v.contactId, subject: content.slice(0, 80) }).returning('id').executeTakeFirstOrThrow();
        return created.id;
      });
      const { message, created } = await postMessage(db, v.accountId, { conversationId, content, clientMessageId: request.body.client_message_id, author: { type: 'contact', id: v.contactId } });
      if (created) await ctx.outbox.flush();
      const row = (await visitorMessages(v).where('messages.id', '=', message.id).executeTakeFirstOrThrow()) as VisitorMessageRow;
      return reply.code(created ? 201 : 200).send(presentVisitorMessage(row));
    },
  );

  // —— the visitor's live socket ——
  interface VisitorConnection {
    socket: WebSocket;
    visitor: Visitor;
  }
  // Sockets by contact: an event names its conversation's contact, so delivery is one lookup.
  const byContact = new Map<string, Set<VisitorConnection>>();
  const unsubscribe = ctx.bus.subscribe((event: BusEvent) => {
    if (event.event !== 'message.created') return;
    const payload = event.payload as { message?: { id: string; private: boolean; kind: string }; contact_id?: string };
    const message = payload.message;
    if (!message || message.private || message.kind !== 'text' || !payload.contact_id) return;
    const sockets = byContact.get(payload.contact_id);
    if (!sockets) return;
    for (const c of sockets) {
      if (c.visitor.accountId !== event.accountId || c.visitor.inboxId !== event.inboxId) continue;
      visitorMessages(c.visitor)
        .where('messages.id', '=', message.id)
        .executeTakeFirst()
        .then((row) => {
          if (row && c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify({ type: 'event', event: 'message.created', data: { message: presentVisitorMessage(row as VisitorMessageRow) } }));
        })
        .catch(() => {
          /* the visitor resyncs by sequence number */
        });
    }
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    for (const set of byContact.values()) for (const c of set) c.socket.close(1001, 'server shutting down');
  });

  app.route({
    method: 'GET',
    url: '/api/v1/widget/realtime',
    config: { access: 'public' },
    schema: { tags: ['widget'], summary: 'WebSocket of the visitor\'s live messages; send {"type":"auth","visitor_token":…} first', response: { ...errors(403, 426) } },
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
      socket.on('message', (raw) => {
        let frame: { type?: unknown; visitor_token?: unknown };
        try {
          frame = JSON.parse(String(raw)) as typeof frame;
        } catch {
          socket.send(JSON.stringify({ type: 'error', code: 'invalid_json', message: 'Frames are JSON objects.' }));
          return;
        }
        if (frame.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
        if (frame.type === 'auth' && !connection) {
          void visitorByToken(db, typeof frame.visitor_token === 'string' ? frame.visitor_token : undefined).then((v) => {
            clearTimeout(authTimeout);
            if (!v) return socket.close(4401, 'unknown visitor token');
            connection = { socket, visitor: v };
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

/**
 * The realtime gateway for agents: one WebSocket per open app, fed from committed outbox rows
 * only (through the bus), and only with what that person may see. Clients that miss events (a
 * dropped connection, a restart) resync over REST by sequence number.
 *
 * Besides stored events it carries transient ones that are never written: who is typing, who is
 * viewing a conversation, and presence (online / away / offline, chosen and by activity).
 */
import type { WebSocket } from 'ws';
import type { AppContext } from '../../core/context.js';
import type { BusEvent } from '../../core/bus.js';
import { publicPayload } from '../../core/outbox.js';
import { AppError } from '../../core/errors.js';
import { member, sameOrigin } from '../../core/http/auth.js';
import { errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { atLeast } from '../../core/auth/roles.js';
import { scoped } from '../../core/db/tenant.js';
import type { Availability, Role } from '../../core/db/schema.js';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { Obj } from '../../core/http/schema.js';
import { sendBatched } from './batched-send.js';

interface AgentConnection {
  socket: WebSocket;
  accountId: string;
  userId: string;
  name: string;
  avatarUrl: string | null;
  /** Inbox of each conversation this agent typed or looked at (to check they may, once). */
  conversationInbox: Map<string, { inboxId: string; contactId: string } | null>;
  /** Conversations this app says it has open: others stop seeing it there when it goes. */
  viewing: Map<string, string>;
  role: Role;
  /** The inboxes this agent works in; null for admins, who see every inbox. */
  inboxIds: Set<string> | null;
  alive: boolean;
}

const HEARTBEAT_MS = 30_000;
const MEMBERSHIP_REFRESH_MS = 30_000;
/** An app that has not checked in for this long is gone (its node crashed or lost the network). */
export const PRESENCE_STALE_MS = 75_000;
const PresenceStatus = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);

/** What teammates see: offline without an open app or by choice, away by choice or when idle. */
export function effectivePresence(m: { availability: Availability; idle: boolean; last_active_at: Date | null }, now = Date.now()): Availability {
  if (m.availability === 'offline' || !m.last_active_at || now - m.last_active_at.getTime() > PRESENCE_STALE_MS) return 'offline';
  return m.availability === 'away' || m.idle ? 'away' : 'online';
}

export function realtimeRoutes(app: Api, ctx: AppContext): void {
  const byAccount = new Map<string, Set<AgentConnection>>();

  async function inboxesOf(accountId: string, userId: string, role: Role): Promise<Set<string> | null> {
    if (atLeast(role, 'admin')) return null;
    const rows = await scoped(ctx.db, accountId).selectFrom('inbox_members').select('inbox_id').where('user_id', '=', userId).execute();
    return new Set(rows.map((r) => r.inbox_id));
  }

  const deliver = (event: BusEvent) => {
    const connections = byAccount.get(event.accountId);
    if (!connections) return;
    if (event.event === 'presence.recheck') return void recheck(event.accountId, (event.payload as { user_id: string }).user_id);
    // Some events have one reader (a mention notifies the mentioned agent only).
    const target = (event.payload as { target_user_id?: string }).target_user_id;
    const frame = JSON.stringify({ type: 'event', id: event.transient ? null : event.id, event: event.event, conversation_id: event.conversationId, inbox_id: event.inboxId, data: publicPayload(event.payload) });
    for (const c of connections) {
      if (event.inboxId && c.inboxIds && !c.inboxIds.has(event.inboxId)) continue;
      if (target && c.userId !== target) continue;
      if (c.socket.readyState === c.socket.OPEN) sendBatched(c.socket, frame);
    }
  };

  const transient = (accountId: string, event: string, payload: Record<string, unknown>, where: { conversationId?: string; inboxId?: string } = {}) =>
    ctx.bus.publish({ id: 0, transient: true, accountId, event, conversationId: where.conversationId ?? null, inboxId: where.inboxId ?? null, payload });

  /** Tells every agent of the workspace this person's presence as it stands in the database. */
  async function announcePresence(accountId: string, userId: string) {
    const m = await scoped(ctx.db, accountId).selectFrom('memberships').select(['availability', 'idle', 'last_active_at']).where('user_id', '=', userId).executeTakeFirst();
    if (m) await transient(accountId, 'presence.updated', { user_id: userId, status: effectivePresence(m) });
  }

  const localSockets = (accountId: string, userId: string) => [...(byAccount.get(accountId) ?? [])].filter((c) => c.userId === userId);

  /** Another node saw this person's last app there close: if they still have one here, they are still in. */
  async function recheck(accountId: string, userId: string) {
    if (localSockets(accountId, userId).length === 0) return;
    await scoped(ctx.db, accountId).updateTable('memberships').set({ last_active_at: sql<Date>`now()` }).where('user_id', '=', userId).execute();
    await announcePresence(accountId, userId);
  }

  /** Checks once per conversation that this agent may see it; answers its inbox and customer. */
  async function visibleConversation(c: AgentConnection, conversationId: unknown) {
    if (typeof conversationId !== 'string' || !/^[0-9a-f-]{36}$/i.test(conversationId)) return null;
    if (!c.conversationInbox.has(conversationId)) {
      if (c.conversationInbox.size > 500) c.conversationInbox.clear();
      const row = await scoped(ctx.db, c.accountId).selectFrom('conversations').select(['inbox_id', 'contact_id']).where('id', '=', conversationId).executeTakeFirst();
      c.conversationInbox.set(conversationId, row ? { inboxId: row.inbox_id, contactId: row.contact_id } : null);
    }
    const found = c.conversationInbox.get(conversationId);
    if (!found || (c.inboxIds && !c.inboxIds.has(found.inboxId))) return null;
    return found;
  }

  async function onFrame(c: AgentConnection, frame: { type?: unknown; conversation_id?: unknown; typing?: unknown; viewing?: unknown; private?: unknown; idle?: unknown }) {
    if (frame.type === 'typing' || frame.type === 'viewing') {
      const conversation = await visibleConversation(c, frame.conversation_id);
      if (!conversation) return;
      const user = { id: c.userId, name: c.name, avatar_url: c.avatarUrl };
      const where = { conversationId: frame.conversation_id as string, inboxId: conversation.inboxId };
      if (frame.type === 'typing') {
        // contact_id lets the visitors' gateway show a public reply being typed to that customer.
        await transient(c.accountId, 'conversation.typing', { typing: frame.typing !== false, private: frame.private === true, user, contact: null, contact_id: conversation.contactId }, where);
      } else {
        const viewing = frame.viewing !== false;
        if (viewing) c.viewing.set(where.conversationId, conversation.inboxId);
        else c.viewing.delete(where.conversationId);
        await transient(c.accountId, 'conversation.viewing', { user, viewing }, where);
      }
    } else if (frame.type === 'activity') {
      await scoped(ctx.db, c.accountId).updateTable('memberships').set({ idle: frame.idle === true, last_active_at: sql<Date>`now()` }).where('user_id', '=', c.userId).execute();
      await announcePresence(c.accountId, c.userId);
    }
  }
  const unsubscribe = ctx.bus.subscribe(deliver);

  const heartbeat = setInterval(() => {
    for (const [accountId, set] of byAccount) {
      // This node's agents are still here (presence goes stale without it).
      const users = [...new Set([...set].map((c) => c.userId))];
      if (users.length) void scoped(ctx.db, accountId).updateTable('memberships').set({ last_active_at: sql<Date>`now()` }).where('user_id', 'in', users).execute().catch(() => {});
      for (const c of set) {
        if (!c.alive) {
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        c.socket.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    unsubscribe();
    for (const set of byAccount.values()) for (const c of set) c.socket.close(1001, 'server shutting down');
  });

  app.route({
    method: 'GET',
    url: '/api/v1/realtime',
    config: { access: 'agent' },
    schema: {
      tags: ['realtime'],
      summary: 'WebSocket of live events (message.created, conversation.updated) for the agent app; upgrade with the session cookie or a Bearer token',
      response: { ...errors(401, 403, 426) },
    },
    preHandler: async (request) => {
      // A cookie-authenticated socket must come from our own pages (no cross-site WebSocket hijacking).
      if (request.auth?.kind === 'session' && !sameOrigin(request, ctx.config.publicUrl)) throw new AppError('csrf_failed', 'This WebSocket was opened from another site and was refused.');
    },
    handler: async () => {
      throw new AppError('upgrade_required');
    },
    wsHandler: (socket, request) => {
      const auth = member(request);
      const connection: AgentConnection = { socket, accountId: auth.accountId, userId: auth.userId, name: '', avatarUrl: null, conversationInbox: new Map(), viewing: new Map(), role: auth.role, inboxIds: new Set(), alive: true };
      // Listeners first, then the async lookup: nothing the client sends meanwhile is dropped.
      socket.on('pong', () => (connection.alive = true));
      socket.on('message', (raw) => {
        connection.alive = true;
        let message: { type?: unknown };
        try {
          message = JSON.parse(String(raw)) as { type?: unknown };
        } catch {
          socket.send(JSON.stringify({ type: 'error', code: 'invalid_json', message: 'Frames are JSON objects.' }));
          return;
        }
        if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        else if (connection.name) {
          onFrame(connection, message).catch((err: unknown) => request.log.warn({ err }, 'realtime frame failed'));
        }
      });
      const refresh = async () => {
        connection.inboxIds = await inboxesOf(auth.accountId, auth.userId, auth.role);
      };
      const timer = setInterval(() => void refresh().catch(() => {}), MEMBERSHIP_REFRESH_MS);
      socket.on('close', () => {
        clearInterval(timer);
        const set = byAccount.get(auth.accountId);
        if (!set?.delete(connection)) return;
        // A closed (or crashed) app is no longer looking at anything.
        for (const [conversationId, inboxId] of connection.viewing) {
          void transient(auth.accountId, 'conversation.viewing', { user: { id: auth.userId, name: connection.name, avatar_url: connection.avatarUrl }, viewing: false }, { conversationId, inboxId }).catch(() => {});
        }
        if (localSockets(auth.accountId, auth.userId).length > 0) return;
        // Their last app on this node closed: offline, unless another node still has one (it says so).
        void scoped(ctx.db, auth.accountId)
          .updateTable('memberships')
          .set({ last_active_at: null })
          .where('user_id', '=', auth.userId)
          .execute()
          .then(() => announcePresence(auth.accountId, auth.userId))
          .then(() => transient(auth.accountId, 'presence.recheck', { user_id: auth.userId }))
          .catch(() => {});
      });
      const start = async () => {
        await refresh();
        const ws = scoped(ctx.db, auth.accountId);
        const me = await ctx.db.selectFrom('users').select(['name', 'avatar_url']).where('id', '=', auth.userId).executeTakeFirstOrThrow();
        connection.name = me.name || 'Agent';
        connection.avatarUrl = me.avatar_url;
        await ws.updateTable('memberships').set({ last_active_at: sql<Date>`now()`, idle: false }).where('user_id', '=', auth.userId).execute();
      };
      start().then(
        () => {
          if (socket.readyState !== socket.OPEN) return;
          let set = byAccount.get(auth.accountId);
          if (!set) byAccount.set(auth.accountId, (set = new Set()));
          set.add(connection);
          socket.send(JSON.stringify({ type: 'ready', user_id: auth.userId, account_id: auth.accountId }));
          void announcePresence(auth.accountId, auth.userId).catch(() => {});
        },
        () => socket.close(1011, 'could not load your inboxes'),
      );
    },
  });

  app.get(
    '/api/v1/presence',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['realtime'],
        summary: 'Who of the team is online, away or offline (offline: no app open, or chosen)',
        response: { 200: Type.Object({ data: Type.Array(Type.Object({ user_id: Type.String(), name: Type.String(), avatar_url: Type.Union([Type.String(), Type.Null()]), status: PresenceStatus })) }), ...errors(401, 403) },
      },
    },
    async (request) => {
      const auth = member(request);
      const rows = await scoped(ctx.db, auth.accountId)
        .selectFrom('memberships')
        .innerJoin('users as u', 'u.id', 'memberships.user_id')
        .select(['memberships.user_id', 'u.name', 'u.avatar_url', 'memberships.availability', 'memberships.idle', 'memberships.last_active_at'])
        .orderBy('u.name')
        .execute();
      return { data: rows.map((r) => ({ user_id: r.user_id, name: r.name, avatar_url: r.avatar_url, status: effectivePresence(r) })) };
    },
  );

  app.put(
    '/api/v1/me/presence',
    {
      config: { access: 'agent' },
      schema: { tags: ['realtime'], summary: 'Set my availability: online, away or offline (teammates see it live)', body: Obj({ status: PresenceStatus }), response: { 200: Type.Object({ status: PresenceStatus }), ...errors(400, 401, 403) } },
    },
    async (request) => {
      const auth = member(request);
      await scoped(ctx.db, auth.accountId).updateTable('memberships').set({ availability: request.body.status }).where('user_id', '=', auth.userId).execute();
      await announcePresence(auth.accountId, auth.userId);
      return { status: request.body.status };
    },
  );
}

/**
 * The realtime gateway for agents: one WebSocket per open app, fed from committed outbox rows
 * only (through the bus), and only with what that person may see. Clients that miss events (a
 * dropped connection, a restart) resync over REST by sequence number.
 */
import type { WebSocket } from 'ws';
import type { AppContext } from '../../core/context.js';
import type { BusEvent } from '../../core/bus.js';
import { AppError } from '../../core/errors.js';
import { member, sameOrigin } from '../../core/http/auth.js';
import { errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { atLeast } from '../../core/auth/roles.js';
import { scoped } from '../../core/db/tenant.js';
import type { Role } from '../../core/db/schema.js';

interface AgentConnection {
  socket: WebSocket;
  userId: string;
  role: Role;
  /** The inboxes this agent works in; null for admins, who see every inbox. */
  inboxIds: Set<string> | null;
  alive: boolean;
}

const HEARTBEAT_MS = 30_000;
const MEMBERSHIP_REFRESH_MS = 30_000;

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
    const frame = JSON.stringify({ type: 'event', id: event.id, event: event.event, conversation_id: event.conversationId, inbox_id: event.inboxId, data: event.payload });
    for (const c of connections) {
      if (event.inboxId && c.inboxIds && !c.inboxIds.has(event.inboxId)) continue;
      if (c.socket.readyState === c.socket.OPEN) c.socket.send(frame);
    }
  };
  const unsubscribe = ctx.bus.subscribe(deliver);

  const heartbeat = setInterval(() => {
    for (const set of byAccount.values()) {
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
      const connection: AgentConnection = { socket, userId: auth.userId, role: auth.role, inboxIds: new Set(), alive: true };
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
      });
      const refresh = async () => {
        connection.inboxIds = await inboxesOf(auth.accountId, auth.userId, auth.role);
      };
      const timer = setInterval(() => void refresh().catch(() => {}), MEMBERSHIP_REFRESH_MS);
      socket.on('close', () => {
        clearInterval(timer);
        byAccount.get(auth.accountId)?.delete(connection);
      });
      refresh().then(
        () => {
          if (socket.readyState !== socket.OPEN) return;
          let set = byAccount.get(auth.accountId);
          if (!set) byAccount.set(auth.accountId, (set = new Set()));
          set.add(connection);
          socket.send(JSON.stringify({ type: 'ready', user_id: auth.userId, account_id: auth.accountId }));
        },
        () => socket.close(1011, 'could not load your inboxes'),
      );
    },
  });
}

/**
 * The notification centre: my notifications (only of conversations I may still open), the unread
 * count, marking read, and my choices of which to get in the app and by email. New messages in
 * conversations people follow become notifications here, from the `message.created` events.
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { Role } from '../../core/db/schema.js';
import { atLeast } from '../../core/auth/roles.js';
import { scoped } from '../../core/db/tenant.js';
import { notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { decodeCursor, page } from '../../core/http/pagination.js';
import { IdParams, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { NOTIFICATION_KINDS, KIND_LABELS, allPreferences } from './preferences.js';
import { NOTIFICATION_COLUMNS, presentNotification, type NotificationRow } from './notifications.presenter.js';
import { Notification, NotificationPage, NotificationsQuery, Preferences, PreferencesUpdate } from './notifications.schema.js';
import { notificationEmail } from './notify.js';

interface Viewer {
  accountId: string;
  userId: string;
  role: Role | null;
}

export function notificationsRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  notificationEmail.enabled = Boolean(ctx.config.notificationsSmtpUrl && ctx.config.notificationsFrom);
  notificationEmail.batchSeconds = ctx.config.notificationsEmailBatchSeconds;

  /** My notifications, of conversations I may open now (I may have left an inbox since). */
  function mine(viewer: Viewer) {
    const ws = scoped(db, viewer.accountId);
    let q = ws.selectFrom('notifications').where('notifications.user_id', '=', viewer.userId).where('notifications.in_app', '=', true);
    if (!atLeast(viewer.role ?? undefined, 'admin')) {
      q = q.where((eb) =>
        eb.or([
          eb('notifications.conversation_id', 'is', null),
          eb(
            'notifications.conversation_id',
            'in',
            ws.selectFrom('conversations').select('conversations.id').where('conversations.inbox_id', 'in', ws.selectFrom('inbox_members').select('inbox_members.inbox_id').where('inbox_members.user_id', '=', viewer.userId)),
          ),
        ]),
      );
    }
    return q;
  }

  const unreadCount = async (viewer: Viewer) => Number((await mine(viewer).where('notifications.read_at', 'is', null).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  app.get(
    '/api/v1/notifications',
    { config: { access: 'agent' }, schema: { tags: ['notifications'], summary: 'My notifications, newest first, with the unread count', querystring: NotificationsQuery, response: { 200: NotificationPage, ...errors(400, 401, 403) } } },
    async (request) => {
      const auth = member(request);
      const limit = request.query.limit ?? 30;
      const cursor = decodeCursor(request.query.cursor);
      let q = mine(auth)
        .select(NOTIFICATION_COLUMNS.map((c) => `notifications.${c}` as const))
        .orderBy('notifications.updated_at', 'desc')
        .orderBy('notifications.id', 'desc')
        .limit(limit + 1);
      if (request.query.unread) q = q.where('notifications.read_at', 'is', null);
      if (cursor) q = q.where(sql<boolean>`(notifications.updated_at, notifications.id) < (${cursor.createdAt}, ${cursor.id})`);
      const rows = (await q.execute()) as NotificationRow[];
      const result = page(rows, limit, (r) => r.updated_at);
      return { data: result.rows.map(presentNotification), next_cursor: result.next_cursor, unread_count: await unreadCount(auth) };
    },
  );

  app.get(
    '/api/v1/notifications/unread-count',
    { config: { access: 'agent' }, schema: { tags: ['notifications'], summary: 'How many of my notifications are unread', response: { 200: Type.Object({ count: Type.Integer() }), ...errors(401, 403) } } },
    async (request) => ({ count: await unreadCount(member(request)) }),
  );

  app.post(
    '/api/v1/notifications/:id/read',
    { config: { access: 'agent' }, schema: { tags: ['notifications'], summary: 'Mark one of my notifications read', params: IdParams, response: { 200: Notification, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = member(request);
      const found = await mine(auth).select('notifications.id').where('notifications.id', '=', request.params.id).executeTakeFirst();
      if (!found) throw notFound('Notification');
      const row = await scoped(db, auth.accountId)
        .updateTable('notifications')
        .set({ read_at: sql<Date>`coalesce(read_at, now())` })
        .where('id', '=', found.id)
        .where('user_id', '=', auth.userId)
        .returning([...NOTIFICATION_COLUMNS])
        .executeTakeFirstOrThrow();
      return presentNotification(row);
    },
  );

  app.post(
    '/api/v1/notifications/read-all',
    { config: { access: 'agent' }, schema: { tags: ['notifications'], summary: 'Mark all my notifications read', response: { 200: Type.Object({ updated: Type.Integer() }), ...errors(401, 403) } } },
    async (request) => {
      const auth = member(request);
      const rows = await scoped(db, auth.accountId).updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('user_id', '=', auth.userId).where('read_at', 'is', null).returning('id').execute();
      return { updated: rows.length };
    },
  );

  app.get(
    '/api/v1/me/notification-preferences',
    { config: { access: 'agent' }, schema: { tags: ['notifications'], summary: 'Which notifications I get in the app and by email, per kind', response: { 200: Preferences, ...errors(401, 403) } } },
    async (request) => {
      const auth = member(request);
      return presentPreferences(await allPreferences(db, auth.accountId, auth.userId));
    },
  );

  app.put(
    '/api/v1/me/notification-preferences',
    { config: { access: 'agent' }, schema: { tags: ['notifications'], summary: 'Choose which notifications I get in the app and by email', body: PreferencesUpdate, response: { 200: Preferences, ...errors(400, 401, 403) } } },
    async (request) => {
      const auth = member(request);
      const ws = scoped(db, auth.accountId);
      for (const p of request.body.preferences) {
        await ws
          .insertInto('notification_preferences', { user_id: auth.userId, kind: p.kind, in_app: p.in_app, email: p.email })
          .onConflict((oc) => oc.columns(['account_id', 'user_id', 'kind']).doUpdateSet({ in_app: p.in_app, email: p.email }))
          .execute();
      }
      return presentPreferences(await allPreferences(db, auth.accountId, auth.userId));
    },
  );

  function presentPreferences(prefs: Awaited<ReturnType<typeof allPreferences>>) {
    return { email_available: notificationEmail.enabled, preferences: NOTIFICATION_KINDS.map((kind) => ({ kind, label: KIND_LABELS[kind], ...prefs[kind] })) };
  }
}

/**
 * Saved views: a named set of conversation list filters, kept for oneself or shared with the whole
 * team. Anyone sees their own and the shared ones; a shared view is changed only by its owner or
 * an admin, a personal one only by its owner (to others it does not exist).
 */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { atLeast } from '../../core/auth/roles.js';
import type { Role } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Nullable, Obj, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { ConversationFilters } from '../conversations/conversations.schema.js';

const { cursor: _cursor, limit: _limit, ...listFilters } = ConversationFilters.properties;
/** The conversation list's filters, without its paging. */
export const ViewFilters = Obj(listFilters, { description: 'The conversation list filters this view applies (as GET /api/v1/conversations takes them)' });
const Name = Type.String({ minLength: 1, maxLength: 80, description: 'Shown in the inbox filter pane' });

const SavedView = Type.Object({
  id: Uuid,
  name: Type.String(),
  filters: ViewFilters,
  shared: Type.Boolean({ description: 'Seen by the whole team; otherwise only by its owner' }),
  owner: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  can_edit: Type.Boolean({ description: 'Whether I may change or delete it' }),
  created_at: Timestamp,
  updated_at: Timestamp,
});

interface ViewRow {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  shared: boolean;
  user_id: string | null;
  owner_name: string | null;
  created_at: Date;
  updated_at: Date;
}

type Viewer = { userId: string; role: Role };
const mayEdit = (view: Pick<ViewRow, 'user_id' | 'shared'>, viewer: Viewer) => view.user_id === viewer.userId || (view.shared && atLeast(viewer.role, 'admin'));

function present(r: ViewRow, viewer: Viewer) {
  return {
    id: r.id,
    name: r.name,
    filters: r.filters,
    shared: r.shared,
    owner: r.user_id ? { id: r.user_id, name: r.owner_name ?? '' } : null,
    can_edit: mayEdit(r, viewer),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export function savedViewsRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  const views = (accountId: string, userId: string) =>
    scoped(db, accountId)
      .selectFrom('saved_views')
      .leftJoin('users as u', 'u.id', 'saved_views.user_id')
      .select(['saved_views.id', 'saved_views.name', 'saved_views.filters', 'saved_views.shared', 'saved_views.user_id', 'u.name as owner_name', 'saved_views.created_at', 'saved_views.updated_at'])
      .where((eb) => eb.or([eb('saved_views.shared', '=', true), eb('saved_views.user_id', '=', userId)]));

  /** Inbox and team ids in the filters must be this workspace's (SECURITY 2). */
  async function checkFilters(accountId: string, filters: Record<string, unknown>): Promise<void> {
    const ws = scoped(db, accountId);
    const bad: Array<{ field: string; message: string }> = [];
    if (typeof filters.inbox_id === 'string' && !(await ws.selectFrom('inboxes').select('id').where('id', '=', filters.inbox_id).executeTakeFirst())) bad.push({ field: 'filters.inbox_id', message: 'is not an inbox of this workspace' });
    if (typeof filters.team_id === 'string' && !(await ws.selectFrom('teams').select('id').where('id', '=', filters.team_id).executeTakeFirst())) bad.push({ field: 'filters.team_id', message: 'is not a team of this workspace' });
    const who = filters.assignee;
    if (typeof who === 'string' && !['me', 'unassigned', 'any'].includes(who) && !(await ws.selectFrom('memberships').select('user_id').where('user_id', '=', who).executeTakeFirst())) bad.push({ field: 'filters.assignee', message: 'is not a member of this workspace' });
    if (bad.length) throw new AppError('invalid_reference', 'This view names an inbox, team or teammate that is not in this workspace.', bad);
  }

  async function editable(accountId: string, viewer: Viewer, id: string): Promise<ViewRow> {
    const view = (await views(accountId, viewer.userId).where('saved_views.id', '=', id).executeTakeFirst()) as ViewRow | undefined;
    if (!view) throw notFound('Saved view');
    if (!mayEdit(view, viewer)) throw forbidden('Only the person who saved this shared view, or an admin, can change it.');
    return view;
  }

  app.get('/api/v1/saved-views', { config: { access: 'agent' }, schema: { tags: ['saved views'], summary: 'My saved views and those shared with the team, by name', response: { 200: Type.Object({ data: Type.Array(SavedView) }), ...errors(401, 403) } } }, async (request) => {
    const auth = member(request);
    const rows = (await views(auth.accountId, auth.userId).orderBy('saved_views.name').orderBy('saved_views.id').limit(200).execute()) as ViewRow[];
    return { data: rows.map((r) => present(r, auth)) };
  });

  app.post(
    '/api/v1/saved-views',
    {
      config: { access: 'agent' },
      schema: { tags: ['saved views'], summary: 'Save the current filters as a view, for myself or shared with the team', body: Obj({ name: Name, filters: ViewFilters, shared: Type.Optional(Type.Boolean({ default: false })) }), response: { 201: SavedView, ...errors(400, 401, 403, 422) } },
    },
    async (request, reply) => {
      const auth = member(request);
      await checkFilters(auth.accountId, request.body.filters);
      const { id } = await scoped(db, auth.accountId)
        .insertInto('saved_views', { user_id: auth.userId, name: request.body.name.trim() || request.body.name, filters: JSON.stringify(request.body.filters), shared: request.body.shared ?? false })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = (await views(auth.accountId, auth.userId).where('saved_views.id', '=', id).executeTakeFirstOrThrow()) as ViewRow;
      return reply.code(201).send(present(row, auth));
    },
  );

  app.patch(
    '/api/v1/saved-views/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['saved views'], summary: 'Rename a view, change its filters or whether the team sees it', params: IdParams, body: Obj({ name: Type.Optional(Name), filters: Type.Optional(ViewFilters), shared: Type.Optional(Type.Boolean()) }), response: { 200: SavedView, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => {
      const auth = member(request);
      await editable(auth.accountId, auth, request.params.id);
      const { name, filters, shared } = request.body;
      if (filters) await checkFilters(auth.accountId, filters);
      await scoped(db, auth.accountId)
        .updateTable('saved_views')
        .set({ ...(name !== undefined ? { name } : {}), ...(filters ? { filters: JSON.stringify(filters) } : {}), ...(shared !== undefined ? { shared } : {}), updated_at: new Date() })
        .where('id', '=', request.params.id)
        .execute();
      const row = (await views(auth.accountId, auth.userId).where('saved_views.id', '=', request.params.id).executeTakeFirstOrThrow()) as ViewRow;
      return present(row, auth);
    },
  );

  app.delete('/api/v1/saved-views/:id', { config: { access: 'agent' }, schema: { tags: ['saved views'], summary: 'Delete a view', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    await editable(auth.accountId, auth, request.params.id);
    await scoped(db, auth.accountId).deleteFrom('saved_views').where('id', '=', request.params.id).execute();
    return reply.code(204).send(null);
  });
}

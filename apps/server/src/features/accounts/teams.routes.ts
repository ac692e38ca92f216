/** Teams: groups of members that conversations can be routed to. */
import { Type } from '@sinclair/typebox';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, Page, PageQuery, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { Team, TeamName } from './accounts.schema.js';
import { presentTeam } from './accounts.presenter.js';

const MemberIds = Type.Array(Uuid, { maxItems: 500, uniqueItems: true });

/** Every id must be a member of this workspace: unknown ones answer 422 naming each, nothing written. */
async function assertMembers(trx: Transaction<DB>, accountId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await scoped(trx, accountId).selectFrom('memberships').select('user_id').where('user_id', 'in', ids).execute()).map((r) => r.user_id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new AppError('invalid_reference', 'Some member ids are not members of this workspace.', missing.map((id) => ({ field: 'member_ids', id, message: 'is not a member of this workspace' })));
}

export function teamsRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;

  async function load(accountId: string, ids?: string[]) {
    let q = scoped(db, accountId).selectFrom('teams').select(['id', 'name', 'description', 'created_at']).orderBy('name');
    if (ids) q = q.where('id', 'in', ids);
    const teams = await q.execute();
    if (teams.length === 0) return [];
    const links = await scoped(db, accountId).selectFrom('team_members').select(['team_id', 'user_id']).where('team_id', 'in', teams.map((t) => t.id)).execute();
    return teams.map((t) => presentTeam(t, links.filter((l) => l.team_id === t.id).map((l) => l.user_id)));
  }
  async function loadOne(accountId: string, id: string) {
    const [team] = await load(accountId, [id]);
    if (!team) throw notFound('Team');
    return team;
  }
  async function setMembers(trx: Transaction<DB>, accountId: string, teamId: string, ids: string[]) {
    await assertMembers(trx, accountId, ids);
    const ws = scoped(trx, accountId);
    await ws.deleteFrom('team_members').where('team_id', '=', teamId).execute();
    if (ids.length) await ws.insertInto('team_members', ids.map((user_id) => ({ team_id: teamId, user_id }))).execute();
  }
  const uniqueName = (err: unknown) => {
    if ((err as { code?: string }).code === '23505') throw new AppError('conflict', 'A team with this name already exists.', [{ field: 'name', message: 'is already taken' }]);
    throw err;
  };

  app.get('/api/v1/teams', { config: { access: 'agent' }, schema: { tags: ['teams'], summary: 'Teams of the workspace', querystring: PageQuery, response: { 200: Page(Team), ...errors(401, 403) } } }, async (request) => {
    return { data: await load(member(request).accountId), next_cursor: null };
  });

  app.get('/api/v1/teams/:id', { config: { access: 'agent' }, schema: { tags: ['teams'], summary: 'One team', params: IdParams, response: { 200: Team, ...errors(401, 403, 404) } } }, async (request) => {
    return loadOne(member(request).accountId, request.params.id);
  });

  app.post(
    '/api/v1/teams',
    {
      config: { access: 'admin' },
      schema: { tags: ['teams'], summary: 'Create a team', body: Obj({ name: TeamName, description: Type.Optional(Type.String({ maxLength: 500 })), member_ids: Type.Optional(MemberIds) }), response: { 201: Team, ...errors(400, 401, 403, 409, 422) } },
    },
    async (request, reply) => {
      const auth = member(request);
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const team = await scoped(trx, auth.accountId)
            .insertInto('teams', { name: request.body.name.trim(), description: request.body.description ?? '' })
            .returning('id')
            .executeTakeFirstOrThrow();
          await setMembers(trx, auth.accountId, team.id, request.body.member_ids ?? []);
          return team.id;
        })
        .catch(uniqueName);
      return reply.code(201).send(await loadOne(auth.accountId, id));
    },
  );

  app.patch(
    '/api/v1/teams/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['teams'],
        summary: 'Rename a team or replace its members',
        params: IdParams,
        body: Obj({ name: Type.Optional(TeamName), description: Type.Optional(Type.String({ maxLength: 500 })), member_ids: Type.Optional(MemberIds) }),
        response: { 200: Team, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      const { name, description, member_ids } = request.body;
      await db
        .transaction()
        .execute(async (trx) => {
          const ws = scoped(trx, auth.accountId);
          const found = await ws.selectFrom('teams').select('id').where('id', '=', request.params.id).forUpdate().executeTakeFirst();
          if (!found) throw notFound('Team');
          if (name !== undefined || description !== undefined) {
            await ws
              .updateTable('teams')
              .set({ ...(name !== undefined ? { name: name.trim() } : {}), ...(description !== undefined ? { description } : {}) })
              .where('id', '=', found.id)
              .execute();
          }
          if (member_ids) await setMembers(trx, auth.accountId, found.id, member_ids);
        })
        .catch(uniqueName);
      return loadOne(auth.accountId, request.params.id);
    },
  );

  app.delete('/api/v1/teams/:id', { config: { access: 'admin' }, schema: { tags: ['teams'], summary: 'Delete a team', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const auth = member(request);
    const deleted = await scoped(db, auth.accountId).deleteFrom('teams').where('id', '=', request.params.id).returning('id').executeTakeFirst();
    if (!deleted) throw notFound('Team');
    return reply.code(204).send(null);
  });
}

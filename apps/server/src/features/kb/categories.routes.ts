/**
 * Categories hold sections, sections hold articles; both have a name per language and an order.
 * Agents read the structure; admins change it (it is the help center's navigation). Deleting a
 * category deletes its sections; their articles stay, in no section.
 */
import { Type } from '@sinclair/typebox';
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { slugify } from './markdown.js';
import { CategoryBody, CategoryOut, CategoryPatch, SectionBody, SectionOut, SectionPatch, checkNames, type Problem } from './kb.schema.js';

const tags = ['knowledge base'];
const CATEGORY_COLUMNS = ['id', 'names', 'descriptions', 'slug', 'icon', 'position'] as const;
const SECTION_COLUMNS = ['id', 'category_id', 'names', 'descriptions', 'slug', 'position'] as const;

function checkStructure(names: Record<string, string> | undefined, descriptions: Record<string, string> | undefined, slug: string | undefined): void {
  const problems: Problem[] = [];
  checkNames('names', names, problems);
  checkNames('descriptions', Object.fromEntries(Object.entries(descriptions ?? {}).map(([k, v]) => [k, v || ' '])), problems);
  if (slug && slugify(slug) !== slug) problems.push({ field: 'slug', message: `may hold only lower-case letters, digits and dashes (such as "${slugify(slug) || 'billing'}")` });
  if (problems.length) throw new AppError('invalid_kb_structure', `This is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);
}

const firstName = (names: Record<string, string>) => Object.values(names)[0] ?? '';
const trimmed = (names: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(names).map(([k, v]) => [k, v.trim()])));

async function nextPosition(trx: Transaction<DB>, accountId: string, table: 'kb_categories' | 'kb_sections', categoryId?: string): Promise<number> {
  let q = scoped(trx, accountId).selectFrom(table).select(sql<number | null>`max(position)`.as('max'));
  if (categoryId) q = q.where(sql<boolean>`category_id = ${categoryId}`);
  return ((await q.executeTakeFirst())?.max ?? -1) + 1;
}

/**
 * Makes room at `position`: the others from there on move one down, so a category or section put
 * at a place lands exactly there instead of tying with the one that had it.
 */
async function makeRoom(trx: Transaction<DB>, accountId: string, table: 'kb_categories' | 'kb_sections', position: number, categoryId?: string, except?: string): Promise<void> {
  let q = scoped(trx, accountId)
    .updateTable(table)
    .set({ position: sql<number>`position + 1` })
    .where('position', '>=', position);
  if (categoryId) q = q.where(sql<boolean>`category_id = ${categoryId}`);
  if (except) q = q.where('id', '!=', except);
  await q.execute();
}

/** Every category with its sections and how many articles each section holds, in order. */
export async function categoryTree(db: AppContext['db'], accountId: string) {
  const ws = scoped(db, accountId);
  const categories = await ws.selectFrom('kb_categories').select(CATEGORY_COLUMNS).orderBy('position').orderBy('created_at').execute();
  const sections = await ws.selectFrom('kb_sections').select(SECTION_COLUMNS).orderBy('position').orderBy('created_at').execute();
  const counts = new Map(
    (await ws.selectFrom('kb_articles').select(['section_id', sql<number>`count(*)::int`.as('n')]).where('section_id', 'is not', null).groupBy('section_id').execute()).map((r) => [r.section_id, r.n]),
  );
  return categories.map((c) => ({ ...c, sections: sections.filter((s) => s.category_id === c.id).map((s) => ({ ...s, article_count: counts.get(s.id) ?? 0 })) }));
}

export function categoriesRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const category = async (accountId: string, id: string) => {
    const row = (await categoryTree(db, accountId)).find((c) => c.id === id);
    if (!row) throw notFound('Category');
    return row;
  };
  const section = async (accountId: string, id: string) => {
    const row = (await categoryTree(db, accountId)).flatMap((c) => c.sections).find((s) => s.id === id);
    if (!row) throw notFound('Section');
    return row;
  };
  const categoryExists = async (trx: Transaction<DB>, accountId: string, id: string) => {
    // Another workspace's category is not one of ours (SECURITY 2, 4).
    if (!(await scoped(trx, accountId).selectFrom('kb_categories').select('id').where('id', '=', id).executeTakeFirst()))
      throw new AppError('invalid_reference', 'category_id is not a category of this workspace.', [{ field: 'category_id', message: 'is not a category of this workspace' }]);
  };

  app.get('/api/v1/kb/categories', { config: { access: 'agent' }, schema: { tags, summary: 'Categories with their sections, in order', response: { 200: Type.Object({ data: Type.Array(CategoryOut) }), ...errors(401, 403) } } }, async (request) => ({
    data: await categoryTree(db, member(request).accountId),
  }));

  app.post('/api/v1/kb/categories', { config: { access: 'admin' }, schema: { tags, summary: 'Add a category (last unless position is given)', body: CategoryBody, response: { 201: CategoryOut, ...errors(400, 401, 403, 422) } } }, async (request, reply) => {
    const auth = member(request);
    const b = request.body;
    checkStructure(b.names, b.descriptions, b.slug);
    const id = await db.transaction().execute(async (trx) => {
      if (b.position !== undefined) await makeRoom(trx, auth.accountId, 'kb_categories', b.position);
      const row = await scoped(trx, auth.accountId)
        .insertInto('kb_categories', {
          names: trimmed(b.names),
          descriptions: JSON.stringify(b.descriptions ?? {}),
          slug: b.slug || slugify(firstName(b.names)) || 'category',
          icon: b.icon ?? null,
          position: b.position ?? (await nextPosition(trx, auth.accountId, 'kb_categories')),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    return reply.code(201).send(await category(auth.accountId, id));
  });

  app.patch('/api/v1/kb/categories/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Rename, describe or move a category', params: IdParams, body: CategoryPatch, response: { 200: CategoryOut, ...errors(400, 401, 403, 404, 422) } } }, async (request) => {
    const auth = member(request);
    const b = request.body;
    await category(auth.accountId, request.params.id);
    checkStructure(b.names, b.descriptions, b.slug);
    await db.transaction().execute(async (trx) => {
      if (b.position !== undefined) await makeRoom(trx, auth.accountId, 'kb_categories', b.position, undefined, request.params.id);
      await scoped(trx, auth.accountId)
        .updateTable('kb_categories')
        .set({
          ...(b.names ? { names: trimmed(b.names) } : {}),
          ...(b.descriptions ? { descriptions: JSON.stringify(b.descriptions) } : {}),
          ...(b.slug ? { slug: b.slug } : {}),
          ...(b.icon !== undefined ? { icon: b.icon } : {}),
          ...(b.position !== undefined ? { position: b.position } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', request.params.id)
        .execute();
    });
    return category(auth.accountId, request.params.id);
  });

  app.delete('/api/v1/kb/categories/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Delete a category and its sections (their articles stay, in no section)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const row = await scoped(db, member(request).accountId).deleteFrom('kb_categories').where('id', '=', request.params.id).returning('id').executeTakeFirst();
    if (!row) throw notFound('Category');
    return reply.code(204).send(null);
  });

  app.get('/api/v1/kb/sections', { config: { access: 'agent' }, schema: { tags, summary: 'Every section, in order within its category', response: { 200: Type.Object({ data: Type.Array(SectionOut) }), ...errors(401, 403) } } }, async (request) => ({
    data: (await categoryTree(db, member(request).accountId)).flatMap((c) => c.sections),
  }));

  app.post('/api/v1/kb/sections', { config: { access: 'admin' }, schema: { tags, summary: 'Add a section to a category (last unless position is given)', body: SectionBody, response: { 201: SectionOut, ...errors(400, 401, 403, 422) } } }, async (request, reply) => {
    const auth = member(request);
    const b = request.body;
    checkStructure(b.names, b.descriptions, b.slug);
    const id = await db.transaction().execute(async (trx) => {
      await categoryExists(trx, auth.accountId, b.category_id);
      if (b.position !== undefined) await makeRoom(trx, auth.accountId, 'kb_sections', b.position, b.category_id);
      const row = await scoped(trx, auth.accountId)
        .insertInto('kb_sections', {
          category_id: b.category_id,
          names: trimmed(b.names),
          descriptions: JSON.stringify(b.descriptions ?? {}),
          slug: b.slug || slugify(firstName(b.names)) || 'section',
          position: b.position ?? (await nextPosition(trx, auth.accountId, 'kb_sections', b.category_id)),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    return reply.code(201).send(await section(auth.accountId, id));
  });

  app.patch('/api/v1/kb/sections/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Rename, describe, reorder or move a section to another category', params: IdParams, body: SectionPatch, response: { 200: SectionOut, ...errors(400, 401, 403, 404, 422) } } }, async (request) => {
    const auth = member(request);
    const b = request.body;
    const current = await section(auth.accountId, request.params.id);
    checkStructure(b.names, b.descriptions, b.slug);
    await db.transaction().execute(async (trx) => {
      if (b.category_id) await categoryExists(trx, auth.accountId, b.category_id);
      if (b.position !== undefined) await makeRoom(trx, auth.accountId, 'kb_sections', b.position, b.category_id ?? current.category_id, request.params.id);
      await scoped(trx, auth.accountId)
        .updateTable('kb_sections')
        .set({
          ...(b.category_id ? { category_id: b.category_id } : {}),
          ...(b.names ? { names: trimmed(b.names) } : {}),
          ...(b.descriptions ? { descriptions: JSON.stringify(b.descriptions) } : {}),
          ...(b.slug ? { slug: b.slug } : {}),
          ...(b.position !== undefined ? { position: b.position } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', request.params.id)
        .execute();
    });
    return section(auth.accountId, request.params.id);
  });

  app.delete('/api/v1/kb/sections/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Delete a section (its articles stay, in no section)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
    const row = await scoped(db, member(request).accountId).deleteFrom('kb_sections').where('id', '=', request.params.id).returning('id').executeTakeFirst();
    if (!row) throw notFound('Section');
    return reply.code(204).send(null);
  });
}

/** Contacts: the customers of the workspace. (Read side for now; identities and editing come with live chat.) */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { decodeCursor, page } from '../../core/http/pagination.js';
import { IdParams, Nullable, Page, PageQuery, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { scoped } from '../../core/db/tenant.js';

export const Contact = Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), company: Nullable(Type.String()), created_at: Timestamp });

type ContactRow = { id: string; name: string; email: string | null; phone: string | null; company: string | null; created_at: Date };
export const presentContact = (c: ContactRow) => ({ ...c, created_at: c.created_at.toISOString() });

export function contactsRoutes(app: Api, ctx: AppContext): void {
  const columns = ['id', 'name', 'email', 'phone', 'company', 'created_at'] as const;

  app.get('/api/v1/contacts', { config: { access: 'agent' }, schema: { tags: ['contacts'], summary: 'Contacts, newest first', querystring: PageQuery, response: { 200: Page(Contact), ...errors(400, 401, 403) } } }, async (request) => {
    const auth = member(request);
    const limit = request.query.limit ?? 50;
    const cursor = decodeCursor(request.query.cursor);
    let q = scoped(ctx.db, auth.accountId).selectFrom('contacts').select(columns).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
    if (cursor) q = q.where(({ eb, tuple, refTuple }) => eb(refTuple('created_at', 'id'), '<', tuple(cursor.createdAt, cursor.id)));
    const result = page(await q.execute(), limit);
    return { data: result.rows.map(presentContact), next_cursor: result.next_cursor };
  });

  app.get('/api/v1/contacts/:id', { config: { access: 'agent' }, schema: { tags: ['contacts'], summary: 'One contact', params: IdParams, response: { 200: Contact, ...errors(401, 403, 404) } } }, async (request) => {
    const row = await scoped(ctx.db, member(request).accountId).selectFrom('contacts').select(columns).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound('Contact');
    return presentContact(row);
  });
}

/** The audit log, newest first, for owners and admins. */
import type { AppContext } from '../../core/context.js';
import { member } from '../../core/http/auth.js';
import { decodeCursor, page } from '../../core/http/pagination.js';
import { Page, PageQuery, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { scoped } from '../../core/db/tenant.js';
import { AuditEvent } from './accounts.schema.js';
import { presentAuditEvent } from './accounts.presenter.js';

export function auditRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/api/v1/audit-events',
    { config: { access: 'admin' }, schema: { tags: ['audit'], summary: 'Security events of the workspace, newest first', querystring: PageQuery, response: { 200: Page(AuditEvent), ...errors(400, 401, 403) } } },
    async (request) => {
      const auth = member(request);
      const limit = request.query.limit ?? 50;
      const cursor = decodeCursor(request.query.cursor);
      let q = scoped(ctx.db, auth.accountId)
        .selectFrom('audit_events')
        .leftJoin('users as u', 'u.id', 'audit_events.actor_user_id')
        .select([
          'audit_events.id',
          'audit_events.action',
          'audit_events.actor_user_id',
          'u.name as actor_name',
          'audit_events.actor_token_id',
          'audit_events.target_type',
          'audit_events.target_id',
          'audit_events.ip',
          'audit_events.metadata',
          'audit_events.created_at',
        ])
        .orderBy('audit_events.created_at', 'desc')
        .orderBy('audit_events.id', 'desc')
        .limit(limit + 1);
      if (cursor) {
        q = q.where(({ eb, tuple, refTuple }) => eb(refTuple('audit_events.created_at', 'audit_events.id'), '<', tuple(cursor.createdAt, cursor.id)));
      }
      const result = page(await q.execute(), limit);
      return { data: result.rows.map(presentAuditEvent), next_cursor: result.next_cursor };
    },
  );
}

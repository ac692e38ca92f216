/** The workspace's auto-close setting: close conversations pending longer than this, with a message. */
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { member } from '../../core/http/auth.js';
import { errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { AutoClose } from './automation.schema.js';
import { checkTemplate } from './canned.routes.js';

export function autoCloseRoutes(app: Api, ctx: AppContext): void {
  const read = async (accountId: string) => {
    const row = await scoped(ctx.db, accountId).selectFrom('automation_settings').select(['auto_close_enabled', 'auto_close_after_minutes', 'auto_close_message']).executeTakeFirst();
    return { enabled: row?.auto_close_enabled ?? false, after_minutes: row?.auto_close_after_minutes ?? 3 * 24 * 60, message: row?.auto_close_message ?? '' };
  };

  app.get('/api/v1/automation/auto-close', { config: { access: 'admin' }, schema: { tags: ['automation'], summary: 'Whether pending conversations are closed automatically, after how long, with which message', response: { 200: AutoClose, ...errors(401, 403) } } }, async (request) => read(member(request).accountId));

  app.put(
    '/api/v1/automation/auto-close',
    { config: { access: 'admin' }, schema: { tags: ['automation'], summary: 'Set auto-close: conversations pending longer than after_minutes are resolved, and the customer gets the message once', body: AutoClose, response: { 200: AutoClose, ...errors(400, 401, 403, 422) } } },
    async (request) => {
      const auth = member(request);
      const { enabled, after_minutes: minutes, message } = request.body;
      checkTemplate('message', message);
      const values = { auto_close_enabled: enabled, auto_close_after_minutes: minutes, auto_close_message: message.trim() };
      await scoped(ctx.db, auth.accountId)
        .insertInto('automation_settings', values)
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
        .execute();
      return read(auth.accountId);
    },
  );
}

/**
 * The help center's settings (admins): its name and address (slug, custom domain), whether it is
 * on, its languages and its look. A change drops every node's cached pages of the workspace and,
 * for the address, reloads the custom domain map.
 */
import type { AppContext } from '../../core/context.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { AppError } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { helpCenterOf } from '../kb/help-center-address.js';
import { helpCenterChanged } from './events.js';
import { HelpCenterPatch, HelpCenterSettings, checkPatch, presentHelpCenter } from './settings.schema.js';
import { themeOf } from './theme.js';

export function helpCenterSettingsRoutes(app: Api, ctx: AppContext): void {
  const tags = ['help center'];

  app.get('/api/v1/help-center', { config: { access: 'admin' }, schema: { tags, summary: 'The help center\'s settings and public address', response: { 200: HelpCenterSettings, ...errors(401, 403) } } }, async (request) => {
    return presentHelpCenter(ctx.config, await helpCenterOf(ctx.db, member(request).accountId));
  });

  app.patch(
    '/api/v1/help-center',
    { config: { access: 'admin' }, schema: { tags, summary: 'Change the help center\'s name, address, languages or look', body: HelpCenterPatch, response: { 200: HelpCenterSettings, ...errors(400, 401, 403, 409, 422) } } },
    async (request) => {
      const { accountId } = member(request);
      const b = request.body;
      const current = await helpCenterOf(ctx.db, accountId);
      const checked = checkPatch(ctx.config, current, b);
      // Slugs and domains are unique across workspaces: the check reads every workspace's on purpose.
      if (b.slug && b.slug !== current.slug.toLowerCase()) {
        const taken = await unscoped(ctx.db).selectFrom('help_centers').select('account_id').where((eb) => eb(eb.fn('lower', ['slug']), '=', b.slug!)).where('account_id', '!=', accountId).executeTakeFirst();
        if (taken) throw new AppError('conflict', 'Another help center already uses this address; choose another.', { slug: 'taken' });
      }
      if (checked.custom_domain && checked.custom_domain !== current.custom_domain?.toLowerCase()) {
        const taken = await unscoped(ctx.db).selectFrom('help_centers').select('account_id').where((eb) => eb(eb.fn('lower', ['custom_domain']), '=', checked.custom_domain!)).where('account_id', '!=', accountId).executeTakeFirst();
        if (taken) throw new AppError('conflict', 'Another help center already uses this domain.', { custom_domain: 'taken' });
      }
      const theme = b.theme ? { ...themeOf(current.theme), ...b.theme } : undefined;
      let row;
      try {
        row = await scoped(ctx.db, accountId)
          .updateTable('help_centers')
          .set({
            ...(b.name !== undefined ? { name: b.name.trim() } : {}),
            ...(b.slug !== undefined ? { slug: b.slug } : {}),
            ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
            custom_domain: checked.custom_domain,
            default_locale: checked.default_locale,
            locales: checked.locales,
            ...(theme ? { theme: JSON.stringify(theme) } : {}),
            updated_at: new Date(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      } catch (err) {
        // Two workspaces claiming one address at the same instant: the unique index decides.
        if ((err as { code?: string }).code === '23505') throw new AppError('conflict', 'Another help center already uses this address or domain.');
        throw err;
      }
      await helpCenterChanged(ctx, accountId, { domains: true });
      return presentHelpCenter(ctx.config, row);
    },
  );
}

/** Every knowledge base authoring route: categories and sections, articles, import and export. */
import type { AppContext } from '../../core/context.js';
import type { Api } from '../../core/http/types.js';
import { helpCenterChanged } from '../help-center/events.js';
import { articlesRoutes } from './articles.routes.js';
import { categoriesRoutes } from './categories.routes.js';
import { importExportRoutes } from './import-export.routes.js';

// Writes that do not change what a help center shows: a preview, an insert into a reply.
const READ_ONLY = /^\/api\/v1\/kb\/(preview|articles\/[^/]+\/insert)$/;

export function kbRoutes(app: Api, ctx: AppContext): void {
  // In a scope of their own, so the hook below runs for these routes only.
  app.register(async (scope) => {
    const kb = scope as unknown as Api;
    // A successful write drops the workspace's cached help center pages on this node before the
    // writer hears back, and on other nodes through the bus.
    kb.addHook('onSend', async (request, reply, payload) => {
      if (request.method === 'GET' || reply.statusCode >= 300 || READ_ONLY.test(request.routeOptions.url ?? '')) return payload;
      const accountId = request.auth?.accountId;
      if (accountId) await helpCenterChanged(ctx, accountId);
      return payload;
    });
    categoriesRoutes(kb, ctx);
    articlesRoutes(kb, ctx);
    importExportRoutes(kb, ctx);
  });
}

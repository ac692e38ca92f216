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
  categoriesRoutes(app, ctx);
  articlesRoutes(app, ctx);
  importExportRoutes(app, ctx);

  // A successful write drops the workspace's cached help center pages on this node before the
  // writer hears back, and on other nodes through the bus.
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url ?? '';
    if (request.method === 'GET' || reply.statusCode >= 300 || !route.startsWith('/api/v1/kb/') || READ_ONLY.test(route)) return payload;
    if (route.startsWith('/api/v1/kb/suggest') || route.startsWith('/api/v1/kb/synonyms') || route.startsWith('/api/v1/kb/search-gaps')) return payload;
    const accountId = request.auth?.accountId;
    if (accountId) await helpCenterChanged(ctx, accountId);
    return payload;
  });
}

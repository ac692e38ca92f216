/** Every knowledge base authoring route: categories and sections, articles, import and export. */
import type { AppContext } from '../../core/context.js';
import type { Api } from '../../core/http/types.js';
import { articlesRoutes } from './articles.routes.js';
import { categoriesRoutes } from './categories.routes.js';
import { importExportRoutes } from './import-export.routes.js';

export function kbRoutes(app: Api, ctx: AppContext): void {
  categoriesRoutes(app, ctx);
  articlesRoutes(app, ctx);
  importExportRoutes(app, ctx);
}

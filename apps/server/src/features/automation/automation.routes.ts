/** Every automation route: rules and their runs, canned responses, macros, auto-close. */
import type { AppContext } from '../../core/context.js';
import type { Api } from '../../core/http/types.js';
import { autoCloseRoutes } from './auto-close.routes.js';
import { cannedRoutes } from './canned.routes.js';
import { macrosRoutes } from './macros.routes.js';
import { rulesRoutes } from './rules.routes.js';

export function automationRoutes(app: Api, ctx: AppContext): void {
  rulesRoutes(app, ctx);
  cannedRoutes(app, ctx);
  macrosRoutes(app, ctx);
  autoCloseRoutes(app, ctx);
}

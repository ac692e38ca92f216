/** Liveness and readiness for load balancers and orchestrators. */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { ping } from '../../core/db/index.js';
import { migrationsComplete } from '../../core/db/migrate.js';
import type { Api } from '../../core/http/types.js';

export function healthRoutes(app: Api, ctx: AppContext): void {
  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' }, schema: { hide: true, response: { 200: Type.Object({ status: Type.String(), database: Type.String() }), 503: Type.Object({ status: Type.String(), database: Type.String(), reason: Type.String() }) } } }, async (_request, reply) => {
    if (!(await ping(ctx.db))) return reply.code(503).send({ status: 'unavailable', database: 'unreachable', reason: 'the database does not answer' });
    if (!(await migrationsComplete(ctx.db))) return reply.code(503).send({ status: 'unavailable', database: 'reachable', reason: 'migrations are not complete' });
    return { status: 'ready', database: 'ok' };
  });
}

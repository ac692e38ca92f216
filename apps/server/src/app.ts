/**
 * build(): the whole HTTP application, as a factory that tests start in-process and drive with
 * inject(). Plugins are registered in a fixed order: plumbing, docs, auth, routes, static app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './core/context.js';
import { AppError } from './core/errors.js';
import { prepareDummyHash } from './core/auth/secrets.js';
import { API_DOCS_PREFIX, authPlugin } from './core/http/auth.js';
import { errorHandling } from './core/http/errors-handler.js';
import { securityHeaders } from './core/http/security-headers.js';
import type { Api } from './core/http/types.js';
import { validatorCompiler } from './core/http/validation.js';
import { auditRoutes } from './features/accounts/audit.routes.js';
import { authRoutes } from './features/accounts/auth.routes.js';
import { invitationsRoutes } from './features/accounts/invitations.routes.js';
import { meRoutes } from './features/accounts/me.routes.js';
import { teamsRoutes } from './features/accounts/teams.routes.js';
import { tokensRoutes } from './features/accounts/tokens.routes.js';
import { usersRoutes } from './features/accounts/users.routes.js';
import { contactsRoutes } from './features/contacts/contacts.routes.js';
import { conversationsRoutes } from './features/conversations/conversations.routes.js';
import { healthRoutes } from './features/health/health.routes.js';
import { inboxesRoutes } from './features/inboxes/inboxes.routes.js';
import { realtimeRoutes } from './features/realtime/realtime.routes.js';
import { widgetRoutes } from './features/widget/widget.routes.js';
import { attachmentsRoutes } from './features/attachments/attachments.routes.js';
import { formsRoutes } from './features/channels/forms/forms.routes.js';
import { apiChannelRoutes } from './features/channels/api/api.routes.js';
import { messagingRoutes } from './features/channels/messaging/messaging.routes.js';
import { callsRoutes } from './features/channels/phone/calls.routes.js';
import { webhooksRoutes } from './features/webhooks/webhooks.routes.js';
import { searchRoutes } from './features/search/search.routes.js';
import { savedViewsRoutes } from './features/search/saved-views.routes.js';
import { handlingRoutes } from './features/conversations/handling.routes.js';
import { notificationsRoutes } from './features/notifications/notifications.routes.js';
import { routingRoutes } from './features/routing/routing.routes.js';
import { automationRoutes } from './features/automation/automation.routes.js';
import { businessHoursRoutes } from './features/business-hours/business-hours.routes.js';
import { slaRoutes } from './features/sla/sla.routes.js';
import { helpCenterHosts } from './features/help-center/hosts.js';
import { helpCenterPagesRoutes } from './features/help-center/pages.routes.js';
import { helpCenterSettingsRoutes } from './features/help-center/settings.routes.js';
import { kbSearchRoutes } from './features/help-center/kb-search.routes.js';
import { kbRoutes } from './features/kb/kb.routes.js';
import { moodRoutes } from './features/mood/mood.routes.js';
import { answerBotRoutes } from './features/answer-bot/answer-bot.routes.js';
import { aiRoutes } from './features/ai/ai.routes.js';

export const BODY_LIMIT = 1024 * 1024;

/** Where the built agent app lives (dist/web), found from this file in src/ or dist/server/. */
export function webRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../web'), path.resolve(here, '../../../dist/web')];
  return candidates.find((c) => fs.existsSync(path.join(c, 'index.html'))) ?? candidates[0];
}

/** Built files with a content hash in their name never change: browsers may keep them for a year. */
function cacheHashedAssets(reply: { header(name: string, value: string): unknown }, filePath: string): void {
  if (/[\\/]assets[\\/].+-[\w-]{8,}\.(js|css|woff2?|svg|png)$/.test(filePath)) reply.header('cache-control', 'public, max-age=31536000, immutable');
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Route list sink, for the access-matrix test. */
  onRoute?: (route: { method: string; url: string; access: string | undefined }) => void;
}

export async function build(ctx: AppContext, options: BuildOptions = {}): Promise<Api> {
  await prepareDummyHash();
  // Help center custom domains are known before the first request: their requests are rewritten to the help center's pages.
  const hosts = await helpCenterHosts(ctx.db, ctx.config.publicUrl);
  const app = Fastify({
    rewriteUrl: (req) => hosts.rewrite(req),
    logger: options.logger ?? { level: ctx.config.logLevel },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: ctx.config.trustProxy.length ? ctx.config.trustProxy : false,
    bodyLimit: BODY_LIMIT,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (options.onRoute) {
    const sink = options.onRoute;
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) if (method !== 'HEAD') sink({ method, url: route.url, access: route.config?.access });
    });
  }

  errorHandling(app);
  securityHeaders(app);
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Uploads: one file per request, within ATTACHMENT_MAX_MB (each route reads it with its own limits).
  await app.register(multipart, { limits: { fileSize: ctx.config.attachmentMaxBytes, files: 1, fields: 0, parts: 1, headerPairs: 50 } });

  authPlugin(app, ctx);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Rapport API', version: '1', description: 'REST API of Rapport. Authenticate with a session cookie (the app) or `Authorization: Bearer <API token>`.' },
      servers: [{ url: ctx.config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'rapport_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: API_DOCS_PREFIX, uiConfig: { docExpansion: 'list', deepLinking: true }, staticCSP: false });

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, ctx);
  authRoutes(app, ctx);
  meRoutes(app, ctx);
  usersRoutes(app, ctx);
  teamsRoutes(app, ctx);
  invitationsRoutes(app, ctx);
  tokensRoutes(app, ctx);
  auditRoutes(app, ctx);
  inboxesRoutes(app, ctx);
  contactsRoutes(app, ctx);
  conversationsRoutes(app, ctx);
  apiChannelRoutes(app, ctx);
  messagingRoutes(app, ctx);
  callsRoutes(app, ctx);
  webhooksRoutes(app, ctx);
  routingRoutes(app, ctx);
  automationRoutes(app, ctx);
  businessHoursRoutes(app, ctx);
  slaRoutes(app, ctx);
  moodRoutes(app, ctx);
  answerBotRoutes(app, ctx);
  aiRoutes(app, ctx);
  attachmentsRoutes(app, ctx);
  formsRoutes(app, ctx);
  realtimeRoutes(app, ctx);
  widgetRoutes(app, ctx);
  searchRoutes(app, ctx);
  savedViewsRoutes(app, ctx);
  handlingRoutes(app, ctx);
  notificationsRoutes(app, ctx);
  helpCenterSettingsRoutes(app, ctx);
  kbSearchRoutes(app, ctx);
  helpCenterPagesRoutes(app, ctx, hosts);
  kbRoutes(app, ctx);

  // The chat widget's frame assets (its loader and frame page have their own routes).
  const widget = path.resolve(webRoot(), '../widget');
  if (fs.existsSync(widget)) await app.register(fastifyStatic, { root: widget, prefix: '/widget/', decorateReply: false, index: false, wildcard: true, maxAge: '1h', setHeaders: cacheHashedAssets });

  // The agent app: static files, and index.html for any other page path (client-side routes).
  const root = webRoot();
  const hasWeb = fs.existsSync(path.join(root, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root, wildcard: false, index: false, maxAge: '1h', immutable: false, serveDotFiles: false, setHeaders: cacheHashedAssets });
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0];
    if (url.startsWith('/api/') || request.method !== 'GET') throw new AppError('route_not_found', `There is no ${request.method} ${url} endpoint.`);
    if (!hasWeb) return reply.code(503).type('text/plain').send('The agent app is not built: run `npm run build`.');
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  return app;
}

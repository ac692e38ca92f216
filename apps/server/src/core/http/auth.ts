/**
 * Who is calling: a signed-in person (session cookie) or an API token (Authorization: Bearer).
 * Also the CSRF guard for cookie-authenticated writes and the per-route access rule, which every
 * /api route must declare (`config.access`) — a route without one fails at start-up.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { atLeast, lowerOf } from '../auth/roles.js';
import { hashToken } from '../auth/secrets.js';
import { unscoped } from '../db/tenant.js';
import type { Role } from '../db/schema.js';

export const SESSION_COOKIE = 'rapport_session';
export const API_DOCS_PREFIX = '/api/v1/docs';

/**
 * - public: anyone, signed in or not
 * - user: any signed-in person or token, even without a workspace
 * - agent | admin | owner: at least that role in the current workspace
 */
export type Access = 'public' | 'user' | Role;

export interface Auth {
  kind: 'session' | 'token';
  userId: string;
  email: string;
  name: string;
  /** Current workspace; null for a person who belongs to none. */
  accountId: string | null;
  role: Role | null;
  sessionId: string | null;
  tokenId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Only a signed-in person may do this, not an API token (password, two-factor, sessions). */
    sessionOnly?: boolean;
  }
}

/** The authenticated caller with a workspace; for handlers of routes whose access is a role. */
export function member(request: FastifyRequest): Auth & { accountId: string; role: Role } {
  const auth = request.auth;
  if (!auth?.accountId || !auth.role) throw new AppError('unauthenticated');
  return auth as Auth & { accountId: string; role: Role };
}

export function caller(request: FastifyRequest): Auth {
  if (!request.auth) throw new AppError('unauthenticated');
  return request.auth;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const host = request.headers.host;
    try {
      const o = new URL(origin);
      return o.origin === new URL(publicUrl).origin || (!!host && o.host === host);
    } catch {
      return false;
    }
  }
  if (typeof fetchSite === 'string') return fetchSite === 'same-origin' || fetchSite === 'none';
  return false;
}

async function resolveToken(ctx: AppContext, token: string): Promise<Auth | null> {
  // A token names its own workspace, so finding it by its hash spans workspaces by design.
  const row = await unscoped(ctx.db)
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('memberships as m', (j) => j.onRef('m.account_id', '=', 't.account_id').onRef('m.user_id', '=', 't.user_id'))
    .select(['t.id', 't.account_id', 't.role', 't.last_used_at', 'm.role as member_role', 'u.id as user_id', 'u.email', 'u.name'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await ctx.db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).where('account_id', '=', row.account_id).execute();
  }
  return {
    kind: 'token',
    userId: row.user_id,
    email: row.email,
    name: row.name,
    accountId: row.account_id,
    // A token never outranks its owner's current role.
    role: lowerOf(row.role, row.member_role),
    sessionId: null,
    tokenId: row.id,
  };
}

async function resolveSession(ctx: AppContext, token: string): Promise<Auth | null> {
  const row = await ctx.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.current_account_id', 's.last_seen_at', 'u.id as user_id', 'u.email', 'u.name'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return null;
  // The person's workspaces: the current one if still a member, else their first.
  const memberships = await unscoped(ctx.db)
    .selectFrom('memberships')
    .select(['account_id', 'role'])
    .where('user_id', '=', row.user_id)
    .orderBy('created_at')
    .execute();
  const current = memberships.find((m) => m.account_id === row.current_account_id) ?? memberships[0];
  if (Date.now() - row.last_seen_at.getTime() > 5 * 60_000 || (current?.account_id ?? null) !== row.current_account_id) {
    const ttl = ctx.config.sessionTtlDays * 86_400_000;
    await ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + ttl), current_account_id: current?.account_id ?? null })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    kind: 'session',
    userId: row.user_id,
    email: row.email,
    name: row.name,
    accountId: current?.account_id ?? null,
    role: current?.role ?? null,
    sessionId: row.id,
    tokenId: null,
  };
}

export function authPlugin(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('auth', null);

  app.addHook('onRoute', (route) => {
    // The browsable API reference (static pages of the swagger UI plugin) is public by design.
    if (route.url.startsWith(API_DOCS_PREFIX)) route.config = { ...route.config, access: 'public' };
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} has no access rule (config.access)`);
    }
    // The OpenAPI document shows public routes as needing no credentials.
    if (route.config?.access === 'public' && route.schema) route.schema = { ...route.schema, security: [] };
  });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const auth = match ? await resolveToken(ctx, match[1]) : null;
      if (!auth) throw new AppError('invalid_token');
      request.auth = auth;
      return; // a bearer token is not ambient: no CSRF check needed
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) request.auth = await resolveSession(ctx, cookie);
    // Cookie-based writes must come from our own pages (login too: no login CSRF).
    const cookieBased = cookie !== undefined;
    const browserSaysCrossSite = request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined;
    if (!SAFE_METHODS.has(request.method) && (cookieBased || browserSaysCrossSite) && !sameOrigin(request, ctx.config.publicUrl)) {
      throw new AppError('csrf_failed');
    }
  });

  app.addHook('preValidation', async (request: FastifyRequest, _reply: FastifyReply) => {
    const config = request.routeOptions.config;
    const access = config?.access;
    if (!access || access === 'public') return;
    const auth = request.auth;
    if (!auth) throw new AppError('unauthenticated');
    if (config.sessionOnly && auth.kind !== 'session') throw new AppError('forbidden', 'This can only be done by a signed-in person, not with an API token.');
    if (access === 'user') return;
    if (!auth.accountId) throw new AppError('forbidden', 'You are not a member of any workspace.');
    if (!atLeast(auth.role ?? undefined, access)) throw new AppError('forbidden', `This needs the ${access} role.`);
  });
}

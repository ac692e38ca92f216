import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../core/context.js';
import { hashToken, newToken } from '../../../core/auth/secrets.js';
import { SESSION_COOKIE } from '../../../core/http/auth.js';
import { requestOrigin } from '../audit.js';

/** Opens a session for a person and sets its cookie (httpOnly, SameSite=Lax, Secure over HTTPS). */
export async function openSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, userId: string, accountId: string | null): Promise<void> {
  const token = newToken();
  const ttlMs = ctx.config.sessionTtlDays * 86_400_000;
  const origin = requestOrigin(request);
  await ctx.db
    .insertInto('sessions')
    .values({ user_id: userId, token_hash: hashToken(token), current_account_id: accountId, ip: origin.ip, user_agent: origin.userAgent, expires_at: new Date(Date.now() + ttlMs) })
    .execute();
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: Math.floor(ttlMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

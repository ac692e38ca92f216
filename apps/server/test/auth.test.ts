/** Sign-in, sessions, CSRF, password change and reset, two-factor, rate limits (SECURITY 8, 30, 7). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP, Secret } from 'otpauth';
import { ORIGIN, PASSWORD, json, login, makeMember, makeWorkspace, sessionFor, startTestApp, tokenFor, uniqueEmail, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let ws: WorkspaceFixture;

beforeAll(async () => {
  t = await startTestApp();
  ws = await makeWorkspace(t, 'Acme');
});
afterAll(async () => t?.close());

describe('POST /api/v1/auth/login', () => {
  it('requires nothing but answers 401 for an unauthenticated /me', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(json(res)).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('signs in with email and password and sets an httpOnly SameSite session cookie', async () => {
    const { res, headers } = await login(t, ws.owner.email.toUpperCase());
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'rapport_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy(); // plain HTTP here; Secure is set when the request is HTTPS
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect(json(me)).toMatchObject({ user: { email: ws.owner.email }, role: 'owner', workspace: { id: ws.accountId, name: 'Acme' } });
  });

  it('sets a Secure cookie when the request came over HTTPS through a trusted proxy', async () => {
    const proxied = await startTestApp({ trustProxy: ['127.0.0.1'] });
    try {
      const w = await makeWorkspace(proxied);
      const res = await proxied.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: 'https://help.example.com', 'x-forwarded-proto': 'https', host: 'help.example.com' }, payload: { email: w.owner.email, password: PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'rapport_session')!.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it('answers a wrong password and an unknown email the same way, in about the same time', async () => {
    const timed = async (email: string) => {
      const started = performance.now();
      const { res } = await login(t, email, 'wrong password here');
      return { res, ms: performance.now() - started };
    };
    const median = async (email: () => string) => {
      const runs = [await timed(email()), await timed(email()), await timed(email())];
      return runs.sort((a, b) => a.ms - b.ms)[1];
    };
    const known = await median(() => ws.owner.email);
    const unknown = await median(() => uniqueEmail('nobody'));
    expect(known.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    expect(unknown.res.body).toBe(known.res.body);
    // Both paths run one argon2id verification: neither is an order of magnitude faster.
    expect(unknown.ms).toBeGreaterThan(known.ms / 3);
    expect(known.ms).toBeGreaterThan(unknown.ms / 3);
  });

  it('records sign-ins and failed sign-ins in the audit log', async () => {
    const member = await makeMember(t, ws.accountId, 'agent');
    await login(t, member.email, 'not the password');
    await login(t, member.email);
    const events = await t.ctx.db.selectFrom('audit_events').select(['action']).where('account_id', '=', ws.accountId).where('target_id', '=', member.id).orderBy('created_at').execute();
    expect(events.map((e) => e.action)).toEqual(['auth.sign_in_failed', 'auth.sign_in']);
  });

  it('refuses objects where strings belong (no operator injection)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: { $regex: '.*' }, password: { $ne: '' } } });
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ error: { code: 'validation_failed' } });
  });
});

describe('login rate limits', () => {
  it('limits failures per account, whatever the IP, with 429 and Retry-After', async () => {
    const limited = await startTestApp({ loginMaxFailuresPerAccount: 3 });
    try {
      const w = await makeWorkspace(limited);
      for (let i = 0; i < 3; i++) {
        const res = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `10.0.0.${i + 1}`, payload: { email: w.owner.email, password: 'wrong-password' } });
        expect(res.statusCode).toBe(401);
      }
      // Even the right password from a new address is refused while the account is limited.
      const res = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.0.0.99', payload: { email: w.owner.email, password: PASSWORD } });
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(json(res)).toMatchObject({ error: { code: 'rate_limited' } });
      // The same answer for an unknown email that was hammered the same way (no enumeration).
      const ghost = uniqueEmail('ghost');
      for (let i = 0; i < 3; i++) await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.0.1.1', payload: { email: ghost, password: 'x' } });
      const ghostRes = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.0.1.2', payload: { email: ghost, password: 'x' } });
      expect(ghostRes.statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('limits attempts per IP, and ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const limited = await startTestApp({ loginMaxPerIp: 4 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '203.0.113.7',
          headers: { 'x-forwarded-for': `198.51.100.${i}` }, // spoofed, must not give a fresh key
          payload: { email: uniqueEmail(), password: 'whatever' },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      // Another address is unaffected.
      const other = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.8', payload: { email: uniqueEmail(), password: 'whatever' } });
      expect(other.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe('sessions and CSRF', () => {
  it('refuses a cookie-authenticated write without a same-origin Origin or Sec-Fetch-Site', async () => {
    const { headers } = await login(t, ws.owner.email);
    const cookieOnly = { cookie: headers.cookie };
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: cookieOnly, payload: { name: 'No origin' } });
    expect(none.statusCode).toBe(403);
    expect(json(none)).toMatchObject({ error: { code: 'csrf_failed' } });
    const evil = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: { ...cookieOnly, origin: 'https://evil.example' }, payload: { name: 'Evil' } });
    expect(evil.statusCode).toBe(403);
    const crossSite = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: { ...cookieOnly, 'sec-fetch-site': 'cross-site' }, payload: { name: 'Cross' } });
    expect(crossSite.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: { ...cookieOnly, 'sec-fetch-site': 'same-origin' }, payload: { name: 'Same origin' } });
    expect(ok.statusCode).toBe(201);
    const teams = await t.ctx.db.selectFrom('teams').select('name').where('account_id', '=', ws.accountId).execute();
    expect(teams.map((x) => x.name)).toEqual(['Same origin']);
  });

  it('lets a Bearer token write without any Origin (not cookie based)', async () => {
    const headers = await tokenFor(t, ws.owner.id, ws.accountId, 'admin');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers, payload: { name: 'Via token' } });
    expect(res.statusCode).toBe(201);
  });

  it('signs out one session, and signs out everywhere', async () => {
    const a = await login(t, ws.owner.email);
    const b = await login(t, ws.owner.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: a.headers });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: a.headers })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: b.headers })).statusCode).toBe(200);
    const c = await login(t, ws.owner.email);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: c.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: b.headers })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: c.headers })).statusCode).toBe(401);
  });

  it('rejects an expired session, a revoked token and a session value used as a token', async () => {
    const headers = await sessionFor(t, ws.owner.id, ws.accountId);
    await t.ctx.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', ws.owner.id).execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(401);

    const token = await tokenFor(t, ws.owner.id, ws.accountId, 'owner');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: token })).statusCode).toBe(200);
    await t.ctx.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('account_id', '=', ws.accountId).execute();
    const revoked = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: token });
    expect(revoked.statusCode).toBe(401);
    expect(json(revoked)).toMatchObject({ error: { code: 'invalid_token' } });

    const fresh = await login(t, ws.owner.email);
    const sessionValue = fresh.headers.cookie.split('=')[1];
    const wrongAudience = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${sessionValue}` } });
    expect(wrongAudience.statusCode).toBe(401);
  });
});

describe('passwords', () => {
  it('changes the password with the current one and signs out the other sessions', async () => {
    const person = await makeMember(t, ws.accountId, 'agent');
    const here = await login(t, person.email);
    const elsewhere = await login(t, person.email);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: here.headers, payload: { current_password: 'nope nope', new_password: 'a new long password' } });
    expect(wrong.statusCode).toBe(403);
    const short = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: here.headers, payload: { current_password: PASSWORD, new_password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(json(short)).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'new_password', message: 'must be at least 8 characters' }] } });
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: here.headers, payload: { current_password: PASSWORD, new_password: 'a new long password' } });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: here.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: elsewhere.headers })).statusCode).toBe(401);
    expect((await login(t, person.email)).res.statusCode).toBe(401);
    expect((await login(t, person.email, 'a new long password')).res.statusCode).toBe(200);
  });

  it('resets a password once with a token; the same answer for unknown emails', async () => {
    const person = await makeMember(t, ws.accountId, 'agent');
    const known = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: person.email } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: uniqueEmail('nobody') } });
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.body).toBe(unknown.body);
    expect(await t.ctx.db.selectFrom('password_resets').select('id').where('user_id', '=', person.id).execute()).toHaveLength(1);

    // An admin can hand out a reset link too; it is the token the user follows.
    const admin = await sessionFor(t, ws.owner.id, ws.accountId);
    const link = await t.app.inject({ method: 'POST', url: `/api/v1/users/${person.id}/password-reset-link`, headers: admin });
    expect(link.statusCode).toBe(201);
    const token = new URL(json<{ url: string }>(link).url).searchParams.get('token')!;
    const session = await login(t, person.email);
    const reset = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'brand new password' } });
    expect(reset.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers })).statusCode).toBe(401);
    expect((await login(t, person.email, 'brand new password')).res.statusCode).toBe(200);
    const replay = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'another password' } });
    expect(replay.statusCode).toBe(400);
    expect(json(replay)).toMatchObject({ error: { code: 'reset_token_invalid' } });
  });

  it('caps reset requests per address per hour', async () => {
    const person = await makeMember(t, ws.accountId, 'agent');
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', remoteAddress: `10.9.0.${i}`, payload: { email: person.email } });
      expect(res.statusCode).toBe(202);
    }
    expect(await t.ctx.db.selectFrom('password_resets').select('id').where('user_id', '=', person.id).execute()).toHaveLength(3);
  });
});

describe('two-factor authentication', () => {
  it('is set up with a code, then required at sign-in; a code is accepted once', async () => {
    const person = await makeMember(t, ws.accountId, 'agent');
    const { headers } = await login(t, person.email);
    const setup = await t.app.inject({ method: 'POST', url: '/api/v1/me/two-factor/setup', headers });
    expect(setup.statusCode).toBe(200);
    const { secret, qr_svg, otpauth_url } = json<{ secret: string; qr_svg: string; otpauth_url: string }>(setup);
    expect(qr_svg).toContain('<svg');
    expect(otpauth_url).toContain('otpauth://totp/');
    const totp = new TOTP({ secret: Secret.fromBase32(secret), period: 30 });
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/me/two-factor/enable', headers, payload: { code: String((Number(totp.generate()) + 1) % 1_000_000).padStart(6, '0') } });
    expect(bad.statusCode).toBe(401);
    const code = totp.generate();
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/me/two-factor/enable', headers, payload: { code } })).statusCode).toBe(204);
    const stored = await t.ctx.db.selectFrom('users').select('totp_secret').where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(stored.totp_secret).not.toContain(secret); // encrypted at rest

    const noCode = await login(t, person.email);
    expect(noCode.res.statusCode).toBe(401);
    expect(json(noCode.res)).toMatchObject({ error: { code: 'two_factor_required' } });
    // The code used to enable is already spent (replay).
    const replay = await login(t, person.email, PASSWORD, { totp_code: code });
    expect(json(replay.res)).toMatchObject({ error: { code: 'invalid_two_factor_code' } });
    // A later step's code works once.
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await login(t, person.email, PASSWORD, { totp_code: next })).res.statusCode).toBe(200);
    expect(json((await login(t, person.email, PASSWORD, { totp_code: next })).res)).toMatchObject({ error: { code: 'invalid_two_factor_code' } });

    const off = await t.app.inject({ method: 'POST', url: '/api/v1/me/two-factor/disable', headers, payload: { password: PASSWORD } });
    expect(off.statusCode).toBe(204);
    expect((await login(t, person.email)).res.statusCode).toBe(200);
  });
});

describe('invitations', () => {
  it('lets an invited person join with the link once, in the invited role', async () => {
    const admin = await sessionFor(t, ws.owner.id, ws.accountId);
    const email = uniqueEmail('invitee');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: admin, payload: { email, role: 'admin' } });
    expect(created.statusCode).toBe(201);
    const { url } = json<{ url: string }>(created);
    expect(url).toMatch(/^http:\/\/localhost:3000\/invite\//);
    const token = url.split('/invite/')[1];
    const lookup = await t.app.inject({ method: 'GET', url: `/api/v1/invitations/lookup/${token}` });
    expect(json(lookup)).toEqual({ workspace: { id: ws.accountId, name: 'Acme' }, email, role: 'admin' });
    const joined = await t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', headers: { origin: ORIGIN }, payload: { token, name: 'New Person', password: 'their own password' } });
    expect(joined.statusCode).toBe(200);
    expect(json(joined)).toMatchObject({ user: { email, name: 'New Person' }, role: 'admin', workspace: { id: ws.accountId } });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { token, name: 'Again', password: 'their own password' } });
    expect(again.statusCode).toBe(404);
    expect(json(again)).toMatchObject({ error: { code: 'invitation_invalid' } });
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('account_id', '=', ws.accountId).where('action', 'like', 'invitation.%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['invitation.accepted', 'invitation.created']);
  });
});

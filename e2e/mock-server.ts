// A stand-in for the Rapport API with in-memory demo data, serving the built web app.
// For UI development and screenshots only (the e2e tests use the real server):
//   npx tsx e2e/mock-server.ts [port]   then sign in as owner@example.com / password123
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

type Role = 'owner' | 'admin' | 'agent';
interface U {
  id: string; email: string; name: string; password: string; avatar_url: string | null; time_zone: string;
  language: string; two_factor_enabled: boolean; created_at: string; role: Role;
}

const webRoot = fileURLToPath(new URL('../dist/web/', import.meta.url));
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
const ws = { id: randomUUID(), name: 'Acme Support' };
const users: U[] = [
  ['Olivia Owner', 'owner@example.com', 'owner'], ['Amir Admin', 'amir@example.com', 'admin'],
  ['Grace Hopper', 'grace@example.com', 'agent'], ['Linus Chen', 'linus@example.com', 'agent'],
].map(([name, email, role], i) => ({
  id: randomUUID(), email, name, password: 'password123', avatar_url: null, time_zone: 'Europe/Amsterdam',
  language: 'en', two_factor_enabled: i === 1, created_at: ago(60 * 24 * (30 - i)), role: role as Role,
}));
const contacts = [
  ['Maya Patel', 'maya@northwind.io', '+31 20 555 0101', 'Northwind'],
  ['Jonas Berg', 'jonas@fjord.no', null, 'Fjord AS'],
  ['Chloé Martin', 'chloe@lumiere.fr', '+33 1 55 55 01 02', 'Lumière'],
  ['Diego Alvarez', 'diego@example.es', null, null],
  [null, 'visitor-4821@anon.chat', null, null],
].map(([name, email, phone, company], i) => ({ id: randomUUID(), name, email, phone, company, created_at: ago(60 * 24 * (10 - i)) }));
const convs = [
  [0, 'Cannot export invoices to CSV', 'open', 'high', 'email', 2, 12],
  [1, 'Question about the annual plan', 'pending', 'normal', 'web_chat', 0, 95],
  [2, 'Widget not loading on Safari', 'open', 'urgent', 'web_chat', 1, 180],
  [3, 'Refund for duplicate charge', 'resolved', 'normal', 'email', 0, 60 * 26],
  [4, 'Hello?', 'snoozed', null, 'web_chat', 0, 60 * 50],
].map(([c, subject, status, priority, channel, unread, min]) => {
  const contact = contacts[c as number];
  return {
    id: randomUUID(), subject, status, priority, channel, unread_count: unread,
    contact: { id: contact.id, name: contact.name, email: contact.email },
    assignee: c === 0 || c === 2 ? { id: users[2].id, name: users[2].name } : null,
    last_message_preview: '', last_message_at: ago(min as number),
  };
});
const messages = new Map(convs.map((cv, i) => {
  const m = (min: number, direction: 'incoming' | 'outgoing', content: string, priv = false) => ({
    id: randomUUID(), direction, private: priv, content, created_at: ago(min),
    author: direction === 'incoming' ? { type: 'contact', id: cv.contact.id, name: cv.contact.name } : { type: 'user', id: users[2].id, name: users[2].name },
  });
  const base = Number(convs[i].last_message_at ? (Date.now() - Date.parse(cv.last_message_at)) / 60000 : 0);
  const list = i === 0 ? [
    m(base + 40, 'incoming', 'Hi! When I click "Export" on the invoices page nothing happens. I need the CSV for our accountant by Friday.'),
    m(base + 30, 'outgoing', 'Hi Maya, thanks for reaching out. Which browser are you using? Could you also tell me roughly how many invoices are in the date range?'),
    m(base + 25, 'outgoing', 'Possibly the export timeout for large ranges; checking with engineering.', true),
    m(base + 10, 'incoming', 'Chrome 126 on a Mac. About 2,300 invoices for last year.'),
    m(base, 'incoming', 'Any update? Still stuck, unfortunately.'),
  ] : [m(base + 5, 'incoming', `Hello, ${String(cv.subject).toLowerCase()}.`), m(base, 'outgoing', 'Thanks, we are looking into it!')];
  cv.last_message_preview = list[list.length - 1].content;
  return [cv.id, list];
}));
const teams = [{ id: randomUUID(), name: 'Billing', description: 'Invoices, refunds and plan changes', member_ids: [users[1].id, users[2].id], created_at: ago(9000) },
  { id: randomUUID(), name: 'Tier 2', description: null, member_ids: [users[3].id], created_at: ago(5000) }];
const invitations = [{ id: randomUUID(), email: 'sam@example.com', role: 'agent', url: null, expires_at: new Date(Date.now() + 6 * 864e5).toISOString(), created_at: ago(600), invited_by: { id: users[0].id, name: users[0].name } }];
const tokens = [{ id: randomUUID(), name: 'CRM sync', role: 'agent', prefix: 'rap_7f3k', created_at: ago(20000), last_used_at: ago(45), user: { id: users[0].id, name: users[0].name } }];
const actions = ['auth.sign_in', 'auth.sign_in_failed', 'member.role_changed', 'token.created', 'invitation.created', 'token.revoked'];
const audit = Array.from({ length: 60 }, (_, i) => ({
  id: randomUUID(), action: actions[i % actions.length], actor: i % 6 === 1 ? null : { id: users[i % 3].id, name: users[i % 3].name },
  target_type: i % 6 === 0 || i % 6 === 1 ? 'user' : i % 6 === 4 ? 'invitation' : 'token', target_id: randomUUID(), ip: `203.0.113.${(i * 7) % 250}`,
  metadata: i % 6 === 4 ? { email: 'sam@example.com' } : i % 6 === 3 ? { name: 'CRM sync' } : {}, created_at: ago(i * 37),
}));
const sessions = new Map<string, string>();

const member = ({ password: _p, ...u }: U) => u;
const meUser = ({ role: _r, password: _p, ...u }: U) => u;
const err = (res: ServerResponse, status: number, code: string, message: string, details?: unknown) => send(res, status, { error: { code, message, details } });
function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}
const list = (data: unknown[]) => ({ data, next_cursor: null });
async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}
function current(req: IncomingMessage): U | undefined {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const id = sid ? sessions.get(sid) : undefined;
  return users.find((u) => u.id === id);
}
function signIn(res: ServerResponse, u: U) {
  const sid = randomBytes(16).toString('hex');
  sessions.set(sid, u.id);
  send(res, 200, { user: meUser(u), workspace: ws, role: u.role }, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
}

async function api(req: IncomingMessage, res: ServerResponse, path: string) {
  const method = req.method ?? 'GET';
  const b = method === 'GET' ? {} : await body(req);
  await new Promise((r) => setTimeout(r, 150));
  if (method === 'POST' && path === '/auth/login') {
    const u = users.find((x) => x.email === b.email && x.password === b.password);
    if (!u) return err(res, 401, 'invalid_credentials', 'Invalid email or password');
    if (u.two_factor_enabled && !b.totp_code) return err(res, 401, 'two_factor_required', 'Two-factor code required');
    if (u.two_factor_enabled && b.totp_code !== '123456') return err(res, 401, 'invalid_two_factor_code', 'Invalid code');
    return signIn(res, u);
  }
  if (method === 'POST' && path === '/auth/password-reset') return send(res, 202, { ok: true });
  if (path.startsWith('/invitations/lookup/')) return send(res, 200, { workspace: ws, email: 'sam@example.com', role: 'agent' });
  const me = current(req);
  if (!me) return err(res, 401, 'unauthenticated', 'Sign in first');
  const admin = me.role !== 'agent';
  const forbid = () => err(res, 403, 'forbidden', 'Admins only');
  if (method === 'POST' && (path === '/auth/logout' || path === '/auth/logout-all')) return send(res, 204, undefined, { 'set-cookie': 'sid=; Path=/; Max-Age=0' });
  if (path === '/me' && method === 'GET') return send(res, 200, { user: meUser(me), workspace: ws, role: me.role, workspaces: [{ ...ws, role: me.role }, { id: randomUUID(), name: 'Side project', role: 'owner' }] });
  if (path === '/me' && method === 'PATCH') { Object.assign(me, b); return send(res, 200, { user: meUser(me) }); }
  if (path === '/me/password') return b.current_password === me.password ? send(res, 204) : err(res, 401, 'invalid_credentials', 'Current password is incorrect');
  if (path === '/me/two-factor/setup') return send(res, 200, { secret: 'JBSWY3DPEHPK3PXP', otpauth_url: 'otpauth://totp/Rapport', qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21"><path d="M0 0h7v7H0zM14 0h7v7h-7zM0 14h7v7H0zM9 9h3v3H9zM15 15h2v2h-2z" fill="#000"/></svg>' });
  if (path === '/me/two-factor/enable') return b.code === '123456' ? (me.two_factor_enabled = true, send(res, 204)) : err(res, 401, 'invalid_two_factor_code', 'Invalid code');
  if (path === '/me/two-factor/disable') { me.two_factor_enabled = false; return send(res, 204); }
  if (path === '/workspace' && method === 'PATCH') { if (!admin) return forbid(); ws.name = String(b.name); return send(res, 200, ws); }
  if (path === '/users' && method === 'GET') return send(res, 200, list(users.map(member)));
  if (path === '/users' && method === 'POST') {
    if (!admin) return forbid();
    const details = [];
    if (!/^\S+@\S+$/.test(String(b.email))) details.push({ field: 'email', message: 'must be a valid email' });
    if (users.some((u) => u.email === b.email)) details.push({ field: 'email', message: 'is already a member' });
    if (details.length) return err(res, 422, 'validation_failed', 'Validation failed', details);
    const u: U = { id: randomUUID(), email: String(b.email), name: String(b.name), password: String(b.password), avatar_url: null, time_zone: 'UTC', language: 'en', two_factor_enabled: false, created_at: ago(0), role: b.role as Role };
    users.push(u);
    return send(res, 201, member(u));
  }
  let m = /^\/users\/([^/]+)(\/password-reset-link)?$/.exec(path);
  if (m) {
    if (!admin) return forbid();
    const u = users.find((x) => x.id === m?.[1]);
    if (!u) return err(res, 404, 'not_found', 'No such user');
    if (m[2]) return send(res, 200, { url: `http://localhost/reset-password?token=${randomBytes(12).toString('hex')}`, expires_at: new Date(Date.now() + 864e5).toISOString() });
    if (method === 'DELETE') { users.splice(users.indexOf(u), 1); return send(res, 204); }
    Object.assign(u, b); return send(res, 200, member(u));
  }
  if (path === '/teams' && method === 'GET') return send(res, 200, list(teams));
  if (path === '/teams' && method === 'POST') { const t = { id: randomUUID(), name: String(b.name), description: (b.description as string) ?? null, member_ids: (b.member_ids as string[]) ?? [], created_at: ago(0) }; teams.push(t); return send(res, 201, t); }
  m = /^\/teams\/([^/]+)$/.exec(path);
  if (m) { const t = teams.find((x) => x.id === m?.[1]); if (!t) return err(res, 404, 'not_found', 'No such team'); if (method === 'DELETE') { teams.splice(teams.indexOf(t), 1); return send(res, 204); } Object.assign(t, b); return send(res, 200, t); }
  if (path === '/invitations' && method === 'GET') return admin ? send(res, 200, list(invitations)) : forbid();
  if (path === '/invitations' && method === 'POST') { const inv = { id: randomUUID(), email: String(b.email), role: String(b.role), url: null, expires_at: new Date(Date.now() + 7 * 864e5).toISOString(), created_at: ago(0), invited_by: { id: me.id, name: me.name } }; invitations.push(inv); return send(res, 201, { ...inv, url: `http://localhost/invite/${randomBytes(16).toString('hex')}` }); }
  m = /^\/invitations\/([^/]+)$/.exec(path);
  if (m && method === 'DELETE') { const i = invitations.findIndex((x) => x.id === m?.[1]); invitations.splice(i, 1); return send(res, 204); }
  if (path === '/tokens' && method === 'GET') return admin ? send(res, 200, list(tokens)) : forbid();
  if (path === '/tokens' && method === 'POST') { const t = { id: randomUUID(), name: String(b.name), role: String(b.role), prefix: `rap_${randomBytes(2).toString('hex')}`, created_at: ago(0), last_used_at: null, user: { id: me.id, name: me.name } }; tokens.push(t as (typeof tokens)[number]); return send(res, 201, { ...t, token: `${t.prefix}_${randomBytes(24).toString('base64url')}` }); }
  m = /^\/tokens\/([^/]+)$/.exec(path);
  if (m && method === 'DELETE') { tokens.splice(tokens.findIndex((x) => x.id === m?.[1]), 1); return send(res, 204); }
  if (path.startsWith('/audit-events')) {
    const cursor = Number(new URLSearchParams(path.split('?')[1] ?? '').get('cursor') || 0);
    return send(res, 200, { data: audit.slice(cursor, cursor + 25), next_cursor: cursor + 25 < audit.length ? String(cursor + 25) : null });
  }
  if (path === '/contacts') return send(res, 200, list(contacts));
  if (path === '/conversations') return send(res, 200, list(convs));
  m = /^\/conversations\/([^/]+)\/messages$/.exec(path);
  if (m) return send(res, 200, list(messages.get(m[1]) ?? []));
  if (path === '/workspaces' && method === 'POST') return send(res, 201, { id: randomUUID(), name: b.name });
  if (path === '/me/workspace') return send(res, 204);
  return err(res, 404, 'not_found', `No route ${method} ${path}`);
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname.startsWith('/api/v1/')) {
    api(req, res, url.pathname.slice(7) + url.search).catch((e: unknown) => err(res, 500, 'internal', String(e)));
    return;
  }
  const file = normalize(join(webRoot, url.pathname));
  const target = file.startsWith(webRoot) && extname(file) ? file : join(webRoot, 'index.html');
  readFile(target)
    .then((data) => { res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' }); res.end(data); })
    .catch(() => readFile(join(webRoot, 'index.html')).then((d) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(d); }));
});
const port = Number(process.argv[2] ?? 3200);
server.listen(port, '127.0.0.1', () => console.log(`mock Rapport on http://127.0.0.1:${port}  (owner@example.com / password123)`));

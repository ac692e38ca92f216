/**
 * What the widget's browser tests and screenshots need around a running Rapport server: an API
 * token for the owner, a web chat inbox, and a customer's website on another origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Api {
  token: string;
  /** The owner's session cookie (for the few session-only routes, such as PATCH /api/v1/me). */
  cookie: string;
  call: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
}

/** Signs in as the owner and creates an API token (admin role) for the REST calls of a test. */
export async function ownerApi(baseUrl: string, email: string, password: string): Promise<Api> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, cookie },
    body: JSON.stringify({ name: 'widget e2e', role: 'admin' }),
  });
  if (!created.ok) throw new Error(`token creation failed: ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return { token, cookie, call };
}

export interface WebchatInbox {
  id: string;
  name: string;
  widget_key: string;
  snippet: string;
  allowed_origins: string[];
  /** Signs visitor ids (HMAC-SHA256, hex) for RapportSettings.user.hash. */
  identity_secret?: string;
}

export function createWebchatInbox(api: Api, body: { name: string; allowed_origins: string[]; greeting?: string }): Promise<WebchatInbox> {
  return api.call<WebchatInbox>('POST', '/api/v1/inboxes', { channel: 'webchat', ...body });
}

/** An agent replies in the most recent conversation of an inbox; answers that conversation's id. */
export async function agentReply(api: Api, inboxId: string, content: string): Promise<string> {
  const list = await api.call<{ data: { id: string; inbox: { id: string } }[] }>('GET', '/api/v1/conversations?status=all');
  const conversation = list.data.find((c) => c.inbox.id === inboxId) ?? list.data[0];
  if (!conversation) throw new Error('no conversation to reply in');
  await api.call('POST', `/api/v1/conversations/${conversation.id}/messages`, { content });
  return conversation.id;
}

export interface Site {
  origin: string;
  /** The page at / (changed by a test between visits). */
  html: string;
  /** Other pages, by path. */
  pages: Record<string, string>;
  close: () => Promise<void>;
}

/** A customer's website: one page on its own origin (127.0.0.1:<another port>). */
export async function startSite(html = ''): Promise<Site> {
  const site: Site = { origin: '', html, pages: {}, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    const page = pathname === '/' ? site.html : site.pages[pathname];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return site;
}

/** A plain shop page with the snippet, as a site owner would paste it. */
export function hostPage(snippet: string, opts: { title?: string; lang?: string; settings?: string } = {}): string {
  const title = opts.title ?? 'Acme Shoes';
  return `<!doctype html>
<html lang="${opts.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; background: #fbf8f3; }
  header { padding: 20px 32px; background: #2d2a26; color: #f5efe6; font-size: 22px; letter-spacing: .02em; }
  main { max-width: 720px; margin: 40px auto; padding: 0 24px; }
  h1 { font-size: 34px; margin: 0 0 12px; }
  .card { background: #fff; border: 1px solid #e8e1d6; border-radius: 8px; padding: 20px; margin: 18px 0; }
</style>
</head>
<body>
<header>${title}</header>
<main>
  <h1>Handmade leather shoes</h1>
  <p>Every pair is cut, stitched and finished by hand in our workshop. Free resoling for life.</p>
  <div class="card"><strong>Oxford, walnut</strong><br>€ 289 · sizes 38–47</div>
  <div class="card"><strong>Chelsea boot, black</strong><br>€ 329 · sizes 38–47</div>
  <div class="card"><strong>Loafer, cognac</strong><br>€ 259 · sizes 38–46</div>
</main>
${opts.settings ? `<script>${opts.settings}</script>\n` : ''}${snippet}
</body>
</html>`;
}

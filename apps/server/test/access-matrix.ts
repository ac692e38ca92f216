/**
 * The committed route × caller expectations (SECURITY 5). Every /api route must have an entry:
 * the access test fails for a route that is missing here, and the server refuses to start with a
 * route that declares no access rule.
 *
 * Callers, in the order they are tried (least to most privileged, so destructive calls come last):
 *   anonymous   no credentials
 *   otherAdmin  an admin of another workspace, using workspace A's real ids
 *   outsider    an agent of workspace A who does not work in A's inbox (SECURITY 6)
 *   agent       an agent of workspace A (session)
 *   agentToken  an API token of that agent
 *   adminToken  an admin's API token of workspace A
 *   admin       an admin of workspace A (session)
 * Path params and bodies are made fresh for every call by the functions below.
 */
import type { Fixture } from './access-fixture.js';
import { strToU8, zipSync } from 'fflate';
import { multipart, png } from './files.js';

export type Caller = 'anonymous' | 'otherAdmin' | 'outsider' | 'agent' | 'agentToken' | 'adminToken' | 'admin';
export const callers: Caller[] = ['anonymous', 'otherAdmin', 'outsider', 'agent', 'agentToken', 'adminToken', 'admin'];

export interface RouteCase {
  expect: Record<Caller, number>;
  params?: (f: Fixture) => Promise<Record<string, string>> | Record<string, string>;
  body?: (f: Fixture) => Promise<unknown> | unknown;
  /** A body that is not JSON (an upload), with its own headers. */
  raw?: () => { payload: Buffer; headers: Record<string, string> };
  query?: string;
}

/** Columns in the order of `callers`. */
const e = (anonymous: number, otherAdmin: number, outsider: number, agent: number, agentToken: number, adminToken: number, admin: number): Record<Caller, number> => ({
  anonymous,
  otherAdmin,
  outsider,
  agent,
  agentToken,
  adminToken,
  admin,
});

export const accessMatrix: Record<string, RouteCase> = {
  // —— public ——
  'GET /api/v1/openapi.json': { expect: e(200, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/auth/login': { expect: e(401, 401, 401, 401, 401, 401, 401), body: (f) => ({ email: f.a.admin.email, password: 'not the password' }) },
  'POST /api/v1/auth/password-reset': { expect: e(202, 202, 202, 202, 202, 202, 202), body: (f) => ({ email: f.a.agent.email }) },
  'POST /api/v1/auth/password-reset/confirm': { expect: e(204, 204, 204, 204, 204, 204, 204), body: async (f) => ({ token: await f.resetToken(), password: 'a fresh password' }) },
  'POST /api/v1/auth/accept-invitation': { expect: e(200, 200, 200, 200, 200, 200, 200), body: async (f) => ({ token: (await f.invitation()).token, name: 'Joiner', password: 'joiner password' }) },
  'GET /api/v1/invitations/lookup/:token': { expect: e(200, 200, 200, 200, 200, 200, 200), params: async (f) => ({ token: (await f.invitation()).token }) },

  // —— the signed-in person (sessions only where marked) ——
  'POST /api/v1/auth/logout': { expect: e(401, 204, 204, 204, 403, 403, 204) },
  'POST /api/v1/auth/logout-all': { expect: e(401, 204, 204, 204, 403, 403, 204) },
  'GET /api/v1/me': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'PATCH /api/v1/me': { expect: e(401, 200, 200, 200, 403, 403, 200), body: () => ({ name: 'Renamed Person' }) },
  'POST /api/v1/me/password': { expect: e(401, 204, 204, 204, 403, 403, 204), body: (f) => ({ current_password: f.password, new_password: f.password }) },
  'POST /api/v1/me/workspace': { expect: e(401, 404, 204, 204, 403, 403, 204), body: (f) => ({ account_id: f.a.accountId }) },
  'POST /api/v1/workspaces': { expect: e(401, 201, 201, 201, 403, 403, 201), body: () => ({ name: 'Another workspace' }) },
  'PATCH /api/v1/workspace': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ name: 'Renamed workspace' }) },
  'POST /api/v1/me/two-factor/setup': { expect: e(401, 200, 200, 200, 403, 403, 200) },
  // setup (above) has left a pending secret, so a made-up code is refused as invalid
  'POST /api/v1/me/two-factor/enable': { expect: e(401, 401, 401, 401, 403, 403, 401), body: () => ({ code: '123456' }) },
  'POST /api/v1/me/two-factor/disable': { expect: e(401, 204, 204, 204, 403, 403, 204), body: (f) => ({ password: f.password }) },

  // —— members ——
  'GET /api/v1/users': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/users/:id': { expect: e(401, 404, 200, 200, 200, 200, 200), params: (f) => ({ id: f.a.agent.id }) },
  'POST /api/v1/users': { expect: e(401, 201, 403, 403, 403, 201, 201), body: (f) => ({ name: 'New Teammate', email: f.email(), password: 'teammate password', role: 'agent' }) },
  'PATCH /api/v1/users/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.member('agent')).id }), body: () => ({ role: 'admin' }) },
  'DELETE /api/v1/users/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.member('agent')).id }) },
  'POST /api/v1/users/:id/password-reset-link': { expect: e(401, 404, 403, 403, 403, 201, 201), params: async (f) => ({ id: (await f.member('agent')).id }) },

  // —— teams ——
  'GET /api/v1/teams': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/teams/:id': { expect: e(401, 404, 200, 200, 200, 200, 200), params: async (f) => ({ id: await f.team() }) },
  'POST /api/v1/teams': { expect: e(401, 201, 403, 403, 403, 201, 201), body: () => ({ name: `Team ${Math.random().toString(36).slice(2, 8)}` }) },
  'PATCH /api/v1/teams/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.team() }), body: (f) => ({ name: `Renamed ${Math.random().toString(36).slice(2, 8)}`, member_ids: [f.a.agent.id] }) },
  'DELETE /api/v1/teams/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: await f.team() }) },

  // —— invitations ——
  'GET /api/v1/invitations': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'POST /api/v1/invitations': { expect: e(401, 201, 403, 403, 403, 201, 201), body: (f) => ({ email: f.email(), role: 'agent' }) },
  'DELETE /api/v1/invitations/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.invitation()).id }) },

  // —— API tokens ——
  'GET /api/v1/tokens': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/tokens': { expect: e(401, 201, 201, 201, 201, 201, 201), body: () => ({ name: 'CI token', role: 'agent' }) },
  'DELETE /api/v1/tokens/:id': { expect: e(401, 404, 404, 204, 204, 204, 204), params: async (f) => ({ id: await f.agentOwnedToken() }) },

  // —— audit log ——
  'GET /api/v1/audit-events': { expect: e(401, 200, 403, 403, 403, 200, 200) },

  // —— presence ——
  'GET /api/v1/presence': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'PUT /api/v1/me/presence': { expect: e(401, 200, 200, 200, 200, 200, 200), body: () => ({ status: 'away' }) },

  // —— realtime (a plain GET is told to upgrade; the WebSocket itself is tested in realtime.test.ts) ——
  'GET /api/v1/realtime': { expect: e(401, 426, 426, 426, 426, 426, 426) },

  // —— the web chat's visitor API: public, authenticated by the visitor token (none here) ——
  'POST /api/v1/widget/sessions': { expect: e(200, 200, 200, 200, 200, 200, 200), body: (f) => ({ widget_key: f.a.widgetKey }) },
  'GET /api/v1/widget/messages': { expect: e(401, 401, 401, 401, 401, 401, 401) },
  'POST /api/v1/widget/messages': { expect: e(401, 401, 401, 401, 401, 401, 401), body: () => ({ content: 'Hello', client_message_id: 'm-1' }) },
  'POST /api/v1/widget/attachments': { expect: e(401, 401, 401, 401, 401, 401, 401), raw: () => multipart('photo.png', png()) },
  // Visitors fetch files by signed link: a wrong signature gets nothing, whoever asks.
  'GET /api/v1/widget/attachments/:id': { expect: e(404, 404, 404, 404, 404, 404, 404), params: (f) => ({ id: f.a.attachmentId }), query: `?sig=${'A'.repeat(43)}` },
  'POST /api/v1/widget/callback-requests': { expect: e(401, 401, 401, 401, 401, 401, 401), body: () => ({ phone: '+4930123456', preferred_time: 'asap' }) },
  'PATCH /api/v1/widget/visitor': { expect: e(401, 401, 401, 401, 401, 401, 401), body: () => ({ email: 'visitor@example.com' }) },
  // Only the widget frame's origin (this server) may open the visitor socket; session headers carry it.
  'GET /api/v1/widget/realtime': { expect: e(403, 426, 426, 426, 403, 403, 426) },

  // —— inboxes ——
  'GET /api/v1/inboxes': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/inboxes/:id': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.inboxId }) },
  'POST /api/v1/inboxes': { expect: e(401, 201, 403, 403, 403, 201, 201), body: () => ({ channel: 'webchat', name: 'Website', allowed_origins: ['https://shop.example'] }) },
  'PATCH /api/v1/inboxes/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.inbox() }), body: () => ({ name: 'Renamed inbox', allowed_origins: ['https://www.shop.example'] }) },
  'POST /api/v1/inboxes/connection-test': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ smtp: { host: '127.0.0.1', port: 1, secure: false, user: 'someone', password: 'not-a-real-password' } }) },
  // An unknown token: Telegram (unreachable here) is never called with it; the test still answers 200 with the reason.
  'POST /api/v1/inboxes/channel-test': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ channel: 'telegram', settings: {} }) },
  'GET /api/v1/channels': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  // The fixture's inbox is a live chat: forms belong to email inboxes.
  'GET /api/v1/inboxes/:id/form': { expect: e(401, 404, 403, 403, 403, 422, 422), params: (f) => ({ id: f.a.inboxId }) },
  'PUT /api/v1/inboxes/:id/form': { expect: e(401, 404, 403, 403, 403, 422, 422), params: (f) => ({ id: f.a.inboxId }), body: () => ({ enabled: true, title: 'Contact us', intro: '', fields: [], confirmation: false, thanks: 'Thanks!' }) },
  'POST /api/v1/inboxes/:id/identity-secret': { expect: e(401, 404, 403, 403, 403, 200, 200), params: (f) => ({ id: f.a.inboxId }) },
  'POST /api/v1/inboxes/:id/webhook-secret': { expect: e(401, 404, 403, 403, 403, 200, 200), params: (f) => ({ id: f.a.apiInboxId }) },
  'DELETE /api/v1/inboxes/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: await f.inbox() }) },

  // —— outgoing webhooks (admins) ——
  'GET /api/v1/webhooks/events': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'GET /api/v1/webhooks': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  // A private target: refused after the role check, so nothing is created by the matrix.
  'POST /api/v1/webhooks': { expect: e(401, 422, 403, 403, 403, 422, 422), body: () => ({ url: 'https://10.0.0.1/hook', events: ['message.created'] }) },
  'GET /api/v1/webhooks/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.webhook()).id }) },
  'PATCH /api/v1/webhooks/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.webhook()).id }), body: () => ({ description: 'Renamed' }) },
  'DELETE /api/v1/webhooks/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.webhook()).id }) },
  'POST /api/v1/webhooks/:id/secret': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.webhook()).id }) },
  'GET /api/v1/webhooks/:id/deliveries': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.webhook()).id }) },
  'POST /api/v1/webhooks/:id/deliveries/:delivery_id/redeliver': {
    expect: e(401, 404, 403, 403, 403, 202, 202),
    params: async (f) => {
      const w = await f.webhook();
      return { id: w.id, delivery_id: w.deliveryId };
    },
  },
  'POST /api/v1/webhooks/:id/ping': { expect: e(401, 404, 403, 403, 403, 202, 202), params: async (f) => ({ id: (await f.webhook()).id }) },

  // —— contacts and conversations ——
  'GET /api/v1/contacts': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/contacts/:id': { expect: e(401, 404, 200, 200, 200, 200, 200), params: (f) => ({ id: f.a.contactId }) },
  'PATCH /api/v1/contacts/:id': { expect: e(401, 404, 200, 200, 200, 200, 200), params: (f) => ({ id: f.a.contactId }), body: () => ({ company: 'Acme' }) },
  'GET /api/v1/contacts/:id/duplicates': { expect: e(401, 404, 200, 200, 200, 200, 200), params: (f) => ({ id: f.a.contactId }) },
  // Into itself: refused for everyone who may see the contact, so the matrix merges nothing away.
  'POST /api/v1/contacts/:id/merge': { expect: e(401, 404, 400, 400, 400, 400, 400), params: (f) => ({ id: f.a.contactId }), body: (f) => ({ contact_id: f.a.contactId }) },
  'GET /api/v1/contacts/:id/conversations': { expect: e(401, 404, 200, 200, 200, 200, 200), params: (f) => ({ id: f.a.contactId }) },
  'GET /api/v1/contacts/:id/mood': { expect: e(401, 404, 200, 200, 200, 200, 200), params: (f) => ({ id: f.a.contactId }) },
  // Reads a text and stores nothing: anyone signed in to a workspace may ask.
  'POST /api/v1/mood': { expect: e(401, 200, 200, 200, 200, 200, 200), body: () => ({ text: 'Where is my parcel? It is late again.' }) },
  'GET /api/v1/conversations': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/conversations/:id': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }) },
  'PATCH /api/v1/conversations/:id': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }), body: () => ({ tags: ['vip'], priority: 'high' }) },
  'POST /api/v1/conversations/:id/messages': { expect: e(401, 404, 404, 201, 201, 201, 201), params: (f) => ({ id: f.a.conversationId }), body: () => ({ content: 'We are on it.' }) },
  // No such message in the conversation: the ones who may see the conversation learn only that.
  'POST /api/v1/conversations/:id/messages/:message_id/retry': { expect: e(401, 404, 404, 404, 404, 404, 404), params: (f) => ({ id: f.a.conversationId, message_id: '00000000-0000-4000-8000-000000000000' }) },
  // Into the conversation's own inbox: nothing to move, the conversation is answered.
  'POST /api/v1/conversations/:id/move': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }), body: (f) => ({ inbox_id: f.a.inboxId }) },
  'POST /api/v1/conversations/:id/calls': { expect: e(401, 404, 404, 201, 201, 201, 201), params: (f) => ({ id: f.a.conversationId }), body: () => ({ direction: 'outbound', outcome: 'answered', duration_seconds: 60 }) },
  'POST /api/v1/conversations/:id/read': { expect: e(401, 404, 404, 204, 204, 204, 204), params: (f) => ({ id: f.a.conversationId }) },
  'GET /api/v1/tags': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/attachments/limits': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/conversations/:id/attachments': { expect: e(401, 404, 404, 201, 201, 201, 201), params: (f) => ({ id: f.a.conversationId }), raw: () => multipart('photo.png', png()) },
  'GET /api/v1/attachments/:id': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.attachmentId }) },
  'GET /api/v1/conversations/:id/messages': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }) },

  // —— the API channel: a source starts conversations and sends the customer's messages (a fresh key each call) ——
  'POST /api/v1/conversations': {
    expect: e(401, 404, 404, 201, 201, 201, 201),
    body: (f) => ({ inbox_id: f.a.apiInboxId, contact: { name: 'App customer', email: 'app.customer@a.example' }, message: { content: 'Hello from the shop app' }, idempotency_key: `key-${Math.random().toString(36).slice(2)}` }),
  },
  'POST /api/v1/conversations/:id/incoming-messages': {
    expect: e(401, 404, 404, 201, 201, 201, 201),
    params: (f) => ({ id: f.a.apiConversationId }),
    body: () => ({ content: 'One more thing', idempotency_key: `key-${Math.random().toString(36).slice(2)}` }),
  },

  // —— search, saved views and the export ——
  'GET /api/v1/search': { expect: e(401, 200, 200, 200, 200, 200, 200), query: '?q=hello&type=messages' },
  'GET /api/v1/search/language': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'PUT /api/v1/search/language': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ language: 'simple' }) },
  'GET /api/v1/conversations/export.csv': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/saved-views': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/saved-views': { expect: e(401, 201, 201, 201, 201, 201, 201), body: () => ({ name: 'Mine, open', filters: { assignee: 'me', status: 'open' } }) },
  'PATCH /api/v1/saved-views/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.savedView() }), body: () => ({ name: 'Renamed view' }) },
  'DELETE /api/v1/saved-views/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: await f.savedView() }) },
  // —— conversation handling: merge, split, follow; notifications ——
  // A source nobody can see: refused per id for those who may open the target, so the matrix merges nothing.
  'POST /api/v1/conversations/:id/merge': { expect: e(401, 404, 404, 422, 422, 422, 422), params: (f) => ({ id: f.a.conversationId }), body: () => ({ source_id: '00000000-0000-4000-8000-000000000000' }) },
  'POST /api/v1/conversations/:id/split': { expect: e(401, 404, 404, 422, 422, 422, 422), params: (f) => ({ id: f.a.conversationId }), body: () => ({ message_id: '00000000-0000-4000-8000-000000000000' }) },
  'GET /api/v1/conversations/:id/followers': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }) },
  'PUT /api/v1/conversations/:id/follow': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }) },
  'DELETE /api/v1/conversations/:id/follow': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }) },
  'GET /api/v1/notifications': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/notifications/unread-count': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/notifications/:id/read': { expect: e(401, 404, 404, 404, 404, 404, 404), params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'POST /api/v1/notifications/read-all': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/me/notification-preferences': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'PUT /api/v1/me/notification-preferences': { expect: e(401, 200, 200, 200, 200, 200, 200), body: () => ({ preferences: [{ kind: 'message', in_app: true, email: false }] }) },
  // —— routing: inboxes and teams (admins), a person's capacity and skills (admins; agents read their own), the assignment log ——
  'GET /api/v1/inboxes/:id/routing': { expect: e(401, 404, 403, 403, 403, 200, 200), params: (f) => ({ id: f.a.inboxId }) },
  'PUT /api/v1/inboxes/:id/routing': { expect: e(401, 404, 403, 403, 403, 200, 200), params: (f) => ({ id: f.a.inboxId }), body: () => ({ mode: 'manual', hand_on_offline: false }) },
  'GET /api/v1/teams/:id/routing': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.team() }) },
  'PUT /api/v1/teams/:id/routing': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.team() }), body: () => ({ mode: 'least_loaded' }) },
  'GET /api/v1/users/:id/routing': { expect: e(401, 404, 403, 200, 200, 200, 200), params: (f) => ({ id: f.a.agent.id }) },
  'PUT /api/v1/users/:id/routing': { expect: e(401, 404, 403, 403, 403, 200, 200), params: (f) => ({ id: f.a.agent.id }), body: () => ({ capacity: { chat: 2 }, skills: ['lang:de'] }) },
  'GET /api/v1/routing/defaults': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'PUT /api/v1/routing/defaults': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ capacity: { chat: 3 } }) },
  'GET /api/v1/conversations/:id/assignments': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }) },
  // —— automation: rules and auto-close (admins); canned responses and macros (shared ones kept by admins) ——
  'GET /api/v1/automation-rules': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'POST /api/v1/automation-rules': { expect: e(401, 201, 403, 403, 403, 201, 201), body: () => ({ name: 'Tag refunds', trigger: { type: 'message_received' }, conditions: [{ field: 'message', operator: 'contains_any', values: ['refund'] }], actions: [{ type: 'add_tags', tags: ['refund'] }] }) },
  'GET /api/v1/automation-rules/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.automation()).ruleId }) },
  'PATCH /api/v1/automation-rules/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.automation()).ruleId }), body: () => ({ enabled: false }) },
  'DELETE /api/v1/automation-rules/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.automation()).ruleId }) },
  'GET /api/v1/automation-rules/:id/runs': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.automation()).ruleId }) },
  'GET /api/v1/automation/auto-close': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'PUT /api/v1/automation/auto-close': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ enabled: true, after_minutes: 4320, message: 'Closing this for now, {{contact.first_name}}.' }) },
  'GET /api/v1/canned-responses': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/canned-responses': { expect: e(401, 201, 201, 201, 201, 201, 201), body: () => ({ shortcut: `s${Math.random().toString(36).slice(2, 10)}`, title: 'Thanks', body: 'Thanks, {{contact.first_name}}!' }) },
  'PATCH /api/v1/canned-responses/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.automation()).cannedId }), body: () => ({ title: 'Renamed' }) },
  'DELETE /api/v1/canned-responses/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.automation()).cannedId }) },
  'GET /api/v1/macros': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/macros': { expect: e(401, 201, 201, 201, 201, 201, 201), body: () => ({ name: 'Escalate', actions: [{ type: 'set_priority', priority: 'urgent' }] }) },
  'PATCH /api/v1/macros/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.automation()).macroId }), body: () => ({ name: 'Renamed' }) },
  'DELETE /api/v1/macros/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.automation()).macroId }) },
  'POST /api/v1/conversations/:id/macros/:macro_id': { expect: e(401, 404, 404, 200, 200, 200, 200), params: async (f) => ({ id: f.a.conversationId, macro_id: (await f.automation()).macroId }) },
  // —— business hours and SLAs (admins; a conversation's clock for whoever may see it) ——
  'GET /api/v1/business-hours': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'POST /api/v1/business-hours': { expect: e(401, 201, 403, 403, 403, 201, 201), body: () => ({ name: 'Office', business_hours: { time_zone: 'Europe/Berlin', days: { mon: [['09:00', '17:00']] } } }) },
  'GET /api/v1/business-hours/assignments': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'GET /api/v1/business-hours/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.businessHours() }) },
  'PATCH /api/v1/business-hours/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.businessHours() }), body: () => ({ name: 'Renamed hours' }) },
  'DELETE /api/v1/business-hours/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: await f.businessHours() }) },
  'PUT /api/v1/inboxes/:id/business-hours-schedule': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.inbox() }), body: () => ({ schedule_id: null }) },
  'PUT /api/v1/teams/:id/business-hours': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.team() }), body: () => ({ schedule_id: null }) },
  'GET /api/v1/sla-policies': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'POST /api/v1/sla-policies': { expect: e(401, 201, 403, 403, 403, 201, 201), body: () => ({ name: 'Standard', first_response_minutes: 60, resolution_minutes: 480 }) },
  'GET /api/v1/sla-policies/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.slaPolicy() }) },
  'PATCH /api/v1/sla-policies/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.slaPolicy() }), body: () => ({ first_response_minutes: 30 }) },
  'DELETE /api/v1/sla-policies/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: await f.slaPolicy() }) },
  'GET /api/v1/conversations/:id/sla': { expect: e(401, 404, 404, 200, 200, 200, 200), params: (f) => ({ id: f.a.conversationId }) },
  // —— help center and knowledge base search ——
  'GET /api/v1/help-center': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'PATCH /api/v1/help-center': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ name: 'Help' }) },
  'GET /api/v1/kb/suggest': { expect: e(401, 200, 200, 200, 200, 200, 200), query: '?q=how+do+i+get+a+refund' },
  'GET /api/v1/kb/search-gaps': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/kb/synonyms': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'POST /api/v1/kb/synonyms': { expect: e(401, 201, 403, 403, 403, 201, 201), body: () => ({ terms: ['invoice', 'receipt'] }) },
  'PATCH /api/v1/kb/synonyms/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: await f.kbSynonym() }), body: () => ({ terms: ['refund', 'reimbursement'] }) },
  'DELETE /api/v1/kb/synonyms/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: await f.kbSynonym() }) },
  // —— knowledge base: agents read and write articles; admins delete, shape categories and sections, import and export ——
  'GET /api/v1/kb/categories': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/kb/categories': { expect: e(401, 201, 403, 403, 403, 201, 201), body: () => ({ names: { en: 'Billing' } }) },
  'PATCH /api/v1/kb/categories/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.kb()).categoryId }), body: () => ({ names: { en: 'Renamed' } }) },
  'DELETE /api/v1/kb/categories/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.kb()).categoryId }) },
  'GET /api/v1/kb/sections': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  // Another workspace's admin names A's category: not one of theirs.
  'POST /api/v1/kb/sections': { expect: e(401, 422, 403, 403, 403, 201, 201), body: async (f) => ({ category_id: (await f.kb()).categoryId, names: { en: 'Refunds' } }) },
  'PATCH /api/v1/kb/sections/:id': { expect: e(401, 404, 403, 403, 403, 200, 200), params: async (f) => ({ id: (await f.kb()).sectionId }), body: () => ({ names: { en: 'Renamed' } }) },
  'DELETE /api/v1/kb/sections/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.kb()).sectionId }) },
  'GET /api/v1/kb/articles': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'POST /api/v1/kb/articles': { expect: e(401, 201, 201, 201, 201, 201, 201), body: () => ({ title: 'Reset your password', body: 'Open **Sign in**.', locale: 'en', status: 'published' }) },
  'GET /api/v1/kb/articles/search': { expect: e(401, 200, 200, 200, 200, 200, 200), query: '?q=password' },
  'POST /api/v1/kb/preview': { expect: e(401, 200, 200, 200, 200, 200, 200), body: () => ({ markdown: '# Hello' }) },
  'GET /api/v1/kb/articles/:id': { expect: e(401, 404, 200, 200, 200, 200, 200), params: async (f) => ({ id: (await f.kb()).articleId }) },
  'PATCH /api/v1/kb/articles/:id': { expect: e(401, 404, 200, 200, 200, 200, 200), params: async (f) => ({ id: (await f.kb()).articleId }), body: () => ({ locale: 'en', body: 'Changed.' }) },
  'DELETE /api/v1/kb/articles/:id': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.kb()).articleId }) },
  'DELETE /api/v1/kb/articles/:id/translations/:locale': { expect: e(401, 404, 403, 403, 403, 204, 204), params: async (f) => ({ id: (await f.kb()).articleId, locale: 'de' }) },
  'GET /api/v1/kb/articles/:id/revisions': { expect: e(401, 404, 200, 200, 200, 200, 200), params: async (f) => ({ id: (await f.kb()).articleId }) },
  'POST /api/v1/kb/articles/:id/revisions/:revisionId/restore': { expect: e(401, 404, 200, 200, 200, 200, 200), params: async (f) => { const kb = await f.kb(); return { id: kb.articleId, revisionId: kb.revisionId }; } },
  'GET /api/v1/kb/articles/:id/feedback': { expect: e(401, 404, 200, 200, 200, 200, 200), params: async (f) => ({ id: (await f.kb()).articleId }) },
  'POST /api/v1/kb/articles/:id/insert': { expect: e(401, 404, 404, 200, 200, 200, 200), params: async (f) => ({ id: (await f.kb()).articleId }), body: (f) => ({ conversation_id: f.a.conversationId, as: 'text' }) },
  'POST /api/v1/kb/import': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ files: [{ path: 'reset.en.md', content: '---\nid: reset\ntitle: Reset\n---\nBody' }] }) },
  'POST /api/v1/kb/import/zip': { expect: e(401, 200, 403, 403, 403, 200, 200), raw: () => multipart('kb.zip', Buffer.from(zipSync({ 'reset.en.md': strToU8('---\nid: reset\ntitle: Reset\n---\nBody') })), 'application/zip') },
  'GET /api/v1/kb/export': { expect: e(401, 200, 403, 403, 403, 200, 200), query: '?format=json' },
  // —— answer bot (admins, per inbox), AI assist (admins set it up; agents draft and summarise what they may see), widget self-service (visitors) ——
  'GET /api/v1/inboxes/:id/answer-bot': { expect: e(401, 404, 403, 403, 403, 200, 200), params: (f) => ({ id: f.a.inboxId }) },
  'PUT /api/v1/inboxes/:id/answer-bot': { expect: e(401, 404, 403, 403, 403, 200, 200), params: (f) => ({ id: f.a.inboxId }), body: () => ({ enabled: false, threshold: 0.4 }) },
  'GET /api/v1/ai/status': { expect: e(401, 200, 200, 200, 200, 200, 200) },
  'GET /api/v1/ai/settings': { expect: e(401, 200, 403, 403, 403, 200, 200) },
  'PUT /api/v1/ai/settings': { expect: e(401, 200, 403, 403, 403, 200, 200), body: () => ({ enabled: false, model: 'any-model' }) },
  'POST /api/v1/ai/settings/test': { expect: e(401, 422, 403, 403, 403, 422, 422) },
  'POST /api/v1/conversations/:id/ai/draft': { expect: e(401, 404, 404, 422, 422, 422, 422), params: (f) => ({ id: f.a.conversationId }) },
  'POST /api/v1/conversations/:id/ai/summary': { expect: e(401, 404, 404, 422, 422, 422, 422), params: (f) => ({ id: f.a.conversationId }) },
  'GET /api/v1/widget/articles': { expect: e(401, 401, 401, 401, 401, 401, 401), query: '?q=lock' },
  'GET /api/v1/widget/articles/:id': { expect: e(401, 401, 401, 401, 401, 401, 401), params: () => ({ id: '00000000-0000-4000-8000-000000000001' }) },
  'POST /api/v1/widget/articles/:id/answered': { expect: e(401, 401, 401, 401, 401, 401, 401), params: () => ({ id: '00000000-0000-4000-8000-000000000001' }), body: () => ({ helped: true, question: 'How?' }) },
};

/** The web chat's visitor side: sessions, identity verification, messages, live replies, abuse (SECURITY 26–29, 36). */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let ws: WorkspaceFixture;
let agent: Person;
let agentHeaders: Record<string, string>;
let key: string;
let secret: string;
let base: string;

interface Session {
  visitor_token: string;
  visitor: { contact_id: string; verified: boolean; email: string | null };
  conversation: { id: string; last_seq: number } | null;
  inbox: { name: string; greeting: string; agents: Array<{ name: string }>; reply_time: { text: string } };
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  ws = await makeWorkspace(t, 'Northwind');
  agent = await makeMember(t, ws.accountId, 'agent');
  agentHeaders = await sessionFor(t, agent.id, ws.accountId);
  const admin = await sessionFor(t, ws.owner.id, ws.accountId);
  const inbox = json<{ widget_key: string; identity_secret: string }>(
    await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Website', greeting: 'Hi! Ask us anything.', allowed_origins: ['https://shop.example'], member_ids: [agent.id] } }),
  );
  if (!inbox.identity_secret) throw new Error(`inbox creation failed: ${JSON.stringify(inbox)}`);
  key = inbox.widget_key;
  secret = inbox.identity_secret;
});
afterAll(async () => t?.close());

const session = async (body: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: key, ...body } });
const write = (token: string, content: string, id: string, remoteAddress?: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': token }, payload: { content, client_message_id: id }, ...(remoteAddress ? { remoteAddress } : {}) });
const read = (token: string, after = 0) => t.app.inject({ method: 'GET', url: `/api/v1/widget/messages?after=${after}`, headers: { 'x-visitor-token': token } });
const sign = (id: string, key = secret) => createHmac('sha256', key).update(id).digest('hex');

describe('visitor sessions', () => {
  it('refuses an unknown widget key with a message the site owner can act on', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: 'wk_nope' } });
    expect(res.statusCode).toBe(404);
    expect(json(res)).toMatchObject({ error: { code: 'widget_not_found', message: expect.stringContaining('data-inbox') } });
  });

  it('starts a visitor with the inbox name, greeting, agents and reply time, and resumes them by token', async () => {
    const first = json<Session>(await session({ context: { url: 'https://shop.example/shoes', referrer: 'https://search.example', language: 'de-DE' } }));
    expect(first.visitor_token).toMatch(/^vt_[\w-]{43}$/);
    expect(first.conversation).toBeNull();
    expect(first.inbox).toMatchObject({ name: 'Website', greeting: 'Hi! Ask us anything.', agents: [{ name: expect.any(String) }], reply_time: { text: expect.any(String) } });
    const again = json<Session>(await session({ visitor_token: first.visitor_token }));
    expect(again.visitor.contact_id).toBe(first.visitor.contact_id);
    expect(again.visitor_token).toBe(first.visitor_token);
    const stranger = json<Session>(await session({ visitor_token: 'vt_guessedguessedguessedguessedguessedguessed' }));
    expect(stranger.visitor.contact_id).not.toBe(first.visitor.contact_id);
    const contact = json(await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${first.visitor.contact_id}`, headers: agentHeaders }));
    expect(contact).toMatchObject({ visitor: { url: 'https://shop.example/shoes', referrer: 'https://search.example', language: 'de-DE', user_agent: expect.any(String) } });
    // Only a hash of the token is stored.
    const stored = await scoped(t.ctx.db, ws.accountId).selectFrom('contact_identities').select('value').where('kind', '=', 'visitor').execute();
    expect(stored.map((s) => s.value)).not.toContain(first.visitor_token);
  });
});

describe('identity verification', () => {
  it('a signed id links every device of that customer to one contact and its history', async () => {
    const identity = { id: 'customer-42', email: 'natalie@example.com', name: 'Natalie Brooks' };
    const laptop = json<Session>(await session({ identity: { ...identity, hash: sign('customer-42') } }));
    expect(laptop.visitor.verified).toBe(true);
    expect((await write(laptop.visitor_token, 'Order 55812?', 'id-1')).statusCode).toBe(201);
    const phone = json<Session>(await session({ identity: { ...identity, hash: sign('customer-42') } }));
    expect(phone.visitor.contact_id).toBe(laptop.visitor.contact_id);
    expect(json<{ data: Array<{ content: string }> }>(await read(phone.visitor_token)).data.map((m) => m.content)).toEqual(['Order 55812?']);
  });

  it.each([
    ['no hash', () => undefined],
    ['a hash of another id', () => sign('customer-43')],
    ['upper-case hex', () => sign('customer-42').toUpperCase()],
    ['a truncated hash', () => sign('customer-42').slice(0, 63)],
    ['a hash made with another secret (rotated away)', () => sign('customer-42', 'an old secret that is no longer valid!!')],
  ])('%s never merges into that customer (SECURITY 26, 27)', async (_label, makeHash) => {
    const hash = makeHash();
    const claim = json<Session>(await session({ identity: { id: 'customer-42', email: 'natalie@example.com', name: 'Natalie', ...(hash ? { hash } : {}) } }));
    const real = json<Session>(await session({ identity: { id: 'customer-42', hash: sign('customer-42') } }));
    expect(claim.visitor.verified).toBe(false);
    expect(claim.visitor.email).toBeNull();
    expect(claim.visitor.contact_id).not.toBe(real.visitor.contact_id);
    expect(json<{ data: unknown[] }>(await read(claim.visitor_token)).data).toEqual([]);
    const contact = await scoped(t.ctx.db, ws.accountId).selectFrom('contacts').select(['email', 'attributes']).where('id', '=', claim.visitor.contact_id).executeTakeFirstOrThrow();
    expect(contact.email).toBeNull();
    expect(contact.attributes).toMatchObject({ unverified_claim: { id: 'customer-42', email: 'natalie@example.com' } });
    // The agent's sidebar shows the claim as unverified, and the verified customer as verified.
    const sidebar = json(await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${claim.visitor.contact_id}`, headers: agentHeaders }));
    expect(sidebar).toMatchObject({ email: null, unverified_claim: { id: 'customer-42', email: 'natalie@example.com' }, identities: [] });
    const verified = json(await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${real.visitor.contact_id}`, headers: agentHeaders }));
    expect(verified).toMatchObject({ identities: [{ kind: 'external_id', value: 'customer-42', verified: true }] });
  });
});

describe('visitor messages', () => {
  it('the first message opens a conversation the agent sees; a retry does not duplicate; replies come back, notes never', async () => {
    const v = json<Session>(await session());
    const first = await write(v.visitor_token, 'Are the runners back in 39?', 'v-1');
    expect(first.statusCode).toBe(201);
    expect((await write(v.visitor_token, 'Are the runners back in 39?', 'v-1')).statusCode).toBe(200);
    const list = json<{ data: Array<{ id: string; contact: { id: string }; waiting_since: string | null }> }>(await t.app.inject({ method: 'GET', url: '/api/v1/conversations?assignee=unassigned', headers: agentHeaders }));
    const conversation = list.data.find((c) => c.contact.id === v.visitor.contact_id)!;
    expect(conversation.waiting_since).not.toBeNull();
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversation.id}/messages`, headers: agentHeaders, payload: { content: 'Internal: check stock', private: true } });
    await t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversation.id}`, headers: agentHeaders, payload: { priority: 'high' } });
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversation.id}/messages`, headers: agentHeaders, payload: { content: 'Yes, they are!' } });
    const seen = json<{ data: Array<{ content: string; direction: string; author: { type: string; name: string } }> }>(await read(v.visitor_token)).data;
    expect(seen.map((m) => [m.direction, m.content])).toEqual([
      ['incoming', 'Are the runners back in 39?'],
      ['outgoing', 'Yes, they are!'],
    ]);
    expect(seen[1].author).toMatchObject({ type: 'user', name: expect.stringContaining('agent') });
  });

  it('two tabs writing their first message at the same instant make one conversation (SECURITY 36)', async () => {
    const v = json<Session>(await session());
    const results = await Promise.all([write(v.visitor_token, 'tab one', 't-1'), write(v.visitor_token, 'tab two', 't-2'), write(v.visitor_token, 'tab three', 't-3')]);
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    const conversations = await scoped(t.ctx.db, ws.accountId).selectFrom('conversations').select('id').where('contact_id', '=', v.visitor.contact_id).execute();
    expect(conversations).toHaveLength(1);
  });

  it('refuses empty, oversized and wrong-typed messages with a clear error', async () => {
    const v = json<Session>(await session());
    for (const [content, field] of [['', 'content'], ['  ', 'content'], ['x'.repeat(10_001), 'content'], [42, 'content']] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': v.visitor_token }, payload: { content, client_message_id: 'bad' } });
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({ error: { code: 'validation_failed', details: [{ field }] } });
    }
  });

  it('rate limits one flooding visitor without slowing another', async () => {
    const flood = json<Session>(await session());
    const calm = json<Session>(await session());
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await write(flood.visitor_token, `spam ${i}`, `f-${i}`)).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    const limited = await write(flood.visitor_token, 'more', 'f-99');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(json(limited)).toMatchObject({ error: { message: 'You are sending messages too fast; wait a moment.' } });
    expect((await write(calm.visitor_token, 'hello', 'c-1')).statusCode).toBe(201);
  });

  it('forged or guessed visitor tokens get nothing, and guessing is rate limited (SECURITY 29)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await t.app.inject({ method: 'GET', url: '/api/v1/widget/messages', remoteAddress: '198.51.100.9', headers: { 'x-visitor-token': `vt_${'a'.repeat(40)}${i}` } })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});

describe('the visitor socket', () => {
  function open(origin: string | undefined): Promise<{ socket: WebSocket; frames: Array<{ type: string; data?: { message?: { content: string } } }> }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${base}/api/v1/widget/realtime`, { headers: origin ? { origin } : {} });
      const frames: Array<{ type: string; data?: { message?: { content: string } } }> = [];
      socket.on('open', () => resolve({ socket, frames }));
      socket.on('message', (raw) => frames.push(JSON.parse(String(raw))));
      socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.on('error', reject);
    });
  }
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 150 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
    return check();
  };

  it('is refused to pages of other origins (SECURITY 28)', async () => {
    await expect(open('https://evil.example')).rejects.toThrow('HTTP 403');
    await expect(open(undefined)).rejects.toThrow('HTTP 403');
  });

  it("pushes the agent's public replies live to that visitor only", async () => {
    const v = json<Session>(await session());
    const other = json<Session>(await session());
    await write(v.visitor_token, 'Hello?', 'live-1');
    await write(other.visitor_token, 'Me too', 'live-2');
    const mine = await open('http://localhost:3000');
    const theirs = await open('http://localhost:3000');
    mine.socket.send(JSON.stringify({ type: 'auth', visitor_token: v.visitor_token }));
    theirs.socket.send(JSON.stringify({ type: 'auth', visitor_token: other.visitor_token }));
    expect(await until(() => mine.frames.some((f) => f.type === 'ready') && theirs.frames.some((f) => f.type === 'ready'))).toBe(true);
    const conversation = await scoped(t.ctx.db, ws.accountId).selectFrom('conversations').select('id').where('contact_id', '=', v.visitor.contact_id).executeTakeFirstOrThrow();
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversation.id}/messages`, headers: agentHeaders, payload: { content: 'A secret note', private: true } });
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversation.id}/messages`, headers: agentHeaders, payload: { content: 'Hi, how can I help?' } });
    expect(await until(() => mine.frames.some((f) => f.data?.message?.content === 'Hi, how can I help?'))).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    const contents = (frames: typeof mine.frames) => frames.filter((f) => f.type === 'event').map((f) => f.data!.message!.content);
    expect(contents(mine.frames)).toEqual(['Hi, how can I help?']);
    expect(contents(theirs.frames)).toEqual([]);
    mine.socket.close();
    theirs.socket.close();
  });

  it('closes a socket whose token is unknown', async () => {
    const c = await open('http://localhost:3000');
    const closed = new Promise<number>((resolve) => c.socket.on('close', (code) => resolve(code)));
    c.socket.send(JSON.stringify({ type: 'auth', visitor_token: 'vt_forged-forged-forged-forged-forged-forged-x' }));
    expect(await closed).toBe(4401);
  });
});

describe('the widget files', () => {
  it('serve the frame only to the inbox\'s allowed sites (frame-ancestors), and 404 an unknown key', async () => {
    const frame = await t.app.inject({ method: 'GET', url: `/widget/frame?key=${key}` });
    expect(frame.statusCode).toBe(200);
    expect(frame.headers['content-security-policy']).toContain('frame-ancestors https://shop.example');
    expect(frame.headers['content-security-policy']).toContain("script-src 'self'");
    expect(frame.headers['x-frame-options']).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/widget/frame?key=wk_unknown' })).statusCode).toBe(404);
    const loader = await t.app.inject({ method: 'GET', url: '/widget.js' });
    expect(loader.statusCode).toBe(200);
    expect(loader.headers['content-type']).toContain('javascript');
  });

  it('offers a sample page to try the chat when the inbox allows this server, and says why not otherwise', async () => {
    const refused = await t.app.inject({ method: 'GET', url: `/widget/demo/${key}` });
    expect(refused.body).toContain('does not list http://localhost:3000 among its allowed origins');
    expect(refused.body).not.toContain('<script');
    const admin = await sessionFor(t, ws.owner.id, ws.accountId);
    const created = json<{ widget_key: string }>(await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Try <it>', allowed_origins: ['http://localhost:3000/'] } }));
    const page = await t.app.inject({ method: 'GET', url: `/widget/demo/${created.widget_key}` });
    expect(page.body).toContain(`<script src="http://localhost:3000/widget.js" data-inbox="${created.widget_key}" async></script>`);
    expect(page.body).toContain('Try &#60;it&#62;');
  });
});

describe('rotating the identity secret (SECURITY 27)', () => {
  it('makes hashes signed with the old secret worthless at once, and the new secret works', async () => {
    const admin = await sessionFor(t, ws.owner.id, ws.accountId);
    const inbox = json<{ id: string; widget_key: string; identity_secret: string }>(
      await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Rotating', member_ids: [agent.id] } }),
    );
    const start = (hash: string) => t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: inbox.widget_key, identity: { id: 'customer-77', hash } } });
    expect(json<Session>(await start(sign('customer-77', inbox.identity_secret))).visitor.verified).toBe(true);

    const rotated = await t.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/identity-secret`, headers: admin });
    expect(rotated.statusCode).toBe(200);
    const fresh = json<{ identity_secret: string }>(rotated).identity_secret;
    expect(fresh).not.toBe(inbox.identity_secret);
    expect(json<Session>(await start(sign('customer-77', inbox.identity_secret))).visitor.verified).toBe(false);
    expect(json<Session>(await start(sign('customer-77', fresh))).visitor.verified).toBe(true);

    // Agents may not rotate it, and the audit log records who did.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/identity-secret`, headers: agentHeaders })).statusCode).toBe(403);
    const audit = json<{ data: Array<{ action: string }> }>(await t.app.inject({ method: 'GET', url: '/api/v1/audit-events', headers: admin }));
    expect(audit.data.map((a) => a.action)).toContain('inbox.identity_secret_rotated');
  });
});

describe('a deleted inbox', () => {
  it("ends its visitors' chats cleanly, even for a visitor who was writing a moment ago", async () => {
    const admin = await sessionFor(t, ws.owner.id, ws.accountId);
    const inbox = json<{ id: string; widget_key: string }>(await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Short-lived' } }));
    const v = json<Session>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: inbox.widget_key } }));
    expect((await write(v.visitor_token, 'Hello', 'gone-1')).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/inboxes/${inbox.id}`, headers: admin })).statusCode).toBe(204);
    const after = await write(v.visitor_token, 'Still there?', 'gone-2');
    expect(after.statusCode).toBe(401);
    expect(json(after)).toMatchObject({ error: { code: 'visitor_token_invalid' } });
  });
});

/**
 * What makes a chat feel live beyond the messages: typing both ways, who else is looking at a
 * conversation, presence, read receipts and @mentions — each only to those who may see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scoped } from '../src/core/db/tenant.js';
import { ORIGIN, json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let base: string;
let ws: WorkspaceFixture;
let sam: Person;
let ava: Person;
let outsider: Person;
let key: string;

interface Frame {
  type: string;
  id?: number | null;
  event?: string;
  conversation_id?: string;
  data?: Record<string, unknown>;
}
interface Socket {
  socket: WebSocket;
  frames: Frame[];
  send: (frame: unknown) => void;
  events: (name: string) => Frame[];
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  ws = await makeWorkspace(t, 'Live');
  sam = await makeMember(t, ws.accountId, 'agent');
  ava = await makeMember(t, ws.accountId, 'agent');
  outsider = await makeMember(t, ws.accountId, 'agent');
  const admin = await sessionFor(t, ws.owner.id, ws.accountId);
  key = json<{ widget_key: string }>(await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Website', member_ids: [sam.id, ava.id] } })).widget_key;
});
afterAll(async () => t?.close());

function wrap(socket: WebSocket, frames: Frame[]): Socket {
  return { socket, frames, send: (f) => socket.send(JSON.stringify(f)), events: (name) => frames.filter((f) => f.event === name) };
}

async function agentSocket(person: Person): Promise<Socket> {
  const headers = { ...(await sessionFor(t, person.id, ws.accountId)), origin: ORIGIN };
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${base}/api/v1/realtime`, { headers });
    const frames: Frame[] = [];
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      frames.push(frame);
      if (frame.type === 'ready') resolve(wrap(socket, frames));
    });
    socket.on('error', reject);
  });
}

async function visitorSocket(token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${base}/api/v1/widget/realtime`, { headers: { origin: ORIGIN } });
    const frames: Frame[] = [];
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', visitor_token: token })));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      frames.push(frame);
      if (frame.type === 'ready') resolve(wrap(socket, frames));
    });
    socket.on('error', reject);
  });
}

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
};
const settle = () => new Promise((r) => setTimeout(r, 300));

/** A visitor who has written once, and their conversation. */
async function visitorChat(name = 'Natalie') {
  const s = json<{ visitor_token: string; visitor: { contact_id: string } }>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: key } }));
  await scoped(t.ctx.db, ws.accountId).updateTable('contacts').set({ name }).where('id', '=', s.visitor.contact_id).execute();
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': s.visitor_token }, payload: { content: 'Hello, anyone there?', client_message_id: `hi-${Math.random().toString(36).slice(2)}` } });
  if (sent.statusCode !== 201) throw new Error(`the visitor could not write: ${sent.body}`);
  const conversationId = (await scoped(t.ctx.db, ws.accountId).selectFrom('messages').select('conversation_id').where('id', '=', json<{ id: string }>(sent).id).executeTakeFirstOrThrow()).conversation_id;
  return { token: s.visitor_token, contactId: s.visitor.contact_id, conversationId };
}

describe('typing', () => {
  it("the visitor's typing reaches the inbox's agents (not an agent outside it); an agent's public typing reaches the visitor, a note's does not", async () => {
    const chat = await visitorChat();
    const samSocket = await agentSocket(sam);
    const avaSocket = await agentSocket(ava);
    const outsiderSocket = await agentSocket(outsider);
    const visitor = await visitorSocket(chat.token);

    visitor.send({ type: 'typing', typing: true });
    expect(await until(() => samSocket.events('conversation.typing').length > 0)).toBe(true);
    expect(samSocket.events('conversation.typing')[0]).toMatchObject({ id: null, conversation_id: chat.conversationId, data: { typing: true, user: null, contact: { id: chat.contactId, name: 'Natalie' } } });

    samSocket.send({ type: 'typing', conversation_id: chat.conversationId, private: false });
    expect(await until(() => visitor.events('typing').length > 0)).toBe(true);
    expect(visitor.events('typing')[0].data).toEqual({ typing: true, author: { name: sam.name, avatar_url: null } });
    expect(await until(() => avaSocket.events('conversation.typing').some((f) => (f.data?.user as { id?: string } | null)?.id === sam.id))).toBe(true);

    // A private note being typed is for teammates only.
    samSocket.send({ type: 'typing', conversation_id: chat.conversationId, private: true });
    samSocket.send({ type: 'typing', conversation_id: chat.conversationId, typing: false });
    expect(await until(() => visitor.events('typing').some((f) => f.data?.typing === false))).toBe(true);
    expect(visitor.events('typing').filter((f) => f.data?.typing === true)).toHaveLength(1);

    await settle();
    expect(outsiderSocket.events('conversation.typing')).toEqual([]);
    for (const s of [samSocket, avaSocket, outsiderSocket, visitor]) s.socket.close();
  });

  it('an agent cannot announce typing or viewing in a conversation they may not see', async () => {
    const chat = await visitorChat();
    const samSocket = await agentSocket(sam);
    const outsiderSocket = await agentSocket(outsider);
    const visitor = await visitorSocket(chat.token);
    outsiderSocket.send({ type: 'typing', conversation_id: chat.conversationId, private: false });
    outsiderSocket.send({ type: 'viewing', conversation_id: chat.conversationId });
    outsiderSocket.send({ type: 'typing', conversation_id: 'not-a-uuid' });
    await settle();
    expect(samSocket.events('conversation.typing')).toEqual([]);
    expect(samSocket.events('conversation.viewing')).toEqual([]);
    expect(visitor.events('typing')).toEqual([]);
    for (const s of [samSocket, outsiderSocket, visitor]) s.socket.close();
  });
});

describe('collision warnings', () => {
  it('agents see who else is viewing a conversation, and when they leave', async () => {
    const chat = await visitorChat();
    const samSocket = await agentSocket(sam);
    const avaSocket = await agentSocket(ava);
    avaSocket.send({ type: 'viewing', conversation_id: chat.conversationId });
    expect(await until(() => samSocket.events('conversation.viewing').length > 0)).toBe(true);
    expect(samSocket.events('conversation.viewing')[0]).toMatchObject({ conversation_id: chat.conversationId, data: { user: { id: ava.id, name: ava.name }, viewing: true } });
    avaSocket.send({ type: 'viewing', conversation_id: chat.conversationId, viewing: false });
    expect(await until(() => samSocket.events('conversation.viewing').some((f) => f.data?.viewing === false))).toBe(true);
    // An app that closes without saying so (a crash, a lost network) stops viewing too.
    avaSocket.send({ type: 'viewing', conversation_id: chat.conversationId });
    expect(await until(() => samSocket.events('conversation.viewing').filter((f) => f.data?.viewing === true).length === 2)).toBe(true);
    avaSocket.socket.terminate();
    expect(await until(() => samSocket.events('conversation.viewing').filter((f) => f.data?.viewing === false).length === 2)).toBe(true);
    samSocket.socket.close();
  });
});

describe('presence', () => {
  const presenceOf = async (viewer: Person, person: Person) => {
    const list = json<{ data: Array<{ user_id: string; status: string }> }>(await t.app.inject({ method: 'GET', url: '/api/v1/presence', headers: await sessionFor(t, viewer.id, ws.accountId) }));
    return list.data.find((p) => p.user_id === person.id)?.status;
  };

  it('is online with an open app, away when chosen or idle, offline when the app closes or by choice — live for teammates', async () => {
    // Someone who has never opened the app yet.
    const ava = await makeMember(t, ws.accountId, 'agent');
    expect(await presenceOf(sam, ava)).toBe('offline');
    const samSocket = await agentSocket(sam);
    const avaSocket = await agentSocket(ava);
    const statusesOfAva = () => samSocket.events('presence.updated').filter((f) => f.data?.user_id === ava.id).map((f) => f.data?.status);
    expect(await presenceOf(sam, ava)).toBe('online');

    avaSocket.send({ type: 'activity', idle: true });
    expect(await until(() => statusesOfAva().includes('away'))).toBe(true);
    expect(await presenceOf(sam, ava)).toBe('away');
    avaSocket.send({ type: 'activity', idle: false });
    expect(await until(() => statusesOfAva().at(-1) === 'online')).toBe(true);

    const avaHeaders = await sessionFor(t, ava.id, ws.accountId);
    const chosen = await t.app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: avaHeaders, payload: { status: 'offline' } });
    expect(chosen.statusCode).toBe(200);
    expect(await until(() => statusesOfAva().at(-1) === 'offline')).toBe(true);
    await t.app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: avaHeaders, payload: { status: 'online' } });
    expect(await until(() => statusesOfAva().at(-1) === 'online')).toBe(true);

    avaSocket.socket.close();
    expect(await until(() => statusesOfAva().at(-1) === 'offline')).toBe(true);
    expect(await presenceOf(sam, ava)).toBe('offline');

    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: avaHeaders, payload: { status: 'asleep' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({ error: { code: 'validation_failed' } });
    samSocket.socket.close();
  });
});

describe('read receipts', () => {
  it("the agent reading marks the customer's messages seen, live in the widget; the visitor reading marks the replies seen for agents", async () => {
    const chat = await visitorChat();
    const samHeaders = await sessionFor(t, sam.id, ws.accountId);
    const samSocket = await agentSocket(sam);
    const visitor = await visitorSocket(chat.token);

    expect((await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.conversationId}/read`, headers: samHeaders })).statusCode).toBe(204);
    expect(await until(() => visitor.events('messages.read').length > 0)).toBe(true);
    expect(visitor.events('messages.read')[0].data).toEqual({ up_to_seq: 1 });
    const mine = json<{ data: Array<{ seq: number; status: string; direction: string }> }>(await t.app.inject({ method: 'GET', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': chat.token } }));
    expect(mine.data.map((m) => m.status)).toEqual(['read']);

    const reply = json<{ seq: number }>(await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.conversationId}/messages`, headers: samHeaders, payload: { content: 'Yes! How can I help?' } }));
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.conversationId}/messages`, headers: samHeaders, payload: { content: 'Checking your order', private: true } });
    visitor.send({ type: 'read', up_to_seq: reply.seq });
    expect(await until(() => samSocket.events('messages.read').some((f) => f.data?.reader === 'contact'))).toBe(true);
    expect(samSocket.events('messages.read').find((f) => f.data?.reader === 'contact')).toMatchObject({ conversation_id: chat.conversationId, data: { up_to_seq: reply.seq } });
    const all = json<{ data: Array<{ seq: number; status: string; private: boolean }> }>(await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${chat.conversationId}/messages`, headers: samHeaders }));
    expect(all.data.map((m) => [m.seq, m.private, m.status])).toEqual([
      [1, false, 'read'],
      [2, false, 'read'],
      [3, true, 'sent'],
    ]);
    // Reading "up to" a number beyond the conversation cannot pre-read replies not yet written.
    visitor.send({ type: 'read', up_to_seq: 1_000 });
    await settle();
    const later = json<{ seq: number; status: string }>(await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.conversationId}/messages`, headers: samHeaders, payload: { content: 'Found it' } }));
    expect(later.status).toBe('sent');
    samSocket.socket.close();
    visitor.socket.close();
  });
});

describe('mentions', () => {
  it('a note mentioning a teammate notifies that teammate only; mentioning someone who cannot see the conversation is refused per id', async () => {
    const chat = await visitorChat();
    const samHeaders = await sessionFor(t, sam.id, ws.accountId);
    const samSocket = await agentSocket(sam);
    const avaSocket = await agentSocket(ava);
    const note = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.conversationId}/messages`, headers: samHeaders, payload: { content: `@${ava.name} can you check the refund?`, private: true, mentions: [ava.id] } });
    expect(note.statusCode, note.body).toBe(201);
    const mentionOf = (s: Socket) => s.events('notification.created').filter((f) => (f.data?.notification as { kind?: string } | undefined)?.kind === 'mention');
    expect(await until(() => mentionOf(avaSocket).length > 0)).toBe(true);
    expect(mentionOf(avaSocket)[0].data).toMatchObject({ target_user_id: ava.id, notification: { kind: 'mention', conversation_id: chat.conversationId, title: expect.stringContaining(sam.name), body: expect.stringContaining('refund') } });
    await settle();
    expect(mentionOf(samSocket)).toEqual([]);
    // The notification is the one event of a mention: the old mention.created is gone.
    expect([...avaSocket.events('mention.created'), ...samSocket.events('mention.created')]).toEqual([]);

    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.conversationId}/messages`, headers: samHeaders, payload: { content: `@someone look`, private: true, mentions: [outsider.id, ava.id] } });
    expect(refused.statusCode).toBe(422);
    expect(json(refused)).toMatchObject({ error: { code: 'invalid_reference', details: [{ field: 'mentions', id: outsider.id }] } });
    const inReply = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.conversationId}/messages`, headers: samHeaders, payload: { content: 'hi', mentions: [ava.id] } });
    expect(inReply.statusCode).toBe(400);
    samSocket.socket.close();
    avaSocket.socket.close();
  });
});

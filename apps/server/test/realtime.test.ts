/** The agents' WebSocket: authenticated, same-origin, and only what each person may see, live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scoped } from '../src/core/db/tenant.js';
import { makeMember, makeWorkspace, sessionFor, startTestApp, tokenFor, type Person, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let base: string;
let ws: WorkspaceFixture;
let agent: Person;
let outsider: Person;
let conversationId: string;
let inboxId: string;

interface Frame {
  type: string;
  event?: string;
  conversation_id?: string;
  data?: { message?: { content: string; private: boolean; seq: number } };
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as { port: number };
  base = `127.0.0.1:${address.port}`;
  ws = await makeWorkspace(t);
  agent = await makeMember(t, ws.accountId, 'agent');
  outsider = await makeMember(t, ws.accountId, 'agent');
  const a = scoped(t.ctx.db, ws.accountId);
  inboxId = (await a.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow()).id;
  await a.insertInto('inbox_members', { inbox_id: inboxId, user_id: agent.id }).execute();
  const contact = await a.insertInto('contacts', { name: 'Natalie' }).returning('id').executeTakeFirstOrThrow();
  conversationId = (await a.insertInto('conversations', { inbox_id: inboxId, contact_id: contact.id }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

/** Opens the socket and collects frames; resolves once the server says it is ready. */
function connect(headers: Record<string, string>): Promise<{ socket: WebSocket; frames: Frame[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${base}/api/v1/realtime`, { headers });
    const frames: Frame[] = [];
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      frames.push(frame);
      if (frame.type === 'ready') resolve({ socket, frames });
    });
    socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.on('error', reject);
  });
}

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
};

describe('GET /api/v1/realtime (WebSocket)', () => {
  it('refuses an anonymous upgrade, and a cookie-authenticated one from another site', async () => {
    await expect(connect({})).rejects.toThrow('HTTP 401');
    const session = await sessionFor(t, agent.id, ws.accountId);
    await expect(connect({ cookie: session.cookie, origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ cookie: session.cookie })).rejects.toThrow('HTTP 403');
  });

  it('pushes committed messages to the agents of the inbox and admins, never to others', async () => {
    const admin = await connect(await sessionFor(t, ws.owner.id, ws.accountId));
    const mine = await connect({ ...(await sessionFor(t, agent.id, ws.accountId)) });
    const outside = await connect(await sessionFor(t, outsider.id, ws.accountId));
    const other = await makeWorkspace(t, 'Other');
    const stranger = await connect(await tokenFor(t, other.owner.id, other.accountId, 'owner'));

    const reply = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: await sessionFor(t, agent.id, ws.accountId), payload: { content: 'Live reply', client_message_id: 'live-1' } });
    expect(reply.statusCode).toBe(201);
    const note = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: { ...(await tokenFor(t, ws.owner.id, ws.accountId, 'owner')) }, payload: { content: 'Internal', private: true } });
    expect(note.statusCode).toBe(201);

    const messagesOf = (frames: Frame[]) => frames.filter((f) => f.event === 'message.created').map((f) => f.data!.message!);
    expect(await until(() => messagesOf(mine.frames).length === 2)).toBe(true);
    expect(await until(() => messagesOf(admin.frames).length === 2)).toBe(true);
    expect(messagesOf(mine.frames).map((m) => [m.seq, m.content, m.private])).toEqual([
      [1, 'Live reply', false],
      [2, 'Internal', true],
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(messagesOf(outside.frames)).toEqual([]);
    expect(messagesOf(stranger.frames)).toEqual([]);
    for (const c of [admin, mine, outside, stranger]) c.socket.close();
  });

  it('answers pings and tells a client that sends garbage what was wrong', async () => {
    const c = await connect(await sessionFor(t, agent.id, ws.accountId));
    c.socket.send('{"type":"ping"}');
    c.socket.send('not json');
    expect(await until(() => c.frames.some((f) => f.type === 'pong') && c.frames.some((f) => f.type === 'error'))).toBe(true);
    c.socket.close();
  });
});

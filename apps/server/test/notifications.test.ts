/**
 * Notifications: being assigned, mentioned, or new messages in a conversation one follows reach
 * that person only (in the list, the unread count and their realtime socket), never someone who
 * may not open the conversation (SECURITY 6) nor another workspace; each person chooses per kind
 * in the app and by email; emails go through the system mailer (a real SMTP sink here), gathered
 * so a busy conversation sends one, with nothing typed able to add a header (SECURITY 11/17).
 */
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../src/core/jobs.js';
import { scoped } from '../src/core/db/tenant.js';
import { postMessage } from '../src/features/conversations/commands/post-message.js';
import { startChannelWorkers, type ChannelWorkers } from '../src/features/channels/workers.js';
import { notificationPolling } from '../src/features/notifications/email.js';
import { notificationEmail, notify } from '../src/features/notifications/notify.js';
import { notificationsReactor } from '../src/features/notifications/notifications.reactor.js';
import { startReactions, type Reactions } from '../src/core/reactions.js';
import { json, makeMember, makeWorkspace, ORIGIN, type Person, sessionFor, startTestApp, type TestApp, until } from './helpers.js';
import { startSink } from './support/smtp-sink.js';

QUEUES['notification.email'] = { ...QUEUES['notification.email'], retryLimit: 1, retryDelay: 1, retryBackoff: false };
notificationPolling.intervalMs = 200;
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;

type Notification = { id: string; kind: string; title: string; body: string; count: number; read: boolean; conversation_id: string | null };
type Page = { data: Notification[]; next_cursor: string | null; unread_count: number };
type Frame = { type: string; event?: string; data?: { notification?: Notification; unread_count?: number } };

describe('notifications', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let workers: ChannelWorkers;
  let base: string;
  let accountId: string;
  let owner: Person;
  let sam: Person;
  let ava: Person;
  let outsider: Person;
  const headers: Record<string, Record<string, string>> = {};
  let inboxId: string;
  let contactId: string;
  let conversationId: string;
  const sockets: WebSocket[] = [];

  const as = (p: Person) => headers[p.id];
  const list = async (p: Person, query = '') => json<Page>(await t.app.inject({ method: 'GET', url: `/api/v1/notifications${query}`, headers: as(p) }));
  const call = (p: Person, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) => t.app.inject({ method, url, headers: as(p), ...(payload ? { payload } : {}) });
  const customerWrites = (content: string, conversation = conversationId) => postMessage(t.ctx, accountId, { conversationId: conversation, content, author: { type: 'contact', id: contactId } });
  const newConversation = async (subject: string) => (await scoped(t.ctx.db, accountId).insertInto('conversations', { inbox_id: inboxId, contact_id: contactId, subject }).returning('id').executeTakeFirstOrThrow()).id;

  async function socketOf(p: Person): Promise<Frame[]> {
    const frames: Frame[] = [];
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${base}/api/v1/realtime`, { headers: { ...as(p), origin: ORIGIN } });
      sockets.push(socket);
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as Frame;
        frames.push(frame);
        if (frame.type === 'ready') resolve(frames);
      });
      socket.on('error', reject);
    });
  }
  const notified = (frames: Frame[], kind: string) => frames.filter((f) => f.event === 'notification.created' && f.data?.notification?.kind === kind);

  let reactions: Reactions | undefined;
  beforeAll(async () => {
    sink = await startSink();
    t = await startTestApp({ notificationsSmtpUrl: `smtp://smtp-user:smtp-password@127.0.0.1:${sink.port}`, notificationsFrom: 'rapport@notify.example', notificationsEmailBatchSeconds: 1 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    const w = await makeWorkspace(t, 'Notify');
    accountId = w.accountId;
    owner = w.owner;
    sam = await makeMember(t, accountId, 'agent');
    ava = await makeMember(t, accountId, 'agent');
    outsider = await makeMember(t, accountId, 'agent');
    for (const p of [owner, sam, ava, outsider]) headers[p.id] = await sessionFor(t, p.id, accountId);
    const ws = scoped(t.ctx.db, accountId);
    inboxId = (await ws.insertInto('inboxes', { name: 'Chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow()).id;
    await ws.insertInto('inbox_members', [{ inbox_id: inboxId, user_id: sam.id }, { inbox_id: inboxId, user_id: ava.id }]).execute();
    // A customer whose name and subject try to smuggle markup and a header into the emails.
    contactId = (await ws.insertInto('contacts', { name: 'Mallory <img src=x onerror=alert(1)>' }).returning('id').executeTakeFirstOrThrow()).id;
    conversationId = await newConversation('Refund\r\nBcc: evil@example.com');
    workers = await startChannelWorkers(t.ctx, log, { fetch: false, receiver: false });
    // New messages reach followers through the notifications reactor, as on a running server.
    reactions = startReactions(t.ctx, log, [notificationsReactor]);
    // Starting the app and its workers takes a while on a busy machine.
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await reactions?.stop();
    await workers?.stop();
    await t?.close();
    await sink?.close();
  });

  it('requires authentication', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences' })).statusCode).toBe(401);
  });

  it('tells the assignee, live and only them, and makes them follow the conversation', async () => {
    const samFrames = await socketOf(sam);
    const avaFrames = await socketOf(ava);
    const res = await call(owner, 'PATCH', `/api/v1/conversations/${conversationId}`, { assignee_id: sam.id });
    expect(res.statusCode).toBe(200);
    const page = await list(sam);
    expect(page.unread_count).toBe(1);
    expect(page.data).toEqual([expect.objectContaining({ kind: 'assigned', conversation_id: conversationId, read: false, title: `${owner.name} assigned you a conversation` })]);
    await until('the live notification', () => notified(samFrames, 'assigned').length === 1);
    expect(notified(samFrames, 'assigned')[0].data?.unread_count).toBe(1);
    expect(avaFrames.filter((f) => f.event === 'notification.created')).toEqual([]);
    expect((await list(ava)).data).toEqual([]);
    expect(json<{ following: boolean; data: Array<{ id: string }> }>(await call(sam, 'GET', `/api/v1/conversations/${conversationId}/followers`))).toMatchObject({ following: true, data: [{ id: sam.id }] });
  });

  it('gathers new messages of a followed conversation into one notification, not for their own', async () => {
    await customerWrites('First');
    await customerWrites('Second');
    await customerWrites('Third');
    const gathered = await until('three messages in one notification', async () => (await list(sam)).data.find((n) => n.kind === 'message' && n.count === 3));
    expect(gathered).toMatchObject({ conversation_id: conversationId, body: 'Third', title: expect.stringContaining('New message from Mallory') });
    expect((await list(sam)).data.filter((n) => n.kind === 'message')).toHaveLength(1);
    // Ava follows now; Sam's own reply notifies Ava, not Sam.
    expect((await call(ava, 'PUT', `/api/v1/conversations/${conversationId}/follow`)).statusCode).toBe(200);
    await call(sam, 'POST', `/api/v1/conversations/${conversationId}/messages`, { content: 'On it', private: true });
    await until('Ava hears of Sam’s note', async () => (await list(ava)).data.some((n) => n.kind === 'message' && n.title.includes('added a note')));
    expect((await list(sam)).data.find((n) => n.kind === 'message')!.count).toBe(3);
    expect(json<{ following: boolean }>(await call(ava, 'DELETE', `/api/v1/conversations/${conversationId}/follow`)).following).toBe(false);
  });

  it('tells a mentioned teammate, who then follows', async () => {
    const other = await newConversation('Mention me');
    const res = await call(ava, 'POST', `/api/v1/conversations/${other}/messages`, { content: 'Can you look?', private: true, mentions: [sam.id] });
    expect(res.statusCode).toBe(201);
    expect((await list(sam)).data[0]).toMatchObject({ kind: 'mention', conversation_id: other, body: 'Can you look?', title: expect.stringContaining('mentioned you in “Mention me”') });
    expect(json<{ following: boolean }>(await call(sam, 'GET', `/api/v1/conversations/${other}/followers`)).following).toBe(true);
  });

  it('marks one or all read; another person’s or workspace’s notification is not found', async () => {
    const page = await list(sam);
    const first = page.data[0];
    const res = await call(sam, 'POST', `/api/v1/notifications/${first.id}/read`);
    expect(res.statusCode).toBe(200);
    expect(json<Notification>(res).read).toBe(true);
    expect(json<{ count: number }>(await call(sam, 'GET', '/api/v1/notifications/unread-count')).count).toBe(page.unread_count - 1);
    // Ava cannot mark Sam's; an admin of another workspace cannot either.
    const second = page.data[1];
    expect((await call(ava, 'POST', `/api/v1/notifications/${second.id}/read`)).statusCode).toBe(404);
    const b = await makeWorkspace(t, 'Other');
    const otherAdmin = await sessionFor(t, b.owner.id, b.accountId);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/notifications/${second.id}/read`, headers: otherAdmin })).statusCode).toBe(404);
    expect(json<Page>(await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: otherAdmin })).data).toEqual([]);
    expect((await list(sam)).data.find((n) => n.id === second.id)!.read).toBe(false);
    expect((await call(sam, 'POST', '/api/v1/notifications/read-all')).statusCode).toBe(200);
    expect((await list(sam)).unread_count).toBe(0);
    expect((await list(sam, '?unread=true')).data).toEqual([]);
    expect((await call(sam, 'GET', '/api/v1/notifications?cursor=nonsense')).statusCode).toBe(400);
  });

  it('never tells someone who may not open the conversation, and hides what they no longer may (SECURITY 6)', async () => {
    const outsiderFrames = await socketOf(outsider);
    const written = await t.ctx.db.transaction().execute((trx) => notify(trx, accountId, [outsider.id, sam.id], { kind: 'generic', conversationId, title: 'SLA breached', body: 'First reply overdue' }));
    expect(written).toHaveLength(1);
    expect((await list(outsider)).data).toEqual([]);
    // An alert about no conversation reaches anyone of the workspace; someone of another workspace never.
    const b = await makeWorkspace(t, 'Stranger');
    expect(await t.ctx.db.transaction().execute((trx) => notify(trx, accountId, [outsider.id, b.owner.id], { kind: 'generic', title: 'Weekly report ready' }))).toHaveLength(1);
    // The caller flushes the outbox after its commit, as every command's caller does.
    await t.ctx.outbox.flush();
    expect((await list(outsider)).data.map((n) => n.title)).toEqual(['Weekly report ready']);
    await until('the outsider’s own alert', () => outsiderFrames.some((f) => f.event === 'notification.created'));
    expect(outsiderFrames.filter((f) => f.event === 'notification.created').map((f) => f.data?.notification?.title)).toEqual(['Weekly report ready']);
    // Sam leaves the inbox: its conversations' notifications leave his list.
    expect((await list(sam)).data.some((n) => n.title === 'SLA breached')).toBe(true);
    await scoped(t.ctx.db, accountId).deleteFrom('inbox_members').where('user_id', '=', sam.id).execute();
    expect((await list(sam)).data.filter((n) => n.conversation_id !== null)).toEqual([]);
    await scoped(t.ctx.db, accountId).insertInto('inbox_members', { inbox_id: inboxId, user_id: sam.id }).execute();
  });

  it('keeps each person’s choices per kind, in the app and by email', async () => {
    const res = await call(ava, 'GET', '/api/v1/me/notification-preferences');
    expect(json<{ email_available: boolean; preferences: Array<{ kind: string; in_app: boolean; email: boolean }> }>(res)).toMatchObject({
      email_available: true,
      preferences: [
        { kind: 'assigned', in_app: true, email: true },
        { kind: 'mention', in_app: true, email: true },
        { kind: 'message', in_app: true, email: false },
        { kind: 'generic', in_app: true, email: true },
      ],
    });
    const bad = await call(ava, 'PUT', '/api/v1/me/notification-preferences', { preferences: [{ kind: 'everything', in_app: true, email: true }] });
    expect(bad.statusCode).toBe(400);
    const off = await call(ava, 'PUT', '/api/v1/me/notification-preferences', { preferences: [{ kind: 'assigned', in_app: false, email: false }] });
    expect(json<{ preferences: Array<{ kind: string; in_app: boolean }> }>(off).preferences[0]).toMatchObject({ kind: 'assigned', in_app: false });
    const quiet = await newConversation('Quiet');
    await call(owner, 'PATCH', `/api/v1/conversations/${quiet}`, { assignee_id: ava.id });
    expect((await list(ava)).data.some((n) => n.conversation_id === quiet)).toBe(false);
    // Sam's choices are his own.
    expect(json<{ preferences: Array<{ kind: string; in_app: boolean }> }>(await call(sam, 'GET', '/api/v1/me/notification-preferences')).preferences[0].in_app).toBe(true);
  });

  it('emails through the system mailer, one email per batch, with nothing typed reaching a header (SECURITY 11, 17)', async () => {
    const waiting = async () =>
      Number((await scoped(t.ctx.db, accountId).selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', sam.id).where('email_state', 'in', ['pending', 'sending']).executeTakeFirstOrThrow()).n);
    await until('nothing waiting to be emailed to Sam', async () => (await waiting()) === 0);
    await new Promise((r) => setTimeout(r, 1500));
    notificationEmail.batchSeconds = 3;
    const before = sink.received.length;
    const toSam = () => sink.received.slice(before).filter((m) => JSON.stringify(m.to).includes(sam.email));
    try {
      // A mention whose conversation subject tries to add a header, and whose note carries markup: emailed at once, alone.
      const lone = await newConversation('Lone\r\nBcc: evil@example.com');
      expect((await call(ava, 'POST', `/api/v1/conversations/${lone}/messages`, { content: 'Look <img src=x onerror=alert(1)>', private: true, mentions: [sam.id] })).statusCode).toBe(201);
      const first = await until('the lone email', () => toSam().find((m) => m.subject?.includes('mentioned you')));
      expect(first.subject).toBe(`${ava.name} mentioned you in “Lone Bcc: evil@example.com”`);
      expect(String(first.html)).toContain('Look &lt;img src=x onerror=alert(1)&gt;');
      expect(first.text).toContain(`/inbox/${lone}`);
      // Five at once, right after it: they wait out the batch and go in one email.
      await t.ctx.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 5; i++) await notify(trx, accountId, [sam.id], { kind: 'generic', conversationId, title: `Alert ${i}`, body: `Busy ${i}` });
      });
      await t.ctx.outbox.flush();
      const gathered = await until('the gathered email', () => toSam().find((m) => m.subject === '5 updates in Notify'), 20_000);
      expect(gathered.text).toMatch(/Alert 0[\s\S]*Alert 4/);
      await new Promise((r) => setTimeout(r, 1500));
      expect(toSam()).toHaveLength(2);
    } finally {
      notificationEmail.batchSeconds = 1;
    }
    for (const m of toSam()) {
      expect(m.from?.value[0].address).toBe('rapport@notify.example');
      expect(m.headers.get('bcc')).toBeUndefined();
      expect(String(m.html)).not.toMatch(/<img src=x/);
      // The header block: nothing typed started a line of its own there.
      expect(sink.raw[sink.received.indexOf(m)].split('\r\n\r\n')[0]).not.toMatch(/^Bcc:/im);
    }
  }, 90_000);
});

/**
 * Files in conversations: agents and visitors upload, send and fetch them, and every hostile
 * upload is refused or made inert (SECURITY 23–25; 1 and 4 for files).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { multipart, pdf, png } from './files.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let ws: WorkspaceFixture;
let agent: Person;
let agentHeaders: Record<string, string>;
let otherAgentHeaders: Record<string, string>;
let key: string;

interface Attachment {
  id: string;
  file_name: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  inline: boolean;
  url: string;
}
interface Session {
  visitor_token: string;
  uploads: { max_bytes: number; accept: string };
}

beforeAll(async () => {
  // A small size limit and quota make the limits testable without megabytes of data.
  t = await startTestApp({ attachmentMaxBytes: 64 * 1024, storageQuotaBytes: 400 * 1024 });
  ws = await makeWorkspace(t, 'Files');
  agent = await makeMember(t, ws.accountId, 'agent');
  const other = await makeMember(t, ws.accountId, 'agent');
  agentHeaders = await sessionFor(t, agent.id, ws.accountId);
  otherAgentHeaders = await sessionFor(t, other.id, ws.accountId);
  const admin = await sessionFor(t, ws.owner.id, ws.accountId);
  const inbox = json<{ widget_key: string }>(await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Website', member_ids: [agent.id, other.id] } }));
  key = inbox.widget_key;
});
afterAll(async () => t?.close());

const visitorSession = async () => json<Session>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: key } }));
const visitorUpload = (token: string, name: string, bytes: Buffer, type?: string) => {
  const body = multipart(name, bytes, type);
  return t.app.inject({ method: 'POST', url: '/api/v1/widget/attachments', headers: { ...body.headers, 'x-visitor-token': token }, payload: body.payload });
};
const visitorWrite = (token: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': token }, payload });
const agentUpload = (conversationId: string, name: string, bytes: Buffer, headers = agentHeaders, type?: string) => {
  const body = multipart(name, bytes, type);
  return t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/attachments`, headers: { ...headers, ...body.headers }, payload: body.payload });
};

/** A visitor with a conversation (their first message starts it). */
async function visitorWithConversation() {
  const s = await visitorSession();
  await visitorWrite(s.visitor_token, { content: 'Hello', client_message_id: `hello-${Math.random()}` });
  const conversation = await scoped(t.ctx.db, ws.accountId).selectFrom('conversations').innerJoin('contact_identities as i', 'i.contact_id', 'conversations.contact_id').select('conversations.id').orderBy('conversations.created_at', 'desc').limit(1).executeTakeFirstOrThrow();
  return { token: s.visitor_token, conversationId: conversation.id };
}

describe('sending files', () => {
  it('a visitor uploads an image, sends it, and the agent sees and fetches it; the visitor fetches it by its signed link', async () => {
    const s = await visitorSession();
    expect(s.uploads).toMatchObject({ max_bytes: 64 * 1024, accept: expect.stringContaining('image/png') });
    const up = await visitorUpload(s.visitor_token, 'photo of the damage.png', png(3, 2), 'image/png');
    expect(up.statusCode, up.body).toBe(201);
    const file = json<Attachment>(up);
    expect(file).toMatchObject({ file_name: 'photo of the damage.png', content_type: 'image/png', width: 3, height: 2, inline: true, url: expect.stringMatching(/^\/api\/v1\/widget\/attachments\/[\w-]+\?sig=/) });

    const sent = await visitorWrite(s.visitor_token, { content: '', client_message_id: 'with-photo', attachment_ids: [file.id] });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(json<{ attachments: Attachment[] }>(sent).attachments).toMatchObject([{ id: file.id, file_name: 'photo of the damage.png' }]);

    // The agent's view of the conversation carries it with an agent link.
    const list = json<{ data: Array<{ id: string; last_message_preview: string }> }>(await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: agentHeaders }));
    const conversationId = list.data[0].id;
    const messages = json<{ data: Array<{ attachments: Attachment[] }> }>(await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${conversationId}/messages`, headers: agentHeaders }));
    const seen = messages.data.flatMap((m) => m.attachments);
    expect(seen).toMatchObject([{ id: file.id, url: `/api/v1/attachments/${file.id}`, inline: true }]);

    const agentGet = await t.app.inject({ method: 'GET', url: seen[0].url, headers: agentHeaders });
    expect(agentGet.statusCode).toBe(200);
    expect(agentGet.rawPayload.equals(png(3, 2))).toBe(true);
    expect(agentGet.headers).toMatchObject({ 'content-type': 'image/png', 'x-content-type-options': 'nosniff' });
    expect(agentGet.headers['content-disposition']).toMatch(/^inline; filename="photo of the damage.png"/);
    expect(agentGet.headers['content-security-policy']).toContain('sandbox');
    const forced = await t.app.inject({ method: 'GET', url: `${seen[0].url}?download=1`, headers: agentHeaders });
    expect(forced.headers['content-disposition']).toMatch(/^attachment;/);

    const visitorGet = await t.app.inject({ method: 'GET', url: file.url });
    expect(visitorGet.statusCode).toBe(200);
    expect(visitorGet.rawPayload.equals(png(3, 2))).toBe(true);
  });

  it('an agent attaches a PDF to a reply: it downloads, never renders in place', async () => {
    const { conversationId } = await visitorWithConversation();
    const up = await agentUpload(conversationId, 'invoice.pdf', pdf());
    expect(up.statusCode, up.body).toBe(201);
    const file = json<Attachment>(up);
    expect(file).toMatchObject({ content_type: 'application/pdf', inline: false, width: null });
    const reply = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: agentHeaders, payload: { content: 'Your invoice', attachment_ids: [file.id] } });
    expect(reply.statusCode, reply.body).toBe(201);
    const got = await t.app.inject({ method: 'GET', url: file.url, headers: agentHeaders });
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="invoice.pdf"/);
  });

  it('refuses a message with neither text nor files', async () => {
    const s = await visitorSession();
    const res = await visitorWrite(s.visitor_token, { content: '  ', client_message_id: 'empty' });
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ error: { code: 'validation_failed', message: 'Write something before sending.' } });
  });
});

describe('hostile uploads (SECURITY 23–25)', () => {
  it('HTML, SVG with script and an HTML polyglot declared as image/png are refused by their content', async () => {
    const s = await visitorSession();
    const cases: Array<[string, Buffer, string]> = [
      ['page.html', Buffer.from('<!doctype html><script>alert(1)</script>'), 'text/html'],
      ['cat.png', Buffer.from('<html><body onload="alert(1)">not a cat</body></html>'), 'image/png'],
      ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'), 'image/svg+xml'],
      ['tool.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]), 'image/png'],
    ];
    for (const [name, bytes, type] of cases) {
      const res = await visitorUpload(s.visitor_token, name, bytes, type);
      expect(res.statusCode, name).toBe(415);
      expect(json(res)).toMatchObject({ error: { code: 'file_type_not_allowed', message: expect.stringContaining('cannot be sent') } });
    }
  });

  it('a PNG with a script appended is stored as image/png and served inert (nosniff, sandbox CSP)', async () => {
    const { conversationId } = await visitorWithConversation();
    const polyglot = Buffer.concat([png(), Buffer.from('<script>alert(document.cookie)</script>')]);
    const file = json<Attachment>(await agentUpload(conversationId, 'polyglot.html', polyglot));
    expect(file.content_type).toBe('image/png');
    expect(file.file_name).toBe('polyglot.html');
    const got = await t.app.inject({ method: 'GET', url: file.url, headers: agentHeaders });
    expect(got.headers).toMatchObject({ 'content-type': 'image/png', 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' });
    expect(got.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
  });

  it('hostile file names are shown cleaned and downloaded under an RFC 6266 header; the file is stored under a generated key', async () => {
    const { conversationId } = await visitorWithConversation();
    const names: Array<[string, string]> = [
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['C:\\Windows\\evil.txt', 'evil.txt'],
      ['report\u202Efdp.txt', 'reportfdp.txt'],
      ['nul\u0000byte.txt', 'nulbyte.txt'],
      ['.hidden', 'hidden'],
      // Sent as browsers do (the quotes as %22), shown as typed.
      ['say "hi".txt', 'say "hi".txt'],
      ['', 'file.txt'],
    ];
    for (const [raw, shown] of names) {
      const res = await agentUpload(conversationId, raw, Buffer.from('plain words'), agentHeaders, 'text/plain');
      expect(res.statusCode, raw).toBe(201);
      expect(json<Attachment>(res).file_name, raw).toBe(shown);
    }
    const long = json<Attachment>(await agentUpload(conversationId, `${'ä'.repeat(10_000)}.txt`, Buffer.from('long name')));
    expect([...long.file_name].length).toBeLessThanOrEqual(180);
    expect(long.file_name.endsWith('.txt')).toBe(true);
    const got = await t.app.inject({ method: 'GET', url: long.url, headers: agentHeaders });
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="[^"\r\n]+"; filename\*=UTF-8''(%C3%A4)+\.txt$/);
    // The stored row's id is the key; nothing of the name reaches storage.
    const row = await scoped(t.ctx.db, ws.accountId).selectFrom('attachment_blobs').select('attachment_id').where('attachment_id', '=', long.id).executeTakeFirstOrThrow();
    expect(row.attachment_id).toBe(long.id);
  });

  it('a file over the size limit is refused, a declared huge body before it is read', async () => {
    const s = await visitorSession();
    const big = await visitorUpload(s.visitor_token, 'big.txt', Buffer.alloc(80 * 1024, 'a'));
    expect(big.statusCode).toBe(413);
    expect(json(big)).toMatchObject({ error: { code: 'file_too_large', message: expect.stringContaining('larger than') } });
    // A 5 GB upload announced in its headers is refused from the headers alone.
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget/attachments',
      headers: { 'x-visitor-token': s.visitor_token, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(5 * 1024 ** 3) },
      payload: '--x\r\n',
    });
    expect(huge.statusCode).toBe(413);
  });

  it('an image of 100k × 100k pixels is refused before any browser decodes it', async () => {
    const s = await visitorSession();
    const bomb = png(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const res = await visitorUpload(s.visitor_token, 'bomb.png', bomb, 'image/png');
    expect(res.statusCode).toBe(422);
    expect(json(res)).toMatchObject({ error: { code: 'image_too_large' } });
  });

  it('a workspace over its storage quota can upload nothing more, and other workspaces are not affected', async () => {
    const w = await makeWorkspace(t, 'Quota');
    const admin = await sessionFor(t, w.owner.id, w.accountId);
    const inbox = json<{ id: string }>(await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Site' } }));
    const a = scoped(t.ctx.db, w.accountId);
    const contact = await a.insertInto('contacts', { name: 'Q' }).returning('id').executeTakeFirstOrThrow();
    const conversation = await a.insertInto('conversations', { inbox_id: inbox.id, contact_id: contact.id }).returning('id').executeTakeFirstOrThrow();
    // The quota is 400 KB: ten files of 40 KB fit, the eleventh does not.
    for (let n = 0; n < 10; n++) expect((await agentUpload(conversation.id, `f${n}.txt`, Buffer.alloc(40 * 1024, 'q'), admin)).statusCode).toBe(201);
    const over = await agentUpload(conversation.id, 'f10.txt', Buffer.alloc(40 * 1024, 'q'), admin);
    expect(over.statusCode).toBe(413);
    expect(json(over)).toMatchObject({ error: { code: 'storage_quota_exceeded', message: expect.stringContaining('storage') } });
    const s = await visitorSession();
    expect((await visitorUpload(s.visitor_token, 'still fine.txt', Buffer.alloc(40 * 1024, 'q'))).statusCode).toBe(201);
  });

  it("an upload handle works only for its owner, once: another visitor, another agent or a second message cannot use it", async () => {
    const alice = await visitorSession();
    const mallory = await visitorSession();
    const file = json<Attachment>(await visitorUpload(alice.visitor_token, 'passport.png', png(), 'image/png'));
    const stolen = await visitorWrite(mallory.visitor_token, { content: 'mine now', client_message_id: 'steal', attachment_ids: [file.id] });
    expect(stolen.statusCode).toBe(422);
    expect(json(stolen)).toMatchObject({ error: { code: 'invalid_reference', details: [{ field: 'attachment_ids', id: file.id }] } });

    const { conversationId } = await visitorWithConversation();
    const agentsFile = json<Attachment>(await agentUpload(conversationId, 'draft.txt', Buffer.from('draft')));
    const byOther = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: otherAgentHeaders, payload: { content: 'x', attachment_ids: [agentsFile.id] } });
    expect(byOther.statusCode).toBe(422);
    // …and nobody but its uploader may fetch an upload not yet sent.
    expect((await t.app.inject({ method: 'GET', url: agentsFile.url, headers: otherAgentHeaders })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: agentsFile.url, headers: agentHeaders })).statusCode).toBe(200);

    const first = await visitorWrite(alice.visitor_token, { content: 'my passport', client_message_id: 'p1', attachment_ids: [file.id] });
    expect(first.statusCode).toBe(201);
    const again = await visitorWrite(alice.visitor_token, { content: 'again', client_message_id: 'p2', attachment_ids: [file.id] });
    expect(again.statusCode).toBe(422);
    // A retry of the first send (same client id) is the same message, not a refusal.
    expect((await visitorWrite(alice.visitor_token, { content: 'my passport', client_message_id: 'p1', attachment_ids: [file.id] })).statusCode).toBe(200);
  });

  it('a forged visitor link gets nothing, and another workspace cannot fetch a file by its id (SECURITY 1)', async () => {
    const s = await visitorSession();
    const file = json<Attachment>(await visitorUpload(s.visitor_token, 'a.png', png(), 'image/png'));
    const forged = file.url.replace(/sig=.*/, `sig=${'B'.repeat(43)}`);
    expect((await t.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
    // Another file's signature does not open this one.
    const other = json<Attachment>(await visitorUpload(s.visitor_token, 'b.png', png(), 'image/png'));
    const swapped = `/api/v1/widget/attachments/${file.id}?sig=${new URL(other.url, 'http://x').searchParams.get('sig')}`;
    expect((await t.app.inject({ method: 'GET', url: swapped })).statusCode).toBe(404);

    const b = await makeWorkspace(t, 'Elsewhere');
    const bAdmin = await sessionFor(t, b.owner.id, b.accountId);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${file.id}`, headers: bAdmin })).statusCode).toBe(404);
  });

  it('refuses an upload that is not multipart, or has no file part, with a clear error', async () => {
    const s = await visitorSession();
    const asJson = await t.app.inject({ method: 'POST', url: '/api/v1/widget/attachments', headers: { 'x-visitor-token': s.visitor_token }, payload: { file: 'x' } });
    expect(asJson.statusCode).toBe(415);
    expect(json(asJson)).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.stringContaining('multipart/form-data') } });
    const wrongField = multipart('a.txt', Buffer.from('hi'), 'text/plain', 'document');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/widget/attachments', headers: { ...wrongField.headers, 'x-visitor-token': s.visitor_token }, payload: wrongField.payload });
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ error: { code: 'validation_failed' } });
  });
});

/**
 * What agents see of real-world-shaped email (the corpus in fixtures/email), through the API:
 * inline images served from Rapport, hostile HTML made inert, quotes cut but kept, charsets
 * decoded, files checked by content, and mail that cannot be read safely kept aside with the
 * reason (SECURITY 11, 16, 18, 24).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEmail, type EmailInbox } from '../src/features/channels/email/ingest.js';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeWorkspace, sessionFor, startTestApp, type TestApp } from './helpers.js';

const corpus = (name: string) => readFileSync(new URL(`./fixtures/email/${name}`, import.meta.url));

interface Shown {
  id: string;
  kind: string;
  content: string;
  attachments: Array<{ id: string; file_name: string; content_type: string; byte_size: number; url: string }>;
  email: null | { subject: string; html: string | null; html_visible: string | null; text: string; has_quoted: boolean; remote_images: number; suspicious: string | null; automated: string | null; blocked_attachments: Array<{ file_name: string; reason: string }> };
}

describe('email content as agents see it', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let inbox: EmailInbox;

  beforeAll(async () => {
    t = await startTestApp();
    const ws = await makeWorkspace(t, 'Shop');
    admin = await sessionFor(t, ws.owner.id, ws.accountId);
    const row = await scoped(t.ctx.db, ws.accountId)
      .insertInto('inboxes', { name: 'Support', channel: 'email', email_address: 'support@shop.example', forward_key: 'inbox-0123456789abcdef01234567' })
      .returning(['id', 'account_id', 'email_address'])
      .executeTakeFirstOrThrow();
    inbox = row;
  });
  afterAll(() => t?.close());

  /** Ingests one raw email and answers the conversation's subject and its messages as the API shows them. */
  async function show(raw: Buffer): Promise<{ outcome: string; subject: string; messages: Shown[] }> {
    const result = await ingestEmail(t.ctx, inbox, raw);
    const conversation = json<{ subject: string }>(await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${result.conversationId}`, headers: admin }));
    const messages = json<{ data: Shown[] }>(await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${result.conversationId}/messages`, headers: admin })).data;
    return { outcome: result.outcome, subject: conversation.subject, messages };
  }

  it('nested multipart: the inline logo is served by Rapport, the PDF is a file to download', async () => {
    const { messages } = await show(corpus('nested-related.eml'));
    const [m] = messages;
    const names = m.attachments.map((a) => a.file_name).sort();
    expect(names).toEqual(['invoice-42.pdf', 'logo.png']);
    const logo = m.attachments.find((a) => a.file_name === 'logo.png')!;
    expect(m.email?.html_visible).toContain(`src="/api/v1/attachments/${logo.id}"`);
    expect(m.email?.html_visible).not.toContain('cid:');
    const file = await t.app.inject({ method: 'GET', url: logo.url, headers: admin });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
  });

  it('hostile HTML is inert: no script, handlers, javascript: links, frames, forms or remote images', async () => {
    const { messages } = await show(corpus('xss.eml'));
    const html = messages[0].email!.html!;
    for (const bad of [/<script/i, /\son\w+=/i, /javascript:/i, /<iframe/i, /<form/i, /<base/i, /<meta/i, /<svg/i, /expression\(/i, /url\(/i]) expect(html).not.toMatch(bad);
    expect(html).not.toMatch(/\ssrc="https?:/);
    expect(html).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(messages[0].email!.remote_images).toBeGreaterThanOrEqual(1);
  });

  it('a Gmail reply shows only the new text; the quote and signature are kept for "show quoted"', async () => {
    const { messages } = await show(corpus('gmail-reply.eml'));
    const m = messages[0];
    expect(m.email!.has_quoted).toBe(true);
    expect(m.content.length).toBeLessThan(m.email!.text.length);
    expect(m.content).not.toMatch(/wrote:/);
    expect(m.email!.text).toMatch(/wrote:/);
    expect(m.email!.html_visible).not.toContain('gmail_quote');
    expect(m.email!.html).toContain('gmail_quote');
  });

  it('decodes Windows-1252 and ISO-2022-JP subjects and bodies', async () => {
    const w = await show(corpus('windows-1252.eml'));
    expect(w.subject).toContain('€');
    expect(w.messages[0].content).toMatch(/[€“”]/);
    const j = await show(corpus('iso-2022-jp.eml'));
    expect(j.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(j.messages[0].content).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it('file names lose folders and direction tricks; an executable is named but not stored (SECURITY 24)', async () => {
    const { messages } = await show(corpus('encoded-filenames.eml'));
    const m = messages[0];
    const names = m.attachments.map((a) => a.file_name);
    expect(names).toEqual(expect.arrayContaining(['Rechnung März 2025.pdf', 'Привет.txt']));
    for (const name of names) expect(name).not.toMatch(/[/\\]|\.\.|\u202e/);
    const blocked = m.email!.blocked_attachments.map((b) => b.file_name);
    expect(blocked.some((n) => n.endsWith('.exe'))).toBe(true);
    expect(m.attachments.some((a) => a.file_name.endsWith('.exe'))).toBe(false);
  });

  it('a malformed boundary still reads; an auto-reply is marked so nothing answers it', async () => {
    const broken = await show(corpus('malformed-boundary-mismatch.eml'));
    expect(broken.messages[0].content.trim().length).toBeGreaterThan(0);
    const auto = await show(corpus('auto-reply.eml'));
    expect(auto.messages[0].email!.automated).toBe('auto-reply');
  });

  it('stores a 20 MB attachment whole', async () => {
    const bytes = Buffer.alloc(20 * 1024 * 1024, 0x20);
    bytes.write('%PDF-1.4\n', 0);
    const body = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(
      'From: Big Sender <big@customer.example>\r\nTo: support@shop.example\r\nSubject: The scans\r\nMessage-ID: <big-1@customer.example>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
        '--b\r\nContent-Type: text/plain\r\n\r\nSee the scans.\r\n' +
        `--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="scans.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n--b--\r\n`,
    );
    const { messages } = await show(raw);
    expect(messages[0].attachments).toEqual([expect.objectContaining({ file_name: 'scans.pdf', content_type: 'application/pdf', byte_size: 20 * 1024 * 1024 })]);
  });

  it('keeps MIME torture aside with the reason and the original to download, in bounded time (SECURITY 16)', async () => {
    let nested = 'From: Torturer <t@evil.example>\r\nSubject: deep\r\nContent-Type: multipart/mixed; boundary="n0"\r\n\r\n';
    for (let i = 0; i < 3000; i++) nested += `--n${i}\r\nContent-Type: multipart/mixed; boundary="n${i + 1}"\r\n\r\n`;
    nested += '--n3000\r\nContent-Type: text/plain\r\n\r\ndeep\r\n--n3000--\r\n';
    const started = Date.now();
    const { outcome, messages } = await show(Buffer.from(nested));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome).toBe('quarantined');
    expect(messages[0].kind).toBe('system');
    expect(messages[0].content).toMatch(/kept aside.*3,002 MIME parts; at most 500/);
    expect(messages[0].attachments).toEqual([expect.objectContaining({ file_name: 'original-email.eml' })]);
    const original = await t.app.inject({ method: 'GET', url: messages[0].attachments[0].url, headers: admin });
    expect(original.headers['content-disposition']).toMatch(/^attachment/);
    expect(original.rawPayload.length).toBe(Buffer.byteLength(nested));
  });

  it('one sender opening conversation after conversation is capped: the rest join their latest (SECURITY 18)', async () => {
    for (let i = 0; i < 14; i++) {
      await ingestEmail(t.ctx, inbox, Buffer.from(`From: flood@bot.example\r\nTo: support@shop.example\r\nSubject: Ticket ${i}\r\nMessage-ID: <flood-${i}@bot.example>\r\n\r\nSpam ${i}\r\n`));
    }
    const contact = await scoped(t.ctx.db, inbox.account_id).selectFrom('contacts').select('id').where('email', '=', 'flood@bot.example').executeTakeFirstOrThrow();
    const conversations = await scoped(t.ctx.db, inbox.account_id).selectFrom('conversations').select('id').where('contact_id', '=', contact.id).execute();
    expect(conversations).toHaveLength(10);
    const messages = await scoped(t.ctx.db, inbox.account_id).selectFrom('messages').select('id').where('sender_contact_id', '=', contact.id).execute();
    expect(messages).toHaveLength(14);
  });
});

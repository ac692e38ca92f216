/**
 * Search: conversations, messages and contacts found by their words with snippets as text and
 * ranges, filters, the search language, inbox visibility (SECURITY 6), other workspaces, bad and
 * hostile parameters (SECURITY 9: 422 naming the field or a literal match, in the same time), and
 * the CSV export (SECURITY 13).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { searchLimits } from '../src/features/search/search.queries.js';
import { json, makeMember, makeWorkspace, tokenFor, startTestApp, type TestApp } from './helpers.js';

type Hit = {
  type: string;
  field: string;
  snippet: { text: string; highlights: Array<{ start: number; end: number }> };
  conversation: { id: string; subject: string; status: string } | null;
  message: { id: string; private: boolean } | null;
  contact: { id: string; name: string; email: string | null } | null;
};
type Answer = { data: Hit[]; next_cursor: string | null };

let t: TestApp;
let admin: Record<string, string>;
let agent: Record<string, string>;
let other: Record<string, string>;
let accountId: string;
let agentId: string;
const inbox: Record<string, string> = {};
const conv: Record<string, string> = {};

const marked = (h: Hit) => h.snippet.highlights.map((r) => h.snippet.text.slice(r.start, r.end).toLowerCase());
const search = async (query: string, headers = admin) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?${query}`, headers });
  return { res, body: res.statusCode === 200 ? json<Answer>(res) : undefined };
};
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

beforeAll(async () => {
  t = await startTestApp();
  const ws = await makeWorkspace(t, 'Shop');
  accountId = ws.accountId;
  admin = await tokenFor(t, ws.owner.id, accountId, 'owner');
  const agentPerson = await makeMember(t, accountId, 'agent');
  agentId = agentPerson.id;
  agent = await tokenFor(t, agentId, accountId, 'agent');
  const a = scoped(t.ctx.db, accountId);
  for (const [name, channel] of [['Chat', 'web_chat'], ['Mail', 'email'], ['Billing', 'email']] as const) {
    inbox[name] = (await a.insertInto('inboxes', { name, channel }).returning('id').executeTakeFirstOrThrow()).id;
  }
  // The agent works in Chat and Mail, not in Billing.
  await a.insertInto('inbox_members', [{ inbox_id: inbox.Chat, user_id: agentId }, { inbox_id: inbox.Mail, user_id: agentId }]).execute();
  const natalie = (await a.insertInto('contacts', { name: 'Natalie Brooks', email: 'natalie.brooks@example.com', phone: '+44 20 7946 0958' }).returning('id').executeTakeFirstOrThrow()).id;
  const omar = (await a.insertInto('contacts', { name: '=HYPERLINK("http://evil.example")', email: 'omar@example.org' }).returning('id').executeTakeFirstOrThrow()).id;
  const now = Date.now();
  const rows: Array<[string, string, string, string, string, number, string[]]> = [
    // key, inbox, contact, subject, status, hours ago, messages
    ['refund', 'Chat', natalie, 'Refund for order 1042', 'open', 1, ['Hello, I would like a refund for my blue kettle.', 'We have started your refund.']],
    ['delivery', 'Mail', natalie, 'Where is my parcel?', 'resolved', 30, ['My parcel has not arrived; the delivery was promised on Monday.', '<img src=x onerror=alert(1)> tracking shows the kettle in transit']],
    ['secret', 'Billing', omar, 'Invoice question', 'open', 2, ['Please send the invoice for the kettle again.', 'The invoice mentions a refund of 20 euros']],
    ['formula', 'Chat', omar, '@SUM(1+1)', 'pending', 3, ['-2+3 is what my spreadsheet says']],
  ];
  for (const [key, box, contact, subject, status, hours, texts] of rows) {
    const at = new Date(now - hours * 3_600_000);
    const c = await a
      .insertInto('conversations', { inbox_id: inbox[box], contact_id: contact, subject, status: status as 'open', last_message_at: at, last_seq: texts.length, tags: key === 'refund' ? ['refunds'] : [], assignee_id: key === 'refund' ? agentId : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    conv[key] = c.id;
    await a
      .insertInto(
        'messages',
        texts.map((content, i) => ({ conversation_id: c.id, seq: i + 1, direction: i % 2 ? ('outgoing' as const) : ('incoming' as const), private: key === 'delivery' && i === 1, content, created_at: new Date(at.getTime() - (texts.length - i) * 60_000) })),
      )
      .execute();
  }
  // Another workspace with the same words.
  const ws2 = await makeWorkspace(t, 'Elsewhere');
  other = await tokenFor(t, ws2.owner.id, ws2.accountId, 'owner');
  const b = scoped(t.ctx.db, ws2.accountId);
  const box2 = (await b.insertInto('inboxes', { name: 'Chat', channel: 'web_chat' }).returning('id').executeTakeFirstOrThrow()).id;
  const c2 = (await b.insertInto('contacts', { name: 'Natalie Elsewhere' }).returning('id').executeTakeFirstOrThrow()).id;
  const x = (await b.insertInto('conversations', { inbox_id: box2, contact_id: c2, subject: 'Refund elsewhere', last_seq: 1 }).returning('id').executeTakeFirstOrThrow()).id;
  await b.insertInto('messages', { conversation_id: x, seq: 1, direction: 'incoming', content: 'refund kettle' }).execute();
});
afterAll(async () => t?.close());

describe('GET /api/v1/search', () => {
  it('requires authentication', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?q=refund' })).statusCode).toBe(401);
  });

  it('finds conversations by subject, message or contact, newest activity first, with the match highlighted', async () => {
    const { body } = await search(q({ q: 'refund' }));
    expect(body!.data.map((h) => h.conversation!.id)).toEqual([conv.refund, conv.secret]);
    const [first, second] = body!.data;
    expect(first.field).toBe('subject');
    expect(first.snippet.text).toBe('Refund for order 1042');
    expect(marked(first)).toEqual(['refund']);
    expect(second.field).toBe('message');
    expect(second.snippet.text).toContain('refund of 20 euros');
    expect(marked(second)).toEqual(['refund']);
    const byContact = (await search(q({ q: 'brooks' }))).body!;
    expect(byContact.data.map((h) => [h.conversation!.id, h.field])).toEqual([
      [conv.refund, 'contact'],
      [conv.delivery, 'contact'],
    ]);
  });

  it('finds the same conversations when the words are common (the list is walked instead)', async () => {
    const selective = await Promise.all(['refund', 'kettle', 'brooks', 'invoice'].map(async (w) => (await search(q({ q: w }))).body!.data.map((h) => [h.conversation!.id, h.field])));
    searchLimits.commonMatches = 1;
    try {
      const walked = await Promise.all(['refund', 'kettle', 'brooks', 'invoice'].map(async (w) => (await search(q({ q: w }))).body!.data.map((h) => [h.conversation!.id, h.field])));
      expect(walked).toEqual(selective);
      expect((await search(q({ q: 'kettle' }), agent)).body!.data.map((h) => h.conversation!.id)).not.toContain(conv.secret);
    } finally {
      searchLimits.commonMatches = 2000;
    }
  });

  it('matches the start of the last word as it is typed, and every word', async () => {
    expect((await search(q({ q: 'kett', type: 'messages' }))).body!.data).toHaveLength(3);
    expect((await search(q({ q: 'invoice kett', type: 'messages' }))).body!.data).toHaveLength(1);
    expect((await search(q({ q: 'parcel refund' }))).body!.data).toHaveLength(0);
  });

  it('lists matching messages with their conversation, and private notes marked', async () => {
    const { body } = await search(q({ q: 'tracking', type: 'messages' }));
    expect(body!.data).toHaveLength(1);
    expect(body!.data[0].conversation!.id).toBe(conv.delivery);
    expect(body!.data[0].message!.private).toBe(true);
  });

  it('answers a snippet as text: markup in a message stays text, never HTML from the database', async () => {
    const { body } = await search(q({ q: 'tracking', type: 'messages' }));
    const hit = body!.data[0];
    expect(hit.snippet.text).toContain('<img src=x onerror=alert(1)>');
    expect(marked(hit)).toEqual(['tracking']);
    expect(JSON.stringify(hit.snippet)).not.toMatch(/<b>|\\u0002/);
  });

  it('finds contacts by name, address and number', async () => {
    const byEmail = (await search(q({ q: 'natalie.brooks@example.com', type: 'contacts' }))).body!;
    expect(byEmail.data.map((h) => h.contact!.name)).toEqual(['Natalie Brooks']);
    expect((await search(q({ q: '7946', type: 'contacts' }))).body!.data).toHaveLength(1);
    expect((await search(q({ q: '442079460958', type: 'contacts' }))).body!.data.map((h) => h.contact!.name)).toEqual(['Natalie Brooks']);
    const byName = (await search(q({ q: 'nat', type: 'contacts' }))).body!;
    expect(byName.data[0].snippet.text).toBe('Natalie Brooks · natalie.brooks@example.com · +44 20 7946 0958');
    expect(marked(byName.data[0])).toEqual(['natalie', 'natalie']);
  });

  it('filters by status, inbox, assignee, tag, channel and date', async () => {
    const ids = async (params: Record<string, string>) => (await search(q({ q: 'kettle', type: 'messages', ...params }))).body!.data.map((h) => h.conversation!.id);
    expect(new Set(await ids({ status: 'open' }))).toEqual(new Set([conv.refund, conv.secret]));
    expect(await ids({ inbox_id: inbox.Mail })).toEqual([conv.delivery]);
    expect(await ids({ assignee_id: agentId })).toEqual([conv.refund]);
    expect(new Set(await ids({ assignee: 'unassigned' }))).toEqual(new Set([conv.delivery, conv.secret]));
    expect(await ids({ tag: 'refunds' })).toEqual([conv.refund]);
    expect(new Set(await ids({ channel: 'email' }))).toEqual(new Set([conv.delivery, conv.secret]));
    const yesterday = new Date(Date.now() - 20 * 3_600_000).toISOString();
    expect(new Set(await ids({ from: yesterday }))).toEqual(new Set([conv.refund, conv.secret]));
    expect(await ids({ to: yesterday })).toEqual([conv.delivery]);
    expect(await ids({ inbox_id: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const first = (await search(q({ q: 'kettle', type: 'messages', limit: '2' }))).body!;
    expect(first.data).toHaveLength(2);
    const second = (await search(q({ q: 'kettle', type: 'messages', limit: '2', cursor: first.next_cursor! }))).body!;
    expect(second.data).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((h) => h.message!.id)).size).toBe(3);
  });

  it('never shows an agent a conversation of an inbox they do not work in (SECURITY 6)', async () => {
    for (const type of ['conversations', 'messages']) {
      const { body } = await search(q({ q: 'invoice', type }), agent);
      expect(body!.data).toEqual([]);
      const all = (await search(q({ q: 'kettle', type }), agent)).body!;
      expect(all.data.map((h) => h.conversation!.id)).not.toContain(conv.secret);
      expect((await search(q({ q: 'invoice', type, inbox_id: inbox.Billing }), agent)).body!.data).toEqual([]);
    }
    // A contact filter by conversation keeps to what the agent may see.
    expect((await search(q({ q: 'omar', type: 'contacts', inbox_id: inbox.Billing }), agent)).body!.data).toEqual([]);
    expect((await search(q({ q: 'invoice' }))).body!.data.map((h) => h.conversation!.id)).toEqual([conv.secret]);
  });

  it('keeps workspaces apart', async () => {
    const { body } = await search(q({ q: 'refund' }), other);
    expect(body!.data.map((h) => h.conversation!.subject)).toEqual(['Refund elsewhere']);
    expect((await search(q({ q: 'brooks', type: 'contacts' }), other)).body!.data).toEqual([]);
    expect((await search(q({ q: 'refund', inbox_id: inbox.Chat }), other)).body!.data).toEqual([]);
  });

  it('refuses bad filters with 422 naming the field', async () => {
    const cases: Array<[string, string]> = [
      [q({ q: 'refund', status: 'closed' }), 'status'],
      [q({ q: 'refund', inbox_id: 'not-a-uuid' }), 'inbox_id'],
      [q({ q: 'refund', type: 'tickets' }), 'type'],
      [q({ q: 'refund', from: 'yesterday' }), 'from'],
      [q({ q: 'refund', from: '2026-03-02', to: '2026-03-01' }), 'to'],
      [q({ q: 'refund', cursor: 'bm9wZQ' }), 'cursor'],
      [q({ q: '  ;;  ' }), 'q'],
      [q({ type: 'messages' }), 'q'],
      [q({ q: 'x'.repeat(201) }), 'q'],
      [q({ q: 'refund', limit: '500' }), 'limit'],
      [q({ q: 'refund', sort_by: 'id' }), 'sort_by'],
    ];
    for (const [query, field] of cases) {
      const { res } = await search(query);
      expect(res.statusCode, `${query} → ${res.body}`).toBe(422);
      const body = json<{ error: { code: string; details: Array<{ field: string }> } }>(res);
      expect(body.error.code).toBe('invalid_filter');
      expect(body.error.details.map((d) => d.field)).toContain(field);
    }
  });

  it('treats SQL in keys, operators and values as text or refuses it, and answers as fast (SECURITY 9)', async () => {
    const sleep = `'); select pg_sleep(5); --`;
    const payloads = [
      q({ q: sleep }),
      q({ q: `refund' OR 1=1 --` }),
      q({ q: `refund:* | !kettle & (a <-> b)` }),
      q({ q: 'refund', type: 'messages', tag: `x');select pg_sleep(5)--` }),
      q({ q: 'refund', channel: `email' or '1'='1` }),
      q({ q: 'refund', status: `open' or pg_sleep(5) is null --` }),
      q({ q: 'refund', assignee_id: `${agentId}'; select pg_sleep(5)` }),
      q({ q: 'refund', from: `2026-01-01'::timestamptz + pg_sleep(5)` }),
      q({ q: 'refund', [`status;select pg_sleep(5)`]: 'open' }),
      q({ q: 'refund', [`status[$ne]`]: 'open' }),
      `q=refund&status[]=open&status[]=pg_sleep(5)`,
      q({ q: 'refund', cursor: Buffer.from(`2026-01-01T00:00:00Z|'); select pg_sleep(5); --`).toString('base64url') }),
    ];
    for (const query of payloads) {
      const started = Date.now();
      const { res, body } = await search(query);
      const took = Date.now() - started;
      expect([200, 422], `${query} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      expect(took, query).toBeLessThan(2_000);
      // A literal match: only words, so nothing beyond what those words find.
      if (body) for (const h of body.data) expect([conv.refund, conv.secret, conv.delivery, conv.formula]).toContain(h.conversation?.id);
    }
    // The words of the payload are searched as words: `select pg sleep 5` is in no message.
    expect((await search(q({ q: sleep }))).body!.data).toEqual([]);
    // The 'OR 1=1' payload finds nothing more than its words would.
    expect((await search(q({ q: `refund' OR 1=1 --` }))).body!.data).toEqual([]);
  });
});

describe('search language', () => {
  it('stems words in the workspace language once an admin picks it, and falls back to simple', async () => {
    expect((await search(q({ q: 'refunds', type: 'messages' }))).body!.data).toHaveLength(0);
    const available = json<{ language: string; available: string[] }>(await t.app.inject({ method: 'GET', url: '/api/v1/search/language', headers: agent }));
    expect(available.language).toBe('simple');
    expect(available.available).toContain('english');
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/search/language', headers: agent, payload: { language: 'english' } })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/search/language', headers: admin, payload: { language: 'klingon' } });
    expect(bad.statusCode).toBe(422);
    expect(json<{ error: { details: Array<{ field: string }> } }>(bad).error.details[0].field).toBe('language');
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/search/language', headers: admin, payload: { language: 'english' } });
    expect(res.statusCode, res.body).toBe(200);
    // "refunds" and "refund" share the stem; the existing messages were indexed again.
    const stemmed = (await search(q({ q: 'refunds', type: 'messages' }))).body!;
    expect(stemmed.data).toHaveLength(3);
    expect(marked(stemmed.data[0])).toContain('refund');
    // The other workspace still searches as written.
    expect((await search(q({ q: 'refunds', type: 'messages' }), other)).body!.data).toHaveLength(0);
    await t.app.inject({ method: 'PUT', url: '/api/v1/search/language', headers: admin, payload: { language: 'simple' } });
  });
});

describe('GET /api/v1/conversations/export.csv', () => {
  const exportCsv = async (query: string, headers = admin) => t.app.inject({ method: 'GET', url: `/api/v1/conversations/export.csv${query ? `?${query}` : ''}`, headers });
  const rowsOf = (text: string) => text.replace(/^\ufeff/, '').trim().split('\r\n');

  it('requires authentication', async () => {
    expect((await exportCsv('', {})).statusCode).toBe(401);
  });

  it('exports the filtered list as a CSV download', async () => {
    const res = await exportCsv(q({ status: 'open' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="conversations-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = rowsOf(res.body);
    expect(rows[0]).toMatch(/^"id","subject","status"/);
    expect(rows.slice(1).map((r) => r.slice(1, 37))).toEqual([conv.refund, conv.secret]);
    const searched = rowsOf((await exportCsv(q({ q: 'parcel' }))).body);
    expect(searched.slice(1).map((r) => r.slice(1, 37))).toEqual([conv.delivery]);
  });

  it('neutralises cells a spreadsheet would run as formulas (SECURITY 13)', async () => {
    const rows = rowsOf((await exportCsv(q({ status: 'pending' }))).body);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"'@SUM(1+1)"`);
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(rows[1]).toContain(`"'-2+3 is what my spreadsheet says"`);
    expect(rows[1]).not.toMatch(/,"[=+\-@]/);
  });

  it('exports only what the caller may see (SECURITY 6) and only their workspace', async () => {
    const mine = rowsOf((await exportCsv('', agent)).body).slice(1).map((r) => r.slice(1, 37));
    expect(new Set(mine)).toEqual(new Set([conv.refund, conv.delivery, conv.formula]));
    expect(rowsOf((await exportCsv(q({ inbox_id: inbox.Billing }), agent)).body)).toHaveLength(1);
    const theirs = rowsOf((await exportCsv('', other)).body);
    expect(theirs).toHaveLength(2);
    expect(theirs[1]).toContain('Refund elsewhere');
  });

  it('refuses bad filters with 422 naming the field', async () => {
    for (const [query, field] of [
      [q({ status: "open' or '1'='1" }), 'status'],
      [q({ to: 'soon' }), 'to'],
      [q({ 'pg_sleep(5)': '1' }), 'pg_sleep(5)'],
    ] as const) {
      const res = await exportCsv(query);
      expect(res.statusCode, res.body).toBe(422);
      expect(json<{ error: { details: Array<{ field: string }> } }>(res).error.details.map((d) => d.field)).toContain(field);
    }
  });
});
